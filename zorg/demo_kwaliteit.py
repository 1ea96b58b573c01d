"""Demo data for kwaliteitszorg (issue 10), called at the end of zorg/demo.py's bouw_school.

Several schooljaren of evaluated care, typed by the school's intervention catalogue, so the effect
analysis shows real differences a zorgcoördinator can discuss:

- groepsplannen per klas and periode, with subgroepen (verlengde instructie, huiswerkbegeleiding…),
  evaluated (doel bereikt ja/deels/nee) at the groepsbespreking of every periode that has ended;
- handelingsplannen of the ended periodes (the current periode's come from demo.py), with two goals
  each, typed and evaluated, and the plan's besluit; the current plans' goals get a kind too;
- IZOs in earlier schooljaren with aanmeldingen (waiting times that shrink over the years) and
  arrangementen (afspraken) with a kind, care hours and a result; the current year's arrangementen
  from zorg/demo_besprekingen.py get a kind, hours and (when due) their evaluation;
- groepsbesprekingen held per klas and periode in earlier years (not quite all), referrals with a
  waiting time before the help started, escalations (Opschaling) a few months after failed care
  (often after sova-training);
- a jaarverslag for last schooljaar with written conclusions (not vastgesteld) and, for the demo
  school, a closed zelfevaluatie round of last year (with verbeterpunten) and an open one now.

Success rates differ by kind (RATES) and improve a little every year. Outcomes are drawn by quota
per kind, source and year (not by independent dice), so even a small school shows the intended
differences. Only bulk inserts; a fixed small number of queries per school and per table.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from besprekingen.models import Aanmelding, Afspraak, Agendapunt, Bespreking, Deelnemer
from besprekingen.services import GROEPSBESPREKING_PUNTEN
from extern.models import Instelling, Toestemming, Verwijzing
from leerlingen.models import Opschaling, OuderRelatie
from plannen.models import Doel, Groepsplan, GroepsplanRij, Handelingsplan

from .demo_besprekingen import GB_NOTITIES
from .interventies import maak_standaardcatalogus
from .models import Interventiesoort, Jaarverslag

D = datetime.timedelta
VI, PT, RT, DYS = "Verlengde instructie", "Pre-teaching", "Remedial teaching (RT)", "Dyslexiebegeleiding"
HW, PLAN, FRT, SOVA = ("Huiswerkbegeleiding", "Planning- en studievaardigheden", "Faalangstreductietraining",
                       "Sociale vaardigheidstraining (sova)")
COUNS, MENTOR, GEDRAG, AB = "Counseling", "Mentorgesprekken", "Gedragsafspraken / gedragskaart", "Ambulante begeleiding"
VERZUIM, PLUS, ANDERS = "Verzuimbegeleiding", "Verrijking / plusprogramma", "Anders"

# naam: (share behaald, share deels, weeks until the evaluation, care hours per week, chance of an
# escalation within months after a goal not (fully) reached). Rates are for last schooljaar; every year
# further back is IMPROVEMENT lower.
RATES = {
    VI: (0.70, 0.20, 6, 1.0, 0.05),
    PT: (0.66, 0.22, 6, 1.0, 0.05),
    RT: (0.45, 0.30, 10, 1.5, 0.15),
    DYS: (0.55, 0.30, 12, 1.0, 0.05),
    HW: (0.60, 0.25, 8, 2.0, 0.10),
    PLAN: (0.58, 0.25, 6, 0.5, 0.05),
    FRT: (0.55, 0.25, 20, 1.5, 0.10),
    SOVA: (0.35, 0.30, 10, 1.5, 0.55),
    COUNS: (0.50, 0.30, 12, 1.0, 0.20),
    MENTOR: (0.52, 0.28, 6, 0.5, 0.15),
    GEDRAG: (0.48, 0.27, 6, 0.5, 0.20),
    AB: (0.40, 0.35, 16, 1.0, 0.30),
    VERZUIM: (0.45, 0.30, 8, 0.5, 0.25),
    PLUS: (0.78, 0.15, 8, 1.0, 0.0),
    ANDERS: (0.50, 0.30, 8, 1.0, 0.10),
}
IMPROVEMENT = 0.04  # per schooljaar

# The dossier's interventions (zorg/demo.py INTERVENTIES) by the start of their "wat is er gedaan".
DOSSIER_SOORTEN = [
    ("Verlengde instructie", VI), ("Strategiekaart begrijpend lezen", VI), ("Vaste plek vooraan", PLAN),
    ("Gesprek met leerling en afspraken over planning", PLAN), ("Dagelijkse checklist", HW),
    ("Gesprek met de betrokken leerlingen", GEDRAG), ("Toetsen in een rustig lokaal", MENTOR),
    ("Dagelijks om 8.15", VERZUIM), ("Gesprek met teamleider en ouders", GEDRAG),
    ("RT: twee keer per week", RT), ("RT: wekelijks spelling", DYS), ("RT: rekenbegeleiding", RT),
    ("Faalangstreductietraining", FRT), ("Sociale vaardigheidstraining", SOVA), ("Gesprekken met de school", COUNS),
]


def dossier_soort(acties):
    """The catalogue name for one of the demo's dossier interventions (Anders if unknown)."""
    return next((naam for begin, naam in DOSSIER_SOORTEN if acties.startswith(begin)), ANDERS)


def rate(naam, jaren_geleden):
    """(behaald, deels) for a kind, `jaren_geleden` schooljaren before the current one (0 = now)."""
    behaald, deels, *_rest = RATES.get(naam, RATES[ANDERS])
    verschil = IMPROVEMENT * max(0, jaren_geleden - 1)  # the current year is as good as last year
    return max(0.05, behaald - verschil), deels


def effect_gewichten(naam, jaren_geleden):
    """Weights for Dossieritem.Effect goed, deels, beperkt, geen (the dossier builder draws one)."""
    behaald, deels = rate(naam, jaren_geleden)
    rest = max(0.0, 1 - behaald - deels)
    return [behaald, deels, rest * 0.6, rest * 0.4]


def schooljaar_van(datum):
    return datum.year if datum.month >= 8 else datum.year - 1


class Uitkomsten:
    """Results by quota: per (source, kind, year) the shares follow RATES closely even for few cases."""

    def __init__(self, rng):
        self.rng = rng
        self.teller = {}

    def trek(self, bron, naam, jaren_geleden):
        behaald, deels = rate(naam, jaren_geleden)
        acc = self.teller.setdefault((bron, naam, jaren_geleden), [self.rng.random(), self.rng.random()])
        acc[0] += behaald
        if acc[0] >= 1:
            acc[0] -= 1
            return "behaald"
        acc[1] += deels / max(0.01, 1 - behaald)
        if acc[1] >= 1:
            acc[1] -= 1
            return "deels"
        return "niet"


def _moment(datum, uur=14, minuut=0):
    return timezone.make_aware(datetime.datetime.combine(datum, datetime.time(uur, minuut)))


# --- texts ---------------------------------------------------------------------------------------

SUBGROEPEN = [  # (kind, weight, naam, doelen, aanpak, organisatie)
    (VI, 30, "Verlengde instructie begrijpend lezen",
     "Haalt bij de toets aan het eind van de periode minimaal een 6 voor begrijpend lezen.",
     "Verlengde instructie aan de instructietafel met de strategiekaart; eerst samen de kernvragen.",
     "Docent Nederlands, twee keer per week 15 minuten na de klassikale instructie."),
    (VI, 20, "Verlengde instructie rekenen",
     "Beheerst breuken en procenten: 80% goed op de eindtoets van de periode.",
     "Extra uitleg met concreet materiaal; oefenstof in kleine stappen.",
     "Docent wiskunde, twee keer per week aan de instructietafel."),
    (HW, 18, "Huiswerkbegeleiding",
     "Heeft in 5 van de 6 weken het huiswerk voor alle vakken af.",
     "Huiswerkbegeleiding op school; dagelijks de agenda samen nalopen.",
     "Dinsdag en donderdag het 8e uur in het studiecentrum."),
    (PLAN, 16, "Plannen en leren leren",
     "Maakt zelf een weekplanning en houdt die in de agenda bij (mentor controleert wekelijks).",
     "Planningsles en een vast planformat; mentor kijkt op maandag mee.",
     "Mentor, mentoruur op maandag."),
    (GEDRAG, 10, "Afspraken over gedrag in de les",
     "Werkt in 4 van de 5 lessen rustig door na de instructie; hooguit één time-out per week.",
     "Gedragskaart die elke docent aftekent; vaste plek; positieve bekrachtiging.",
     "Alle docenten; de mentor evalueert wekelijks de kaart."),
    (MENTOR, 10, "Welbevinden in de klas",
     "Voelt zich veilig in de klas (score 4 of 5 op de welbevindenmeting) en doet mee bij groepswerk.",
     "Korte wekelijkse check-in met de mentor; groepswerk in vaste, rustige groepjes.",
     "Mentor, wekelijks 10 minuten."),
    (PT, 6, "Pre-teaching nieuwe stof",
     "Kan bij de start van een nieuw hoofdstuk de kernbegrippen uitleggen.",
     "De nieuwe stof vooraf in een klein groepje doornemen.",
     "Docent, de les voor het nieuwe hoofdstuk, 20 minuten."),
    (PLUS, 2, "Verrijking voor snelle leerlingen",
     "Werkt na de basisstof zelfstandig aan een plusopdracht en presenteert die aan het eind van de periode.",
     "Compacten van de basisstof; plusopdrachten met een eigen planning.",
     "Docent, tijdens het zelfstandig werken."),
]
BASISGROEP = ("Volgt de klassikale instructie en werkt zelfstandig aan de basisstof.",
              "Directe instructie; zelfstandig werken met de taakkaart.", "Alle docenten, elke les.")
GP_EVALUATIE = {
    "ja": "Doel bereikt: de leerlingen doen het nu zelfstandig. Subgroep stopt; in de basisgroep blijven volgen.",
    "deels": "Deels bereikt: vooruitgang bij de meeste leerlingen, twee nog niet. Aanpak in de volgende periode "
             "voortzetten.",
    "nee": "Niet bereikt: weinig vooruitgang. Aanpak bijstellen; twee leerlingen besproken voor het intern zorgteam.",
}
DOELEN = {  # kind: goal of a handelingsplan
    VI: "Haalt voor het eind van de periode een voldoende voor de toetsen van het vak, met verlengde instructie.",
    RT: "Leest een tekst van niveau 1F en beantwoordt 4 van de 5 kernvragen goed (RT, twee keer per week).",
    DYS: "Gebruikt de voorleessoftware zelfstandig bij toetsen en maakt de toetsen in de toegestane tijd af.",
    HW: "Heeft in 5 van de 6 weken het huiswerk af; gaat twee keer per week naar de huiswerkbegeleiding.",
    PLAN: "Houdt een weekplanning bij en leert voor toetsen verspreid over minstens drie dagen.",
    FRT: "Maakt toetsen zonder te blokkeren en past de geleerde ontspanningsoefening zelf toe.",
    SOVA: "Werkt in groepjes mee zonder conflict en spreekt zelf een klasgenoot aan in de pauze.",
    COUNS: "Kan benoemen wat spanning geeft en met wie zij/hij erover praat; slaapt beter (eigen schaal 1–5).",
    MENTOR: "Geeft in het wekelijkse gesprek met de mentor zelf aan hoe het gaat en wat nodig is.",
    GEDRAG: "Gebruikt bij oplopende spanning de time-outkaart in plaats van weg te lopen; hooguit één incident "
            "per maand.",
    VERZUIM: "Is in de periode niet meer dan twee keer te laat en heeft geen ongeoorloofd verzuim.",
}
DOEL_GEWICHTEN = {VI: 18, RT: 12, DYS: 6, HW: 12, PLAN: 12, FRT: 9, SOVA: 8, COUNS: 8, MENTOR: 8, GEDRAG: 6,
                  VERZUIM: 5}
DOEL_TOELICHTING = {
    "behaald": "Doel behaald; besproken met leerling en ouders.",
    "deels": "Vooruitgang, maar nog niet stabiel; het doel loopt door.",
    "niet": "Niet behaald; de aanpak wordt bijgesteld of opgeschaald.",
}
ARRANGEMENTEN = [  # (kind, arrangement, weight, wat)
    (RT, Afspraak.Arrangement.RT, 24, "Remedial teaching begrijpend lezen, twee keer per week"),
    (DYS, Afspraak.Arrangement.DYSLEXIE, 10, "Dyslexiebegeleiding: spelling en het gebruik van voorleessoftware"),
    (FRT, Afspraak.Arrangement.FAALANGST, 18, "Faalangstreductietraining in een groepje (acht bijeenkomsten)"),
    (SOVA, Afspraak.Arrangement.SOVA, 18, "Sociale vaardigheidstraining in een klein groepje"),
    (COUNS, Afspraak.Arrangement.COUNSELING, 14, "Counselinggesprekken bij de schoolmaatschappelijk werker"),
    (HW, Afspraak.Arrangement.HUISWERK, 12, "Huiswerkbegeleiding op school, twee middagen per week"),
    (AB, Afspraak.Arrangement.AMBULANT, 3, "Ambulante begeleiding via het samenwerkingsverband"),
]
ARRANGEMENT_NOTITIE = {
    "behaald": "Afgerond; het doel is behaald. Geëvalueerd met leerling en ouders.",
    "deels": "Afgerond; er is vooruitgang, maar het doel is deels behaald. Vervolg in het handelingsplan.",
    "niet": "Afgerond zonder het beoogde resultaat; terug naar het IZO.",
}
IZO_NOTITIES = [
    "Mentor licht de hulpvraag toe; de interventies in de klas werken onvoldoende. Besloten tot een arrangement; "
    "evaluatie in het IZO na afloop.",
    "Besproken wat de leerling nodig heeft. Ouders zijn geïnformeerd en stemmen in met de aanpak.",
    "Vervolgbespreking: het handelingsplan is bijgesteld; de specialist neemt de begeleiding over.",
]
HULPVRAGEN = [
    "Haalt de toetsen niet en trekt zich terug; de aanpak in de klas werkt onvoldoende.",
    "Piekert veel en verzuimt; ouders maken zich zorgen.",
    "Conflicten met klasgenoten lopen op; de afspraken met de mentor helpen niet meer.",
    "Leest traag en haalt de hoofdzaak niet uit teksten, ook niet met de strategiekaart.",
]

JAARVERSLAG = """\
Het afgelopen schooljaar hebben we de interventies voor het eerst per soort geëvalueerd. Verlengde instructie \
en huiswerkbegeleiding in de groepsplannen werken goed: ruim twee derde van de subgroepen haalde het doel. \
Remedial teaching bleef achter (minder dan de helft behaald); de doelen waren vaak te breed geformuleerd en de \
begeleiding viel regelmatig uit door roosterproblemen. De faalangstreductietraining werkt, maar het effect is \
pas na twee periodes zichtbaar; we evalueren haar voortaan na een half jaar in plaats van na zes weken.

Zorgpunt is de sociale vaardigheidstraining: maar een derde van de leerlingen haalde het doel en een groot deel \
werd binnen enkele maanden opgeschaald naar het IZO of het ZAT. In het zorgteam is besproken dat de training te \
algemeen is voor de leerlingen die we aanmelden. De wachttijd tussen aanmelding en bespreking in het IZO is \
verder gedaald (mediaan rond tien dagen), en bijna alle groepsbesprekingen zijn gehouden; de wachttijd voor het \
jeugdteam is nog steeds lang.

Voornemens voor dit schooljaar: (1) de sova-training vervangen door een aanpak in de klas met begeleiding van de \
orthopedagoog, en na drie maanden opnieuw meten; (2) RT-doelen SMART formuleren en de RT-uren vastleggen in het \
rooster; (3) de evaluatie van handelingsplannen op tijd afronden — 15% was te laat. De zorgcoördinator bespreekt \
de cijfers in februari met de teamleiders.
"""


class KwaliteitBouwer:
    def __init__(self, school, jaren, vandaag, leerlingen, per_klas, klassen_per_jaar, klassen_info, staf,
                 niveaus, historie):
        self.school, self.jaren, self.vandaag = school, jaren, vandaag
        self.leerlingen, self.per_klas = leerlingen, per_klas
        self.klassen_per_jaar, self.klassen_info, self.staf = klassen_per_jaar, klassen_info, staf
        self.niveaus, self.historie = niveaus, historie
        self.rng = random.Random(f"{school.code}-kwaliteit")
        self.uitkomsten = Uitkomsten(self.rng)
        maak_standaardcatalogus(school)
        self.soort = {s.naam: s for s in Interventiesoort.objects.filter(school=school)}
        self.opschalingen = []
        self.huidig = jaren[-1]
        self.perioden = {jaar.pk: list(jaar.perioden.order_by("nummer")) for jaar in jaren}

    def jaren_geleden(self, jaar):
        return self.huidig.begin.year - jaar.begin.year

    def maak(self, model, objecten, batch_size=2000):
        if self.historie:
            return bulk_create_with_history(objecten, model, batch_size=batch_size)
        return model.objects.bulk_create(objecten, batch_size=batch_size)

    def klas_leerlingen(self, k):
        return self.leerlingen[k * self.per_klas:(k + 1) * self.per_klas]

    def niveau_index(self, leerling):
        return self.niveaus.index(leerling.zorgniveau) if leerling.zorgniveau in self.niveaus else 0

    def opschalen(self, leerling, na, naam, hulpvraag):
        """An escalation a few months after care that fell short (sova often), if it lies in the past."""
        *_r, kans = RATES.get(naam, RATES[ANDERS])
        if len(self.niveaus) < 2 or self.rng.random() >= kans:
            return
        aangevraagd = na + D(days=self.rng.randint(14, 100))
        if aangevraagd + D(days=7) >= self.vandaag:
            return
        i = max(1, self.niveau_index(leerling))
        self.opschalingen.append(Opschaling(
            leerling=leerling, van_niveau=self.niveaus[i - 1], naar_niveau=self.niveaus[i],
            hulpvraag=hulpvraag, geschiedenis=f"{naam}: doel niet (volledig) behaald.",
            aangevraagd_door=self.staf.zc, aangevraagd_op=_moment(aangevraagd, 11),
            status=Opschaling.Status.TOEGEKEND, besloten_door=self.staf.zc,
            besloten_op=_moment(aangevraagd + D(days=7), 15), case_manager=self.staf.zc,
            reden="Onvoldoende effect van de interventie; besproken in het IZO.",
        ))

    # --- groepsplannen and groepsbesprekingen ------------------------------------------------------

    def groepsplannen(self):
        rng = self.rng
        plannen, rijen, besprekingen, punten, deelnemers = [], [], [], [], []
        huidige_periode = self.huidig.periode_op(self.vandaag)
        # The running periode's groepsbesprekingen already held (zorg/demo_besprekingen.py) evaluated their plan.
        al_besproken = {
            klas_id: timezone.localtime(begin).date()
            for klas_id, begin in Bespreking.objects.filter(
                school=self.school, soort=Bespreking.Soort.GROEPSBESPREKING, status=Bespreking.Status.GEHOUDEN,
                periode=huidige_periode,
            ).values_list("klas_id", "begin")
        }
        for jaar in self.jaren:
            jg = self.jaren_geleden(jaar)
            for periode in self.perioden[jaar.pk]:
                if periode.begin > self.vandaag:
                    continue
                afgelopen = periode.einde < self.vandaag
                for k, klas in enumerate(self.klassen_per_jaar[jaar.pk]):
                    info = self.klassen_info[k]
                    gb = (periode.groepsbespreking_op or periode.einde) - D(days=3 + k % 8)
                    # Earlier years: not every klas held its groepsbespreking (fewer misses every year).
                    gehouden = afgelopen and rng.random() < 0.97 - 0.04 * jg
                    besproken_op = al_besproken.get(klas.pk) if periode == huidige_periode else None
                    geevalueerd = afgelopen or besproken_op is not None
                    gb = besproken_op or gb
                    if gehouden and periode != huidige_periode:
                        b = Bespreking(
                            school=self.school, soort=Bespreking.Soort.GROEPSBESPREKING, begin=_moment(gb, 15, 30),
                            voorzitter=info.mentor, klas=klas, periode=periode, aangemaakt_door=info.mentor,
                            status=Bespreking.Status.GEHOUDEN, locatie="Lokaal van de mentor",
                            uitgenodigd_op=_moment(gb - D(days=7), 9), verslag_vastgesteld_op=_moment(gb, 17),
                            verslag_vastgesteld_door=info.mentor,
                            samenvatting="Groepsplan geëvalueerd; nieuwe subgroepen afgesproken.",
                        )
                        besprekingen.append(b)
                        deelnemers.append((b, [info.mentor, info.teamleider,
                                               *[d for d, _v in info.docenten[:3]]]))
                        punten += [Agendapunt(bespreking=b, volgorde=n, nummer=n, titel=str(titel),
                                              notities=GB_NOTITIES[n]) for n, titel, _v in GROEPSBESPREKING_PUNTEN]
                    gp = Groepsplan(
                        klas=klas, periode=periode, auteur=info.mentor,
                        differentiatie=Groepsplan.Differentiatie.CONVERGENT,
                        status=Groepsplan.Status.GEEVALUEERD if geevalueerd else Groepsplan.Status.LOPEND,
                    )
                    plannen.append(gp)
                    klasgenoten = self.klas_leerlingen(k)
                    rijen.append((GroepsplanRij(groepsplan=gp, volgorde=0, rijsoort=GroepsplanRij.Rijsoort.BASISGROEP,
                                                naam="Basisgroep", doelen=BASISGROEP[0], aanpak=BASISGROEP[1],
                                                organisatie=BASISGROEP[2]), []))
                    gekozen = []
                    while len(gekozen) < min(2 + (k + periode.nummer) % 2, len(SUBGROEPEN)):
                        keuze = rng.choices(SUBGROEPEN, weights=[s[1] for s in SUBGROEPEN])[0]
                        if keuze not in gekozen:
                            gekozen.append(keuze)
                    for v, (naam, _w, titel, doelen, aanpak, organisatie) in enumerate(gekozen, start=1):
                        rij = GroepsplanRij(
                            groepsplan=gp, volgorde=v, rijsoort=GroepsplanRij.Rijsoort.SUBGROEP, naam=titel,
                            doelen=doelen, aanpak=aanpak, organisatie=organisatie, interventie=self.soort.get(naam),
                            evaluatie="Mentor en docenten, in de groepsbespreking aan het eind van de periode.",
                        )
                        if geevalueerd:
                            uitkomst = self.uitkomsten.trek("groepsplan", naam, jg)
                            oordeel = {"behaald": "ja", "deels": "deels", "niet": "nee"}[uitkomst]
                            rij.doel_bereikt = rij.aanpak_effectief = oordeel
                            rij.vervolg = {"ja": "stoppen", "deels": "doorgaan", "nee": "bijstellen"}[oordeel]
                            rij.evaluatie_toelichting = GP_EVALUATIE[oordeel]
                            rij.geevalueerd_op = min(gb, self.vandaag)
                        groep = rng.sample(klasgenoten, min(len(klasgenoten), rng.randint(3, 5)))
                        rijen.append((rij, groep))
                        if geevalueerd and rij.doel_bereikt == "nee":
                            for lln in groep[:1]:
                                if self.niveau_index(lln) >= 1:
                                    self.opschalen(lln, gb, naam, f"{titel}: doel niet bereikt in de subgroep.")
        self.maak(Groepsplan, plannen)
        for rij, _groep in rijen:
            rij.groepsplan_id = rij.groepsplan.pk
        self.maak(GroepsplanRij, [rij for rij, _g in rijen], batch_size=5000)
        GroepsplanRij.leerlingen.through.objects.bulk_create(
            [GroepsplanRij.leerlingen.through(groepsplanrij_id=rij.pk, leerling_id=lln.pk)
             for rij, groep in rijen for lln in groep], batch_size=10000,
        )
        self.maak(Bespreking, besprekingen)
        Deelnemer.objects.bulk_create(
            [Deelnemer(bespreking=b, gebruiker=u, aanwezig=True, uitgenodigd_op=b.uitgenodigd_op)
             for b, wie in deelnemers for u in {u.pk: u for u in wie}.values()], batch_size=10000,
        )
        for punt in punten:
            punt.bespreking_id = punt.bespreking.pk
        self.maak(Agendapunt, punten, batch_size=5000)

    # --- handelingsplannen -------------------------------------------------------------------------

    def handelingsplannen(self):
        rng = self.rng
        huidige_periode = self.huidig.periode_op(timezone.localdate())  # demo.py's plans are for this one
        namen, gewichten = list(DOEL_GEWICHTEN), list(DOEL_GEWICHTEN.values())
        plannen, doelen = [], []
        for jaar in self.jaren:
            jg = self.jaren_geleden(jaar)
            for periode in self.perioden[jaar.pk]:
                if periode.einde >= self.vandaag or (huidige_periode and periode.pk == huidige_periode.pk):
                    continue
                for k in range(len(self.klassen_per_jaar[jaar.pk])):
                    mentor = self.klassen_info[k].mentor
                    for lln in self.klas_leerlingen(k):
                        if self.niveau_index(lln) < 1 or rng.random() > 0.75:
                            continue
                        soorten = rng.sample(namen, 2, counts=gewichten)
                        if soorten[0] == soorten[1]:
                            soorten = soorten[:1]
                        uitkomsten = [self.uitkomsten.trek("doel", s, jg) for s in soorten]
                        # A faalangst training runs over two periodes: the plan started a periode earlier.
                        start = periode.begin - D(days=rng.randint(70, 110)) if FRT in soorten else periode.begin
                        evaluatiedatum = periode.einde - D(days=7)
                        if rng.random() < 0.08 + 0.04 * jg:  # evaluated late (less often every year)
                            geevalueerd = evaluatiedatum + D(days=rng.randint(9, 30))
                        else:
                            geevalueerd = evaluatiedatum + D(days=rng.randint(-7, 6))
                        geevalueerd = min(geevalueerd, self.vandaag)
                        if all(u == "behaald" for u in uitkomsten):
                            besluit = Handelingsplan.Besluit.STOPPEN
                        elif "niet" in uitkomsten and self.niveau_index(lln) >= 2 and rng.random() < 0.3:
                            besluit = Handelingsplan.Besluit.OPSCHALEN
                        elif "niet" in uitkomsten:
                            besluit = Handelingsplan.Besluit.BIJSTELLEN
                        else:
                            besluit = Handelingsplan.Besluit.VOORTZETTEN
                        afgesloten = besluit == Handelingsplan.Besluit.STOPPEN
                        plan = Handelingsplan(
                            leerling=lln, auteur=mentor, periode=periode, start=start, evaluatiedatum=evaluatiedatum,
                            status=Handelingsplan.Status.AFGESLOTEN if afgesloten
                            else Handelingsplan.Status.GEEVALUEERD,
                            vastgesteld_op=_moment(start + D(days=10), 12),
                            geevalueerd_op=_moment(geevalueerd, 16),
                            afgesloten_op=_moment(geevalueerd, 16) if afgesloten else None,
                            besluit=besluit, beginsituatie="Valt op in de groepsbespreking; de aanpak in de klas "
                            "is niet genoeg.",
                            onderwijsbehoeften="Heeft korte instructie, een vaste plek en duidelijke afspraken nodig.",
                            aanpak="Zie de doelen; wekelijks kort gesprek met de mentor.",
                            evaluatie_afspraken="Mentor evalueert met leerling en ouders aan het einde van de periode.",
                            evaluatie_toelichting={
                                "stoppen": "Alle doelen behaald; het plan wordt afgesloten.",
                                "voortzetten": "Vooruitgang; het plan loopt de volgende periode door.",
                                "bijstellen": "Een doel is niet behaald; de aanpak wordt bijgesteld.",
                                "opschalen": "Onvoldoende effect; aangemeld voor het volgende zorgniveau.",
                            }[besluit],
                        )
                        plannen.append(plan)
                        for i, (soort, uitkomst) in enumerate(zip(soorten, uitkomsten, strict=True)):
                            doelen.append(Doel(handelingsplan=plan, volgorde=i, doel=DOELEN[soort],
                                               interventie=self.soort.get(soort), resultaat=uitkomst,
                                               toelichting=DOEL_TOELICHTING[uitkomst]))
                            if uitkomst != "behaald":
                                self.opschalen(lln, geevalueerd, soort, f"{DOELEN[soort]} Niet behaald.")
        self.maak(Handelingsplan, plannen, batch_size=2000)
        for doel in doelen:
            doel.handelingsplan_id = doel.handelingsplan.pk
        self.maak(Doel, doelen, batch_size=5000)
        # The current periode's plans (demo.py): goals get a kind, not evaluated yet.
        if huidige_periode is not None:
            lopend = Doel.objects.filter(handelingsplan__periode=huidige_periode, interventie=None)
            lopend.filter(volgorde=0).update(interventie=self.soort.get(PLAN))
            lopend.filter(volgorde=1).update(interventie=self.soort.get(VI))

    # --- IZOs, aanmeldingen and arrangementen ---------------------------------------------------------

    def arrangementen(self):
        rng, staf, zc = self.rng, self.staf, self.staf.zc
        spec = list(staf.specialisten.values()) or [zc]
        zorgteam = [zc, *staf.specialisten.values()]
        besprekingen, deelnemers, aanmeldingen, punten, afspraken = [], [], [], [], []
        kandidaten = [lln for lln in self.leerlingen if self.niveau_index(lln) >= 1]
        kandidaten.sort(key=lambda lln: -self.niveau_index(lln))
        if not kandidaten:
            return
        beurt = 0
        gewichten = [a[2] for a in ARRANGEMENTEN]
        mentor_van = {lln.pk: self.klassen_info[i // self.per_klas].mentor for i, lln in enumerate(self.leerlingen)}
        for jaar in self.jaren[:-1]:  # the current year's IZOs come from zorg/demo_besprekingen.py
            jg = self.jaren_geleden(jaar)
            d = jaar.begin + D(days=45)
            d -= D(days=d.weekday() - 3)  # Thursdays, every two weeks
            i = 0
            while d < jaar.einde - D(days=30) and d < self.vandaag:
                if d.month in (12, 1) and d.day > 20 or (d.month == 1 and d.day < 6):
                    d += D(days=14)
                    continue
                b = Bespreking(
                    school=self.school, soort=Bespreking.Soort.IZO, begin=_moment(d, 14), voorzitter=zc,
                    aangemaakt_door=zc, status=Bespreking.Status.GEHOUDEN, locatie="Kamer zorgcoördinator",
                    uitgenodigd_op=_moment(d - D(days=7), 9), verslag_vastgesteld_op=_moment(d, 17),
                    verslag_vastgesteld_door=zc,
                )
                besprekingen.append(b)
                deelnemers.append((b, zorgteam))
                for j in range(2 + i % 2):
                    lln = kandidaten[beurt % len(kandidaten)]
                    beurt += 1
                    wacht = rng.randint(6, 20) + 5 * jg  # waiting for the IZO: shorter every year
                    mentor = mentor_van[lln.pk]
                    aanmelding = Aanmelding(
                        school=self.school, leerling=lln, soort="izo", hulpvraag=HULPVRAGEN[beurt % len(HULPVRAGEN)],
                        ouders_geinformeerd=True, status=Aanmelding.Status.AFGEROND, aangemeld_door=mentor,
                        aangemeld_op=_moment(d - D(days=wacht), 10),
                    )
                    aanmeldingen.append(aanmelding)
                    punt = Agendapunt(
                        bespreking=b, volgorde=j + 1, leerling=lln, aanmelding=aanmelding, besproken=True,
                        notities=IZO_NOTITIES[(i + j) % len(IZO_NOTITIES)], case_manager=zc,
                        vervolgdatum=d + D(weeks=self.school.evaluatie_weken), gewijzigd_door=zc,
                    )
                    punten.append(punt)
                    naam, code, _w, wat = rng.choices(ARRANGEMENTEN, weights=gewichten)[0]
                    _b, _d, weken, uren, _k = RATES[naam]
                    weken = max(4, weken + rng.randint(-2, 3))
                    klaar = d + D(weeks=weken)
                    if klaar >= self.vandaag:
                        continue
                    uitkomst = self.uitkomsten.trek("afspraak", naam, jg)
                    eigenaar = spec[beurt % len(spec)]
                    afspraken.append(Afspraak(
                        school=self.school, bespreking=b, agendapunt=punt, leerling=lln,
                        soort=Afspraak.Soort.ARRANGEMENT, arrangement=code, wat=wat, eigenaar=eigenaar,
                        uiterlijk=klaar, status=Afspraak.Status.GEDAAN, afgehandeld_op=_moment(klaar, 16),
                        afgehandeld_door=eigenaar, notitie=ARRANGEMENT_NOTITIE[uitkomst], aangemaakt_door=zc,
                        aangemaakt_op=_moment(d, 15), interventie=self.soort.get(naam), resultaat=uitkomst,
                        geevalueerd_op=klaar, zorguren=Decimal(str(round(weken * uren * rng.uniform(0.8, 1.0), 1))),
                    ))
                    if uitkomst != "behaald":
                        self.opschalen(lln, klaar, naam, f"{wat}: doel niet behaald.")
                d += D(days=14)
                i += 1
        self.maak(Bespreking, besprekingen)
        Deelnemer.objects.bulk_create(
            [Deelnemer(bespreking=b, gebruiker=u, aanwezig=True, uitgenodigd_op=b.uitgenodigd_op)
             for b, wie in deelnemers for u in {u.pk: u for u in wie}.values()], batch_size=5000,
        )
        self.maak(Aanmelding, aanmeldingen)
        for punt in punten:
            punt.bespreking_id, punt.aanmelding_id = punt.bespreking.pk, punt.aanmelding.pk
        self.maak(Agendapunt, punten)
        for a in afspraken:
            a.bespreking_id, a.agendapunt_id = a.bespreking.pk, a.agendapunt.pk
        self.maak(Afspraak, afspraken)
        self._huidige_arrangementen()

    def _huidige_arrangementen(self):
        """zorg/demo_besprekingen.py's arrangementen this year: a kind, hours, and the evaluation when due."""
        per_code = {code: naam for naam, code, _w, _wat in ARRANGEMENTEN}
        bijwerken = []
        for a in (Afspraak.objects.filter(school=self.school, soort=Afspraak.Soort.ARRANGEMENT, interventie=None)
                  .order_by("pk")):
            naam = per_code.get(a.arrangement, ANDERS)
            _b, _d, weken, uren, _k = RATES[naam]
            a.interventie = self.soort.get(naam)
            begin = a.aangemaakt_op.date()
            klaar = begin + D(weeks=weken)
            if klaar < self.vandaag:
                a.resultaat = self.uitkomsten.trek("afspraak", naam, 0)
                a.geevalueerd_op = klaar
                a.zorguren = Decimal(str(weken * uren))
                a.status = Afspraak.Status.GEDAAN
                a.afgehandeld_op = a.afgehandeld_op or _moment(klaar, 16)
                a.afgehandeld_door = a.afgehandeld_door or a.eigenaar
            else:
                a.zorguren = Decimal(str(round(max(1, (self.vandaag - begin).days // 7) * uren, 1)))
            bijwerken.append(a)
        Afspraak.objects.bulk_update(bijwerken, ["interventie", "resultaat", "geevalueerd_op", "zorguren", "status",
                                                 "afgehandeld_op", "afgehandeld_door"], batch_size=500)

    # --- referrals with a waiting time ---------------------------------------------------------------

    def verwijzingen(self):
        jeugdteam = (Instelling.objects.filter(school=self.school, soort=Instelling.Soort.JEUGDZORG)
                     .order_by("pk").first())
        if jeugdteam is None:
            return
        gezag = {}
        for leerling_id, ouder_id in (OuderRelatie.objects.filter(leerling__school=self.school, gezag=True)
                                      .order_by("leerling_id", "ouder_id").values_list("leerling_id", "ouder_id")):
            gezag.setdefault(leerling_id, ouder_id)
        extern = [lln for lln in self.leerlingen if self.niveau_index(lln) >= 2 and lln.pk in gezag]
        extern = extern or [lln for lln in self.leerlingen if lln.pk in gezag]
        if not extern:
            return
        zc = self.staf.zc
        toestemmingen, verwijzingen = [], []
        for n, jaar in enumerate(self.jaren[:-1]):
            jg = self.jaren_geleden(jaar)
            for j, maand in enumerate((10, 11, 1, 2, 3, 4)):
                lln = extern[(n * 6 + j) % len(extern)]
                a = datetime.date(jaar.begin.year + (maand < 8), maand, 6 + 3 * j)
                wacht = 21 + 7 * jg + 6 * (j % 4)  # the jeugdteam's waiting list, slowly shorter
                t = Toestemming(
                    leerling=lln, doel=Toestemming.Doel.VERWIJZING, instelling=jeugdteam, ouder_id=gezag[lln.pk],
                    status=Toestemming.Status.GEGEVEN, datum=a - D(days=4), geldig_tot=a + D(days=361),
                    aangevraagd_door=zc, aangevraagd_op=_moment(a - D(days=10), 9),
                    beslist_op=_moment(a - D(days=4), 11),
                    vastgelegd_door=zc,
                )
                toestemmingen.append(t)
                verwijzingen.append(Verwijzing(
                    school=self.school, leerling=lln, instelling=jeugdteam, toestemming=t,
                    reden="Uit het ZAT: problemen op school en thuis hangen samen; gezinsbegeleiding nodig.",
                    status=Verwijzing.Status.AFGESLOTEN, aangemeld_op=a, bevestigd_op=a + D(days=7),
                    wachtlijst_op=a + D(days=7), gestart_op=a + D(days=wacht),
                    afgesloten_op=a + D(days=wacht + 120), aangemaakt_door=zc,
                    nazorg="Hulp afgerond; de mentor let op signalen en meldt nieuwe zorgen.",
                ))
        verwijzingen = [v for v in verwijzingen if v.afgesloten_op < self.vandaag]
        toestemmingen = [v.toestemming for v in verwijzingen]
        self.maak(Toestemming, toestemmingen)
        for v in verwijzingen:
            v.toestemming_id = v.toestemming.pk
        self.maak(Verwijzing, verwijzingen)

    # --- escalations, jaarverslag -----------------------------------------------------------------

    def opslaan_opschalingen(self):
        tijden = [o.aangevraagd_op for o in self.opschalingen]
        self.maak(Opschaling, self.opschalingen)
        for o, t in zip(self.opschalingen, tijden, strict=True):
            o.aangevraagd_op = t  # auto_now_add set it to the build time
        Opschaling.objects.bulk_update(self.opschalingen, ["aangevraagd_op"], batch_size=1000)

    def jaarverslag(self):
        if len(self.jaren) < 2:
            return
        Jaarverslag.objects.create(
            school=self.school, schooljaar=self.jaren[-2], conclusies=JAARVERSLAG,
            gewijzigd_op=_moment(self.huidig.begin + D(days=60), 16), gewijzigd_door=self.staf.zc,
        )


# --- zelfevaluatie (the demo school only) -----------------------------------------------------------

STERK = {"Schoolklimaat": 0.9, "De mentor": 1.0, "Zorgteam": 0.8, "Veiligheidsbeleid": 0.6, "Zorgpartners": 0.5}
ZWAK = {"Handelingsplannen": -1.2, "Adaptief onderwijs": -1.0, "Ouderbetrokkenheid": -0.8, "Eigen voortgang": -0.6,
        "Afstemming met naastliggende onderwijstypen": -0.5}
ROL_VERSCHIL = {"management": 0.35, "zorgfunctie": 0.15, "mentor": 0.0, "docent": -0.25}
ROL_AANTAL = {"management": 3, "zorgfunctie": 4, "mentor": 7, "docent": 7}
ZELFEVALUATIE_CONCLUSIE = """\
Sterk: het schoolklimaat, de rol van de mentor en het zorgteam; alle functies zijn daar positief over. \
Zwak: handelingsplannen (doelen niet SMART, evaluatie vaak te laat), adaptief onderwijs in de les en de \
betrokkenheid van ouders bij de plannen. Docenten weten veel onderdelen van de zorgstructuur niet ('?'); \
de informatie over het zorgteam moet beter bij hen terechtkomen. Management is positiever dan docenten."""
VERBETERPUNTEN = [  # (rubriek, wat, owner key, months after the closing of the round)
    ("Handelingsplannen", "Alle handelingsplannen krijgen SMART-doelen; de zorgcoördinator geeft in oktober een "
     "workshop voor mentoren en controleert steekproefsgewijs.", "zc", 4),
    ("Adaptief onderwijs", "In elke sectie twee lesbezoeken per jaar met de kijkwijzer 'differentiëren in de les'; "
     "bespreken in de sectievergadering.", "teamleider", 8),
    ("Ouderbetrokkenheid", "Ouders worden bij elk handelingsplan om hun inbreng gevraagd vóór het vaststellen; "
     "de mentor legt dit vast in het plan.", "specialist", 6),
]


def bouw_zelfevaluaties(school, jaren, vandaag, staf):
    """A closed round of the Checklist Zorgstructuur last schooljaar (about 20 respondents of mixed roles,
    clear strong and weak rubrieken, three verbeterpunten) and an open round now, sent to the staff
    including the demo logins (they can fill it in)."""
    from .models import Antwoord, Gebruiker, Respondent, Verbeterpunt, Vraag, Zelfevaluatie
    from .zelfevaluatie import medewerkers_per_rol, standaard_vragenlijst

    rng = random.Random(f"{school.code}-zelfevaluatie")
    lijst = standaard_vragenlijst(school, "zorgstructuur")
    vragen = list(Vraag.objects.filter(rubriek__vragenlijst=lijst, actief=True).select_related("rubriek")
                  .order_by("rubriek__volgorde", "volgorde"))
    rollen = ["management", "zorgfunctie", "mentor", "docent"]
    demo = {u.username: u for u in Gebruiker.objects.filter(username__in=["mentor", "docent"])}
    zc = staf.zc
    respondenten, antwoorden = [], []

    if len(jaren) >= 2:
        vorig = jaren[-2]
        gesloten = datetime.date(vorig.begin.year + 1, 5, 31)
        ronde = Zelfevaluatie.objects.create(
            school=school, vragenlijst=lijst, schooljaar=vorig, titel=f"Checklist zorgstructuur {vorig.naam}",
            rollen=rollen, sluit_op=gesloten - D(days=1), status=Zelfevaluatie.Status.GESLOTEN,
            verstuurd_op=_moment(gesloten - D(days=28), 9), gesloten_op=_moment(gesloten, 9),
            conclusie=ZELFEVALUATIE_CONCLUSIE, aangemaakt_door=zc, aangemaakt_op=_moment(gesloten - D(days=30), 9),
        )
        per_rol = {}
        for uid, rol in sorted(medewerkers_per_rol(vorig).items()):
            per_rol.setdefault(str(rol), []).append(uid)
        for rol in rollen:
            kandidaten = per_rol.get(rol, [])
            for uid in rng.sample(kandidaten, min(ROL_AANTAL[rol], len(kandidaten))):
                r = Respondent(zelfevaluatie=ronde, gebruiker_id=uid, rol=rol)
                ingevuld = rng.random() < 0.9
                if ingevuld:
                    r.ingediend_op = r.gewijzigd_op = _moment(gesloten - D(days=rng.randint(2, 25)), 20)
                respondenten.append((r, ingevuld))
        Respondent.objects.bulk_create([r for r, _i in respondenten])
        for r, ingevuld in respondenten:
            if not ingevuld:
                continue
            for vraag in vragen:
                naam = vraag.rubriek.naam
                weet_niet = 0.25 if r.rol == "docent" and naam in ("Zorgteam", "Zorgpartners", "Beleid zorgstructuur",
                                                                   "Externe ondersteuning") else 0.04
                if rng.random() < weet_niet:
                    score = 0
                else:
                    gemiddeld = 2.6 + STERK.get(naam, 0) + ZWAK.get(naam, 0) + ROL_VERSCHIL[r.rol]
                    score = min(4, max(1, round(rng.gauss(gemiddeld, 0.6))))
                antwoorden.append(Antwoord(respondent=r, vraag=vraag, score=score))
        Antwoord.objects.bulk_create(antwoorden, batch_size=5000)
        rubrieken = {rb.naam: rb for rb in lijst.rubrieken.all()}
        eigenaren = {"zc": zc, "teamleider": next(iter(staf.teamleiders.values()), zc),
                     "specialist": next(iter(staf.specialisten.values()), zc)}
        Verbeterpunt.objects.bulk_create([
            Verbeterpunt(
                school=school, zelfevaluatie=ronde, rubriek=rubrieken.get(rubriek), wat=wat, eigenaar=eigenaren[wie],
                uiterlijk=gesloten + D(days=30 * maanden), aangemaakt_door=zc, aangemaakt_op=_moment(gesloten, 11),
                status=Verbeterpunt.Status.GEDAAN if gesloten + D(days=30 * maanden) < vandaag and wie == "zc"
                else Verbeterpunt.Status.OPEN,
                afgehandeld_op=_moment(gesloten + D(days=30 * maanden - 5), 16)
                if gesloten + D(days=30 * maanden) < vandaag and wie == "zc" else None,
                toelichting="Workshop gegeven; 18 van de 24 plannen hadden daarna SMART-doelen."
                if gesloten + D(days=30 * maanden) < vandaag and wie == "zc" else "",
            )
            for rubriek, wat, wie, maanden in VERBETERPUNTEN
        ])

    # The open round of this year: everyone in the roles is asked; a few colleagues have already answered.
    huidig = jaren[-1]
    ronde = Zelfevaluatie.objects.create(
        school=school, vragenlijst=lijst, schooljaar=huidig, titel=f"Checklist zorgstructuur {huidig.naam}",
        rollen=rollen, sluit_op=vandaag + D(days=21), status=Zelfevaluatie.Status.OPEN,
        verstuurd_op=_moment(vandaag - D(days=5), 9), aangemaakt_door=zc, aangemaakt_op=_moment(vandaag - D(days=6), 9),
    )
    demo_ids = {u.pk for u in demo.values()} | {zc.pk, staf.directie.pk, *[u.pk for u in staf.teamleiders.values()],
                                                  *[u.pk for u in staf.specialisten.values()]}
    nieuw = [Respondent(zelfevaluatie=ronde, gebruiker_id=uid, rol=rol)
             for uid, rol in sorted(medewerkers_per_rol(huidig).items()) if str(rol) in rollen]
    klaar = [r for r in nieuw if r.gebruiker_id not in demo_ids and rng.random() < 0.2]
    for r in klaar:
        r.ingediend_op = r.gewijzigd_op = _moment(vandaag - D(days=rng.randint(1, 4)), 20)
    Respondent.objects.bulk_create(nieuw)
    Antwoord.objects.bulk_create([
        Antwoord(respondent=r, vraag=vraag, score=min(4, max(1, round(rng.gauss(
            2.8 + STERK.get(vraag.rubriek.naam, 0) + 0.6 * ZWAK.get(vraag.rubriek.naam, 0) + ROL_VERSCHIL[r.rol],
            0.6)))))
        for r in klaar for vraag in vragen
    ], batch_size=5000)


def bouw_kwaliteit(school, jaren, vandaag, leerlingen, per_klas, klassen_per_jaar, klassen_info, staf, niveaus,
                   historie=True, zelfevaluatie=False):
    """Add the kwaliteitszorg demo data to one school (see the module docstring)."""
    bouwer = KwaliteitBouwer(school, jaren, vandaag, leerlingen, per_klas, klassen_per_jaar, klassen_info, staf,
                             niveaus, historie)
    bouwer.groepsplannen()
    bouwer.handelingsplannen()
    bouwer.arrangementen()
    bouwer.verwijzingen()
    bouwer.opslaan_opschalingen()
    bouwer.jaarverslag()
    if zelfevaluatie:
        bouw_zelfevaluaties(school, jaren, vandaag, staf)
