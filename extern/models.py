"""External partners. Issue 'Extern' adds toestemming, verwijzingen and grants."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Instelling(models.Model):
    class Soort(models.TextChoices):
        JEUGDZORG = "jeugdzorg", _("jeugdzorg / jeugdteam")
        GGD = "ggd", _("GGD / jeugdarts")
        LEERPLICHT = "leerplicht", _("leerplicht")
        SMW = "smw", _("schoolmaatschappelijk werk")
        POLITIE = "politie", _("politie")
        SWV = "swv", _("samenwerkingsverband")
        AMBULANT = "ambulant", _("ambulante begeleiding")
        VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
        ANDERS = "anders", _("anders")

    school = models.ForeignKey("zorg.School", on_delete=models.CASCADE, related_name="instellingen")
    naam = models.CharField(_("naam"), max_length=200)
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices, default=Soort.ANDERS)

    class Meta:
        verbose_name = _("instelling")
        verbose_name_plural = _("instellingen")
        ordering = ["naam"]

    def __str__(self):
        return self.naam


class Contactpersoon(models.Model):
    instelling = models.ForeignKey(Instelling, on_delete=models.CASCADE, related_name="contactpersonen")
    gebruiker = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="contactpersoon"
    )
    naam = models.CharField(_("naam"), max_length=200)
    functie = models.CharField(_("functie"), max_length=100, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)

    class Meta:
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")
        ordering = ["naam"]

    def __str__(self):
        return f"{self.naam} ({self.instelling})"
