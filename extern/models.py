"""External partners. Issue 'Extern' adds toestemming, verwijzingen and grants."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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


class Toestemming(models.Model):
    """Consent of an ouder with gezag for one purpose. Minimal here; the Extern issue adds the
    request flow, the parent portal and the gates on external access."""

    class Doel(models.TextChoices):
        ZAT = "zat", _("bespreken in het ZAT")
        GEGEVENS_DELEN = "gegevens_delen", _("gegevens delen met een instelling")
        VERWIJZING = "verwijzing", _("verwijzing naar een instelling")
        OVERDRACHT = "overdracht", _("overdracht van vertrouwelijke gegevens")
        ZORGNIVEAU = "zorgniveau", _("extern zorgniveau")

    class Status(models.TextChoices):
        GEGEVEN = "gegeven", _("gegeven")
        GEWEIGERD = "geweigerd", _("geweigerd")
        INGETROKKEN = "ingetrokken", _("ingetrokken")

    class Wijze(models.TextChoices):
        PAPIER = "papier", _("op papier, vastgelegd door de school")
        DIGITAAL = "digitaal", _("digitaal in het ouderportaal")

    leerling = models.ForeignKey("leerlingen.Leerling", on_delete=models.CASCADE, related_name="toestemmingen")
    doel = models.CharField(_("doel"), max_length=30, choices=Doel.choices)
    instelling = models.ForeignKey(Instelling, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ouder = models.ForeignKey("leerlingen.Ouder", on_delete=models.PROTECT, related_name="toestemmingen")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.GEGEVEN)
    wijze = models.CharField(_("hoe"), max_length=20, choices=Wijze.choices, default=Wijze.PAPIER)
    datum = models.DateField(_("datum"))
    geldig_tot = models.DateField(_("geldig tot en met"), null=True, blank=True)
    vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-datum"]

    def __str__(self):
        return f"{self.get_doel_display()} · {self.leerling} · {self.get_status_display()}"

    def is_geldig(self, op=None):
        from django.utils import timezone

        op = op or timezone.localdate()
        return self.status == self.Status.GEGEVEN and (self.geldig_tot is None or self.geldig_tot >= op)
