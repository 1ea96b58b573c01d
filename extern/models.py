"""External partners (domain.md, External): the register of instellingen and contactpersonen,
toestemming (consent) per pupil and doel, verwijzingen with terugkoppeling, and the time-limited
access of a contactpersoon to a verwijsdossier. The rules are in extern/toestemming.py,
extern/verwijzing.py and the access layer (zorg/toegang.py)."""

import datetime

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
        DSZ = "dsz", _("Directie Sociale Zaken (Aruba)")
        WGK = "wgk", _("Wit-Gele Kruis (Aruba)")
        ANDERS = "anders", _("anders")

    school = models.ForeignKey("zorg.School", on_delete=models.CASCADE, related_name="instellingen")
    naam = models.CharField(_("naam"), max_length=200)
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices, default=Soort.ANDERS)
    adres = models.CharField(_("adres"), max_length=300, blank=True)
    telefoon = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    actief = models.BooleanField(_("actief"), default=True)
    history = HistoricalRecords()

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
    telefoon = models.CharField(_("telefoon"), max_length=30, blank=True)
    actief = models.BooleanField(_("actief"), default=True)
    uitgenodigd_op = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")
        ordering = ["naam"]

    def __str__(self):
        return f"{self.naam} ({self.instelling})"


class Toestemming(models.Model):
    """Consent for one doel (and, where it names one, one instelling), given or refused by an ouder
    with gezag and, by the school's age rule, by the pupil. Requested by staff (status aangevraagd),
    answered in the parent portal or recorded from a signed paper form; valid until a date;
    withdrawable at any time. Every change is kept in its history."""

    class Doel(models.TextChoices):
        ZAT = "zat", _("bespreken in het ZAT")
        GEGEVENS_DELEN = "gegevens_delen", _("gegevens delen met een instelling")
        VERWIJZING = "verwijzing", _("verwijzing naar een instelling")
        OVERDRACHT = "overdracht", _("overdracht van vertrouwelijke gegevens")
        ZORGNIVEAU = "zorgniveau", _("extern zorgniveau")

    # Doelen that name the instelling they are for.
    MET_INSTELLING = {Doel.GEGEVENS_DELEN, Doel.VERWIJZING, Doel.OVERDRACHT}

    class Status(models.TextChoices):
        AANGEVRAAGD = "aangevraagd", _("aangevraagd")
        GEGEVEN = "gegeven", _("gegeven")
        GEWEIGERD = "geweigerd", _("geweigerd")
        INGETROKKEN = "ingetrokken", _("ingetrokken")

    class Wijze(models.TextChoices):
        PAPIER = "papier", _("op papier, vastgelegd door de school")
        DIGITAAL = "digitaal", _("digitaal in het ouderportaal")

    leerling = models.ForeignKey("leerlingen.Leerling", on_delete=models.CASCADE, related_name="toestemmingen")
    doel = models.CharField(_("doel"), max_length=30, choices=Doel.choices)
    instelling = models.ForeignKey(
        Instelling, on_delete=models.PROTECT, null=True, blank=True, related_name="toestemmingen",
        verbose_name=_("instelling"),
    )
    toelichting = models.TextField(
        _("toelichting voor ouders"), blank=True,
        help_text=_("In gewone taal: wat wordt gedeeld, met wie en waarom."),
    )
    ouder = models.ForeignKey(
        "leerlingen.Ouder", on_delete=models.PROTECT, null=True, blank=True, related_name="toestemmingen",
        verbose_name=_("ouder/verzorger"),
    )
    leerling_akkoord = models.BooleanField(
        _("toestemming van de leerling"), null=True, blank=True,
        help_text=_("Nodig vanaf de leeftijd die de school instelt (standaard 12; vanaf 16 beslist de leerling zelf)."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AANGEVRAAGD)
    wijze = models.CharField(_("hoe"), max_length=20, choices=Wijze.choices, default=Wijze.PAPIER)
    datum = models.DateField(_("datum"), default=datetime.date.today)
    geldig_tot = models.DateField(_("geldig tot en met"), null=True, blank=True)
    reden = models.TextField(_("reden (bij weigeren of intrekken)"), blank=True)
    bestand = models.FileField(_("getekend formulier"), upload_to="toestemming/%Y/%m/", blank=True, max_length=300)
    bestandsnaam = models.CharField(max_length=200, blank=True)
    aangevraagd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    aangevraagd_op = models.DateTimeField(null=True, blank=True)
    beslist_op = models.DateTimeField(null=True, blank=True)
    ingetrokken_op = models.DateTimeField(null=True, blank=True)
    vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-datum", "-pk"]
        indexes = [models.Index(fields=["leerling", "doel", "status"]), models.Index(fields=["status", "geldig_tot"])]

    def __str__(self):
        return f"{self.get_doel_display()} · {self.leerling} · {self.get_status_display()}"

    @property
    def omschrijving(self):
        """The doel in plain words, with its instelling: 'verwijzing naar een instelling: Jeugdteam Oost'."""
        doel = self.get_doel_display()
        return f"{doel}: {self.instelling.naam}" if self.instelling_id else str(doel)

    def is_geldig(self, op=None):
        """Given and not expired or withdrawn. Who gave it (gezag, the pupil's age rule) is checked
        by extern.toestemming.geldige, which the access layer uses."""
        from django.utils import timezone

        op = op or timezone.localdate()
        return self.status == self.Status.GEGEVEN and (self.geldig_tot is None or self.geldig_tot >= op)


class Verwijzing(models.Model):
    """A referral of a pupil to an instelling (usually an IZO/ZAT decision), with the chosen parts
    of the referral file, a status flow with dates (so waiting times show), the school's remaining
    task, terugkoppeling, and closure with nazorg and a check-back date."""

    class Status(models.TextChoices):
        AANGEMELD = "aangemeld", _("aangemeld")
        WACHTLIJST = "wachtlijst", _("wachtlijst")
        BEVESTIGD = "bevestigd", _("bevestigd")
        GESTART = "gestart", _("gestart")
        AFGESLOTEN = "afgesloten", _("afgesloten")
        AFGEWEZEN = "afgewezen", _("afgewezen")

    OPEN = (Status.AANGEMELD, Status.WACHTLIJST, Status.BEVESTIGD, Status.GESTART)

    class Sectie(models.TextChoices):
        HULPVRAAG = "hulpvraag", _("hulpvraag en begeleidingsvraag")
        INTERVENTIES = "interventies", _("wat de school deed en met welk effect")
        PLANNEN = "plannen", _("handelingsplannen en evaluaties")
        BESLUITEN = "besluiten", _("besluiten uit IZO en ZAT")
        GESPREKKEN = "gesprekken", _("gespreksverslagen")
        VERTROUWELIJK = "vertrouwelijk", _("vertrouwelijke gegevens (diagnose, medisch, thuissituatie)")

    school = models.ForeignKey("zorg.School", on_delete=models.CASCADE, related_name="verwijzingen")
    leerling = models.ForeignKey("leerlingen.Leerling", on_delete=models.CASCADE, related_name="verwijzingen")
    instelling = models.ForeignKey(Instelling, on_delete=models.PROTECT, related_name="verwijzingen",
                                   verbose_name=_("instelling"))
    contactpersoon = models.ForeignKey(
        Contactpersoon, on_delete=models.SET_NULL, null=True, blank=True, related_name="verwijzingen",
        verbose_name=_("contactpersoon"),
    )
    reden = models.TextField(_("reden van verwijzing"))
    hulpvraag = models.TextField(_("hulpvraag"), blank=True)
    secties = models.JSONField(_("onderdelen van het verwijsdossier"), default=list, blank=True)
    toestemming = models.ForeignKey(
        Toestemming, on_delete=models.PROTECT, null=True, blank=True, related_name="verwijzingen"
    )
    afspraak = models.ForeignKey(
        "besprekingen.Afspraak", on_delete=models.SET_NULL, null=True, blank=True, related_name="verwijzingen"
    )
    agendapunt = models.ForeignKey(
        "besprekingen.Agendapunt", on_delete=models.SET_NULL, null=True, blank=True, related_name="verwijzingen"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AANGEMELD)
    aangemeld_op = models.DateField(_("aangemeld op"), default=datetime.date.today)
    wachtlijst_op = models.DateField(_("op de wachtlijst sinds"), null=True, blank=True)
    bevestigd_op = models.DateField(_("bevestigd op"), null=True, blank=True)
    gestart_op = models.DateField(_("gestart op"), null=True, blank=True)
    afgesloten_op = models.DateField(_("afgesloten op"), null=True, blank=True)
    afgewezen_op = models.DateField(_("afgewezen op"), null=True, blank=True)
    taak_school = models.TextField(_("taak van de school"), blank=True)
    nazorg = models.TextField(_("nazorg"), blank=True)
    terugkijken_op = models.DateField(_("terugkijken op"), null=True, blank=True)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verwijzing")
        verbose_name_plural = _("verwijzingen")
        ordering = ["-aangemeld_op", "-pk"]
        indexes = [models.Index(fields=["school", "status"]), models.Index(fields=["instelling", "status"])]

    def __str__(self):
        return f"{self.leerling} → {self.instelling}"

    @property
    def is_open(self):
        return self.status in self.OPEN


class Terugkoppeling(models.Model):
    """Feedback on a verwijzing: written by the partner or recorded by the school (seed 003, the
    follow-up form: aanmelding bevestigd, hulp gestart, hulp afgesloten, taak voor de school)."""

    class Soort(models.TextChoices):
        BEVESTIGING = "bevestiging", _("aanmelding bevestigd")
        GESTART = "gestart", _("hulpverlening gestart")
        VOORTGANG = "voortgang", _("voortgang")
        TAAK_SCHOOL = "taak_school", _("taak voor de school")
        AFGESLOTEN = "afgesloten", _("hulpverlening afgesloten of doorverwezen")
        ANDERS = "anders", _("anders")

    verwijzing = models.ForeignKey(Verwijzing, on_delete=models.CASCADE, related_name="terugkoppelingen")
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices, default=Soort.VOORTGANG)
    datum = models.DateField(_("datum"), default=datetime.date.today)
    tekst = models.TextField(_("terugkoppeling"))
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    door_partner = models.BooleanField(_("door de externe partner"), default=False)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("terugkoppeling")
        verbose_name_plural = _("terugkoppelingen")
        ordering = ["-datum", "-pk"]

    def __str__(self):
        return f"{self.get_soort_display()} · {self.verwijzing}"


class ExterneToegang(models.Model):
    """A contactpersoon's read access to one verwijsdossier, for a period (default 3 months,
    renewable). Access also needs valid consent: the access layer checks both every time."""

    verwijzing = models.ForeignKey(Verwijzing, on_delete=models.CASCADE, related_name="toegangen")
    contactpersoon = models.ForeignKey(Contactpersoon, on_delete=models.CASCADE, related_name="toegangen")
    vanaf = models.DateField(_("vanaf"), default=datetime.date.today)
    tot = models.DateField(_("tot en met"))
    verleend_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ingetrokken_op = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("externe toegang")
        verbose_name_plural = _("externe toegang")
        ordering = ["-tot"]
        indexes = [models.Index(fields=["contactpersoon", "tot"])]

    def __str__(self):
        return f"{self.contactpersoon} · {self.verwijzing} · t/m {self.tot}"

    def is_geldig(self, op=None):
        from django.utils import timezone

        op = op or timezone.localdate()
        return self.ingetrokken_op is None and self.vanaf <= op <= self.tot
