"""The demo school builder: one module for `make run`, the tests and the benchmarks.

Deterministic (seeded): the same arguments give the same school. Sizes are parameters so
benchmarks can build a 1,500-pupil school or a region of several schools in one database.
Later issues extend it with care data (dossiers, plans, besprekingen).
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from extern.models import Contactpersoon, Instelling
from leerlingen.models import Betrokkene, Klasplaatsing, Leerling, Ouder, OuderRelatie

from . import zorgroutes
from .models import Afdeling, Functie, Gebruiker, Klas, Lesopdracht, Periode, School, Schooljaar, Vak

DEMO_WACHTWOORD = "zorgroute-demo"

VOORNAMEN = [
    "Sanne", "Mehmet", "Chloë", "Noah", "Lotte", "Jayden", "Emma", "Daan", "Fleur", "Sem", "Julia",
    "Liam", "Yara", "Finn", "Anouk", "Milan", "Sara", "Lucas", "Noor", "Levi", "Amira", "Jesse",
    "Isa", "Bram", "Zoë", "Thijs", "Mila", "Ruben", "Hanna", "Luuk", "Aya", "Tim", "Eva", "Stijn",
    "Nina", "Mohamed", "Lieke", "Youssef", "Femke", "Diego", "Shanaya", "Jurgen", "Kimberly",
    "Rashid", "Ilse", "Gianni", "Fatima", "Joep", "Merel", "Kevin",
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
):
    """Build one school with staff, klassen, pupils and parents. Returns a DemoSchool."""
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
    # Make sure the demo docent teaches at least two klassen this year.
    for klas in klassen_per_jaar[huidig.pk][2:4]:
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
    leerlingen = bulk_create_with_history(leerlingen, Leerling, batch_size=2000)
    leerlingen = list(Leerling.objects.filter(school=school).order_by("leerlingnummer"))
    plaatsingen = []
    for jaar in jaren:
        jaar_klassen = klassen_per_jaar[jaar.pk]
        for i, leerling in enumerate(leerlingen):
            plaatsingen.append(Klasplaatsing(leerling=leerling, klas=jaar_klassen[i // leerlingen_per_klas]))
    Klasplaatsing.objects.bulk_create(plaatsingen, batch_size=5000)
    Betrokkene.objects.bulk_create([
        Betrokkene(leerling=lln, gebruiker=specialisten[i % 3][0], rol=specialisten[i % 3][1].label, vanaf=begin)
        for i, lln in enumerate(x for x in leerlingen if x.zorgniveau and x.zorgniveau.volgorde >= 3)
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
            ouder = Ouder(voornaam=rng.choice(VOORNAMEN), achternaam=leerling.achternaam,
                          tussenvoegsel=leerling.tussenvoegsel)
            ouders.append(ouder)
            paar.append((ouder, relatie))
            relaties.append(OuderRelatie(ouder=ouder, leerling=leerling, relatie=relatie, gezag=rng.random() > 0.05))
        vorige = paar
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

    logins = {}
    if demo_logins:
        logins = _demo_ouder_en_extern(school, huidig, klassen_per_jaar[huidig.pk], mentor_index, extern_user)
        logins.update({
            "mentor": "mentor", "docent": "docent", "teamleider": teamleiders[0].username,
            "zorgcoördinator": zc.username, "zorgteam specialist": specialisten[0][0].username,
            "directie": directie.username, "applicatiebeheerder": beheer.username,
        })
    else:
        Contactpersoon.objects.create(
            instelling=Instelling.objects.create(school=school, naam="Jeugdteam", soort=Instelling.Soort.JEUGDZORG),
            gebruiker=extern_user, naam=extern_user.naam,
        )
    return DemoSchool(school=school, logins=logins)


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
