"""The demo school builder: one module for `make run`, the tests and the benchmarks.

Deterministic (seeded): the same arguments give the same school. Sizes are parameters so
benchmarks can build a 1,500-pupil school or a region of several schools in one database.
Care data: every pupil gets a dossier timeline that fits their zorgniveau (signaleringen,
interventies, gesprekken, bijzonderheden, zorgniveau-besluiten, consent for an external level).
Later issues extend it with plans and besprekingen.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from extern.models import Contactpersoon, Instelling, Toestemming
from leerlingen.models import Betrokkene, Dossieritem, Klasplaatsing, Leerling, Ouder, OuderRelatie

from . import demo_kwaliteit, demo_tweestaps, zorgroutes
from .demo_besprekingen import bouw_besprekingen
from .demo_extern import bouw_extern
from .demo_herinneringen import bouw_herinneringen
from .demo_ouders import bouw_ouderportaal
from .models import Afdeling, Functie, Gebruiker, Interventiesoort, Klas, Lesopdracht, Periode, School, Schooljaar, Vak

DEMO_WACHTWOORD = "zorgroute-demo"

VOORNAMEN = [
    "Sanne", "Mehmet", "Chloë", "Noah", "Lotte", "Jayden", "Emma", "Daan", "Fleur", "Sem", "Julia",
    "Liam", "Yara", "Finn", "Anouk", "Milan", "Sara", "Lucas", "Noor", "Levi", "Amira", "Jesse",
    "Isa", "Bram", "Zoë", "Thijs", "Mila", "Ruben", "Hanna", "Luuk", "Aya", "Tim", "Eva", "Stijn",
    "Nina", "Mohamed", "Lieke", "Youssef", "Femke", "Diego", "Shanaya", "Jurgen", "Kimberly",
    "Rashid", "Ilse", "Gianni", "Fatima", "Joep", "Merel", "Kevin",
]
OUDER_VOORNAMEN = [
    "Marieke", "Ahmed", "Sandra", "Peter", "Esther", "Hakan", "Monique", "Richard", "Yvonne", "Mark",
    "Nadia", "Ronald", "Angela", "Dennis", "Miriam", "Edwin", "Samira", "Marco", "Ingrid", "Erwin",
    "Jacqueline", "Orlando", "Shirley", "Ricardo", "Karin", "Mustafa", "Natasja", "Johan", "Linda", "Roberto",
]
TUSSENVOEGSELS = ["", "", "", "", "", "de", "van", "van der", "van den", "ten", "'t"]
ACHTERNAMEN = [
    "Berg", "Özdemir", "Hart", "Wit", "Çelik", "Croes", "Jansen", "Vries", "Bakker", "Visser",
    "Smit", "Meijer", "Mulder", "Bos", "Vos", "Peters", "Hendriks", "Dekker", "Brouwer", "Dijkstra",
    "Maduro", "Kock", "Tromp", "Werleman", "Geerman", "El Amrani", "Yılmaz", "Kaya", "Boukhari",
    "Haan", "Leeuwen", "Graaf", "Kuipers", "Veenstra", "Postma", "Schouten", "Huisman", "Pinas",
    "Martina", "Lampe", "Arends", "Oduber", "Wever", "Koster", "Prins", "Blom", "Groot", "Linden",
]
VAKKEN = [
    ("NE", "Nederlands"), ("EN", "Engels"), ("WI", "wiskunde"), ("GS", "geschiedenis"),
    ("AK", "aardrijkskunde"), ("BI", "biologie"), ("NA", "natuurkunde"), ("LO", "lichamelijke opvoeding"),
    ("FA", "Frans"), ("DU", "Duits"), ("EC", "economie"), ("KU", "kunstvakken"),
]
VAKKEN_PER_KLAS = 8
AFDELINGEN = [("Onderbouw", [1, 2], ""), ("Bovenbouw havo/vwo", [3, 4, 5], "H"), ("Bovenbouw vmbo", [3, 4], "M")]


@dataclass
class DemoSchool:
    school: School
    logins: dict  # role -> username (only for the first school of a region)


def _schooljaar_begin(datum):
    jaar = datum.year if datum.month >= 8 else datum.year - 1
    return datetime.date(jaar, 8, 1)


def _perioden(schooljaar):
    b = schooljaar.begin.year
    grenzen = [
        (datetime.date(b, 8, 1), datetime.date(b, 11, 30), datetime.date(b, 11, 26)),
        (datetime.date(b, 12, 1), datetime.date(b + 1, 3, 15), datetime.date(b + 1, 3, 10)),
        (datetime.date(b + 1, 3, 16), datetime.date(b + 1, 7, 31), datetime.date(b + 1, 6, 30)),
    ]
    return [
        Periode(schooljaar=schooljaar, nummer=i, begin=begin, einde=einde, groepsbespreking_op=gb)
        for i, (begin, einde, gb) in enumerate(grenzen, start=1)
    ]


def _klasnamen(aantal):
    """Spread `aantal` klassen over the three afdelingen and their leerjaren."""
    per_afdeling = [aantal // 2, aantal - aantal // 2 - aantal // 4, aantal // 4]
    result = []
    for (afdeling, leerjaren, prefix), n in zip(AFDELINGEN, per_afdeling, strict=True):
        for i in range(n):
            leerjaar = leerjaren[i * len(leerjaren) // max(n, 1)]
            volgnummer = sum(1 for a, lj, _ in result if a == afdeling and lj == leerjaar)
            letter = chr(ord("A") + volgnummer)
            naam = f"{leerjaar}{prefix}{volgnummer + 1}" if prefix else f"{leerjaar}{letter}"
            result.append((afdeling, leerjaar, naam))
    return result


class Bouwer:
    def __init__(self, seed, wachtwoord_hash):
        self.rng = random.Random(seed)
        self.hash = wachtwoord_hash
        self.gebruikers = []

    def naam(self):
        return (
            self.rng.choice(VOORNAMEN),
            self.rng.choice(TUSSENVOEGSELS),
            self.rng.choice(ACHTERNAMEN),
        )

    def gebruiker(self, username, voornaam, achternaam, domein):
        slug = username.replace(".", "-")
        user = Gebruiker(
            username=username, first_name=voornaam, last_name=achternaam,
            email=f"{slug}@{domein}", password=self.hash,
        )
        self.gebruikers.append(user)
        return user


@transaction.atomic
def bouw_school(
    code="demo", naam="Demo Scholengemeenschap De Zorgroute", klassen=24, leerlingen_per_klas=25,
    schooljaren=1, seed=1, vandaag=None, wachtwoord_hash=None, demo_logins=True,
    items_per_leerling_per_jaar=None, dossier_historie=True,
):
    """Build one school with staff, klassen, pupils, parents and dossiers. Returns a DemoSchool.

    Dossiers: by default a realistic small school (zorgniveau 1: 0–3 entries, 2: 3–8, 3–4: 8–20,
    partly in earlier schooljaren). `items_per_leerling_per_jaar` (the benchmarks use 30) gives every
    pupil about that many entries per schooljaar instead, more at the higher levels; then one pupil of
    the demo mentor's klas gets at least 100. `dossier_historie=False` skips their history rows.
    """
    if demo_logins and klassen < 2:
        raise ValueError("The demo logins need at least two klassen (the mentor's and another).")
    vandaag = vandaag or datetime.date.today()
    bouwer = Bouwer(f"{seed}-{code}", wachtwoord_hash or make_password(DEMO_WACHTWOORD))
    rng = bouwer.rng
    school = School.objects.create(naam=naam, code=code, plaats="Utrecht")
    zorgroutes.pas_toe(school, zorgroutes.STANDAARD)
    niveaus = zorgroutes.niveaus_van(school)
    domein = f"{code}.zorgroute.test"

    afdelingen = {a: Afdeling.objects.create(school=school, naam=a) for a, _lj, _p in AFDELINGEN}
    vakken = Vak.objects.bulk_create([Vak(school=school, code=c, naam=n) for c, n in VAKKEN])

    # Staff. Docenten: one mentor per klas plus a pool of docenten without a klas.
    aantal_docenten = klassen + max(6, klassen // 2)
    pre = "" if demo_logins else f"{code}."
    docenten = []
    for i in range(aantal_docenten):
        v, t, a = bouwer.naam()
        docenten.append(bouwer.gebruiker(f"{code}.docent{i + 1}", v, f"{t} {a}".strip(), domein))
    mentor_index = 0  # the demo mentor: mentor of the second klas (e.g. 1B)
    docent_index = klassen  # the demo docent: teaches, is no mentor
    if demo_logins:
        docenten[1].username = "mentor"
        docenten[1].first_name, docenten[1].last_name = "Marieke", "de Vries"
        docenten[docent_index].username = "docent"
        docenten[docent_index].first_name, docenten[docent_index].last_name = "Kees", "Bakker"
        for user in (docenten[1], docenten[docent_index]):
            user.email = f"{user.username}@{domein}"
        mentor_index = 1
    teamleiders = [bouwer.gebruiker(f"{pre}teamleider{i + 1}" if i else f"{pre}teamleider", *n, domein)
                   for i, n in enumerate([("Rob", "Jansen"), ("Ingrid", "Kock"), ("Hasan", "Yılmaz")])]
    zc = bouwer.gebruiker(f"{pre}zorgcoordinator", "Anouk", "Maduro", domein)
    specialisten = [
        (bouwer.gebruiker(f"{pre}specialist", "Saskia", "Dijkstra", domein), Functie.Soort.ORTHOPEDAGOOG),
        (bouwer.gebruiker(f"{pre}rt", "Peter", "Visser", domein), Functie.Soort.REMEDIAL_TEACHER),
        (bouwer.gebruiker(f"{pre}smw", "Latifa", "Boukhari", domein), Functie.Soort.SMW),
    ]
    directie = bouwer.gebruiker(f"{pre}directie", "Jan", "Meijer", domein)
    beheer = bouwer.gebruiker(f"{pre}beheer", "Gert", "Smit", domein)
    extern_user = bouwer.gebruiker(f"{pre}extern", "Wendy", "Tromp", "jeugdteam.test")
    Gebruiker.objects.bulk_create(bouwer.gebruikers)
    bouwer.gebruikers = []

    # Schooljaren: the current one plus history.
    begin = _schooljaar_begin(vandaag)
    jaren = []
    for k in range(schooljaren - 1, -1, -1):
        b = datetime.date(begin.year - k, 8, 1)
        jaren.append(Schooljaar(school=school, naam=f"{b.year}-{b.year + 1}", begin=b,
                                einde=datetime.date(b.year + 1, 7, 31)))
    jaren = Schooljaar.objects.bulk_create(jaren)
    Periode.objects.bulk_create([p for jaar in jaren for p in _perioden(jaar)])
    huidig = jaren[-1]

    # Functies per schooljaar (the same staff every year keeps the demo simple).
    functies = []
    for jaar in jaren:
        functies += [Functie(gebruiker=d, schooljaar=jaar, soort=Functie.Soort.DOCENT) for d in docenten]
        for t, afdeling in zip(teamleiders, afdelingen.values(), strict=True):
            functies.append(Functie(gebruiker=t, schooljaar=jaar, soort=Functie.Soort.TEAMLEIDER, afdeling=afdeling))
        functies.append(Functie(gebruiker=zc, schooljaar=jaar, soort=Functie.Soort.ZORGCOORDINATOR))
        functies += [Functie(gebruiker=s, schooljaar=jaar, soort=soort) for s, soort in specialisten]
        functies.append(Functie(gebruiker=directie, schooljaar=jaar, soort=Functie.Soort.DIRECTIE))
        functies.append(Functie(gebruiker=beheer, schooljaar=jaar, soort=Functie.Soort.APPLICATIEBEHEERDER))
    Functie.objects.bulk_create(functies)

    # Klassen with mentors and lesopdrachten, per schooljaar.
    specs = _klasnamen(klassen)
    klassen_per_jaar = {}
    for jaar in jaren:
        objs = Klas.objects.bulk_create(
            [Klas(schooljaar=jaar, afdeling=afdelingen[a], naam=n, leerjaar=lj) for a, lj, n in specs]
        )
        klassen_per_jaar[jaar.pk] = objs
        Klas.mentoren.through.objects.bulk_create(
            [Klas.mentoren.through(klas_id=k.pk, gebruiker_id=docenten[i].pk) for i, k in enumerate(objs)]
        )
        opdrachten = []
        for i, klas in enumerate(objs):
            for j in range(VAKKEN_PER_KLAS):
                docent = docenten[(i * 3 + j * 5) % aantal_docenten]
                opdrachten.append(Lesopdracht(docent=docent, vak=vakken[(i + j) % len(vakken)], klas=klas))
        Lesopdracht.objects.bulk_create(opdrachten, ignore_conflicts=True)
    # Make sure the demo docent teaches the demo mentor's klas and at least two others this year.
    huidige_klassen = klassen_per_jaar[huidig.pk]
    for klas in {huidige_klassen[mentor_index], *huidige_klassen[2:4]}:
        Lesopdracht.objects.get_or_create(docent=docenten[docent_index], vak=vakken[0], klas=klas)

    # Pupils, one placement per schooljaar, with zorgniveau and case-manager.
    gewichten = [70, 18, 8, 4][: len(niveaus)]
    leerlingen = []
    nummer = 1000
    for klas in klassen_per_jaar[huidig.pk]:
        for _i in range(leerlingen_per_klas):
            nummer += 1
            v, t, a = bouwer.naam()
            geboren = datetime.date(begin.year - 11 - klas.leerjaar, rng.randint(1, 12), rng.randint(1, 28))
            niveau = rng.choices(niveaus, weights=gewichten)[0] if niveaus else None
            leerlingen.append(Leerling(
                school=school, leerlingnummer=str(nummer), voornaam=v, tussenvoegsel=t, achternaam=a,
                geboortedatum=geboren, instroomdatum=datetime.date(begin.year - klas.leerjaar + 1, 8, 1),
                zorgniveau=niveau,
                case_manager=(zc if niveau.volgorde >= 3 else None) if niveau else None,
            ))
    if demo_logins and niveaus and leerlingen_per_klas >= len(niveaus):
        # The demo mentor's klas shows every level (its first pupil, the demo parent's child, keeps its own).
        eerste = mentor_index * leerlingen_per_klas
        _spreid_niveaus(leerlingen[eerste + 1:eerste + leerlingen_per_klas], niveaus, zc,
                        vast=leerlingen[eerste].zorgniveau)
    leerlingen = bulk_create_with_history(leerlingen, Leerling, batch_size=2000)
    leerlingen = list(Leerling.objects.filter(school=school).select_related("zorgniveau").order_by("leerlingnummer"))
    plaatsingen = []
    for jaar in jaren:
        jaar_klassen = klassen_per_jaar[jaar.pk]
        for i, leerling in enumerate(leerlingen):
            plaatsingen.append(Klasplaatsing(leerling=leerling, klas=jaar_klassen[i // leerlingen_per_klas]))
    Klasplaatsing.objects.bulk_create(plaatsingen, batch_size=5000)
    toegewezen = {
        lln.pk: specialisten[i % 3]
        for i, lln in enumerate(x for x in leerlingen if x.zorgniveau and x.zorgniveau.volgorde >= 3)
    }
    Betrokkene.objects.bulk_create([
        Betrokkene(leerling_id=pk, gebruiker=specialist, rol=soort.label, vanaf=begin)
        for pk, (specialist, soort) in toegewezen.items()
    ])

    # Ouders: one or two per pupil; about one in ten shares the parents of an earlier pupil.
    ouders, relaties = [], []
    vorige = None
    for leerling in leerlingen:
        if vorige and rng.random() < 0.1:
            for ouder, relatie in vorige:
                relaties.append(OuderRelatie(ouder=ouder, leerling=leerling, relatie=relatie, gezag=True))
            continue
        paar = []
        for relatie in rng.sample([OuderRelatie.Relatie.MOEDER, OuderRelatie.Relatie.VADER], rng.choice([1, 2, 2])):
            ouder = Ouder(voornaam=rng.choice(OUDER_VOORNAMEN), achternaam=leerling.achternaam,
                          tussenvoegsel=leerling.tussenvoegsel)
            ouders.append(ouder)
            paar.append((ouder, relatie))
            relaties.append(OuderRelatie(ouder=ouder, leerling=leerling, relatie=relatie, gezag=rng.random() > 0.05))
        vorige = paar
    # A pupil at a level that needs consent has an ouder with gezag (who gave it).
    per_leerling = {}
    for relatie in relaties:
        per_leerling.setdefault(relatie.leerling.pk, []).append(relatie)
    for leerling in leerlingen:
        eigen = per_leerling[leerling.pk]
        if leerling.zorgniveau and leerling.zorgniveau.toestemming_vereist and not any(r.gezag for r in eigen):
            eigen[0].gezag = True
    for i, ouder in enumerate(ouders):
        if i % 3 != 2:  # two in three parents have an account
            ouder.gebruiker = bouwer.gebruiker(f"{code}.ouder{i + 1}", ouder.voornaam, ouder.achternaam, "ouders.test")
            ouder.email = ouder.gebruiker.email
    Gebruiker.objects.bulk_create(bouwer.gebruikers)
    for ouder in ouders:
        if ouder.gebruiker:
            ouder.gebruiker_id = ouder.gebruiker.pk
    bulk_create_with_history(ouders, Ouder, batch_size=2000)
    for relatie in relaties:
        relatie.ouder_id = relatie.ouder.pk
    OuderRelatie.objects.bulk_create(relaties, batch_size=5000)

    # Dossiers: who writes what follows the klas (mentor, its docenten), afdeling and zorgteam.
    aantal_vakken = len(vakken)
    staf = Staf(
        zc=zc, directie=directie,
        specialisten={soort: user for user, soort in specialisten},
        teamleiders={afdeling: t for t, afdeling in zip(teamleiders, afdelingen, strict=True)},
    )
    klassen_info = []
    for k, (afdeling, _leerjaar, _naam) in enumerate(specs):
        lesgevers = [(docenten[(k * 3 + j * 5) % aantal_docenten], vakken[(k + j) % aantal_vakken].naam)
                     for j in range(VAKKEN_PER_KLAS)]
        extra = [(docenten[docent_index], vakken[0].naam)] if demo_logins and k in (2, 3) else []
        klassen_info.append(KlasInfo(mentor=docenten[k], docenten=lesgevers, teamleider=staf.teamleiders[afdeling],
                                     docenten_dit_jaar=lesgevers + extra))
    gezag = {}
    for relatie in relaties:
        if relatie.gezag:
            gezag.setdefault(relatie.leerling.pk, []).append(relatie.ouder)
    DossierBouwer(
        random.Random(f"{seed}-{code}-dossier"), jaren, vandaag, niveaus, staf,
        items_per_leerling_per_jaar, dossier_historie,
    ).bouw(
        school, leerlingen, leerlingen_per_klas, klassen_info, toegewezen, gezag,
        demo_klas=mentor_index if demo_logins else None,
    )

    _handelingsplannen(huidig, dossier_historie)

    logins = {}
    if demo_logins:
        logins = _demo_ouder_en_extern(school, huidig, klassen_per_jaar[huidig.pk], mentor_index, extern_user)
        logins.update({
            "mentor": "mentor", "docent": "docent", "teamleider": teamleiders[0].username,
            "zorgcoördinator": zc.username, "zorgteam specialist": specialisten[0][0].username,
            "directie": directie.username, "applicatiebeheerder": beheer.username,
        })
        _open_hulpvragen(school, klassen_per_jaar[huidig.pk][mentor_index], dossier_historie)
    else:
        Contactpersoon.objects.create(
            instelling=Instelling.objects.create(school=school, naam="Jeugdteam", soort=Instelling.Soort.JEUGDZORG),
            gebruiker=extern_user, naam=extern_user.naam,
        )
    bouw_besprekingen(
        school, huidig, klassen_per_jaar[huidig.pk], klassen_info, staf, vandaag, dossier_historie,
        demo_klas=mentor_index if demo_logins else None,
    )
    bouw_extern(school, staf, vandaag, dossier_historie)
    bouw_herinneringen(school, staf, vandaag)
    if demo_logins:
        logins.update(bouw_ouderportaal(school, klassen_per_jaar[huidig.pk][mentor_index], vandaag, bouwer.hash,
                                        dossier_historie))
    # Kwaliteitszorg (issue 10): evaluated, typed care over the years; the zelfevaluatie for the demo only.
    demo_kwaliteit.bouw_kwaliteit(
        school, jaren, vandaag, leerlingen, leerlingen_per_klas, klassen_per_jaar, klassen_info, staf, niveaus,
        dossier_historie, zelfevaluatie=demo_logins,
    )
    demo_tweestaps.geef_apparaten(school)  # staff and partners log in with the demo TOTP secret
    _geen_geschiedenis_in_de_toekomst()
    return DemoSchool(school=school, logins=logins)


def _geen_geschiedenis_in_de_toekomst():
    """Demo records of today carry a time of day; none may lie after now in the history (the
    audit lists the newest first)."""
    from django.apps import apps

    nu = timezone.now()
    for model in apps.get_models():
        if any(veld.name == "history_date" for veld in model._meta.fields):
            model.objects.filter(history_date__gt=nu).update(history_date=nu)


# --- dossiers --------------------------------------------------------------------------------
# Phrases after the seeds: the interventieformulier of the professionele momenten (004), the
# onderwijszorgroute's signaleren, handelingstips and IZO arrangements (002), Aruba's extra zorg (000).
# {v} is the pupil's first name, {vak} the vak of whoever writes.

_S = Dossieritem.Soort
_V = Dossieritem.Vertrouwelijkheid
_D = Dossieritem.Domein
_E = Dossieritem.Effect
_G = Dossieritem.GesprekMet
_C = Dossieritem.Categorie
_R = Functie.Soort

SIGNALERINGEN = [  # (domein, titel, tekst)
    (_D.LEREN, "Onvoldoendes voor {vak}",
     "{v} haalde de laatste drie toetsen {vak} onvoldoende, terwijl het werk in de les redelijk gaat. "
     "Lijkt bij toetsen vast te lopen."),
    (_D.LEREN, "Moeite met begrijpend lezen",
     "Haalt bij opdrachten met langere teksten de hoofdzaak er niet uit; technisch lezen gaat redelijk vlot."),
    (_D.LEREN, "Achterstand bij rekenen",
     "Breuken en procenten zijn nog niet geautomatiseerd; {v} heeft veel meer tijd nodig dan de rest van de klas."),
    (_D.LEREN, "Veel spelfouten",
     "Maakt in schrijfopdrachten veel spelfouten, ook in eenvoudige woorden. Mogelijk dyslexie?"),
    (_D.WERKHOUDING, "Huiswerk vaak niet gemaakt",
     "Had deze periode vijf keer het huiswerk voor {vak} niet af; de agenda wordt niet bijgehouden."),
    (_D.WERKHOUDING, "Moeite met plannen van huiswerk",
     "{v} begint pas de avond van tevoren aan het leren voor toetsen en raakt het overzicht kwijt."),
    (_D.WERKHOUDING, "Concentratie in de les",
     "Is snel afgeleid, kijkt veel om zich heen en komt bij het zelfstandig werken nauwelijks aan werken toe."),
    (_D.WERKHOUDING, "Spullen niet op orde", "Heeft regelmatig boek en schrift voor {vak} niet bij zich en werkt dan "
     "niet mee."),
    (_D.SOCIAAL_EMOTIONEEL, "Faalangst bij toetsen",
     "Raakt zichtbaar gespannen voor toetsen; huilde voor de SO {vak} en leverde een bijna leeg blad in."),
    (_D.SOCIAAL_EMOTIONEEL, "Piekert veel, slaapt slecht",
     "{v} vertelde na de les dat er veel gepiekerd wordt en het slapen slecht gaat; komt vermoeid op school."),
    (_D.SOCIAAL_EMOTIONEEL, "Stil en teruggetrokken",
     "Zit in de pauzes vaak alleen en doet bij groepswerk weinig mee. Lijkt weinig aansluiting te hebben in de klas."),
    (_D.SOCIAAL_EMOTIONEEL, "Negatief zelfbeeld", "Zegt vaak 'ik kan het toch niet' en begint dan niet aan de "
     "opdracht."),
    (_D.GEDRAG, "Conflicten in de klas",
     "Tweede keer deze maand een conflict met klasgenoten; {v} reageert fel op opmerkingen en loopt weg uit de les."),
    (_D.GEDRAG, "Verstoort de les",
     "Praat door de instructie heen en lokt reacties uit bij anderen; deze maand twee keer uit de les gestuurd."),
    (_D.GEDRAG, "Mogelijk gepest",
     "Klasgenoten maken opmerkingen over {v} in de groepsapp; {v} wil er zelf (nog) niet over praten."),
    (_D.VERZUIM, "Vaak te laat", "Deze periode acht keer te laat in het eerste uur; geeft aan dat de bus te laat was."),
    (_D.VERZUIM, "Ziekmeldingen op toetsdagen",
     "Meldt zich opvallend vaak ziek op dagen met een toets; drie toetsen {vak} moeten worden ingehaald."),
    (_D.GEZONDHEID, "Hoofdpijnklachten", "Gaat regelmatig naar huis met hoofdpijn of buikpijn; ouders zijn op de "
     "hoogte."),
    (_D.THUISSITUATIE, "Verandering in de thuissituatie",
     "{v} vertelde dat de ouders uit elkaar gaan; sindsdien merkbaar minder geconcentreerd."),
    (_D.TALENT, "Verveelt zich bij {vak}",
     "Heeft de stof snel door en gaat dan anderen afleiden. Zoekt uitdaging: verrijkingsstof of een plusopdracht?"),
]

INTERVENTIES = [  # (domein, who carries it out, hulpvraag, wat is er gedaan)
    (_D.LEREN, "docent", "Loopt achter bij {vak}; maakt de toetsen onvoldoende",
     "Verlengde instructie aan de instructietafel, twee keer per week; extra oefenstof voor thuis."),
    (_D.LEREN, "docent", "Haalt de hoofdzaak niet uit teksten",
     "Strategiekaart begrijpend lezen in de les; bij elke tekst eerst samen de kernvragen doorgenomen."),
    (_D.WERKHOUDING, "docent", "Is snel afgeleid in de les",
     "Vaste plek vooraan bij het bord; opdrachten opgeknipt in kleine stappen met een stappenplan op tafel."),
    (_D.WERKHOUDING, "mentor", "Moeite met plannen van huiswerk",
     "Gesprek met leerling en afspraken over planning in agenda; de mentor kijkt elke maandag de agenda na."),
    (_D.WERKHOUDING, "mentor", "Huiswerk niet af en spullen niet op orde",
     "Dagelijkse checklist in de agenda; huiswerkbegeleiding op school op dinsdag en donderdag het 8e uur."),
    (_D.GEDRAG, "mentor", "Conflicten in de klas",
     "Gesprek met de betrokken leerlingen samen; afspraken over de omgang en een time-outkaart voor als het oploopt."),
    (_D.SOCIAAL_EMOTIONEEL, "mentor", "Faalangst bij toetsen",
     "Toetsen in een rustig lokaal; vooraf samen de leerstof over de week verdeeld. Wekelijks kort gesprek met de "
     "mentor."),
    (_D.VERZUIM, "teamleider", "Vaak te laat en ongeoorloofd verzuim",
     "Dagelijks om 8.15 uur melden bij de teamleider; ouders gebeld; bij herhaling melding bij leerplicht."),
    (_D.GEDRAG, "teamleider", "Verstoort herhaaldelijk de les",
     "Gesprek met teamleider en ouders; gedragskaart die elke docent aftekent, na twee weken geëvalueerd."),
    (_D.LEREN, _R.REMEDIAL_TEACHER, "Moeite met begrijpend lezen bij de zaakvakken",
     "RT: twee keer per week begeleiding begrijpend lezen (20 minuten), met de strategiekaart als basis."),
    (_D.LEREN, _R.REMEDIAL_TEACHER, "Dyslexie: leest traag en maakt veel spelfouten",
     "RT: wekelijks spellingbegeleiding; dyslexiekaart met extra tijd, vergrote toetsen en voorleessoftware."),
    (_D.LEREN, _R.REMEDIAL_TEACHER, "Rekenvaardigheid onder niveau 1F",
     "RT: rekenbegeleiding in een groepje van drie, woensdag het 3e uur; aanpak overgedragen aan de docent wiskunde."),
    (_D.SOCIAAL_EMOTIONEEL, _R.ORTHOPEDAGOOG, "Faalangst bij toetsen",
     "Faalangstreductietraining (acht bijeenkomsten) bij de orthopedagoog, in een groepje van vijf leerlingen."),
    (_D.SOCIAAL_EMOTIONEEL, _R.ORTHOPEDAGOOG, "Weinig contact met klasgenoten, negatief zelfbeeld",
     "Sociale vaardigheidstraining in een klein groepje; handelingsadviezen voor de mentor."),
    (_D.WERKHOUDING, _R.ORTHOPEDAGOOG, "Concentratieproblemen, vermoeden van ADHD",
     "Observatie in drie lessen en vragenlijsten voor ouders en docenten; adviezen voor de klas besproken met de "
     "mentor."),
    (_D.SOCIAAL_EMOTIONEEL, _R.SMW, "Piekert veel, slaapt slecht",
     "Gesprekken met de schoolmaatschappelijk werker, om de week; ouders bij het tweede gesprek uitgenodigd."),
    (_D.THUISSITUATIE, _R.SMW, "Zorgen over de thuissituatie",
     "Huisbezoek door de schoolmaatschappelijk werker samen met de mentor; gezin in contact gebracht met het "
     "jeugdteam."),
    (_D.SOCIAAL_EMOTIONEEL, "zorgcoordinator", "Zit niet goed in het vel; signalen van meerdere docenten",
     "Besproken in het IZO; de zorgcoördinator voert gesprekken met leerling en ouders en coördineert de aanpak."),
]

EVALUATIES = {
    _E.GOED: ["Evaluatie na zes weken: doel bereikt, {v} doet het nu zelfstandig. Begeleiding wordt afgebouwd.",
              "Duidelijk effect: cijfers en werkhouding zijn verbeterd. Afspraken blijven tot de groepsbespreking "
              "staan."],
    _E.DEELS: ["Er is verbetering, maar nog niet bij alle vakken. Aanpak nog zes weken voortzetten.",
               "{v} werkt goed mee; de resultaten zijn nog wisselend. Bijgesteld: begeleiding vaker per week."],
    _E.BEPERKT: ["Weinig verandering zichtbaar; de afspraken worden niet consequent nagekomen.",
                 "De eerste weken effect, daarna terugval naar het oude patroon."],
    _E.GEEN: ["Geen effect: het probleem is onveranderd. Hulpvraag besproken met de teamleider.",
              "Na zes weken geen verbetering; een andere aanpak is nodig."],
    _E.ONBEKEND: ["Loopt nog; evaluatie over zes weken.", "Gestart; eerste evaluatie in de volgende groepsbespreking."],
}

GESPREKKEN_LEERLING = [  # (titel, verslag, afspraken)
    ("Gesprek met {v} over de resultaten",
     "Besproken hoe het gaat met de toetsen. {v} geeft aan dat plannen lastig is en dat het huiswerk thuis vaak blijft "
     "liggen.", "{v} schrijft het huiswerk elke les in de agenda; de mentor kijkt op maandag mee. Over drie weken "
     "evalueren."),
    ("Gesprek over het welbevinden",
     "{v} vertelt dat het in de klas niet fijn is; er zijn opmerkingen van klasgenoten. Wil niet dat de hele klas "
     "het weet.",
     "De mentor let extra op in de mentorlessen; {v} meldt nieuwe voorvallen direct. Over twee weken opnieuw een "
     "gesprek."),
    ("Gesprek na een conflict", "Het conflict in de les {vak} nabesproken. {v} ziet het eigen aandeel en wil het "
     "goedmaken.",
     "Excuses aangeboden; bij oplopende spanning gebruikt {v} de time-outkaart."),
    ("Voortgangsgesprek",
     "Terugblik op de afspraken van vorige keer: de agenda wordt beter bijgehouden, de cijfers voor {vak} zijn "
     "gestegen.",
     "De afspraken blijven staan; volgende evaluatie na de toetsweek."),
    ("Gesprek over faalangst",
     "{v} vertelt dat het hoofd leeg is zodra de toets op tafel ligt. Thuis gaat het leren wel goed.",
     "Faalangstreductietraining besproken; {v} wil meedoen. De mentor belt de ouders."),
]

GESPREKKEN_OUDERS = [  # (met, titel, verslag, afspraken)
    (_G.OUDERS, "Gesprek met ouders",
     "Ouders herkennen het beeld: thuis wordt weinig aan huiswerk gedaan en {v} zit veel op de telefoon. Ouders denken "
     "graag mee.", "Ouders zien thuis toe op het plannen van huiswerk (telefoon weg tijdens het huiswerk); de mentor "
     "mailt elke vrijdag de voortgang. Evaluatie over zes weken."),
    (_G.OUDERS, "Oudergesprek over de resultaten",
     "Het rapport besproken: drie onvoldoendes. Ouders maken zich zorgen over de overgang; besproken welke "
     "ondersteuning "
     "school biedt.", "{v} gaat naar de huiswerkbegeleiding; ouders melden zorgen direct bij de mentor. Volgend "
      "gesprek "
     "na de toetsweek."),
    (_G.LEERLING_OUDERS, "Gesprek met {v} en ouders",
     "Samen met {v} en ouders de zorgen van de docenten besproken. {v} was open over het piekeren en slecht slapen.",
     "Aanmelding bij de schoolmaatschappelijk werker; ouders stemmen in. De mentor koppelt terug aan de docenten."),
    (_G.OUDERS, "Oudergesprek over het handelingsplan",
     "Ouders geïnformeerd over de bespreking in het intern zorgoverleg en het handelingsplan. Ouders vullen aan hoe "
     "het "
     "thuis gaat.", "Ouders gaan akkoord met het handelingsplan; evaluatie na zes weken met ouders en {v}."),
]

GESPREKKEN_EXTERN = [
    ("Overleg met het jeugdteam",
     "Overleg met de jeugdhulpverlener over de aanmelding. Het jeugdteam start met gezinsgesprekken; school blijft de "
     "aanpak in de klas uitvoeren.", "Het jeugdteam koppelt na vier weken terug aan de zorgcoördinator; de mentor "
      "houdt "
     "contact met de ouders."),
    ("Overleg met de jeugdarts (GGD)",
     "Het ziekteverzuim besproken met de jeugdarts. Er lijkt geen medische oorzaak; de jeugdarts nodigt {v} en "
     "ouders uit "
     "op het spreekuur.", "De zorgcoördinator meldt de uitkomst aan de mentor; het verzuim wordt wekelijks gevolgd."),
    ("Terugkoppeling ambulant begeleider",
     "De ambulant begeleider observeerde {v} in twee lessen en gaf de docenten tips voor de instructie.",
     "De tips komen in het handelingsplan; evaluatie in het volgende IZO."),
]

HANDELINGSTIPS = [  # (titel, tips): teruggekoppeld aan de docenten, voor_docenten
    ("Handelingstips voor docenten",
     "Geef {v} een vaste plek vooraan, herhaal de opdracht individueel en laat {v} de eerste stap hardop benoemen."),
    ("Handelingstips voor docenten: faalangst",
     "Kondig toetsen ruim van tevoren aan, geef {v} de toets in een rustige ruimte en begin met een makkelijke vraag. "
     "Geen onverwachte beurten voor de klas."),
    ("Handelingstips voor docenten: plannen",
     "Zet het huiswerk op het bord en controleer aan het eind van de les of {v} het in de agenda heeft gezet."),
    ("Handelingstips na het IZO",
     "Bij oplopende spanning mag {v} de time-outkaart gebruiken (vijf minuten op de gang, daarna terug). Bespreek "
     "incidenten niet voor de klas; meld ze bij de mentor."),
    ("Dyslexie: afspraken voor de les",
     "Extra tijd (25%) en vergrote toetsen; spelfouten tellen alleen mee bij de talen. Voorleessoftware is "
     "toegestaan."),
]

BIJZONDERHEDEN = [  # (categorie, titel, tekst)
    (_C.DIAGNOSE, "Dyslexieverklaring",
     "Dyslexieverklaring aanwezig (onderzoek in groep 6). Recht op extra tijd, vergrote toetsen en voorleessoftware."),
    (_C.DIAGNOSE, "ADHD",
     "Diagnose ADHD, gesteld door de kinderpsychiater. Ouders vinden het goed dat docenten dit in algemene termen "
     "weten."),
    (_C.MEDICATIE, "Medicatie",
     "Gebruikt methylfenidaat; neemt om 12.00 uur op school een tweede tablet in. Bij bijwerkingen de ouders bellen."),
    (_C.LEVENSGEBEURTENIS, "Scheiding ouders",
     "Ouders zijn gescheiden; {v} woont om de week bij vader en bij moeder. Beide ouders hebben gezag en krijgen alle "
     "informatie."),
    (_C.LEVENSGEBEURTENIS, "Overlijden grootouder",
     "Opa, bij wie {v} veel was, is overleden. Rekening houden met de periode rond de uitvaart."),
    (_C.INDICATIE, "Arrangement ambulante begeleiding",
     "Arrangement via het samenwerkingsverband: een uur per week ambulante begeleiding, tot het einde van het "
     "schooljaar."),
    (_C.IQ, "Capaciteitenonderzoek", "TIQ 92 (WISC-V); verbaal sterker dan performaal, lage verwerkingssnelheid."),
    (_C.TALENT, "Talent: muziek", "Speelt viool in het jeugdorkest, repetities op woensdagmiddag. Sterk in "
     "samenwerken."),
]

TOETSEN = [
    ("Begrijpend lezen (Cito VAS)", ["I", "II", "III", "IV", "V"]),
    ("Rekenen/wiskunde (Cito VAS)", ["I", "II", "III", "IV", "V"]),
    ("Spelling (Cito VAS)", ["I", "II", "III", "IV", "V"]),
    ("Technisch lezen (DMT)", ["A", "B", "C", "D", "E"]),
]

BESLUITEN = {  # reasons per step, by the volgorde of the level stepped up to
    2: ["Interventies in de klas (verlengde instructie, afspraken over de planning) hebben onvoldoende effect. In het "
        "overleg met de teamleider besloten tot professioneel moment 2; de mentor stelt een handelingsplan op.",
        "Hulpvraag van de mentor besproken in het teamoverleg: de problemen spelen bij meerdere vakken. Opgeschaald; "
        "de "
        "mentor blijft case-manager."],
    3: ["Aangemeld bij het IZO: ondanks het handelingsplan onvoldoende vooruitgang, en er zijn zorgen over het "
        "welbevinden. Besloten tot verdiepende interventies; evaluatie na zes weken. Case-manager: de zorgcoördinator.",
        "Herhaald onvoldoende geprofiteerd van de aanpak in de klas. Het IZO zet schoolinterne zorg in (RT, "
        "faalangstreductietraining of schoolmaatschappelijk werk)."],
    4: ["De interne zorgstructuur is niet langer toereikend; besproken in het ZAT. Met toestemming van de ouders "
        "aangemeld bij het jeugdteam.",
        "Problemen op meerdere leefgebieden (school, thuis, gezondheid). Het ZAT verwijst naar externe hulp; school "
        "voert "
        "de handelingsadviezen in de klas uit."],
}

# Filler kinds per phase of the timeline (phase = the level the pupil was at), as weights.
_VRIJ_FASE_1 = {"signalering": 72, "interventie": 10, "gesprek_leerling": 8, "gesprek_ouders": 4, "toets": 3,
                "handelingstip": 3}
_VRIJ_FASE_2 = {"signalering": 30, "interventie": 30, "gesprek_leerling": 14, "gesprek_ouders": 12, "toets": 7,
                "handelingstip": 7}
_VRIJ_HOGER = {"signalering": 20, "interventie": 30, "gesprek_leerling": 14, "gesprek_ouders": 12, "toets": 5,
               "handelingstip": 8, "bijzonderheid": 5, "gesprek_extern": 6}
DOSSIER_BATCH = 5000


@dataclass
class Staf:
    zc: Gebruiker
    directie: Gebruiker
    specialisten: dict  # Functie.Soort -> Gebruiker
    teamleiders: dict  # afdeling name -> Gebruiker


@dataclass
class KlasInfo:
    """Who writes in the dossiers of one klas (the same klas index every schooljaar)."""

    mentor: Gebruiker
    docenten: list  # (Gebruiker, vak name)
    teamleider: Gebruiker
    docenten_dit_jaar: list = field(default_factory=list)


def _vakantie(d):
    return (d.month == 7 and d.day >= 12) or (d.month == 8 and d.day < 22) or (d.month == 12 and d.day >= 23) or (
        d.month == 1 and d.day <= 4
    )


def _schooldagen(begin, einde):
    """Weekdays from begin to einde outside the summer and Christmas holidays (any day if there are none)."""
    dagen = [begin + datetime.timedelta(days=i) for i in range(max(0, (einde - begin).days) + 1)]
    return [d for d in dagen if d.weekday() < 5 and not _vakantie(d)] or dagen


def _spreid_niveaus(leerlingen, niveaus, zc, vast=None):
    """Make every level occur among these (unsaved) pupils plus `vast`, moving pupils of the commonest level."""
    aantal = Counter(lln.zorgniveau.pk for lln in leerlingen)
    gedekt = {vast.pk} if vast else set()
    for niveau in reversed(niveaus):
        if aantal[niveau.pk] or niveau.pk in gedekt:
            continue
        donors = [n for n in niveaus if aantal[n.pk] - (0 if n.pk in gedekt else 1) >= 1]
        if not donors:
            return
        donor = max(donors, key=lambda n: aantal[n.pk])
        leerling = next(lln for lln in reversed(leerlingen) if lln.zorgniveau.pk == donor.pk)
        aantal[donor.pk] -= 1
        aantal[niveau.pk] += 1
        leerling.zorgniveau = niveau
        leerling.case_manager = zc if niveau.volgorde >= 3 else None


class DossierBouwer:
    """Writes every pupil's timeline as a story: signals at level 1, interventions that help too little, a
    zorgniveau-besluit per step up (consent first where the level needs it), then the next level's care."""

    def __init__(self, rng, jaren, vandaag, niveaus, staf, items_per_jaar=None, historie=True):
        self.rng = rng
        self.niveaus = niveaus
        self.staf = staf
        self.items_per_jaar = items_per_jaar
        self.historie = historie
        self.dagen = [_schooldagen(jaar.begin, min(jaar.einde, vandaag)) for jaar in jaren]
        self.dit_jaar = jaren[-1].begin
        self.einde_dit_jaar = jaren[-1].einde
        self.items, self.toestemmingen = [], []
        self._gebruikt = set()
        self.catalogus = {}

    def bouw(self, school, leerlingen, per_klas, klassen, toegewezen, gezag, demo_klas=None):
        """Build all timelines. In the klas `demo_klas` the first pupil of each level gets a rich timeline
        (with many items per year: the top level's one at least 100); its first pupil has a gesprek shared
        with the ouders (the demo parent's child)."""
        etalage = {}
        if demo_klas is not None:
            for lln in leerlingen[demo_klas * per_klas:(demo_klas + 1) * per_klas]:
                etalage.setdefault(self._fase(lln), lln.pk)
        top = max(etalage) if etalage else None
        self.catalogus = dict(Interventiesoort.objects.filter(school=school).values_list("naam", "pk"))
        for i, leerling in enumerate(leerlingen):
            fase = self._fase(leerling)
            minimum = 0
            if etalage.get(fase) == leerling.pk:
                minimum = 110 if self.items_per_jaar and fase == top else self.rng.randint(10, 16)
            gedeeld = demo_klas is not None and i == demo_klas * per_klas
            self._leerling(leerling, fase, klassen[i // per_klas], toegewezen.get(leerling.pk),
                           gezag.get(leerling.pk, []), minimum, gedeeld)
            if len(self.items) >= DOSSIER_BATCH:
                self._opslaan()
        self._opslaan()
        if self.historie:
            bulk_create_with_history(self.toestemmingen, Toestemming, batch_size=DOSSIER_BATCH)
        else:
            Toestemming.objects.bulk_create(self.toestemmingen, batch_size=DOSSIER_BATCH)
        self._tijdstempels(school)

    def _fase(self, leerling):
        return self.niveaus.index(leerling.zorgniveau) + 1 if leerling.zorgniveau in self.niveaus else 1

    def _opslaan(self):
        if self.historie:
            bulk_create_with_history(self.items, Dossieritem, batch_size=DOSSIER_BATCH)
        else:
            Dossieritem.objects.bulk_create(self.items, batch_size=DOSSIER_BATCH)
        self.items = []

    def _aantallen(self, fase, minimum):
        """How many entries per schooljaar (oldest first)."""
        rng, jaren = self.rng, len(self.dagen)
        if self.items_per_jaar:
            factor = 0.77 + 0.5 * (fase - 1)  # about items_per_jaar on average over the 70/18/8/4 spread
            per_jaar = [round(self.items_per_jaar * factor * rng.uniform(0.5, 1.5)) for _ in range(jaren)]
        else:
            if fase == 1:
                n = rng.choices([0, 1, 2, 3], weights=[35, 30, 20, 15])[0]
            elif fase == 2:
                n = rng.randint(3, 8)
            else:
                n = rng.randint(8, 20)
            per_jaar = [0] * jaren
            eerder = {1: 0.1, 2: 0.25}.get(fase, 0.4) if jaren > 1 else 0
            for _ in range(n):
                if rng.random() < eerder:
                    per_jaar[rng.randrange(max(0, jaren - 3), jaren - 1)] += 1
                else:
                    per_jaar[-1] += 1
        per_jaar[-1] += max(0, minimum - sum(per_jaar))
        return per_jaar

    def _verhaal(self, fase, n, gedeeld):
        """The kinds of the entries in time order: per level reached, its items; a besluit opens each step."""
        rng = self.rng
        fasen = [[] for _ in range(fase)]
        for f in range(1, fase):  # before each step up: an interventie that helped too little
            fasen[f - 1].append("interventie_opschalen")
        for f in range(2, fase + 1):  # and as many as the level asks for
            nodig = self.niveaus[f - 1].min_interventies
            gedaan = sum(s.startswith("interventie") for items in fasen[:f - 1] for s in items)
            fasen[f - 2] += ["interventie_opschalen"] * max(0, nodig - gedaan)
            if self.niveaus[f - 1].extern:
                fasen[f - 1].append("gesprek_extern")
        if fase >= 2:
            fasen[1].append("gesprek_ouders")
        if fase >= 3:
            fasen[2] += ["bijzonderheid", "gesprek_leerling"]
        if gedeeld:
            fasen[-1].append("gesprek_gedeeld")
        vrij = n - sum(map(len, fasen)) - (fase - 1)
        if vrij > 0:
            for f in rng.choices(range(fase), weights=[1.0] * (fase - 1) + [1.5], k=vrij):
                gewichten = _VRIJ_FASE_1 if f == 0 else _VRIJ_FASE_2 if f == 1 else _VRIJ_HOGER
                fasen[f].append(rng.choices(list(gewichten), weights=list(gewichten.values()))[0])
        verhaal = []
        for f, items in enumerate(fasen, start=1):
            rng.shuffle(items)
            if f >= 2:
                verhaal.append(("besluit", f))
            verhaal += [(soort, f) for soort in items]
        return verhaal

    def _kies(self, opties, geschikt=None):
        """A phrase this pupil's timeline has not used yet (while there are any)."""
        kandidaten = [i for i, optie in enumerate(opties) if geschikt is None or geschikt(optie)]
        i = self.rng.choice([i for i in kandidaten if (id(opties), i) not in self._gebruikt] or kandidaten)
        self._gebruikt.add((id(opties), i))
        return opties[i]

    def _leerling(self, leerling, fase, klas, specialist, ouders, minimum, gedeeld):
        rng = self.rng
        self._gebruikt = set()
        per_jaar = self._aantallen(fase, minimum)
        verhaal = self._verhaal(fase, sum(per_jaar), gedeeld)
        per_jaar[-1] += max(0, len(verhaal) - sum(per_jaar))
        if not verhaal:
            return
        datums = sorted(d for dagen, n in zip(self.dagen, per_jaar, strict=True) for d in rng.choices(dagen, k=n))
        eind = len(verhaal) - max(1, len(verhaal) // 7)
        for i, ((soort, f), datum) in enumerate(zip(verhaal, datums, strict=True)):
            item = self._item(soort, f, datum, i >= eind, leerling, klas, specialist)
            if self.historie:
                item._history_user = item.auteur
            self.items.append(item)
            if soort == "besluit" and item.naar_niveau.toestemming_vereist and ouders:
                gegeven = datum - datetime.timedelta(days=rng.randint(2, 14))
                wijze = rng.choice([Toestemming.Wijze.PAPIER, Toestemming.Wijze.DIGITAAL])
                self.toestemmingen.append(Toestemming(
                    leerling=leerling, doel=Toestemming.Doel.ZORGNIVEAU, ouder=rng.choice(ouders), datum=gegeven,
                    status=Toestemming.Status.GEGEVEN, wijze=wijze, leerling_akkoord=True,
                    geldig_tot=max(gegeven + datetime.timedelta(days=365), self.einde_dit_jaar),
                    vastgelegd_door=self.staf.zc if wijze == Toestemming.Wijze.PAPIER else None,
                ))

    def _item(self, soort, fase, datum, recent, leerling, klas, specialist):
        rng, staf = self.rng, self.staf
        docent, vak = rng.choice(klas.docenten_dit_jaar if datum >= self.dit_jaar else klas.docenten)
        zorgteam = specialist[0] if specialist and fase >= 3 else None
        v = leerling.voornaam

        def t(tekst):
            return tekst.format(v=v, vak=vak)

        item = Dossieritem(leerling=leerling, datum=datum, auteur=klas.mentor, vertrouwelijkheid=_V.TEAM)
        if soort == "signalering":
            domein, titel, tekst = self._kies(SIGNALERINGEN)
            item.soort, item.domein, item.titel, item.tekst = _S.SIGNALERING, domein, t(titel), t(tekst)
            item.auteur = docent if rng.random() < 0.75 else klas.mentor
            if domein == _D.THUISSITUATIE and rng.random() < 0.5:
                item.vertrouwelijkheid = _V.VERTROUWELIJK
        elif soort.startswith("interventie"):
            rollen = {"docent", "mentor"} | ({"teamleider"} if fase >= 2 else set())
            if fase >= 3:
                rollen |= {"zorgcoordinator"} | ({specialist[1]} if specialist else set())
            domein, rol, hulpvraag, acties = self._kies(INTERVENTIES, lambda x: x[1] in rollen)
            soortnaam = demo_kwaliteit.dossier_soort(acties)
            item.interventie_id = self.catalogus.get(soortnaam)
            jaren_geleden = self.dit_jaar.year - demo_kwaliteit.schooljaar_van(datum)
            uitvoerder = {"docent": docent, "mentor": klas.mentor, "teamleider": klas.teamleider,
                          "zorgcoordinator": staf.zc}.get(rol) or specialist[0]
            functie = {"docent": f"docent {vak}", "mentor": "mentor", "teamleider": "teamleider",
                       "zorgcoordinator": "zorgcoördinator"}.get(rol) or str(_R(rol).label)
            if soort == "interventie_opschalen":
                effect = rng.choices([_E.DEELS, _E.BEPERKT, _E.GEEN], weights=[2, 3, 2])[0]
            elif recent and rng.random() < 0.5:
                effect = _E.ONBEKEND
            else:
                effect = rng.choices([_E.GOED, _E.DEELS, _E.BEPERKT, _E.GEEN],
                                     weights=demo_kwaliteit.effect_gewichten(soortnaam, jaren_geleden))[0]
            item.soort, item.domein, item.hulpvraag, item.acties = _S.INTERVENTIE, domein, t(hulpvraag), t(acties)
            item.uitgevoerd_door = f"{uitvoerder.naam} ({functie})"
            item.effect = effect
            item.tekst = t(rng.choice(EVALUATIES[effect]))
            item.auteur = uitvoerder if rol != "docent" or rng.random() < 0.5 else klas.mentor
            item.voor_docenten = rol == "docent" and rng.random() < 0.3
            if rng.random() < 0.15:
                item.vertrouwelijkheid = _V.OUDERS
        elif soort == "gesprek_leerling":
            titel, tekst, afspraken = self._kies(GESPREKKEN_LEERLING)
            item.soort, item.gesprek_met = _S.GESPREK, _G.LEERLING
            item.titel, item.tekst, item.afspraken = t(titel), t(tekst), t(afspraken)
            if zorgteam and rng.random() < 0.5:
                item.auteur = zorgteam
                if rng.random() < 0.4:
                    item.vertrouwelijkheid = _V.VERTROUWELIJK
        elif soort in ("gesprek_ouders", "gesprek_gedeeld"):
            met, titel, tekst, afspraken = self._kies(GESPREKKEN_OUDERS)
            item.soort, item.gesprek_met = _S.GESPREK, met
            item.titel, item.tekst, item.afspraken = t(titel), t(tekst), t(afspraken)
            if fase >= 3 and soort == "gesprek_ouders" and rng.random() < 0.4:
                item.auteur = staf.zc
            if soort == "gesprek_gedeeld" or rng.random() < 0.4:
                item.vertrouwelijkheid = _V.OUDERS
        elif soort == "gesprek_extern":
            titel, tekst, afspraken = self._kies(GESPREKKEN_EXTERN)
            item.soort, item.gesprek_met, item.auteur = _S.GESPREK, _G.EXTERN, staf.zc
            item.titel, item.tekst, item.afspraken = t(titel), t(tekst), t(afspraken)
            item.vertrouwelijkheid = rng.choice([_V.TEAM, _V.VERTROUWELIJK])
        elif soort == "handelingstip":
            titel, tips = self._kies(HANDELINGSTIPS)
            item.soort, item.gesprek_met, item.voor_docenten = _S.GESPREK, _G.COLLEGA, True
            item.titel, item.afspraken = t(titel), t(tips)
            item.tekst = "Teruggekoppeld aan de docenten van de klas."
            item.auteur = staf.zc if fase >= 3 and rng.random() < 0.5 else klas.mentor
        elif soort == "bijzonderheid":
            categorie, titel, tekst = self._kies(BIJZONDERHEDEN)
            item.soort, item.categorie, item.titel, item.tekst = _S.BIJZONDERHEID, categorie, t(titel), t(tekst)
            item.auteur = staf.zc if rng.random() < 0.6 else klas.mentor
            item.vertrouwelijkheid = _V.TEAM if categorie == _C.TALENT else _V.VERTROUWELIJK
        elif soort == "toets":
            onderdeel, scores = rng.choice(TOETSEN)
            item.soort, item.titel, item.toets_onderdeel = _S.TOETS, onderdeel, onderdeel
            item.toets_score = rng.choices(scores, weights=[2, 3, 4, 3, 2] if fase == 1 else [1, 2, 3, 4, 4])[0]
            item.tekst = f"Afgenomen in de toetsweek; niveau {item.toets_score}."
            item.auteur = docent if rng.random() < 0.5 else klas.mentor
            if rng.random() < 0.3:
                item.vertrouwelijkheid = _V.OUDERS
        elif soort == "besluit":
            van, naar = self.niveaus[fase - 2], self.niveaus[fase - 1]
            item.soort, item.van_niveau, item.naar_niveau = _S.ZORGNIVEAU, van, naar
            item.case_manager = staf.zc if naar.volgorde >= 3 else klas.mentor
            item.auteur = {"mentor": klas.mentor, "teamleider": klas.teamleider}.get(naar.besloten_door, staf.zc)
            item.titel = f"Zorgniveau {van.code} → {naar.code} ({naar.naam})"
            item.tekst = rng.choice(BESLUITEN.get(naar.volgorde) or [f"Besloten tot zorgniveau {naar.code}."])
            if rng.random() < 0.5:
                item.vertrouwelijkheid = _V.OUDERS
        return item

    def _tijdstempels(self, school):
        """Entries were made on their date (during the school day, in timeline order), not at build time."""
        tabel = connection.ops.quote_name(Dossieritem._meta.db_table)
        historisch = connection.ops.quote_name(Dossieritem.history.model._meta.db_table)
        leerling = connection.ops.quote_name(Leerling._meta.db_table)
        with connection.cursor() as cursor:
            # Fresh statistics first: without them the planner joins these big new tables with nested loops.
            cursor.execute(f"ANALYZE {tabel}, {leerling}" + (f", {historisch}" if self.historie else ""))
            cursor.execute(
                f"""
                WITH r AS (
                    SELECT d.id, d.datum,
                           row_number() OVER (PARTITION BY d.leerling_id, d.datum ORDER BY d.id) AS rn
                    FROM {tabel} d JOIN {leerling} l ON l.id = d.leerling_id WHERE l.school_id = %s
                ), t AS (
                    -- today's entries not later than now (the audit lists newest first), in the same order
                    SELECT id, LEAST(
                        (datum + time '08:10' + ((extract(doy FROM datum)::int * 37) %% 400 + (rn - 1) * 41)
                         * interval '1 minute') AT TIME ZONE %s,
                        now() - (100 - LEAST(rn, 99)) * interval '1 minute'
                    ) AS ts
                    FROM r
                )
                UPDATE {tabel} d SET aangemaakt_op = t.ts, gewijzigd_op = t.ts FROM t WHERE d.id = t.id
                """,  # noqa: S608 (table names from the models)
                [school.pk, settings.TIME_ZONE],
            )
            if self.historie:
                cursor.execute(
                    f"""
                    UPDATE {historisch} h SET aangemaakt_op = d.aangemaakt_op, history_date = d.aangemaakt_op
                    FROM {tabel} d JOIN {leerling} l ON l.id = d.leerling_id
                    WHERE h.id = d.id AND l.school_id = %s
                    """,  # noqa: S608
                    [school.pk],
                )


def _handelingsplannen(schooljaar, historie=True):
    """A vastgesteld vakoverstijgend handelingsplan for every pupil at level 2 or higher in the current
    periode, drawn up by the klas's mentor from the pupil's latest interventie, with two goals."""
    from plannen.models import Doel, Handelingsplan

    periode = schooljaar.periode_op()
    if periode is None:
        return
    mentor_van_klas = dict(
        Klas.mentoren.through.objects.filter(klas__schooljaar=schooljaar).values_list("klas_id", "gebruiker_id")
    )
    plaatsingen = (
        Klasplaatsing.objects.filter(klas__schooljaar=schooljaar, leerling__zorgniveau__volgorde__gte=2)
        .select_related("leerling")
        .order_by("leerling__leerlingnummer")
    )
    hulpvragen = dict(
        Dossieritem.objects.filter(
            soort=Dossieritem.Soort.INTERVENTIE, leerling__plaatsingen__klas__schooljaar=schooljaar
        )
        .exclude(hulpvraag="")
        .order_by("leerling_id", "datum")
        .values_list("leerling_id", "hulpvraag")
    )  # the latest per pupil wins
    vastgesteld = timezone.make_aware(datetime.datetime.combine(periode.begin, datetime.time(12)))
    plannen = [
        Handelingsplan(
            leerling=plaatsing.leerling, auteur_id=mentor_van_klas.get(plaatsing.klas_id), periode=periode,
            status=Handelingsplan.Status.VASTGESTELD, start=periode.begin, evaluatiedatum=periode.einde,
            vastgesteld_op=vastgesteld,
            beginsituatie=hulpvragen.get(plaatsing.leerling_id, "Valt op in de groepsbespreking."),
            onderwijsbehoeften="Heeft een korte, duidelijke instructie nodig en een vaste plek dicht bij de docent.",
            inhoud="Extra begeleiding bij plannen en bij de basisvaardigheden.",
            aanpak="Wekelijks kort gesprek met de mentor; afspraken in de agenda; verlengde instructie.",
            organisatie="Mentor, wekelijks op maandag het 1e uur.",
            evaluatie_afspraken="Mentor evalueert met leerling en ouders aan het einde van de periode.",
            afspraken_ouders="Ouders kijken wekelijks mee in de agenda.",
        )
        for plaatsing in plaatsingen
        if mentor_van_klas.get(plaatsing.klas_id)
    ]
    if historie:
        plannen = bulk_create_with_history(plannen, Handelingsplan, batch_size=1000)
    else:
        plannen = Handelingsplan.objects.bulk_create(plannen, batch_size=1000)
    plannen = list(Handelingsplan.objects.filter(periode=periode).order_by("pk"))
    Doel.objects.bulk_create(
        Doel(handelingsplan=plan, volgorde=i, doel=tekst)
        for plan in plannen
        for i, tekst in enumerate([
            "Houdt een weekplanning bij en heeft in 5 van de 6 weken het huiswerk af, vóór het einde van de periode.",
            "Vraagt zelf om uitleg als iets niet duidelijk is: minstens één keer per week, te zien in de les.",
        ])
    )


def _open_hulpvragen(school, klas, historie=True):
    """Two open requests from mentors, so the teamleider and the zorgcoördinator have something
    to decide: level 1 → 2 and level 2 → 3, made through the route service's own rules. The
    demo mentor's klas comes first; otherwise another klas of the demo teamleider's afdeling."""
    from leerlingen.route import RouteFout, vraag_aan

    for code in ("1", "2"):
        kandidaten = (
            Leerling.objects.filter(
                plaatsingen__klas__schooljaar=klas.schooljaar, plaatsingen__klas__afdeling=klas.afdeling,
                zorgniveau__code=code, opschalingen__isnull=True,
            )
            .select_related("zorgniveau", "school")
            .order_by("leerlingnummer")
        )
        eerst = sorted(kandidaten, key=lambda lln: not lln.plaatsingen.filter(klas=klas).exists())
        for leerling in eerst:
            mentor = Gebruiker.objects.filter(
                mentorklassen__plaatsingen__leerling=leerling, mentorklassen__schooljaar=klas.schooljaar
            ).first()
            hulpvraag = (
                leerling.dossieritems.filter(soort="interventie").exclude(hulpvraag="").values_list(
                    "hulpvraag", flat=True
                ).first()
            )
            if code == "2":
                _interventie_teamleider(leerling, klas, historie)
            try:
                vraag_aan(mentor, school, leerling, hulpvraag or "")
            except RouteFout:
                continue
            break


def _interventie_teamleider(leerling, klas, historie):
    """At moment 2 the teamleider tries something too (seed 004); it prepares the IZO request."""
    teamleider = Gebruiker.objects.filter(
        functies__soort=Functie.Soort.TEAMLEIDER, functies__afdeling=klas.afdeling, functies__schooljaar=klas.schooljaar
    ).first()
    datum = datetime.date.today() - datetime.timedelta(days=7)
    moment = timezone.make_aware(datetime.datetime.combine(datum, datetime.time(10, 30)))
    item = Dossieritem(
        leerling=leerling, soort=Dossieritem.Soort.INTERVENTIE, auteur=teamleider, datum=datum,
        hulpvraag="Blijft piekeren en haalt toetsen niet, ook na de afspraken met de mentor",
        acties="Gesprek met leerling en ouders; twee weken dagelijks kort contact bij de teamleider.",
        uitgevoerd_door=f"{teamleider.naam} (teamleider)", effect=Dossieritem.Effect.BEPERKT,
        interventie=Interventiesoort.objects.filter(school=leerling.school, naam="Mentorgesprekken").first(),
    )
    if not historie:
        item.skip_history_when_saving = True  # simple-history skips when the attribute exists
    item.save()
    Dossieritem.objects.filter(pk=item.pk).update(aangemaakt_op=moment, gewijzigd_op=moment)
    if historie:
        item.history.update(history_date=moment, history_user=teamleider)


def _demo_ouder_en_extern(school, schooljaar, klassen, mentor_index, extern_user):
    """The demo parent: two children, one in the demo mentor's klas and one elsewhere."""
    eerste = Leerling.objects.filter(plaatsingen__klas=klassen[mentor_index]).order_by("leerlingnummer").first()
    andere = klassen[0] if mentor_index == len(klassen) - 1 else klassen[-1]
    tweede = Leerling.objects.filter(plaatsingen__klas=andere).order_by("leerlingnummer").first()
    user = Gebruiker.objects.create(
        username="ouder", first_name="Fatima", last_name="El Amrani", email="ouder@ouders.test",
        password=make_password(DEMO_WACHTWOORD),
    )
    ouder = Ouder.objects.create(gebruiker=user, voornaam="Fatima", achternaam="El Amrani", email=user.email)
    for kind in (eerste, tweede):
        OuderRelatie.objects.create(ouder=ouder, leerling=kind, relatie=OuderRelatie.Relatie.MOEDER, gezag=True)
    instelling = Instelling.objects.create(
        school=school, naam="Jeugdteam Utrecht-Oost", soort=Instelling.Soort.JEUGDZORG
    )
    Contactpersoon.objects.create(
        instelling=instelling, gebruiker=extern_user, naam=extern_user.naam,
        functie="jeugdhulpverlener", email=extern_user.email,
    )
    return {"ouder": "ouder", "externe partner": extern_user.username}


def bouw_regio(scholen=10, **kwargs):
    """Several schools in one database; only the first gets the short demo logins."""
    wachtwoord_hash = make_password(DEMO_WACHTWOORD)
    result = []
    for i in range(scholen):
        result.append(bouw_school(
            code="demo" if i == 0 else f"school{i + 1}",
            naam="Demo Scholengemeenschap De Zorgroute" if i == 0 else f"Scholengemeenschap {i + 1}",
            wachtwoord_hash=wachtwoord_hash, demo_logins=(i == 0), **kwargs,
        ))
    return result
