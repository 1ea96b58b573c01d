"""Demo meetings for zorg/demo.py: a history of held IZOs, ZATs and groepsbesprekingen in the
current schooljaar with verslagen, besluiten and afspraken (most done, some overdue), the
groepsbesprekingen of the running periode, and an IZO planned for next week with aanmeldingen
on its agenda and more waiting in the zorgcoördinator's queue. Deterministic (seeded)."""

import datetime
import random

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from besprekingen.models import Aanmelding, Afspraak, Agendapunt, Bespreking, Deelnemer
from besprekingen.services import GROEPSBESPREKING_PUNTEN
from extern.models import Instelling, Toestemming
from leerlingen.models import Dossieritem, Klasplaatsing

from .models import Functie

NOTITIES_IZO = [
    "Mentor licht toe: {v} haalt de toetsen niet en trekt zich terug in de les. Het handelingsplan loopt zes weken; "
    "de afspraken over plannen werken deels. Thuis gaat het redelijk volgens ouders.",
    "Besproken wat {v} nodig heeft: een vaste contactpersoon, korte instructie en rust bij toetsen. De docenten zien "
    "vooral faalangst; de orthopedagoog adviseert eerst een faalangstreductietraining.",
    "Vervolgbespreking. De training is afgerond; {v} is rustiger bij toetsen, maar het verzuim loopt op. "
    "De schoolmaatschappelijk werker neemt contact op met thuis.",
    "Zorgen over welbevinden: {v} piekert veel en slaapt slecht. Ouders zijn geïnformeerd en willen meedenken. "
    "Hulpvraag van de mentor: hoe houd ik contact zonder {v} te overvragen?",
]
NOTITIES_ZAT = [
    "Snelle ronde: de jeugdarts kent het gezin niet, het jeugdteam wel (eerder contact in groep 8). Multidisciplinaire "
    "analyse: problemen op school en thuis hangen samen. Oplossingsrichting: gezinsbegeleiding via het jeugdteam, "
    "school houdt de aanpak in de klas vast.",
    "Anonieme consultatie: leerling uit de bovenbouw met oplopend verzuim en zorgen over de thuissituatie. Advies van "
    "de leerplichtambtenaar en het jeugdteam: eerst een gesprek met ouders, daarna zo nodig aanmelding op naam.",
]
AFSPRAKEN_IZO = [  # (soort, arrangement, wat, eigenaar-rol, dagen)
    (Afspraak.Soort.TERUGKOPPELING_OUDERS, "", "Oudergesprek over de uitkomst van het IZO", "mentor", 7),
    (Afspraak.Soort.ARRANGEMENT, Afspraak.Arrangement.FAALANGST, "Start faalangstreductietraining (6 bijeenkomsten)",
     "orthopedagoog", 14),
    (Afspraak.Soort.HANDELINGSPLAN, "", "Handelingsplan bijstellen met de adviezen uit het IZO", "mentor", 10),
    (Afspraak.Soort.AFSPRAAK, "", "Huisbezoek om de thuissituatie in kaart te brengen", "smw", 10),
    (Afspraak.Soort.ARRANGEMENT, Afspraak.Arrangement.RT, "Twee maanden remedial teaching begrijpend lezen",
     "remedial_teacher", 14),
    (Afspraak.Soort.COACHING, "", "Coaching van de mentor: gesprekstechniek bij piekeren", "orthopedagoog", 21),
    (Afspraak.Soort.TERUGKOPPELING_DOCENTEN, "", "Handelingstips uit het IZO aan de docenten mailen", "mentor", 5),
]
HULPVRAGEN = [
    "Haalt de toetsen niet meer en trekt zich terug; de interventies in de klas hebben onvoldoende effect.",
    "Veel verzuim en vermoeidheid; ouders maken zich zorgen over het slapen.",
    "Conflicten met klasgenoten lopen op; de afspraken met de mentor werken niet meer.",
]
BEGELEIDINGSVRAGEN = [
    "Hoe kunnen wij als docenten {v} het beste begeleiden bij toetsen?",
    "Hoe houd ik als mentor contact met {v} zonder te overvragen?",
]
GB_NOTITIES = {
    1: "Vragen: hoe gaan we om met de onrust na de pauze? Wie heeft zicht op het huiswerk van de zwakke lezers?",
    2: "Subgroep verlengde instructie begrijpend lezen: doel deels behaald, aanpak voortzetten. Plannen: behaald.",
    3: "Veel leerlingen hebben moeite met het plannen van de werkstukken; in het nieuwe groepsplan een planningsles.",
    4: "De docenten herkennen de gesignaleerde leerlingen; twee leerlingen toegevoegd (faalangst, verzuim).",
    5: "Onderwijsbehoeften aangescherpt: korte instructie, vaste plek, vooraf weten wat de les brengt.",
    6: "Drie subgroepen: verlengde instructie lezen, planning, uitdaging voor de snelle rekenaars.",
    7: "De mentor werkt het groepsplan uit en verspreidt het voor de volgende week. Iedere docent past de instructie "
       "toe in de eigen les.",
    8: "Bij wiskunde en Engels extra aandacht voor de instructie aan het begin van de les.",
    9: "Eén leerling aanmelden bij het intern zorgteam (piekert, verzuim); ouders worden eerst geïnformeerd.",
}


def _moment(datum, uur=14, minuut=0):
    return timezone.make_aware(datetime.datetime.combine(datum, datetime.time(uur, minuut)))


def _werkdag(d, weekdag=3):
    """The given weekday (Thursday) of d's week."""
    return d - datetime.timedelta(days=d.weekday()) + datetime.timedelta(days=weekdag)


def bouw_besprekingen(school, schooljaar, klassen, klassen_info, staf, vandaag, historie=True, demo_klas=None):
    rng = random.Random(f"{school.code}-besprekingen")
    zc = staf.zc
    spec = {soort: user for soort, user in staf.specialisten.items()}
    eigenaar_voor = {
        "orthopedagoog": spec.get(Functie.Soort.ORTHOPEDAGOOG, zc),
        "smw": spec.get(Functie.Soort.SMW, zc),
        "remedial_teacher": spec.get(Functie.Soort.REMEDIAL_TEACHER, zc),
    }
    mentor_van = {klas.pk: info.mentor for klas, info in zip(klassen, klassen_info, strict=True)}
    info_van = {klas.pk: info for klas, info in zip(klassen, klassen_info, strict=True)}
    klas_van = dict(
        Klasplaatsing.objects.filter(klas__schooljaar=schooljaar, leerling__school=school).values_list(
            "leerling_id", "klas_id")
    )
    plaatsingen = list(
        Klasplaatsing.objects.filter(klas__schooljaar=schooljaar, leerling__school=school)
        .select_related("leerling__zorgniveau").order_by("leerling__leerlingnummer")
    )
    hoog = [p.leerling for p in plaatsingen if p.leerling.zorgniveau and p.leerling.zorgniveau.volgorde >= 3]
    extern = [p.leerling for p in plaatsingen if p.leerling.zorgniveau and p.leerling.zorgniveau.extern]
    midden = [p.leerling for p in plaatsingen if p.leerling.zorgniveau and p.leerling.zorgniveau.volgorde == 2]
    # The ZAT's referrals go to the jeugdteam; zorg/demo_extern.py gives each a Verwijzing row.
    instelling = Instelling.objects.filter(school=school, soort=Instelling.Soort.JEUGDZORG).order_by("pk").first()
    met_toestemming = set(
        Toestemming.objects.filter(leerling__school=school, doel__in=["zat", "zorgniveau"], status="gegeven")
        .values_list("leerling_id", flat=True)
    )

    besprekingen, punten, afspraken, items, aanmeldingen = [], [], [], [], []
    deelnemers = []

    def nieuwe_bespreking(soort, datum, voorzitter, gehouden, klas=None, periode=None, leden=()):
        b = Bespreking(
            school=school, soort=soort,
            begin=_moment(datum, 15, 30) if soort == "groepsbespreking" else _moment(datum, 14),
            voorzitter=voorzitter, klas=klas, periode=periode, aangemaakt_door=zc,
            status=Bespreking.Status.GEHOUDEN if gehouden else Bespreking.Status.GEPLAND,
            locatie="Kamer zorgcoördinator" if soort in ("izo", "zat") else "Lokaal van de mentor",
            uitgenodigd_op=_moment(datum - datetime.timedelta(days=7), 9),
        )
        if gehouden:
            b.verslag_vastgesteld_op, b.verslag_vastgesteld_door = _moment(datum, 17), voorzitter
        besprekingen.append(b)
        deelnemers.append((b, [voorzitter, *[u for u in leden if u.pk != voorzitter.pk]]))
        return b

    # Weekly IZOs from mid-September up to last week; pupils at level 3+ get discussed in turn.
    start = _werkdag(max(schooljaar.begin, datetime.date(schooljaar.begin.year, 9, 10)))
    izo_data = []
    d = start
    while d < vandaag - datetime.timedelta(days=1):
        izo_data.append(d)
        d += datetime.timedelta(days=7)
    zorgteam = [zc, *staf.specialisten.values()]
    beurt = 0
    for i, datum in enumerate(izo_data):
        teamleider = list(staf.teamleiders.values())[i % len(staf.teamleiders)]
        b = nieuwe_bespreking("izo", datum, zc, True, leden=[*zorgteam, teamleider])
        for j in range(min(2 if i % 3 else 3, len(hoog))):  # a pupil once per agenda
            leerling = hoog[beurt % len(hoog)]
            beurt += 1
            mentor = mentor_van.get(klas_van.get(leerling.pk), zc)
            notities = NOTITIES_IZO[(i + j) % len(NOTITIES_IZO)].format(v=leerling.voornaam)
            aanmelding = Aanmelding(
                school=school, leerling=leerling, soort="izo", hulpvraag=HULPVRAGEN[(i + j) % len(HULPVRAGEN)],
                begeleidingsvraag=BEGELEIDINGSVRAGEN[j % 2].format(v=leerling.voornaam), ouders_geinformeerd=True,
                status=Aanmelding.Status.AFGEROND if datum < vandaag - datetime.timedelta(days=42)
                else Aanmelding.Status.BESPROKEN,
                aangemeld_door=mentor, aangemeld_op=_moment(datum - datetime.timedelta(days=9), 10),
            )
            aanmeldingen.append(aanmelding)
            punt = Agendapunt(
                bespreking=b, volgorde=j + 1, leerling=leerling, aanmelding=aanmelding, notities=notities,
                besproken=True, case_manager=leerling.case_manager or zc,
                vervolgdatum=datum + datetime.timedelta(weeks=school.evaluatie_weken), gewijzigd_door=zc,
            )
            punten.append(punt)
            gekozen = rng.sample(AFSPRAKEN_IZO, 2)
            regels = []
            for soort, arrangement, wat, rol, dagen in gekozen:
                eigenaar = mentor if rol == "mentor" else eigenaar_voor[rol]
                uiterlijk = datum + datetime.timedelta(days=dagen)
                klaar = uiterlijk < vandaag - datetime.timedelta(days=4) and rng.random() < 0.85
                afspraken.append(Afspraak(
                    school=school, bespreking=b, agendapunt=punt, leerling=leerling, soort=soort,
                    arrangement=arrangement, wat=wat, eigenaar=eigenaar, uiterlijk=uiterlijk,
                    status=Afspraak.Status.GEDAAN if klaar else Afspraak.Status.OPEN,
                    afgehandeld_op=_moment(uiterlijk - datetime.timedelta(days=1), 16) if klaar else None,
                    afgehandeld_door=eigenaar if klaar else None,
                    notitie="Uitgevoerd; besproken met de leerling." if klaar else "",
                    aangemaakt_door=zc, aangemaakt_op=_moment(datum, 15),
                ))
                regels.append(f"- {wat} ({eigenaar.naam}, uiterlijk {uiterlijk:%d-%m-%Y})")
            item = Dossieritem(
                leerling=leerling, soort=Dossieritem.Soort.BESPREKING, datum=datum, auteur=zc,
                titel=f"IZO {datum:%d-%m}: besluiten", tekst=notities + "\n\nAfspraken:\n" + "\n".join(regels),
            )
            items.append((item, punt))

    # ZATs every six weeks: one named pupil with consent (and a referral), one anonymous consultation.
    zat_data = [d - datetime.timedelta(days=2) for d in izo_data[1::6]]  # on Tuesdays
    for i, datum in enumerate(zat_data):
        leden = [zc, spec.get(Functie.Soort.SMW, zc), staf.directie]
        b = nieuwe_bespreking("zat", datum, zc, True, leden=leden)
        kandidaten = [lln for lln in extern if lln.pk in met_toestemming]
        if kandidaten:
            leerling = kandidaten[i % len(kandidaten)]
            punt = Agendapunt(
                bespreking=b, volgorde=1, leerling=leerling, notities=NOTITIES_ZAT[0], besproken=True,
                case_manager=zc, vervolgdatum=datum + datetime.timedelta(weeks=school.evaluatie_weken),
                gewijzigd_door=zc,
            )
            punten.append(punt)
            if instelling is not None and i >= len(kandidaten):  # referred before: the ZAT evaluates the help
                afspraken.append(Afspraak(
                    school=school, bespreking=b, agendapunt=punt, leerling=leerling, soort=Afspraak.Soort.AFSPRAAK,
                    wat=f"Voortgang van de hulp door {instelling.naam} opvragen voor het volgende ZAT", eigenaar=zc,
                    uiterlijk=datum + datetime.timedelta(days=14), aangemaakt_door=zc,
                    aangemaakt_op=_moment(datum, 15),
                ))
            elif instelling is not None:
                afspraken.append(Afspraak(
                    school=school, bespreking=b, agendapunt=punt, leerling=leerling,
                    soort=Afspraak.Soort.VERWIJZING, instelling=instelling,
                    wat=f"Aanmelden bij {instelling.naam} voor gezinsbegeleiding", eigenaar=zc,
                    uiterlijk=datum + datetime.timedelta(days=7), status=Afspraak.Status.GEDAAN,
                    afgehandeld_op=_moment(datum + datetime.timedelta(days=5), 11), afgehandeld_door=zc,
                    notitie="Aangemeld; het jeugdteam bevestigt de intake.", aangemaakt_door=zc,
                    aangemaakt_op=_moment(datum, 15),
                ))
            items.append((Dossieritem(
                leerling=leerling, soort=Dossieritem.Soort.BESPREKING, datum=datum, auteur=zc,
                vertrouwelijkheid=Dossieritem.Vertrouwelijkheid.VERTROUWELIJK,
                titel=f"ZAT {datum:%d-%m}: besluiten", tekst=NOTITIES_ZAT[0]), punt))
        if midden:
            anoniem = midden[(i * 7) % len(midden)]
            punten.append(Agendapunt(
                bespreking=b, volgorde=2, leerling=anoniem, anoniem=True, notities=NOTITIES_ZAT[1], besproken=True,
                gewijzigd_door=zc,
            ))

    # Groepsbesprekingen of periode 1 (or the running periode): held for the klassen whose date has
    # passed, planned for the others; the demo mentor's klas is planned (tomorrow-ish) to try out.
    periode = schooljaar.periode_op(vandaag) or schooljaar.perioden.order_by("nummer").first()
    gb_datum = periode.groepsbespreking_op or periode.einde - datetime.timedelta(days=4)
    for k, klas in enumerate(klassen):
        info = info_van[klas.pk]
        leden = [info.mentor, *[d for d, _vak in info.docenten_dit_jaar[:4]], info.teamleider]
        eerder = gb_datum - datetime.timedelta(days=3 + (k % 8))
        gehouden = k % 3 != 0 and k != demo_klas and eerder < vandaag
        datum = eerder if gehouden else max(gb_datum, vandaag + datetime.timedelta(days=1))
        b = nieuwe_bespreking("groepsbespreking", datum, info.mentor, gehouden, klas=klas, periode=periode,
                              leden=leden)
        for nummer, titel, _verslag in GROEPSBESPREKING_PUNTEN:
            punten.append(Agendapunt(bespreking=b, volgorde=nummer, nummer=nummer, titel=str(titel),
                                     notities=GB_NOTITIES[nummer] if gehouden else ""))
        if gehouden:
            b.samenvatting = ("De mentor werkt het groepsplan uit; drie subgroepen; één aanmelding bij het intern "
                              "zorgteam.")
            afspraken.append(Afspraak(
                school=school, bespreking=b, soort=Afspraak.Soort.GROEPSPLAN, wat="Nieuw groepsplan uitwerken en "
                "verspreiden onder de docenten", eigenaar=info.mentor, uiterlijk=datum + datetime.timedelta(days=7),
                aangemaakt_door=info.mentor, aangemaakt_op=_moment(datum, 16),
            ))

    # Next week's IZO: two follow-ups on the agenda, three new aanmeldingen waiting in the queue.
    volgende = _werkdag(vandaag + datetime.timedelta(days=7))
    b = nieuwe_bespreking("izo", volgende, zc, False, leden=zorgteam)
    for j, leerling in enumerate(hoog[beurt % max(len(hoog), 1):][:2] if hoog else []):
        mentor = mentor_van.get(klas_van.get(leerling.pk), zc)
        aanmelding = Aanmelding(
            school=school, leerling=leerling, soort="izo", hulpvraag=HULPVRAGEN[j % len(HULPVRAGEN)],
            begeleidingsvraag=BEGELEIDINGSVRAGEN[j % 2].format(v=leerling.voornaam), ouders_geinformeerd=True,
            status=Aanmelding.Status.INGEPLAND, aangemeld_door=mentor,
            aangemeld_op=_moment(vandaag - datetime.timedelta(days=3 + j), 11),
        )
        aanmeldingen.append(aanmelding)
        punten.append(Agendapunt(bespreking=b, volgorde=j + 1, leerling=leerling, aanmelding=aanmelding))
    al_aangemeld = set(Aanmelding.objects.filter(school=school).values_list("leerling_id", flat=True))
    wachtend = [lln for lln in midden if lln.pk not in al_aangemeld]
    if demo_klas is not None:
        demo_klas_pk = klassen[demo_klas].pk
        wachtend.sort(key=lambda lln: klas_van.get(lln.pk) != demo_klas_pk)
    for j, leerling in enumerate(wachtend[:3]):
        mentor = mentor_van.get(klas_van.get(leerling.pk), zc)
        aanmeldingen.append(Aanmelding(
            school=school, leerling=leerling, soort="izo", hulpvraag=HULPVRAGEN[(j + 1) % len(HULPVRAGEN)],
            begeleidingsvraag=BEGELEIDINGSVRAGEN[j % 2].format(v=leerling.voornaam),
            aard_probleem="Sociaal-emotioneel: terugtrekken, piekeren; leerprestaties dalen.",
            ouders_geinformeerd=True, aangemeld_door=mentor,
            aangemeld_op=_moment(vandaag - datetime.timedelta(days=1 + j), 9 + j),
        ))

    # The demo mentor: one afspraak overdue, one due this week.
    if demo_klas is not None:
        demo_mentor = klassen_info[demo_klas].mentor
        leerling = next((p.leerling for p in plaatsingen if p.klas_id == klassen[demo_klas].pk), None)
        laatste_izo = next((x for x in reversed(besprekingen) if x.soort == "izo" and x.status == "gehouden"), None)
        if leerling is not None:
            for wat, dagen in [("Oudergesprek over de uitkomst van het IZO", -2),
                               ("Handelingstips aan de docenten mailen", 3)]:
                afspraken.append(Afspraak(
                    school=school, bespreking=laatste_izo, leerling=leerling, eigenaar=demo_mentor,
                    soort=Afspraak.Soort.TERUGKOPPELING_OUDERS if dagen < 0 else Afspraak.Soort.TERUGKOPPELING_DOCENTEN,
                    wat=wat, uiterlijk=vandaag + datetime.timedelta(days=dagen), aangemaakt_door=zc,
                    aangemaakt_op=_moment(vandaag - datetime.timedelta(days=9), 15),
                ))

    _opslaan(besprekingen, deelnemers, aanmeldingen, punten, afspraken, items, historie)


def _opslaan(besprekingen, deelnemers, aanmeldingen, punten, afspraken, items, historie):
    def maak(model, objecten):
        if historie:
            return bulk_create_with_history(objecten, model, batch_size=2000)
        return model.objects.bulk_create(objecten, batch_size=2000)

    maak(Bespreking, besprekingen)
    Deelnemer.objects.bulk_create(
        [Deelnemer(bespreking=b, gebruiker=u, aanwezig=True if b.status == "gehouden" else None,
                   uitgenodigd_op=b.uitgenodigd_op)
         for b, leden in deelnemers for u in {u.pk: u for u in leden}.values()],
        batch_size=5000,
    )
    maak(Aanmelding, aanmeldingen)
    for punt in punten:
        punt.bespreking_id = punt.bespreking.pk
        if punt.aanmelding is not None:
            punt.aanmelding_id = punt.aanmelding.pk
    maak(Dossieritem, [item for item, _punt in items])
    for item, _punt in items:  # written when the verslag was fixed, that afternoon
        Dossieritem.objects.filter(pk=item.pk).update(aangemaakt_op=_moment(item.datum, 17),
                                                      gewijzigd_op=_moment(item.datum, 17))
    for item, punt in items:
        punt.dossieritem = item
    maak(Agendapunt, punten)
    for afspraak in afspraken:
        afspraak.bespreking_id = afspraak.bespreking.pk if afspraak.bespreking else None
        afspraak.agendapunt_id = afspraak.agendapunt.pk if afspraak.agendapunt else None
    maak(Afspraak, afspraken)
