"""Pupils, their klas history, their ouders/verzorgers, and the staff assigned to them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Leerling(models.Model):
    school = models.ForeignKey("zorg.School", on_delete=models.CASCADE, related_name="leerlingen")
    leerlingnummer = models.CharField(_("leerlingnummer"), max_length=30)
    voornaam = models.CharField(_("voornaam"), max_length=100)
    tussenvoegsel = models.CharField(_("tussenvoegsel"), max_length=30, blank=True)
    achternaam = models.CharField(_("achternaam"), max_length=100)
    geboortedatum = models.DateField(_("geboortedatum"), null=True, blank=True)
    instroomdatum = models.DateField(_("datum inschrijving"), null=True, blank=True)
    uitstroomdatum = models.DateField(_("datum uitschrijving"), null=True, blank=True)
    zorgniveau = models.ForeignKey(
        "zorg.Zorgniveau", on_delete=models.PROTECT, null=True, blank=True,
        related_name="leerlingen", verbose_name=_("zorgniveau"),
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="casemanager_van", verbose_name=_("case-manager"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leerling")
        verbose_name_plural = _("leerlingen")
        ordering = ["achternaam", "voornaam"]
        constraints = [
            models.UniqueConstraint(fields=["school", "leerlingnummer"], name="leerlingnummer_uniek")
        ]
        permissions = [("inzien_leerling", _("Mag het dossier van deze leerling inzien"))]

    def __str__(self):
        return self.naam

    @property
    def naam(self):
        return " ".join(p for p in (self.voornaam, self.tussenvoegsel, self.achternaam) if p)

    @property
    def sorteernaam(self):
        """'Berg, Sanne van der' as class lists show it."""
        rest = " ".join(p for p in (self.voornaam, self.tussenvoegsel) if p)
        return f"{self.achternaam}, {rest}"

    def is_ingeschreven(self, op=None):
        op = op or timezone.localdate()
        return self.uitstroomdatum is None or self.uitstroomdatum >= op


class Klasplaatsing(models.Model):
    """A pupil's klas in one schooljaar; the history of placements is kept."""

    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="plaatsingen")
    klas = models.ForeignKey("zorg.Klas", on_delete=models.CASCADE, related_name="plaatsingen")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("klasplaatsing")
        verbose_name_plural = _("klasplaatsingen")
        constraints = [models.UniqueConstraint(fields=["leerling", "klas"], name="plaatsing_uniek")]

    def __str__(self):
        return f"{self.leerling} · {self.klas}"


class Ouder(models.Model):
    """An ouder/verzorger; may have a user account for the parent portal."""

    gebruiker = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="ouder"
    )
    voornaam = models.CharField(_("voornaam"), max_length=100, blank=True)
    tussenvoegsel = models.CharField(_("tussenvoegsel"), max_length=30, blank=True)
    achternaam = models.CharField(_("achternaam"), max_length=100)
    email = models.EmailField(_("e-mailadres"), blank=True)
    telefoon = models.CharField(_("telefoon"), max_length=30, blank=True)
    kinderen = models.ManyToManyField(Leerling, through="OuderRelatie", related_name="ouders")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ouder/verzorger")
        verbose_name_plural = _("ouders/verzorgers")
        ordering = ["achternaam", "voornaam"]
        indexes = [models.Index(fields=["email"])]

    def __str__(self):
        return self.naam

    @property
    def naam(self):
        return " ".join(p for p in (self.voornaam, self.tussenvoegsel, self.achternaam) if p)


class OuderRelatie(models.Model):
    class Relatie(models.TextChoices):
        MOEDER = "moeder", _("moeder")
        VADER = "vader", _("vader")
        VERZORGER = "verzorger", _("verzorger")
        VOOGD = "voogd", _("voogd")
        PLEEGOUDER = "pleegouder", _("pleegouder")
        ANDERS = "anders", _("anders")

    ouder = models.ForeignKey(Ouder, on_delete=models.CASCADE, related_name="relaties")
    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="ouderrelaties")
    relatie = models.CharField(_("relatie"), max_length=20, choices=Relatie.choices)
    gezag = models.BooleanField(
        _("ouderlijk gezag"), default=True,
        help_text=_("Alleen een ouder met gezag mag toestemming geven."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ouderrelatie")
        verbose_name_plural = _("ouderrelaties")
        constraints = [models.UniqueConstraint(fields=["ouder", "leerling"], name="ouderrelatie_uniek")]

    def __str__(self):
        return f"{self.ouder} ({self.get_relatie_display()}) · {self.leerling}"


class Betrokkene(models.Model):
    """A zorgteam specialist assigned to a pupil (RT'er, SMW, orthopedagoog, ...)."""

    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="betrokkenen")
    gebruiker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="betrokken_bij")
    rol = models.CharField(_("rol"), max_length=100, blank=True)
    vanaf = models.DateField(_("vanaf"), default=timezone.localdate)
    tot = models.DateField(_("tot en met"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("betrokkene")
        verbose_name_plural = _("betrokkenen")
        indexes = [models.Index(fields=["gebruiker", "tot"])]

    def __str__(self):
        return f"{self.gebruiker} · {self.leerling}"


# Explicit per-pupil grants (a dossier shared with an RT'er, an external contact's grant):
# django-guardian with direct foreign keys, never the generic table.
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase  # noqa: E402


class LeerlingUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Leerling, on_delete=models.CASCADE)


class LeerlingGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Leerling, on_delete=models.CASCADE)
