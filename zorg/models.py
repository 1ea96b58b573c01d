"""School organisation: schools, years, periods, afdelingen, klassen, vakken, staff functies,
and the school's zorgroute. Plus the inzagelog (who read which pupil's records)."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def nieuwe_sessiesleutel():
    return secrets.token_hex(16)


class Gebruiker(AbstractUser):
    """Every person who logs in: staff, parents, external contacts."""

    class EmailVoorkeur(models.TextChoices):
        DIRECT = "direct", _("direct per e-mail")
        DAGELIJKS = "dagelijks", _("één keer per dag een overzicht")
        UIT = "uit", _("geen e-mail (alleen in Zorgroute)")

    email_voorkeur = models.CharField(
        _("meldingen per e-mail"), max_length=10, choices=EmailVoorkeur.choices, default=EmailVoorkeur.DIRECT,
        help_text=_("Meldingen in Zorgroute krijgt u altijd; dit gaat over de e-mail."),
    )

    taal = models.CharField(
        _("taal"), max_length=5, choices=settings.PORTAAL_TALEN, default="nl",
        help_text=_("De taal van het ouderportaal en van e-mails aan ouders en leerlingen."),
    )

    # Part of every session's auth hash: a new key ends all of the user's sessions at once
    # ("overal uitloggen", blocking an account). See _get_session_auth_hash.
    sessiesleutel = models.CharField(max_length=32, default=nieuwe_sessiesleutel, editable=False)
    geblokkeerd_op = models.DateTimeField(_("geblokkeerd op"), null=True, blank=True)
    geblokkeerd_door = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("geblokkeerd door"),
    )
    geblokkeerd_reden = models.CharField(_("reden van blokkeren"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["last_name", "first_name"]

    @property
    def naam(self):
        return self.get_full_name() or self.username

    @property
    def korte_naam(self):
        """'M. de Vries' style, as schools write staff names."""
        if self.first_name and self.last_name:
            return f"{self.first_name[0]}. {self.last_name}"
        return self.naam

    def __str__(self):
        return self.naam

    def _get_session_auth_hash(self, secret=None):
        """Django's session hash (the password hash, HMAC'd), with the session key mixed in."""
        key_salt = "zorg.models.Gebruiker.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.sessiesleutel}", secret=secret, algorithm="sha256"
        ).hexdigest()

    def beeindig_sessies(self):
        """End every session of this user, on every device (takes effect on their next request)."""
        self.sessiesleutel = nieuwe_sessiesleutel()
        self.save(update_fields=["sessiesleutel"])


class School(models.Model):
    class Land(models.TextChoices):
        NEDERLAND = "NL", _("Nederland")
        ARUBA = "AW", _("Aruba")

    class Onderwijstype(models.TextChoices):
        VO = "vo", _("Voortgezet onderwijs")
        PO = "po", _("Primair onderwijs")

    naam = models.CharField(_("naam"), max_length=200)
    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Korte code, bv. BRIN."))
    plaats = models.CharField(_("plaats"), max_length=100, blank=True)
    land = models.CharField(_("land"), max_length=2, choices=Land.choices, default=Land.NEDERLAND)
    onderwijstype = models.CharField(
        _("onderwijstype"), max_length=2, choices=Onderwijstype.choices, default=Onderwijstype.VO
    )
    tijdzone = models.CharField(
        _("tijdzone"), max_length=50, default="Europe/Amsterdam", help_text=_("bv. America/Aruba voor Aruba.")
    )
    evaluatie_weken = models.PositiveSmallIntegerField(
        _("evaluatie na een IZO/ZAT-besluit (weken)"), default=6,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("Standaard evaluatietermijn van een handelingsplan na een besluit in het IZO of ZAT."),
    )
    # Who decides on consent (seed 003: pupil's own privacy rights from 16; the ZAT needs the pupil's
    # consent too): from `toestemming_leerling_mee_vanaf` the pupil consents as well as an ouder with
    # gezag, from `toestemming_leerling_zelf_vanaf` the pupil decides alone.
    toestemming_leerling_mee_vanaf = models.PositiveSmallIntegerField(
        _("leerling stemt mee in vanaf (jaar)"), default=12, validators=[MaxValueValidator(25)],
        help_text=_("Vanaf deze leeftijd is naast een ouder met gezag ook de toestemming van de leerling nodig."),
    )
    toestemming_leerling_zelf_vanaf = models.PositiveSmallIntegerField(
        _("leerling beslist zelf vanaf (jaar)"), default=16, validators=[MaxValueValidator(25)],
        help_text=_("Vanaf deze leeftijd beslist de leerling zelf over toestemming."),
    )
    # Herinneringen (issue Herinneringen): lead times of the reminder rules and the digest hour.
    herinnering_dagen_vooraf = models.PositiveSmallIntegerField(
        _("herinnering vooraf (dagen)"), default=3, validators=[MaxValueValidator(60)],
        help_text=_("Zoveel dagen vóór een evaluatie, afspraak of vervolgdatum krijgt de eigenaar een herinnering."),
    )
    herinnering_te_laat_dagen = models.PositiveSmallIntegerField(
        _("escalatie na (dagen te laat)"), default=7, validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("Zoveel dagen na de datum gaat een melding naar de teamleider of voorzitter; na het dubbele "
                    "naar de zorgcoördinator."),
    )
    herinnering_verwijzing_weken = models.PositiveSmallIntegerField(
        _("verwijzing zonder terugkoppeling (weken)"), default=4,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    samenvatting_uur = models.PositiveSmallIntegerField(
        _("dagelijks overzicht om (uur)"), default=7, validators=[MaxValueValidator(23)],
        help_text=_("Het uur (schooltijd) waarop het dagelijkse e-mailoverzicht wordt verstuurd."),
    )
    leerlingaccounts = models.BooleanField(
        _("leerlingaccounts"), default=False,
        help_text=_("Leerlingen kunnen worden uitgenodigd om hun eigen doelen te zien en hun inbreng te schrijven."),
    )
    toegang_extern_maanden = models.PositiveSmallIntegerField(
        _("toegang externe partner (maanden)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("Standaardduur van de toegang van een externe contactpersoon tot een verwijsdossier."),
    )

    # Bewaartermijnen: years after the pupil left (uitstroomdatum). Defaults and their legal basis:
    # README, "Beveiliging en privacy". Removal is done by zorg.bewaartermijnen (nightly task).
    bewaren_zorgdossier_jaren = models.PositiveSmallIntegerField(
        _("zorgdossier en plannen (jaren)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Dossier, signaleringen, handelingsplannen, besprekingen en afspraken: jaren na uitschrijving."),
    )
    bewaren_extern_jaren = models.PositiveSmallIntegerField(
        _("verwijzingen en toestemmingen (jaren)"), default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Verwijzingen, terugkoppelingen en toestemmingen van ouders: jaren na uitschrijving."),
    )
    bewaren_inzagelog_jaren = models.PositiveSmallIntegerField(
        _("inzagelog (jaren)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Regels in het inzagelog ouder dan dit worden verwijderd."),
    )
    bewaren_leerling_jaren = models.PositiveSmallIntegerField(
        _("leerlinggegevens (jaren)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Naam, klassen en ouders van de leerling: jaren na uitschrijving."),
    )
    bewaartermijnen_actief = models.BooleanField(
        _("verlopen gegevens verwijderen"), default=False,
        help_text=_("Zolang dit uit staat, maakt Zorgroute elke nacht alleen een proefrapport: wat verwijderd zou "
                    "worden."),
    )

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        ordering = ["naam"]

    def __str__(self):
        return self.naam

    def medewerkers(self):
        """Active staff of the current schooljaar (a functie other than applicatiebeheerder, a
        mentor or a docent): who can be case-manager or carry out part of a plan."""
        schooljaar = self.huidig_schooljaar()
        if schooljaar is None:
            return Gebruiker.objects.none()
        functies = Functie.objects.filter(schooljaar=schooljaar).exclude(soort=Functie.Soort.APPLICATIEBEHEERDER)
        return (
            Gebruiker.objects.filter(is_active=True)
            .filter(
                models.Q(id__in=functies.values("gebruiker_id"))
                | models.Q(id__in=Klas.mentoren.through.objects.filter(klas__schooljaar=schooljaar)
                           .values("gebruiker_id"))
                | models.Q(id__in=Lesopdracht.objects.filter(klas__schooljaar=schooljaar).values("docent_id"))
            )
            .order_by("last_name", "first_name")
        )

    def huidig_schooljaar(self, op=None):
        """The schooljaar running on the given date, else the most recent one that started."""
        op = op or timezone.localdate()
        jaren = self.schooljaren.order_by("-begin")
        return jaren.filter(begin__lte=op, einde__gte=op).first() or jaren.filter(
            begin__lte=op
        ).first() or jaren.first()


class Schooljaar(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="schooljaren")
    naam = models.CharField(_("naam"), max_length=20, help_text=_("bv. 2026-2027"))
    begin = models.DateField(_("begin"))
    einde = models.DateField(_("einde"))

    class Meta:
        verbose_name = _("schooljaar")
        verbose_name_plural = _("schooljaren")
        ordering = ["school", "-begin"]
        constraints = [
            models.UniqueConstraint(fields=["school", "naam"], name="schooljaar_uniek_per_school"),
            models.CheckConstraint(condition=models.Q(einde__gt=models.F("begin")), name="schooljaar_einde_na_begin"),
        ]

    def __str__(self):
        return self.naam

    def periode_op(self, datum=None):
        datum = datum or timezone.localdate()
        perioden = list(self.perioden.all())
        for periode in perioden:
            if periode.begin <= datum <= periode.einde:
                return periode
        return next((p for p in perioden if p.begin > datum), perioden[-1] if perioden else None)


class Periode(models.Model):
    """One HGW cycle in the schooljaar, closed by a groepsbespreking."""

    schooljaar = models.ForeignKey(Schooljaar, on_delete=models.CASCADE, related_name="perioden")
    nummer = models.PositiveSmallIntegerField(_("nummer"))
    begin = models.DateField(_("begin"))
    einde = models.DateField(_("einde"))
    groepsbespreking_op = models.DateField(_("datum groepsbespreking"), null=True, blank=True)

    class Meta:
        verbose_name = _("periode")
        verbose_name_plural = _("perioden")
        ordering = ["schooljaar", "nummer"]
        constraints = [
            models.UniqueConstraint(fields=["schooljaar", "nummer"], name="periode_uniek_per_jaar"),
            models.CheckConstraint(condition=models.Q(einde__gt=models.F("begin")), name="periode_einde_na_begin"),
        ]

    def __str__(self):
        return _("periode %(nummer)s") % {"nummer": self.nummer}


class Afdeling(models.Model):
    """Afdeling or team (e.g. onderbouw, havo/vwo bovenbouw), led by teamleider(s)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="afdelingen")
    naam = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("afdeling")
        verbose_name_plural = _("afdelingen")
        ordering = ["school", "naam"]
        constraints = [models.UniqueConstraint(fields=["school", "naam"], name="afdeling_uniek")]

    def __str__(self):
        return self.naam


class Klas(models.Model):
    schooljaar = models.ForeignKey(Schooljaar, on_delete=models.CASCADE, related_name="klassen")
    afdeling = models.ForeignKey(Afdeling, on_delete=models.PROTECT, related_name="klassen")
    naam = models.CharField(_("naam"), max_length=20)
    leerjaar = models.PositiveSmallIntegerField(_("leerjaar"), default=1)
    mentoren = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="mentorklassen", blank=True, verbose_name=_("mentoren")
    )

    class Meta:
        verbose_name = _("klas")
        verbose_name_plural = _("klassen")
        ordering = ["schooljaar", "naam"]
        constraints = [models.UniqueConstraint(fields=["schooljaar", "naam"], name="klas_uniek_per_jaar")]

    def __str__(self):
        return self.naam

    def leerlingen_op_naam(self):
        """The klas's pupils as class lists order them."""
        from leerlingen.models import Leerling

        return list(
            Leerling.objects.filter(plaatsingen__klas=self).order_by("achternaam", "voornaam", "pk").distinct()
        )


class Vak(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="vakken")
    code = models.CharField(_("code"), max_length=20)
    naam = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("vak")
        verbose_name_plural = _("vakken")
        ordering = ["school", "naam"]
        constraints = [models.UniqueConstraint(fields=["school", "code"], name="vak_uniek")]

    def __str__(self):
        return self.naam


class Lesopdracht(models.Model):
    """Which docent teaches which vak to which klas."""

    docent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesopdrachten")
    vak = models.ForeignKey(Vak, on_delete=models.PROTECT, related_name="lesopdrachten")
    klas = models.ForeignKey(Klas, on_delete=models.CASCADE, related_name="lesopdrachten")

    class Meta:
        verbose_name = _("lesopdracht")
        verbose_name_plural = _("lesopdrachten")
        constraints = [
            models.UniqueConstraint(fields=["docent", "vak", "klas"], name="lesopdracht_uniek")
        ]

    def __str__(self):
        return f"{self.docent} · {self.vak} · {self.klas}"


class Functie(models.Model):
    """A staff role at a school for one schooljaar. Mentor is derived from Klas.mentoren."""

    class Soort(models.TextChoices):
        DOCENT = "docent", _("docent")
        TEAMLEIDER = "teamleider", _("teamleider")
        ZORGCOORDINATOR = "zorgcoordinator", _("zorgcoördinator")
        INTERN_BEGELEIDER = "intern_begeleider", _("intern begeleider")
        LEERLINGBEGELEIDER = "leerlingbegeleider", _("leerlingbegeleider")
        REMEDIAL_TEACHER = "remedial_teacher", _("remedial teacher")
        ORTHOPEDAGOOG = "orthopedagoog", _("orthopedagoog")
        SMW = "smw", _("schoolmaatschappelijk werker")
        COUNSELOR = "counselor", _("counselor")
        DECAAN = "decaan", _("decaan")
        VERTROUWENSPERSOON = "vertrouwenspersoon", _("vertrouwenspersoon")
        DIRECTIE = "directie", _("directie")
        APPLICATIEBEHEERDER = "applicatiebeheerder", _("applicatiebeheerder")

    SPECIALISTEN = {
        Soort.LEERLINGBEGELEIDER, Soort.REMEDIAL_TEACHER, Soort.ORTHOPEDAGOOG, Soort.SMW,
        Soort.COUNSELOR, Soort.DECAAN, Soort.VERTROUWENSPERSOON,
    }
    SCHOOLBREED = {Soort.ZORGCOORDINATOR, Soort.INTERN_BEGELEIDER, Soort.DIRECTIE}

    gebruiker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="functies")
    schooljaar = models.ForeignKey(Schooljaar, on_delete=models.CASCADE, related_name="functies")
    soort = models.CharField(_("functie"), max_length=30, choices=Soort.choices)
    afdeling = models.ForeignKey(
        Afdeling, on_delete=models.CASCADE, null=True, blank=True, related_name="functies",
        help_text=_("Alleen voor een teamleider: de afdeling die hij of zij leidt."),
    )

    class Meta:
        verbose_name = _("functie")
        verbose_name_plural = _("functies")
        constraints = [
            models.UniqueConstraint(
                fields=["gebruiker", "schooljaar", "soort", "afdeling"], name="functie_uniek",
                nulls_distinct=False,
            ),
        ]
        indexes = [models.Index(fields=["gebruiker", "schooljaar"])]

    history = HistoricalRecords()

    def __str__(self):
        return f"{self.gebruiker} · {self.get_soort_display()} · {self.schooljaar}"


class Zorgroute(models.Model):
    """The school's ordered route of zorgniveaus, from class to external help."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="zorgroute")
    naam = models.CharField(_("naam"), max_length=200)

    class Meta:
        verbose_name = _("zorgroute")
        verbose_name_plural = _("zorgroutes")

    def __str__(self):
        return self.naam


class Zorgniveau(models.Model):
    class Bespreking(models.TextChoices):
        GEEN = "", _("—")
        GROEPSBESPREKING = "groepsbespreking", _("groepsbespreking")
        LEERLINGBESPREKING = "leerlingbespreking", _("leerlingbespreking")
        TEAMLEIDER = "teamleideroverleg", _("overleg met teamleider")
        IZO = "izo", _("intern zorgoverleg (IZO)")
        ZAT = "zat", _("zorg- en adviesteam (ZAT)")

    class Plan(models.TextChoices):
        GEEN = "", _("geen")
        GROEPSPLAN = "groepsplan", _("groepsplan")
        HANDELINGSPLAN = "handelingsplan", _("handelingsplan")
        VERWIJZING = "verwijzing", _("verwijzing")
        OVERDRACHT = "overdracht", _("overdracht")

    class Beslisser(models.TextChoices):
        MENTOR = "mentor", _("mentor")
        TEAMLEIDER = "teamleider", _("teamleider")
        ZORGCOORDINATOR = "zorgcoordinator", _("zorgcoördinator (IZO/ZAT)")

    zorgroute = models.ForeignKey(Zorgroute, on_delete=models.CASCADE, related_name="niveaus")
    volgorde = models.PositiveSmallIntegerField(_("volgorde"))
    code = models.CharField(_("code"), max_length=10)
    naam = models.CharField(_("naam"), max_length=100)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    besloten_in = models.CharField(_("besloten in"), max_length=30, choices=Bespreking.choices, blank=True)
    extern = models.BooleanField(_("extern"), default=False)
    toestemming_vereist = models.BooleanField(_("toestemming ouders vereist"), default=False)
    verwacht_plan = models.CharField(_("verwacht plan"), max_length=20, choices=Plan.choices, blank=True)
    besloten_door = models.CharField(
        _("besloten door"), max_length=20, choices=Beslisser.choices, default=Beslisser.ZORGCOORDINATOR,
        help_text=_("Wie een opschaling naar dit niveau toekent."),
    )
    min_interventies = models.PositiveSmallIntegerField(
        _("minimaal aantal interventies vooraf"), default=0,
        help_text=_("Zoveel interventies met effect moeten in het dossier staan voordat naar dit niveau "
                    "wordt opgeschaald."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zorgniveau")
        verbose_name_plural = _("zorgniveaus")
        ordering = ["zorgroute", "volgorde"]
        constraints = [
            models.UniqueConstraint(fields=["zorgroute", "code"], name="zorgniveau_code_uniek"),
            models.UniqueConstraint(fields=["zorgroute", "volgorde"], name="zorgniveau_volgorde_uniek"),
        ]

    def __str__(self):
        return f"{self.code} {self.naam}"


class Notificatie(models.Model):
    """An in-app notice for one user, also sent by e-mail per the user's setting (directly, in the
    daily digest, or not). `gemaild_op` is set once, so a notice is never e-mailed twice."""

    class Email(models.TextChoices):
        WACHT = "wacht", _("wacht op verzending")
        VERSTUURD = "verstuurd", _("verstuurd")
        OVERZICHT = "overzicht", _("in het dagelijkse overzicht")
        GEEN = "geen", _("geen e-mail")

    ontvanger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notificaties")
    tekst = models.CharField(_("tekst"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    leerling = models.ForeignKey(
        "leerlingen.Leerling", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    aangemaakt_op = models.DateTimeField(default=timezone.now)
    gelezen_op = models.DateTimeField(null=True, blank=True)
    email = models.CharField(_("e-mail"), max_length=10, choices=Email.choices, default=Email.WACHT)
    gemaild_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notificatie")
        verbose_name_plural = _("notificaties")
        ordering = ["-aangemaakt_op"]
        indexes = [models.Index(fields=["ontvanger", "gelezen_op"]), models.Index(fields=["email", "ontvanger"])]

    def __str__(self):
        return self.tekst


class Herinnering(models.Model):
    """The reminder ledger: one row per (rule, object, due date, step, recipient), unique, so a
    duplicate beat tick, a retried task or a restarted worker never sends a reminder twice, and a
    scan after downtime sends each missed reminder once. A changed due date is a new key."""

    regel = models.CharField(_("regel"), max_length=40)
    stap = models.CharField(_("stap"), max_length=20)
    object_soort = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    vervaldatum = models.DateField(_("datum"))
    ontvanger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="herinneringen")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="herinneringen")
    notificatie = models.ForeignKey(Notificatie, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    aangemaakt_op = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        ordering = ["-aangemaakt_op"]
        constraints = [
            models.UniqueConstraint(
                fields=["regel", "stap", "object_soort", "object_id", "vervaldatum", "ontvanger"],
                name="herinnering_eenmaal",
            ),
        ]
        indexes = [models.Index(fields=["school", "-aangemaakt_op"])]

    def __str__(self):
        return f"{self.regel}/{self.stap} {self.object_soort}#{self.object_id} {self.vervaldatum} → {self.ontvanger_id}"


class Inzage(models.Model):
    """The inzagelog: one row per read of a pupil's dossier, plan, PDF or referral file."""

    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    gebruiker_naam = models.CharField(max_length=200)
    rol = models.CharField(_("rol"), max_length=100)
    leerling = models.ForeignKey("leerlingen.Leerling", on_delete=models.CASCADE, related_name="inzagen")
    onderdeel = models.CharField(_("onderdeel"), max_length=100)
    object_id = models.CharField(max_length=40, blank=True)
    op = models.DateTimeField(_("tijdstip"), default=timezone.now)

    class Meta:
        verbose_name = _("inzage")
        verbose_name_plural = _("inzagelog")
        ordering = ["-op"]
        indexes = [
            models.Index(fields=["leerling", "-op"]),
            # The whole log by time (tests/test_indexen.py, INDEXEN): the audit's "ingezien" lines, newest
            # first with the period filter (zorg/audit.py _inzagen: ORDER BY op DESC, id DESC LIMIT n), the
            # alarm scan of the last hour (zorg/alarmen.py _dossiers: op >= since) and the retention run
            # (zorg/bewaartermijnen.py: op < moment). Without it each was a scan of the whole log.
            models.Index(fields=["op", "id"], name="inzage_op_idx"),
        ]

    def __str__(self):
        return f"{self.op:%Y-%m-%d %H:%M} {self.gebruiker_naam} · {self.onderdeel}"


def vandaag():
    return timezone.localdate()


def schooljaar_naam(begin: datetime.date) -> str:
    return f"{begin.year}-{begin.year + 1}"


class Verwijdering(models.Model):
    """A tombstone: what the retention task removed, without saying about whom (only a keyed hash
    of the pupil's id, so a later request about the same pupil can be answered)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="verwijderingen")
    leerling_sleutel = models.CharField(max_length=64, db_index=True)
    categorie = models.CharField(_("categorie"), max_length=30)
    aantal = models.PositiveIntegerField(_("aantal"), default=0)
    verwijderd_op = models.DateTimeField(_("verwijderd op"), default=timezone.now)

    class Meta:
        verbose_name = _("verwijdering")
        verbose_name_plural = _("verwijderingen")
        ordering = ["-verwijderd_op"]

    def __str__(self):
        return f"{self.verwijderd_op:%Y-%m-%d} {self.categorie} {self.leerling_sleutel[:8]}"


class Bewaarronde(models.Model):
    """One run of the retention task for a school: a dry run (proef) or a real one, with its report."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="bewaarrondes")
    op = models.DateTimeField(_("tijdstip"), default=timezone.now)
    proef = models.BooleanField(_("proefrun"), default=True)
    rapport = models.JSONField(_("rapport"), default=dict)

    class Meta:
        verbose_name = _("bewaarronde")
        verbose_name_plural = _("bewaarrondes")
        ordering = ["-op"]
        get_latest_by = "op"

    def __str__(self):
        return f"{self.school} {self.op:%Y-%m-%d %H:%M} {'proef' if self.proef else 'echt'}"


class Weigering(models.Model):
    """A refused request by a logged-in user (403 or 404 on a page that needs a login): the raw
    material of the unusual-access alerts."""

    gebruiker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    pad = models.CharField(_("adres"), max_length=300)
    status = models.PositiveSmallIntegerField(_("status"))
    op = models.DateTimeField(_("tijdstip"), default=timezone.now)

    class Meta:
        verbose_name = _("geweigerde toegang")
        verbose_name_plural = _("geweigerde toegang")
        ordering = ["-op"]
        indexes = [
            models.Index(fields=["gebruiker", "-op"]),
            # By time alone: the alarm scan (zorg/alarmen.py: op >= since, grouped by user) and the audit's
            # "geweigerd" lines (zorg/audit.py _weigeringen: ORDER BY op DESC, id DESC LIMIT n).
            models.Index(fields=["op", "id"], name="weigering_op_idx"),
        ]

    def __str__(self):
        return f"{self.op:%Y-%m-%d %H:%M} {self.gebruiker_id} {self.status} {self.pad}"


class Alarm(models.Model):
    """An unusual-access alert about one user, for the zorgcoördinator and applicatiebeheerder."""

    class Soort(models.TextChoices):
        WEIGERINGEN = "weigeringen", _("veel geweigerde pogingen")
        VEEL_DOSSIERS = "veel_dossiers", _("veel dossiers in korte tijd")
        INLOGPOGINGEN = "inlogpogingen", _("herhaald mislukte inlogpogingen")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="alarmen")
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    gebruiker_naam = models.CharField(max_length=200)
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    omschrijving = models.CharField(_("omschrijving"), max_length=300)
    aantal = models.PositiveIntegerField(_("aantal"), default=0)
    op = models.DateTimeField(_("tijdstip"), default=timezone.now)
    afgehandeld_op = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    afgehandeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    toelichting = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("alarm")
        verbose_name_plural = _("alarmen")
        ordering = ["-op"]
        indexes = [models.Index(fields=["school", "-op"])]

    def __str__(self):
        return f"{self.op:%Y-%m-%d %H:%M} {self.get_soort_display()}: {self.gebruiker_naam}"


# --- Kwaliteitszorg (issue 10) ----------------------------------------------------------------


class Doelresultaat(models.TextChoices):
    """Whether a goal was reached: shared by handelingsplan goals and afspraken (arrangementen)."""

    ONBEKEND = "", _("nog niet geëvalueerd")
    BEHAALD = "behaald", _("behaald")
    DEELS = "deels", _("deels behaald")
    NIET = "niet", _("niet behaald")


def _domeinen():
    from leerlingen.models import Dossieritem

    return Dossieritem.Domein.choices


def _arrangementen():
    from besprekingen.models import Afspraak

    return Afspraak.Arrangement.choices


class Interventiesoort(models.Model):
    """A kind of intervention in the school's catalogue (verlengde instructie, RT, sova-training…).

    Groepsplan rows, handelingsplan goals, afspraken and dossier interventions point at one, so the
    school can see which kinds of intervention worked for which kinds of need without reading free
    text. `domein` is the need it usually addresses; `arrangement` links it to an afspraak's
    arrangement code (an afspraak without a catalogue choice counts under the matching kind)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="interventiesoorten")
    naam = models.CharField(_("naam"), max_length=100)
    domein = models.CharField(_("behoefte (domein)"), max_length=30, choices=_domeinen, blank=True)
    arrangement = models.CharField(_("arrangement"), max_length=20, choices=_arrangementen, blank=True)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    actief = models.BooleanField(_("actief"), default=True)
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("interventiesoort")
        verbose_name_plural = _("interventiesoorten")
        ordering = ["school", "volgorde", "naam"]
        constraints = [models.UniqueConstraint(fields=["school", "naam"], name="uniek_interventiesoort")]

    def __str__(self):
        return self.naam


class Jaarverslag(models.Model):
    """The school's yearly care report: figures are computed, the conclusions are written by the
    school. When it is vastgesteld, the figures are frozen in `cijfers`."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="jaarverslagen")
    schooljaar = models.OneToOneField(Schooljaar, on_delete=models.CASCADE, related_name="jaarverslag")
    conclusies = models.TextField(_("conclusies en voornemens"), blank=True)
    cijfers = models.JSONField(null=True, blank=True, editable=False)
    versie = models.PositiveIntegerField(default=1, editable=False)
    gewijzigd_op = models.DateTimeField(null=True, blank=True)
    gewijzigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    vastgesteld_op = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    vastgesteld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )

    class Meta:
        verbose_name = _("jaarverslag leerlingenzorg")
        verbose_name_plural = _("jaarverslagen leerlingenzorg")
        ordering = ["school", "-schooljaar__begin"]

    def __str__(self):
        return f"{self.school} {self.schooljaar}"


class Vragenlijst(models.Model):
    """A per-school editable questionnaire: the Checklist Zorgstructuur (seed 000, appendix 5) or the
    yearly evaluation of the zorgoverleg (ZAT/IZO, seed 003)."""

    class Soort(models.TextChoices):
        ZORGSTRUCTUUR = "zorgstructuur", _("checklist zorgstructuur")
        ZORGOVERLEG = "zorgoverleg", _("jaarlijkse evaluatie zorgoverleg (ZAT/IZO)")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="vragenlijsten")
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    naam = models.CharField(_("naam"), max_length=200)
    toelichting = models.TextField(_("toelichting voor de invullers"), blank=True)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vragenlijst")
        verbose_name_plural = _("vragenlijsten")
        ordering = ["school", "soort", "naam"]

    def __str__(self):
        return self.naam


class Rubriek(models.Model):
    """A category of a questionnaire (e.g. 'Schoolklimaat')."""

    vragenlijst = models.ForeignKey(Vragenlijst, on_delete=models.CASCADE, related_name="rubrieken")
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    naam = models.CharField(_("naam"), max_length=200)

    class Meta:
        verbose_name = _("rubriek")
        verbose_name_plural = _("rubrieken")
        ordering = ["vragenlijst", "volgorde", "pk"]

    def __str__(self):
        return self.naam


class Vraag(models.Model):
    """One item of a questionnaire. An item with answers is switched off, never deleted or reworded
    into another question, so earlier results keep their meaning."""

    rubriek = models.ForeignKey(Rubriek, on_delete=models.CASCADE, related_name="vragen")
    volgorde = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    tekst = models.CharField(_("vraag"), max_length=500)
    actief = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")
        ordering = ["rubriek", "volgorde", "pk"]

    def __str__(self):
        return self.tekst[:80]


class Zelfevaluatie(models.Model):
    """One round of a questionnaire, sent to staff by role in a schooljaar."""

    class Status(models.TextChoices):
        CONCEPT = "concept", _("concept")
        OPEN = "open", _("open voor invullen")
        GESLOTEN = "gesloten", _("gesloten")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="zelfevaluaties")
    vragenlijst = models.ForeignKey(Vragenlijst, on_delete=models.PROTECT, related_name="zelfevaluaties")
    schooljaar = models.ForeignKey(Schooljaar, on_delete=models.CASCADE, related_name="zelfevaluaties")
    titel = models.CharField(_("titel"), max_length=200)
    rollen = models.JSONField(_("voor wie"), default=list, blank=True)
    sluit_op = models.DateField(_("invullen tot en met"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT)
    verstuurd_op = models.DateTimeField(null=True, blank=True)
    gesloten_op = models.DateTimeField(null=True, blank=True)
    conclusie = models.TextField(_("sterke en zwakke punten"), blank=True)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    aangemaakt_op = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("zelfevaluatie")
        verbose_name_plural = _("zelfevaluaties")
        ordering = ["school", "-aangemaakt_op"]

    def __str__(self):
        return self.titel


class Respondent(models.Model):
    """A staff member asked to fill in a zelfevaluatie, with the role they answer in (the checklist's
    'Functie' header: management, zorgfunctie, mentor, docent)."""

    class Rol(models.TextChoices):
        MANAGEMENT = "management", _("management")
        ZORGFUNCTIE = "zorgfunctie", _("zorgfunctie")
        MENTOR = "mentor", _("mentor")
        DOCENT = "docent", _("docent")

    zelfevaluatie = models.ForeignKey(Zelfevaluatie, on_delete=models.CASCADE, related_name="respondenten")
    gebruiker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rol = models.CharField(_("functie"), max_length=20, choices=Rol.choices)
    opmerkingen = models.TextField(_("opmerkingen"), blank=True)
    ingediend_op = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    gewijzigd_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondenten")
        ordering = ["zelfevaluatie", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["zelfevaluatie", "gebruiker"], name="een_respondent_per_gebruiker"),
        ]

    def __str__(self):
        return f"{self.zelfevaluatie}: {self.gebruiker}"


class Antwoord(models.Model):
    """One answer on the checklist's scale: -- zwak, - meer zwak dan sterk, + meer sterk dan zwak,
    ++ sterk, ? weet ik niet (0: counted as answered, left out of the averages)."""

    class Score(models.IntegerChoices):
        WEET_NIET = 0, _("? weet ik niet")
        ZWAK = 1, _("-- zwak")
        MEER_ZWAK = 2, _("- meer zwak dan sterk")
        MEER_STERK = 3, _("+ meer sterk dan zwak")
        STERK = 4, _("++ sterk")

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="antwoorden")
    vraag = models.ForeignKey(Vraag, on_delete=models.PROTECT, related_name="antwoorden")
    score = models.PositiveSmallIntegerField(_("score"), choices=Score.choices)

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        constraints = [models.UniqueConstraint(fields=["respondent", "vraag"], name="een_antwoord_per_vraag")]

    def __str__(self):
        return f"{self.vraag_id}: {self.score}"


class Verbeterpunt(models.Model):
    """An improvement agreed after a zelfevaluatie (PDCA at school level): what, owner, due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        GEDAAN = "gedaan", _("gedaan")
        VERVALLEN = "vervallen", _("vervallen")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="verbeterpunten")
    zelfevaluatie = models.ForeignKey(
        Zelfevaluatie, on_delete=models.SET_NULL, null=True, blank=True, related_name="verbeterpunten",
    )
    rubriek = models.ForeignKey(
        Rubriek, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("rubriek"),
    )
    wat = models.TextField(_("wat gaan we verbeteren"))
    eigenaar = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="verbeterpunten",
        verbose_name=_("eigenaar"),
    )
    uiterlijk = models.DateField(_("uiterlijk op"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    afgehandeld_op = models.DateTimeField(null=True, blank=True)
    toelichting = models.TextField(_("toelichting bij afhandeling"), blank=True)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    aangemaakt_op = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("verbeterpunt")
        verbose_name_plural = _("verbeterpunten")
        ordering = ["uiterlijk", "pk"]
        indexes = [models.Index(fields=["school", "status", "uiterlijk"])]

    def __str__(self):
        return self.wat[:80]
