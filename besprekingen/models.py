"""Meetings (domain.md, Meetings): besprekingen with their agenda, aanmeldingen for IZO/ZAT and
the afspraken (decisions with an owner and a due date) that come out of them.

- A Bespreking is planned with a date, a chair and participants (staff and, for a ZAT, external
  contacts). A groepsbespreking belongs to one klas and periode and gets the nine fixed agenda
  items of Bijlage 15; an IZO/ZAT gets one agenda item per aangemelde leerling.
- An Aanmelding brings a pupil to the zorgcoördinator's queue; putting it on an agenda creates
  its Agendapunt. A ZAT item by name needs valid consent; an anonymous one carries no name.
- An Afspraak is every decision that someone must carry out: owner, due date, status.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zorg.models import Doelresultaat


class Bespreking(models.Model):
    class Soort(models.TextChoices):
        GROEPSBESPREKING = "groepsbespreking", _("groepsbespreking")
        LEERLINGBESPREKING = "leerlingbespreking", _("leerlingbespreking")
        IZO = "izo", _("intern zorgoverleg (IZO)")
        ZAT = "zat", _("zorg- en adviesteam (ZAT)")
        GESPREK = "gesprek", _("gesprek met ouders/leerling")

    class Status(models.TextChoices):
        GEPLAND = "gepland", _("gepland")
        GEHOUDEN = "gehouden", _("gehouden")  # verslag vastgesteld
        GEANNULEERD = "geannuleerd", _("geannuleerd")

    # Kinds with one agenda item per pupil (aanmeldingen), chaired from the meeting screen.
    PER_LEERLING = {Soort.LEERLINGBESPREKING, Soort.IZO, Soort.ZAT, Soort.GESPREK}
    # Kinds a pupil can be aangemeld for.
    AANMELDBAAR = {Soort.LEERLINGBESPREKING, Soort.IZO, Soort.ZAT}

    school = models.ForeignKey("zorg.School", on_delete=models.CASCADE, related_name="besprekingen")
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    titel = models.CharField(_("titel"), max_length=200, blank=True)
    begin = models.DateTimeField(_("datum en tijd"))
    duur = models.PositiveSmallIntegerField(_("duur (minuten)"), default=60)
    locatie = models.CharField(_("locatie"), max_length=200, blank=True)
    voorzitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="voorgezeten_besprekingen",
        verbose_name=_("voorzitter"),
    )
    klas = models.ForeignKey(
        "zorg.Klas", on_delete=models.CASCADE, null=True, blank=True, related_name="besprekingen",
        verbose_name=_("klas"),
    )
    periode = models.ForeignKey(
        "zorg.Periode", on_delete=models.PROTECT, null=True, blank=True, related_name="besprekingen",
        verbose_name=_("periode"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.GEPLAND)
    # The running notes of the meeting as a whole (general matters, the summary).
    notities = models.TextField(_("algemene notities"), blank=True)
    samenvatting = models.TextField(_("samenvatting van de belangrijkste afspraken en besluiten"), blank=True)
    uitgenodigd_op = models.DateTimeField(null=True, blank=True)
    verslag_vastgesteld_op = models.DateTimeField(null=True, blank=True)
    verslag_vastgesteld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gewijzigd_op = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bespreking")
        verbose_name_plural = _("besprekingen")
        ordering = ["-begin"]
        indexes = [
            models.Index(fields=["school", "begin"]),
            models.Index(fields=["school", "soort", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["klas", "periode"],
                condition=models.Q(soort="groepsbespreking") & ~models.Q(status="geannuleerd"),
                name="een_groepsbespreking_per_klas_per_periode",
            ),
        ]

    def __str__(self):
        return self.naam

    @property
    def naam(self):
        if self.titel:
            return self.titel
        if self.soort == self.Soort.GROEPSBESPREKING and self.klas_id:
            return str(_("Groepsbespreking %(klas)s") % {"klas": self.klas.naam})
        korte_namen = {self.Soort.IZO: _("IZO"), self.Soort.ZAT: _("ZAT")}
        return str(korte_namen.get(self.soort) or self.get_soort_display().capitalize())

    @property
    def einde(self):
        return self.begin + datetime.timedelta(minutes=self.duur)

    @property
    def per_leerling(self):
        return self.soort in self.PER_LEERLING

    @property
    def is_gehouden(self):
        return self.status == self.Status.GEHOUDEN


class Deelnemer(models.Model):
    """A participant: a staff member (gebruiker) or an external contact (contactpersoon)."""

    bespreking = models.ForeignKey(Bespreking, on_delete=models.CASCADE, related_name="deelnemers")
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="deelnames"
    )
    contactpersoon = models.ForeignKey(
        "extern.Contactpersoon", on_delete=models.CASCADE, null=True, blank=True, related_name="deelnames"
    )
    rol = models.CharField(_("rol"), max_length=100, blank=True)
    aanwezig = models.BooleanField(_("aanwezig"), null=True, blank=True)
    uitgenodigd_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gebruiker__isnull=False) | models.Q(contactpersoon__isnull=False),
                name="deelnemer_is_iemand",
            ),
            models.UniqueConstraint(fields=["bespreking", "gebruiker"], name="deelnemer_gebruiker_uniek"),
            models.UniqueConstraint(fields=["bespreking", "contactpersoon"], name="deelnemer_contact_uniek"),
        ]

    def __str__(self):
        return self.naam

    @property
    def naam(self):
        if self.gebruiker_id:
            return self.gebruiker.naam
        return str(self.contactpersoon)


class Aanmelding(models.Model):
    """A pupil brought to the zorgcoördinator for a leerlingbespreking, IZO or ZAT (002 §6.2.1,
    003 aanmeldingsformulier). Status: aangemeld → ingepland → besproken → afgerond; the
    zorgcoördinator can send an incomplete one back (teruggestuurd) and the author withdraw it."""

    class Status(models.TextChoices):
        AANGEMELD = "aangemeld", _("aangemeld")
        TERUGGESTUURD = "teruggestuurd", _("teruggestuurd voor aanvulling")
        INGEPLAND = "ingepland", _("ingepland")
        BESPROKEN = "besproken", _("besproken")
        AFGEROND = "afgerond", _("afgerond")
        INGETROKKEN = "ingetrokken", _("ingetrokken")

    WACHTEND = (Status.AANGEMELD,)
    OPEN = (Status.AANGEMELD, Status.TERUGGESTUURD, Status.INGEPLAND)

    school = models.ForeignKey("zorg.School", on_delete=models.CASCADE, related_name="aanmeldingen")
    leerling = models.ForeignKey("leerlingen.Leerling", on_delete=models.CASCADE, related_name="aanmeldingen")
    soort = models.CharField(
        _("aanmelden voor"), max_length=20,
        choices=[(s.value, s.label) for s in Bespreking.Soort if s in Bespreking.AANMELDBAAR],
        default=Bespreking.Soort.IZO,
    )
    anoniem = models.BooleanField(
        _("anoniem bespreken"), default=False,
        help_text=_("Zonder naam: het agendapunt en het verslag tonen alleen klas en leerjaar."),
    )
    aard_probleem = models.TextField(_("aard van het probleem"), blank=True)
    hulpvraag = models.TextField(_("hulpvraag van de leerling"))
    begeleidingsvraag = models.TextField(_("begeleidingsvraag van mentor/docenten"), blank=True)
    sterke_kanten = models.TextField(_("sterke kanten en talenten"), blank=True)
    thuissituatie = models.TextField(_("thuissituatie"), blank=True)
    geschiedenis = models.TextField(
        _("wat is er gedaan, met welk effect"), blank=True,
        help_text=_("Automatisch samengesteld uit het dossier: interventies, plannen, evaluaties en besluiten."),
    )
    ouders_geinformeerd = models.BooleanField(_("ouders zijn geïnformeerd"), default=False)
    ouders_niet_informeren_reden = models.TextField(
        _("reden om ouders (nog) niet te informeren"), blank=True,
        help_text=_("Alleen als informeren de veiligheid van de leerling in gevaar kan brengen."),
    )
    toestemming = models.ForeignKey(
        "extern.Toestemming", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opschaling = models.ForeignKey(
        "leerlingen.Opschaling", on_delete=models.SET_NULL, null=True, blank=True, related_name="aanmeldingen"
    )
    bron = models.ForeignKey(
        Bespreking, on_delete=models.SET_NULL, null=True, blank=True, related_name="aanmeldingen_uit",
        help_text="The groepsbespreking the pupil was aangemeld from (Bijlage 15 item 9), if any.",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AANGEMELD)
    toelichting_status = models.TextField(_("toelichting"), blank=True)
    aangemeld_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    aangemeld_op = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["aangemeld_op"]
        indexes = [models.Index(fields=["school", "status", "soort"])]

    def __str__(self):
        return f"{self.get_soort_display()} · {self.leerling}"


class Agendapunt(models.Model):
    """One item of a bespreking's agenda: a fixed groepsbespreking item (nummer 1-9) or a pupil.

    The chair's notes and the per-pupil decisions (case-manager, follow-up date, zorgniveau
    change) live here; the other decisions are Afspraken pointing at the item."""

    bespreking = models.ForeignKey(Bespreking, on_delete=models.CASCADE, related_name="agendapunten")
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    nummer = models.PositiveSmallIntegerField(_("vast agendapunt"), null=True, blank=True)
    titel = models.CharField(_("titel"), max_length=200, blank=True)
    leerling = models.ForeignKey(
        "leerlingen.Leerling", on_delete=models.CASCADE, null=True, blank=True, related_name="agendapunten"
    )
    aanmelding = models.OneToOneField(
        Aanmelding, on_delete=models.SET_NULL, null=True, blank=True, related_name="agendapunt"
    )
    anoniem = models.BooleanField(_("anoniem"), default=False)
    notities = models.TextField(_("bespreking"), blank=True)
    vertrouwelijk = models.BooleanField(
        _("vertrouwelijk"), default=False,
        help_text=_("Het verslag van dit punt komt als vertrouwelijk item in het dossier (zorgteam en auteur)."),
    )
    besproken = models.BooleanField(_("besproken"), default=False)
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("case-manager"),
    )
    vervolgdatum = models.DateField(_("vervolg (evaluatie) op"), null=True, blank=True)
    zorgniveau_besluit = models.ForeignKey(
        "leerlingen.Dossieritem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dossieritem = models.ForeignKey(
        "leerlingen.Dossieritem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The timeline entry written when the verslag was fixed.",
    )
    gewijzigd_op = models.DateTimeField(auto_now=True)
    gewijzigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        ordering = ["bespreking", "volgorde", "pk"]
        indexes = [models.Index(fields=["leerling", "bespreking"]), models.Index(fields=["vervolgdatum"])]

    def __str__(self):
        return self.titel or (str(self.leerling) if self.leerling_id else f"#{self.pk}")


class Afspraak(models.Model):
    """A decision someone must carry out: what, owner, due date, status (open, gedaan, vervallen).

    Comes from a bespreking (optionally about one pupil's agenda item); the soort says what kind
    of decision it is, so arrangements, coaching and referrals can be counted later."""

    class Soort(models.TextChoices):
        AFSPRAAK = "afspraak", _("afspraak")
        ARRANGEMENT = "arrangement", _("arrangement")
        COACHING = "coaching", _("coaching mentor/docenten")
        HANDELINGSPLAN = "handelingsplan", _("handelingsplan")
        VERWIJZING = "verwijzing", _("verwijzing")
        TERUGKOPPELING_DOCENTEN = "terugkoppeling_docenten", _("terugkoppeling aan docenten")
        TERUGKOPPELING_OUDERS = "terugkoppeling_ouders", _("terugkoppeling aan ouders/leerling")
        GROEPSPLAN = "groepsplan", _("groepsplan")

    class Arrangement(models.TextChoices):
        GEEN = "", _("—")
        RT = "rt", _("remedial teaching")
        DYSLEXIE = "dyslexie", _("dyslexiebegeleiding")
        SOVA = "sova", _("sociale vaardigheidstraining")
        FAALANGST = "faalangst", _("faalangstreductietraining")
        COUNSELING = "counseling", _("counseling")
        HUISWERK = "huiswerk", _("huiswerkbegeleiding")
        AMBULANT = "ambulant", _("ambulante begeleiding")
        ANDERS = "anders", _("anders")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        GEDAAN = "gedaan", _("gedaan")
        VERVALLEN = "vervallen", _("vervallen")

    school = models.ForeignKey("zorg.School", on_delete=models.CASCADE, related_name="afspraken")
    bespreking = models.ForeignKey(
        Bespreking, on_delete=models.CASCADE, null=True, blank=True, related_name="afspraken"
    )
    agendapunt = models.ForeignKey(
        Agendapunt, on_delete=models.CASCADE, null=True, blank=True, related_name="afspraken"
    )
    leerling = models.ForeignKey(
        "leerlingen.Leerling", on_delete=models.CASCADE, null=True, blank=True, related_name="afspraken"
    )
    soort = models.CharField(_("soort"), max_length=30, choices=Soort.choices, default=Soort.AFSPRAAK)
    arrangement = models.CharField(_("arrangement"), max_length=20, choices=Arrangement.choices, blank=True)
    instelling = models.ForeignKey(
        "extern.Instelling", on_delete=models.PROTECT, null=True, blank=True, related_name="afspraken",
        verbose_name=_("instelling"),
    )
    handelingsplan = models.ForeignKey(
        "plannen.Handelingsplan", on_delete=models.SET_NULL, null=True, blank=True, related_name="afspraken"
    )
    groepsplan = models.ForeignKey(
        "plannen.Groepsplan", on_delete=models.SET_NULL, null=True, blank=True, related_name="afspraken"
    )
    wat = models.TextField(_("wat"))
    eigenaar = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="afspraken", verbose_name=_("eigenaar")
    )
    uiterlijk = models.DateField(_("uiterlijk op"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    afgehandeld_op = models.DateTimeField(null=True, blank=True)
    afgehandeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notitie = models.TextField(_("notitie bij afhandeling"), blank=True)
    # Kwaliteitszorg (issue 10): the kind of intervention, whether its goal was reached, and the
    # care hours spent (where the school records them).
    interventie = models.ForeignKey(
        "zorg.Interventiesoort", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("soort interventie"),
    )
    resultaat = models.CharField(_("doel behaald?"), max_length=10, choices=Doelresultaat.choices, blank=True)
    geevalueerd_op = models.DateField(_("geëvalueerd op"), null=True, blank=True)
    zorguren = models.DecimalField(
        _("zorguren"), max_digits=6, decimal_places=1, null=True, blank=True,
        help_text=_("Bestede uren begeleiding (als de school die bijhoudt)."),
    )
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    aangemaakt_op = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["uiterlijk", "pk"]
        indexes = [
            models.Index(fields=["eigenaar", "status", "uiterlijk"]),
            models.Index(fields=["school", "status", "uiterlijk"]),
        ]

    def __str__(self):
        return self.wat[:80]

    def is_te_laat(self, op=None):
        op = op or timezone.localdate()
        return self.status == self.Status.OPEN and self.uiterlijk < op
