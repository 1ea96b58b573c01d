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
    gebruiker = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="leerling_account",
        help_text=_("Het eigen account van de leerling (als de school leerlingaccounts gebruikt)."),
    )
    # Legal hold: while set, the retention task removes nothing about this pupil.
    bewaarplicht = models.BooleanField(
        _("niet verwijderen (bewaarplicht)"), default=False,
        help_text=_("Bijvoorbeeld bij een lopende klacht, een geschil of een verzoek van justitie."),
    )
    bewaarplicht_reden = models.CharField(_("reden bewaarplicht"), max_length=200, blank=True)
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

    def klas_in(self, schooljaar):
        """The pupil's klas in that schooljaar, or None."""
        if schooljaar is None:
            return None
        plaatsing = (
            self.plaatsingen.filter(klas__schooljaar=schooljaar).select_related("klas__afdeling", "klas__schooljaar")
            .first()
        )
        return plaatsing.klas if plaatsing else None

    def huidige_klas(self):
        """The pupil's klas in the school's current schooljaar, or None."""
        return self.klas_in(self.school.huidig_schooljaar())

    def laatste_klas(self):
        """The pupil's most recent klas (this schooljaar's when placed), or None."""
        plaatsing = self.plaatsingen.select_related("klas__schooljaar").order_by("-klas__schooljaar__begin").first()
        return plaatsing.klas if plaatsing else None

    def mentoren_in(self, schooljaar):
        """The active mentor(s) of the pupil's klas in that schooljaar."""
        from zorg.models import Gebruiker

        if schooljaar is None:
            return []
        klassen = self.plaatsingen.filter(klas__schooljaar=schooljaar).values("klas_id")
        return list(Gebruiker.objects.filter(mentorklassen__in=klassen, is_active=True).distinct())

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


class Dossieritem(models.Model):
    """One entry on a pupil's timeline: a signalering, interventie, gesprek, bijzonderheid,
    document, toetsgegeven or zorgniveau-besluit. One table, so the timeline is one query."""

    class Soort(models.TextChoices):
        SIGNALERING = "signalering", _("signalering")
        INTERVENTIE = "interventie", _("interventie")
        GESPREK = "gesprek", _("gespreksverslag")
        BIJZONDERHEID = "bijzonderheid", _("bijzonderheid")
        DOCUMENT = "document", _("document")
        TOETS = "toets", _("toetsgegeven")
        ZORGNIVEAU = "zorgniveau", _("zorgniveau-besluit")
        OVERDRACHT = "overdracht", _("overdracht")
        BESPREKING = "bespreking", _("bespreking (IZO/ZAT/leerlingbespreking)")

    class Vertrouwelijkheid(models.TextChoices):
        TEAM = "team", _("team")
        VERTROUWELIJK = "vertrouwelijk", _("vertrouwelijk (zorgteam en auteur)")
        OUDERS = "ouders", _("gedeeld met ouders")

    class Domein(models.TextChoices):
        LEREN = "leren", _("leren")
        SOCIAAL_EMOTIONEEL = "sociaal_emotioneel", _("sociaal-emotioneel")
        WERKHOUDING = "werkhouding", _("werkhouding")
        GEDRAG = "gedrag", _("gedrag")
        VERZUIM = "verzuim", _("verzuim")
        GEZONDHEID = "gezondheid", _("gezondheid")
        THUISSITUATIE = "thuissituatie", _("thuissituatie")
        TALENT = "talent", _("talent/voorsprong")

    class Effect(models.TextChoices):
        ONBEKEND = "", _("nog niet bekend")
        GOED = "goed", _("goed: het probleem is opgelost")
        DEELS = "deels", _("deels: er is verbetering")
        BEPERKT = "beperkt", _("beperkt")
        GEEN = "geen", _("geen effect")

    class GesprekMet(models.TextChoices):
        LEERLING = "leerling", _("leerling")
        OUDERS = "ouders", _("ouders/verzorgers")
        LEERLING_OUDERS = "leerling_ouders", _("leerling en ouders")
        EXTERN = "extern", _("externe hulpverlener")
        COLLEGA = "collega", _("collega's")

    class Categorie(models.TextChoices):
        TALENT = "talent", _("talent of interesse")
        DIAGNOSE = "diagnose", _("diagnose, ziekte of beperking")
        MEDICATIE = "medicatie", _("medicatie")
        LEVENSGEBEURTENIS = "levensgebeurtenis", _("ingrijpende gebeurtenis")
        INDICATIE = "indicatie", _("indicatie of arrangement")
        IQ = "iq", _("capaciteiten (IQ)")
        ANDERS = "anders", _("anders")

    class Documentsoort(models.TextChoices):
        ONDERWIJSKUNDIG_RAPPORT = "onderwijskundig_rapport", _("onderwijskundig rapport")
        ONDERZOEKSVERSLAG = "onderzoeksverslag", _("onderzoeksverslag")
        BRIEF = "brief", _("brief")
        VERSLAG = "verslag", _("verslag")
        ANDERS = "anders", _("anders")

    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="dossieritems")
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    datum = models.DateField(_("datum"), default=timezone.localdate)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="dossieritems"
    )
    vertrouwelijkheid = models.CharField(
        _("vertrouwelijkheid"), max_length=20, choices=Vertrouwelijkheid.choices, default=Vertrouwelijkheid.TEAM
    )
    voor_docenten = models.BooleanField(
        _("handelingstip voor docenten"), default=False,
        help_text=_("Docenten van de leerling zien dit item (bijvoorbeeld een handelingstip)."),
    )
    titel = models.CharField(_("titel"), max_length=200, blank=True)
    tekst = models.TextField(_("beschrijving"), blank=True)
    domein = models.CharField(_("domein"), max_length=30, choices=Domein.choices, blank=True)
    # Interventie (the interventieformulier: hulpvraag, acties, wie, effect)
    hulpvraag = models.TextField(_("hulpvraag"), blank=True)
    acties = models.TextField(_("wat is er gedaan"), blank=True)
    uitgevoerd_door = models.CharField(_("door wie"), max_length=200, blank=True)
    effect = models.CharField(_("effect"), max_length=20, choices=Effect.choices, blank=True)
    interventie = models.ForeignKey(
        "zorg.Interventiesoort", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("soort interventie"),
    )
    # Gesprek
    gesprek_met = models.CharField(_("gesprek met"), max_length=20, choices=GesprekMet.choices, blank=True)
    afspraken = models.TextField(_("afspraken"), blank=True)
    # Bijzonderheid
    categorie = models.CharField(_("categorie"), max_length=30, choices=Categorie.choices, blank=True)
    # Document
    bestand = models.FileField(_("bestand"), upload_to="dossier/%Y/%m/", blank=True, max_length=300)
    bestandsnaam = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    bestandsgrootte = models.PositiveIntegerField(null=True, blank=True)
    documentsoort = models.CharField(_("soort document"), max_length=30, choices=Documentsoort.choices, blank=True)
    # Toetsgegeven
    toets_onderdeel = models.CharField(_("onderdeel"), max_length=50, blank=True)
    toets_score = models.CharField(_("score"), max_length=30, blank=True)
    # Zorgniveau-besluit
    van_niveau = models.ForeignKey(
        "zorg.Zorgniveau", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("van")
    )
    naar_niveau = models.ForeignKey(
        "zorg.Zorgniveau", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("naar")
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("case-manager"),
    )
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gewijzigd_op = models.DateTimeField(auto_now=True)
    gewijzigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["gewijzigd_op"])

    class Meta:
        verbose_name = _("dossieritem")
        verbose_name_plural = _("dossieritems")
        ordering = ["-datum", "-aangemaakt_op"]
        indexes = [
            models.Index(fields=["leerling", "-datum", "-aangemaakt_op"]),
            # The effect analysis (zorg/effect.py _dossieritems: interventie_id IN (the school's kinds) AND
            # datum within the schooljaar): reads one year of one school's interventions, not all years.
            models.Index(fields=["interventie", "datum"], name="dossieritem_interventie_idx"),
            # Zorgniveau decisions of a school's pupils (zorg/jaarverslag.py zorgniveaus: the moves within a
            # schooljaar; besprekingen/dashboard.py niveaus_op: each pupil's decisions): without it every such
            # query reads all entries of the pupils, of which zorgniveau decisions are a small part.
            models.Index(fields=["leerling", "datum"], condition=models.Q(soort="zorgniveau"),
                         name="dossieritem_zorgniveau_idx"),
        ]

    def __str__(self):
        return f"{self.get_soort_display()} · {self.leerling} · {self.datum}"

    @property
    def is_gewijzigd(self):
        """Changed after it was written: gewijzigd_door is set by edits only."""
        return self.gewijzigd_door_id is not None

    @property
    def kop(self):
        """The one-line summary on the timeline."""
        return self.titel or self.hulpvraag[:80] or self.tekst[:80]


class Opschaling(models.Model):
    """A step up the school's zorgroute: a hulpvraag handed to whoever decides the next level,
    carrying the assembled history. Decided → a zorgniveau-besluit on the timeline."""

    class Status(models.TextChoices):
        AANGEVRAAGD = "aangevraagd", _("aangevraagd")
        TOEGEKEND = "toegekend", _("toegekend")
        AFGEWEZEN = "afgewezen", _("afgewezen")
        INGETROKKEN = "ingetrokken", _("ingetrokken")

    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="opschalingen")
    van_niveau = models.ForeignKey("zorg.Zorgniveau", on_delete=models.PROTECT, null=True, related_name="+")
    naar_niveau = models.ForeignKey("zorg.Zorgniveau", on_delete=models.PROTECT, related_name="+")
    hulpvraag = models.TextField(_("hulpvraag"))
    begeleidingsvraag = models.TextField(_("begeleidingsvraag van mentor/docenten"), blank=True)
    geschiedenis = models.TextField(_("wat is er gedaan, door wie, met welk effect"), blank=True)
    aangevraagd_door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    aangevraagd_op = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AANGEVRAAGD)
    besloten_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    besloten_op = models.DateTimeField(null=True, blank=True)
    reden = models.TextField(_("toelichting bij het besluit"), blank=True)
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    toestemming = models.ForeignKey(
        "extern.Toestemming", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    besluit = models.OneToOneField(
        Dossieritem, on_delete=models.SET_NULL, null=True, blank=True, related_name="opschaling"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opschaling")
        verbose_name_plural = _("opschalingen")
        ordering = ["-aangevraagd_op"]
        indexes = [models.Index(fields=["status", "naar_niveau"])]

    def __str__(self):
        return f"{self.leerling} → {self.naar_niveau}"
