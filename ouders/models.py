"""Portal records: invitations (an e-mail link or a letter with a one-time code) and
correctieverzoeken (a parent asks the school to correct or add to something)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Uitnodiging(models.Model):
    """An invitation to the portal for one ouder (or, with pupil accounts, one pupil). Only the
    hash of its one-time code is stored; the code is shown once, in the e-mail or the letter."""

    class Soort(models.TextChoices):
        EMAIL = "email", _("e-mail")
        BRIEF = "brief", _("brief met code")

    ouder = models.ForeignKey(
        "leerlingen.Ouder", on_delete=models.CASCADE, null=True, blank=True, related_name="uitnodigingen"
    )
    leerling = models.ForeignKey(
        "leerlingen.Leerling", on_delete=models.CASCADE, null=True, blank=True, related_name="uitnodigingen",
        help_text=_("Alleen voor een leerlingaccount."),
    )
    school = models.ForeignKey("zorg.School", on_delete=models.CASCADE, related_name="+")
    soort = models.CharField(_("soort"), max_length=10, choices=Soort.choices)
    taal = models.CharField(
        _("taal"), max_length=5, choices=settings.PORTAAL_TALEN, default="nl",
        help_text=_("De taal van de e-mail of brief; het account krijgt deze taal als startkeuze."),
    )
    code_hash = models.CharField(max_length=64, unique=True)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    verloopt_op = models.DateTimeField(_("geldig tot"))
    gebruikt_op = models.DateTimeField(_("gebruikt op"), null=True, blank=True)
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-aangemaakt_op"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ouder__isnull=False, leerling__isnull=True) | Q(ouder__isnull=True, leerling__isnull=False),
                name="uitnodiging_ouder_of_leerling",
            )
        ]

    def __str__(self):
        return f"{self.get_soort_display()} · {self.ouder or self.leerling}"

    @property
    def is_bruikbaar(self):
        return self.gebruikt_op is None and self.ingetrokken_op is None and self.verloopt_op > timezone.now()


class Correctieverzoek(models.Model):
    """A parent's (or pupil's) request to correct or add to what the school holds. It reaches the
    mentor as a task and is answered in the portal."""

    class Onderwerp(models.TextChoices):
        HANDELINGSPLAN = "handelingsplan", _("een handelingsplan")
        VERSLAG = "verslag", _("een verslag of gesprek")
        GEGEVENS = "gegevens", _("de gegevens van mijn kind")
        ANDERS = "anders", _("iets anders")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        BEANTWOORD = "beantwoord", _("beantwoord")

    leerling = models.ForeignKey("leerlingen.Leerling", on_delete=models.CASCADE, related_name="correctieverzoeken")
    ingediend_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    onderwerp = models.CharField(_("waarover"), max_length=20, choices=Onderwerp.choices)
    handelingsplan = models.ForeignKey(
        "plannen.Handelingsplan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("handelingsplan"),
    )
    dossieritem = models.ForeignKey(
        "leerlingen.Dossieritem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("verslag"),
    )
    tekst = models.TextField(_("uw verzoek"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    antwoord = models.TextField(_("antwoord van de school"), blank=True)
    beantwoord_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    beantwoord_op = models.DateTimeField(null=True, blank=True)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("correctieverzoek")
        verbose_name_plural = _("correctieverzoeken")
        ordering = ["-aangemaakt_op"]
        indexes = [models.Index(fields=["leerling", "status"]), models.Index(fields=["status", "aangemaakt_op"])]

    def __str__(self):
        return f"{self.get_onderwerp_display()} · {self.leerling}"
