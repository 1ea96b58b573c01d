"""Plans: groepsoverzicht (a per-klas, per-periode grid), groepsplan, handelingsplan.

Formats follow seed 002 Bijlage 3/4 (groepsoverzicht), 9/10 (groepsplan), 12/13
(handelingsplan); see shared/seeds/notes/seed-002-part2.md.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Soort(models.TextChoices):
    VAKOVERSTIJGEND = "vakoverstijgend", _("vakoverstijgend")
    VAKSPECIFIEK = "vakspecifiek", _("vakspecifiek")


# --- Groepsoverzicht ------------------------------------------------------------------------


class Sjabloon(models.Model):
    """The columns of a school's groepsoverzicht, vakoverstijgend or per vak."""

    school = models.ForeignKey("zorg.School", on_delete=models.CASCADE, related_name="sjablonen")
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    vak = models.ForeignKey("zorg.Vak", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    naam = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("sjabloon groepsoverzicht")
        verbose_name_plural = _("sjablonen groepsoverzicht")
        constraints = [
            models.UniqueConstraint(fields=["school", "soort", "vak"], name="sjabloon_uniek", nulls_distinct=False)
        ]

    def __str__(self):
        return self.naam


class Kolom(models.Model):
    class Type(models.TextChoices):
        TEKST = "tekst", _("tekst")
        SCORE = "score", _("score (met eerdere meting)")
        VLAG = "vlag", _("vlag (S: gesignaleerd)")
        KEUZE = "keuze", _("keuze")

    sjabloon = models.ForeignKey(Sjabloon, on_delete=models.CASCADE, related_name="kolommen")
    volgorde = models.PositiveSmallIntegerField(_("volgorde"))
    sleutel = models.SlugField(_("sleutel"), max_length=40)
    titel = models.CharField(_("titel"), max_length=100)
    uitleg = models.CharField(_("uitleg"), max_length=300, blank=True)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.TEKST)
    keuzes = models.CharField(_("keuzes"), max_length=300, blank=True, help_text=_("Gescheiden door komma's."))
    drempel = models.CharField(
        _("schoolnorm"), max_length=20, blank=True,
        help_text=_("Scores onder deze waarde worden gemarkeerd (bv. C bij A–E, of een getal)."),
    )
    toets_onderdeel = models.CharField(
        _("uit het dossier"), max_length=50, blank=True,
        help_text=_("Toetsonderdeel (bv. TL) waarvan de scores uit het dossier komen."),
    )
    vertrouwelijk = models.BooleanField(_("vertrouwelijk"), default=False)

    class Meta:
        verbose_name = _("kolom")
        verbose_name_plural = _("kolommen")
        ordering = ["sjabloon", "volgorde"]
        constraints = [models.UniqueConstraint(fields=["sjabloon", "sleutel"], name="kolom_sleutel_uniek")]

    def __str__(self):
        return self.titel


class Groepsoverzicht(models.Model):
    klas = models.ForeignKey("zorg.Klas", on_delete=models.CASCADE, related_name="groepsoverzichten")
    periode = models.ForeignKey("zorg.Periode", on_delete=models.PROTECT, related_name="groepsoverzichten")
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices, default=Soort.VAKOVERSTIJGEND)
    vak = models.ForeignKey("zorg.Vak", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    sjabloon = models.ForeignKey(Sjabloon, on_delete=models.PROTECT, related_name="+")
    vorige = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    bijgewerkt_op = models.DateTimeField(_("datum bijgewerkt"), default=timezone.now)

    class Meta:
        verbose_name = _("groepsoverzicht")
        verbose_name_plural = _("groepsoverzichten")
        constraints = [
            models.UniqueConstraint(
                fields=["klas", "periode", "soort", "vak"], name="groepsoverzicht_uniek", nulls_distinct=False
            )
        ]

    def __str__(self):
        return f"{self.get_soort_display()} · {self.klas} · {self.periode}"


class Cel(models.Model):
    """One cell: a pupil's value in one column. `versie` guards against lost updates."""

    groepsoverzicht = models.ForeignKey(Groepsoverzicht, on_delete=models.CASCADE, related_name="cellen")
    leerling = models.ForeignKey("leerlingen.Leerling", on_delete=models.CASCADE, related_name="+")
    kolom = models.ForeignKey(Kolom, on_delete=models.CASCADE, related_name="+")
    waarde = models.TextField(_("waarde"), blank=True)
    versie = models.PositiveIntegerField(default=0)
    gewijzigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    gewijzigd_op = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cel")
        verbose_name_plural = _("cellen")
        constraints = [
            models.UniqueConstraint(fields=["groepsoverzicht", "leerling", "kolom"], name="cel_uniek")
        ]

    def __str__(self):
        return f"{self.leerling} · {self.kolom}"


class Observatie(models.Model):
    """A docent's contribution to the vakoverstijgend overview, attributed to them."""

    groepsoverzicht = models.ForeignKey(Groepsoverzicht, on_delete=models.CASCADE, related_name="observaties")
    leerling = models.ForeignKey("leerlingen.Leerling", on_delete=models.CASCADE, related_name="+")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    tekst = models.TextField(_("observatie"))
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("observatie")
        verbose_name_plural = _("observaties")
        ordering = ["aangemaakt_op"]

    def __str__(self):
        return f"{self.auteur} · {self.leerling}"


# --- Groepsplan -----------------------------------------------------------------------------


class Groepsplan(models.Model):
    class Deel(models.TextChoices):
        GEHEEL = "", _("—")
        PEDAGOGISCH = "pedagogisch", _("pedagogisch domein")
        BASISVAARDIGHEDEN = "basisvaardigheden", _("basisvaardigheden")

    class Differentiatie(models.TextChoices):
        GEEN = "", _("—")
        CONVERGENT = "convergent", _("convergent")
        DIVERGENT = "divergent", _("divergent")

    class Status(models.TextChoices):
        CONCEPT = "concept", _("concept")
        LOPEND = "lopend", _("lopend")
        GEEVALUEERD = "geevalueerd", _("geëvalueerd")

    klas = models.ForeignKey("zorg.Klas", on_delete=models.CASCADE, related_name="groepsplannen")
    periode = models.ForeignKey("zorg.Periode", on_delete=models.PROTECT, related_name="groepsplannen")
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices, default=Soort.VAKOVERSTIJGEND)
    vak = models.ForeignKey("zorg.Vak", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    deel = models.CharField(_("deel"), max_length=20, choices=Deel.choices, blank=True)
    differentiatie = models.CharField(_("differentiatie"), max_length=20, choices=Differentiatie.choices, blank=True)
    groepsoverzicht = models.ForeignKey(
        Groepsoverzicht, on_delete=models.SET_NULL, null=True, blank=True, related_name="groepsplannen"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gewijzigd_op = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("groepsplan")
        verbose_name_plural = _("groepsplannen")
        ordering = ["-periode__begin", "klas__naam"]

    def __str__(self):
        return f"{_('groepsplan')} {self.klas} · {self.periode}"


class GroepsplanRij(models.Model):
    """Basisgroep, a subgroep of pupils with similar needs, or (incidentally) one pupil."""

    class Rijsoort(models.TextChoices):
        BASISGROEP = "basisgroep", _("basisgroep")
        SUBGROEP = "subgroep", _("subgroep")
        INDIVIDUEEL = "individueel", _("individueel")

    class Oordeel(models.TextChoices):
        ONBEKEND = "", _("nog niet geëvalueerd")
        JA = "ja", _("ja")
        DEELS = "deels", _("deels")
        NEE = "nee", _("nee")

    class Vervolg(models.TextChoices):
        ONBEKEND = "", _("—")
        DOORGAAN = "doorgaan", _("doorgaan")
        BIJSTELLEN = "bijstellen", _("bijstellen")
        STOPPEN = "stoppen", _("stoppen")

    groepsplan = models.ForeignKey(Groepsplan, on_delete=models.CASCADE, related_name="rijen")
    volgorde = models.PositiveSmallIntegerField(default=0)
    rijsoort = models.CharField(_("rij"), max_length=20, choices=Rijsoort.choices, default=Rijsoort.SUBGROEP)
    naam = models.CharField(_("naam"), max_length=100, blank=True)
    leerlingen = models.ManyToManyField("leerlingen.Leerling", blank=True, related_name="+")
    doelen = models.TextField(_("doelen (SMART)"), blank=True)
    inhoud = models.TextField(_("inhoud (wat)"), blank=True)
    aanpak = models.TextField(_("aanpak/methodiek (hoe)"), blank=True)
    organisatie = models.TextField(_("organisatie (wie, wanneer, hoe vaak)"), blank=True)
    evaluatie = models.TextField(_("evaluatie (wie, hoe, wanneer)"), blank=True)
    doel_bereikt = models.CharField(_("doel bereikt?"), max_length=10, choices=Oordeel.choices, blank=True)
    aanpak_effectief = models.CharField(_("aanpak effectief?"), max_length=10, choices=Oordeel.choices, blank=True)
    vervolg = models.CharField(_("vervolg"), max_length=20, choices=Vervolg.choices, blank=True)
    evaluatie_toelichting = models.TextField(_("toelichting evaluatie"), blank=True)
    interventie = models.ForeignKey(
        "zorg.Interventiesoort", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("soort interventie"),
    )
    # The day the row was first evaluated (doel_bereikt set): the end of the intervention, for the
    # kwaliteitszorg analysis (time to reach a goal).
    geevalueerd_op = models.DateField(_("geëvalueerd op"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[leerlingen])

    class Meta:
        verbose_name = _("groepsplanrij")
        verbose_name_plural = _("groepsplanrijen")
        ordering = ["groepsplan", "volgorde", "pk"]

    def __str__(self):
        return self.naam or self.get_rijsoort_display()


# --- Handelingsplan -------------------------------------------------------------------------


class OudersReactie(models.TextChoices):
    GEEN = "", _("nog geen reactie")
    AKKOORD = "akkoord", _("akkoord")
    NIET_AKKOORD = "niet_akkoord", _("niet akkoord")


class Handelingsplan(models.Model):
    OudersReactie = OudersReactie

    class Status(models.TextChoices):
        CONCEPT = "concept", _("concept")
        VASTGESTELD = "vastgesteld", _("vastgesteld")
        GEEVALUEERD = "geevalueerd", _("geëvalueerd")
        AFGESLOTEN = "afgesloten", _("afgesloten")

    class Besluit(models.TextChoices):
        GEEN = "", _("—")
        STOPPEN = "stoppen", _("stoppen")
        VOORTZETTEN = "voortzetten", _("voortzetten")
        BIJSTELLEN = "bijstellen", _("bijstellen")
        OPSCHALEN = "opschalen", _("opschalen naar het volgende zorgniveau")

    leerling = models.ForeignKey("leerlingen.Leerling", on_delete=models.CASCADE, related_name="handelingsplannen")
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices, default=Soort.VAKOVERSTIJGEND)
    vak = models.ForeignKey("zorg.Vak", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    periode = models.ForeignKey("zorg.Periode", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    groepsplan = models.ForeignKey(
        Groepsplan, on_delete=models.SET_NULL, null=True, blank=True, related_name="handelingsplannen"
    )
    zorgniveaubesluit = models.ForeignKey(
        "leerlingen.Dossieritem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    vorige = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="vervolgen")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT)
    # Sections per Bijlage 12/13
    ontwikkelingsperspectief = models.TextField(_("ontwikkelingsperspectief / leerrendementsverwachting"), blank=True)
    beginsituatie = models.TextField(_("beginsituatie"), blank=True)
    onderwijsbehoeften = models.TextField(_("onderwijsbehoeften"), blank=True)
    inhoud = models.TextField(_("inhoud (wat)"), blank=True)
    aanpak = models.TextField(_("aanpak/methodiek (hoe)"), blank=True)
    organisatie = models.TextField(_("organisatie (wie, wanneer, hoe vaak, waar)"), blank=True)
    evaluatie_afspraken = models.TextField(_("evaluatie (wie, hoe, wanneer)"), blank=True)
    afspraken_ouders = models.TextField(_("afspraken met ouders"), blank=True)
    inbreng_leerling = models.TextField(_("inbreng leerling"), blank=True)
    inbreng_ouders = models.TextField(_("inbreng ouders"), blank=True)
    start = models.DateField(_("start"), default=timezone.localdate)
    evaluatiedatum = models.DateField(_("evaluatiedatum"), null=True, blank=True)
    vastgesteld_op = models.DateTimeField(null=True, blank=True)
    # Parents' reaction (portal, or recorded by staff from paper): akkoord or niet akkoord with a
    # reason, timestamped in ouders_akkoord_op (the time of the reaction, whichever it was).
    voorgelegd_op = models.DateTimeField(
        _("voorgelegd aan ouders"), null=True, blank=True,
        help_text=_("Ouders zien een concept pas als het hun is voorgelegd; dan kunnen zij hun inbreng geven."),
    )
    reactie_voor = models.DateField(
        _("reactie ouders gevraagd vóór"), null=True, blank=True,
        help_text=_("Tot wanneer de ouders hun inbreng en akkoord kunnen geven; daarna volgt een herinnering."),
    )
    ouders_akkoord = models.CharField(_("reactie ouders"), max_length=20, choices=OudersReactie.choices, blank=True)
    ouders_akkoord_op = models.DateTimeField(_("reactie ouders op"), null=True, blank=True)
    ouders_reactie_toelichting = models.TextField(_("toelichting ouders"), blank=True)
    ouders_reactie_door = models.ForeignKey(
        "leerlingen.Ouder", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("reactie van"),
    )
    geevalueerd_op = models.DateTimeField(null=True, blank=True)
    afgesloten_op = models.DateTimeField(null=True, blank=True)
    besluit = models.CharField(_("besluit na evaluatie"), max_length=20, choices=Besluit.choices, blank=True)
    evaluatie_toelichting = models.TextField(_("toelichting evaluatie"), blank=True)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gewijzigd_op = models.DateTimeField(auto_now=True)
    gewijzigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["gewijzigd_op"])

    class Meta:
        verbose_name = _("handelingsplan")
        verbose_name_plural = _("handelingsplannen")
        ordering = ["-start", "-pk"]
        indexes = [models.Index(fields=["leerling", "status"]), models.Index(fields=["status", "evaluatiedatum"]),
                   models.Index(fields=["status", "vastgesteld_op"])]

    def __str__(self):
        return f"{_('handelingsplan')} {self.leerling} · {self.start}"


class Doel(models.Model):
    class Resultaat(models.TextChoices):
        ONBEKEND = "", _("nog niet geëvalueerd")
        BEHAALD = "behaald", _("behaald")
        DEELS = "deels", _("deels behaald")
        NIET = "niet", _("niet behaald")

    handelingsplan = models.ForeignKey(Handelingsplan, on_delete=models.CASCADE, related_name="doelen")
    volgorde = models.PositiveSmallIntegerField(default=0)
    doel = models.TextField(_("doel / gewenst gedrag"))
    resultaat = models.CharField(_("resultaat"), max_length=10, choices=Resultaat.choices, blank=True)
    toelichting = models.TextField(_("toelichting"), blank=True)
    interventie = models.ForeignKey(
        "zorg.Interventiesoort", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("soort interventie"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        ordering = ["handelingsplan", "volgorde", "pk"]

    def __str__(self):
        return self.doel[:60]


class Betrokkenheid(models.Model):
    """Who carries out which part of a handelingsplan; docenten see their part."""

    handelingsplan = models.ForeignKey(Handelingsplan, on_delete=models.CASCADE, related_name="betrokkenen")
    gebruiker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    taak = models.TextField(_("wat doet deze persoon"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("betrokkene bij plan")
        verbose_name_plural = _("betrokkenen bij plan")

    def __str__(self):
        return f"{self.gebruiker} · {self.handelingsplan}"


class Export(models.Model):
    """A bulk PDF export produced by a Celery task (progress shown in the page)."""

    class Status(models.TextChoices):
        WACHT = "wacht", _("in de wachtrij")
        BEZIG = "bezig", _("bezig")
        KLAAR = "klaar", _("klaar")
        MISLUKT = "mislukt", _("mislukt")

    aangevraagd_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("zorg.School", on_delete=models.CASCADE, related_name="+")
    omschrijving = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WACHT)
    totaal = models.PositiveIntegerField(default=0)
    gedaan = models.PositiveIntegerField(default=0)
    bestand = models.FileField(upload_to="exports/%Y/%m/", blank=True, max_length=300)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return self.omschrijving
