"""Demo external partners for zorg/demo.py (issue 6): the school's register (the jeugdteam with the
demo "extern" login, plus GGD, leerplicht, SMW, samenwerkingsverband, Veilig Thuis and ambulante
begeleiding — in Aruba DSZ and the Wit-Gele Kruis), consents in every state, referrals in every
status with realistic waiting times and terugkoppeling, and the demo extern's grants (two running,
one expired). The ZAT "verwijzing" afspraken of zorg/demo_besprekingen.py get their Verwijzing.

Deterministic and a fixed small number of rows per school, however big the school is."""

import datetime

from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from besprekingen.models import Afspraak
from extern import toestemming as toestemming_regels
from extern.models import Contactpersoon, ExterneToegang, Instelling, Terugkoppeling, Toestemming, Verwijzing
from leerlingen.models import Leerling, OuderRelatie

from .models import School

D = datetime.timedelta
S = Instelling.Soort
T = Toestemming
V = Verwijzing
K = Terugkoppeling.Soort

# (soort, naam, domein, [(contact, functie)]) per land; the jeugdteam comes from zorg/demo.py.
PARTNERS = {
    School.Land.NEDERLAND: [
        (S.GGD, "GGD regio {plaats} – jeugdgezondheidszorg", "ggd",
         [("Mirjam Bos", "jeugdarts"), ("Eline Kuipers", "jeugdverpleegkundige")]),
        (S.LEERPLICHT, "Bureau Leerplicht {plaats}", "leerplicht", [("Ahmed Bennani", "leerplichtambtenaar")]),
        (S.SMW, "Schoolmaatschappelijk werk {plaats}", "smw", [("Joyce Verhoeven", "schoolmaatschappelijk werker")]),
        (S.SWV, "Samenwerkingsverband VO {plaats}", "swv", [("Hans de Groot", "consulent passend onderwijs")]),
        (S.VEILIG_THUIS, "Veilig Thuis {plaats}", "veiligthuis", [("Sandra Wolters", "gedragswetenschapper")]),
        (S.AMBULANT, "Ambulante begeleiding cluster 4", "ambulant", [("Ruud Hermans", "ambulant begeleider")]),
    ],
    School.Land.ARUBA: [
        (S.WGK, "Wit-Gele Kruis – jeugdgezondheidszorg", "wgk",
         [("Mirjam Croes", "jeugdarts"), ("Eline Wever", "wijkverpleegkundige")]),
        (S.LEERPLICHT, "Leerplicht Aruba", "leerplicht", [("Ahmed Tromp", "leerplichtambtenaar")]),
        (S.SMW, "Schoolmaatschappelijk werk", "smw", [("Joyce Kock", "schoolmaatschappelijk werker")]),
        (S.DSZ, "Directie Sociale Zaken – Jeugd en Gezin", "dsz", [("Hans Maduro", "maatschappelijk werker")]),
        (S.POLITIE, "KPA – jeugd- en zedenpolitie", "kpa", [("Sandra Geerman", "jeugdagent")]),
        (S.AMBULANT, "Ambulante begeleiding", "ambulant", [("Ruud Dijkhoff", "ambulant begeleider")]),
    ],
}

TOELICHTING = {
    T.Doel.ZAT: "Wij willen uw kind op naam bespreken in het zorg- en adviesteam (ZAT), met de jeugdarts, het "
                "jeugdteam, leerplicht en schoolmaatschappelijk werk, om samen te kijken welke hulp past.",
    T.Doel.GEGEVENS_DELEN: "Wij willen gegevens uit het leerlingdossier (hulpvraag, aanpak op school) delen met "
                           "{instelling}, zodat zij kunnen meedenken.",
    T.Doel.VERWIJZING: "Wij willen uw kind aanmelden bij {instelling} en daarvoor het verwijsdossier delen: de "
                       "hulpvraag, wat de school deed en met welk effect, en de plannen.",
    T.Doel.OVERDRACHT: "Wij willen ook vertrouwelijke gegevens (diagnose, medische gegevens, thuissituatie) "
                       "overdragen aan {instelling}.",
}
SECTIES = [V.Sectie.HULPVRAAG, V.Sectie.INTERVENTIES, V.Sectie.PLANNEN, V.Sectie.BESLUITEN]


def _moment(datum, uur=10):
    return timezone.make_aware(datetime.datetime.combine(datum, datetime.time(uur, 0)))


def bouw_extern(school, staf, vandaag, historie=True):
    """Add the register, consents, referrals, terugkoppeling and grants for one school."""
    zc = staf.zc
    plaats = school.plaats or "Utrecht"
    land = school.land if school.land in PARTNERS else School.Land.NEDERLAND
    jeugdteam = Instelling.objects.filter(school=school, soort=S.JEUGDZORG).order_by("pk").first()
    if jeugdteam is None:
        jeugdteam = Instelling.objects.create(school=school, naam=f"Jeugdteam {plaats}", soort=S.JEUGDZORG)
    Instelling.objects.filter(pk=jeugdteam.pk).update(
        adres=f"Stationsplein 12, {plaats}", telefoon="030-2860100", email="aanmelden@jeugdteam.test")
    demo_contact = jeugdteam.contactpersonen.exclude(gebruiker=None).order_by("pk").first()

    def maak(model, objecten):
        if historie:
            return bulk_create_with_history(objecten, model, batch_size=500)
        return model.objects.bulk_create(objecten, batch_size=500)

    # The register.
    partners = [
        Instelling(school=school, naam=naam.format(plaats=plaats), soort=soort, email=f"info@{domein}.test",
                   telefoon=f"030-{2400000 + 1111 * i}", adres=f"Postbus {100 + 7 * i}, {plaats}")
        for i, (soort, naam, domein, _contacten) in enumerate(PARTNERS[land])
    ]
    maak(Instelling, partners)
    contacten = [Contactpersoon(instelling=jeugdteam, naam="Karin Mulder", functie="jeugdhulpverlener (uit dienst)",
                                email="k.mulder@jeugdteam.test", actief=False)]
    eerste_contact = {}
    for instelling, (_soort, _naam, domein, namen) in zip(partners, PARTNERS[land], strict=True):
        for j, (naam, functie) in enumerate(namen):
            voornaam, _sp, achternaam = naam.partition(" ")
            c = Contactpersoon(
                instelling=instelling, naam=naam, functie=functie, telefoon=f"06-{41000000 + 137 * len(contacten)}",
                email=f"{voornaam[0].lower()}.{achternaam.replace(' ', '').lower()}@{domein}.test",
            )
            contacten.append(c)
            if j == 0:
                eerste_contact[instelling.soort] = c
    maak(Contactpersoon, contacten)
    per_soort = {i.soort: i for i in partners}
    eerste_contact[S.JEUGDZORG] = demo_contact

    # Pupils: the ZAT pupils referred to the jeugdteam, then the highest levels with an ouder with gezag.
    zat_afspraken = list(
        Afspraak.objects.filter(school=school, soort=Afspraak.Soort.VERWIJZING, instelling=jeugdteam)
        .select_related("leerling__school", "agendapunt", "bespreking").order_by("uiterlijk", "pk")
    )
    demo_kinderen = list(
        Leerling.objects.filter(school=school, ouderrelaties__ouder__gebruiker__username="ouder",
                                ouderrelaties__gezag=True).select_related("school").order_by("leerlingnummer")
    )
    bezet = {a.leerling_id for a in zat_afspraken} | {k.pk for k in demo_kinderen}
    pool = [
        lln for lln in Leerling.objects.filter(school=school, ouderrelaties__gezag=True)
        .select_related("school", "zorgniveau")
        .order_by(F("zorgniveau__volgorde").desc(nulls_last=True), "leerlingnummer").distinct()[:40]
        if lln.pk not in bezet
    ] or [a.leerling for a in zat_afspraken]
    if not pool:
        return
    gezag = {}
    ids = {lln.pk for lln in pool} | {a.leerling_id for a in zat_afspraken} | {k.pk for k in demo_kinderen}
    for r in (OuderRelatie.objects.filter(leerling_id__in=ids, gezag=True).select_related("ouder__gebruiker")
              .order_by("leerling_id", "ouder_id")):
        gezag.setdefault(r.leerling_id, []).append(r.ouder)
    volgende = iter(range(10**6))

    def leerling_uit_pool():
        return pool[next(volgende) % len(pool)]

    toestemmingen = []

    def toestemming(leerling, doel, status, datum, instelling=None, digitaal=False, geldig=365, reden="",
                    ingetrokken=None, kind_akkoord=True):
        ouders = gezag.get(leerling.pk, [])
        met_account = [o for o in ouders if o.gebruiker_id]
        ouder = (met_account or ouders or [None])[0] if digitaal else (ouders or [None])[0]
        digitaal = digitaal and ouder is not None and ouder.gebruiker_id is not None
        beslist = status != T.Status.AANGEVRAAGD
        samen = toestemming_regels.wie_beslist(leerling, vandaag) != "ouders"
        t = Toestemming(
            leerling=leerling, doel=doel, instelling=instelling, status=status,
            toelichting=TOELICHTING.get(doel, "").format(instelling=instelling.naam if instelling else ""),
            ouder=ouder if beslist else None,
            leerling_akkoord=(kind_akkoord if samen else None) if beslist else None,
            wijze=T.Wijze.DIGITAAL if digitaal else T.Wijze.PAPIER, datum=datum,
            geldig_tot=datum + D(days=geldig) if status in (T.Status.GEGEVEN, T.Status.INGETROKKEN) else None,
            reden=reden, aangevraagd_door=zc, aangevraagd_op=_moment(datum - D(days=6 if beslist else 0), 9),
            beslist_op=_moment(datum, 20 if digitaal else 11) if beslist else None,
            ingetrokken_op=_moment(ingetrokken, 16) if ingetrokken else None,
            vastgelegd_door=zc if beslist and not digitaal else None,
        )
        toestemmingen.append(t)
        return t

    # Referrals: (instelling, leerling, aangemeld, status, dates, afspraak, extra).
    plannen = []
    # The jeugdteam: a closed one (the grant has expired), then the ZAT decisions, at least two open.
    plannen.append(dict(inst=jeugdteam, lln=leerling_uit_pool(), a=vandaag - D(days=230), status=V.Status.AFGESLOTEN))
    for afspraak in zat_afspraken:
        a = afspraak.afgehandeld_op.date() if afspraak.afgehandeld_op else afspraak.uiterlijk
        plannen.append(dict(inst=jeugdteam, lln=afspraak.leerling, a=min(a, vandaag), afspraak=afspraak))
    def status_op(aangemeld):  # confirmed after a week, started after the waiting list, closed after months
        dagen = (vandaag - aangemeld).days
        return (V.Status.AANGEMELD if dagen < 8 else V.Status.BEVESTIGD if dagen < 36
                else V.Status.GESTART if dagen < 120 else V.Status.AFGESLOTEN)

    for p in plannen[1:]:
        p["status"] = status_op(p["a"])
    open_zat = [p for p in plannen[1:] if p["status"] in V.OPEN]
    for dagen in (75, 15)[: max(0, 2 - len(open_zat))]:
        a = vandaag - D(days=dagen)
        plannen.append(dict(inst=jeugdteam, lln=leerling_uit_pool(), a=a, status=status_op(a)))
    jeugdteam_open = [p for p in plannen if p["inst"] == jeugdteam and p["status"] in V.OPEN][-2:]
    for p in jeugdteam_open:
        p["toegang"] = "loopt"
    plannen[0]["toegang"] = "verlopen"
    # Other partners: every status appears whatever the date.
    overig = [
        (S.SMW, V.Status.AANGEMELD, 3), (S.AMBULANT, V.Status.WACHTLIJST, 45), (S.GGD if land == "NL" else S.WGK,
                                                                             V.Status.BEVESTIGD, 20),
        (S.AMBULANT, V.Status.GESTART, 110), (S.SWV if land == "NL" else S.DSZ, V.Status.AFGEWEZEN, 60),
    ]
    for soort, status, dagen in overig:
        plannen.append(dict(inst=per_soort[soort], lln=leerling_uit_pool(), a=vandaag - D(days=dagen), status=status))

    verwijzingen, koppelingen, toegangen = [], [], []
    for n, p in enumerate(plannen):
        inst, lln, a, status = p["inst"], p["lln"], p["a"], p["status"]
        consent = toestemming(lln, T.Doel.VERWIJZING, T.Status.GEGEVEN, a - D(days=4), instelling=inst,
                              digitaal=n % 2 == 0, geldig=365)
        v = Verwijzing(
            school=school, leerling=lln, instelling=inst, contactpersoon=eerste_contact.get(inst.soort),
            reden=_REDEN.get(inst.soort, _REDEN[S.JEUGDZORG]).format(v=lln.voornaam),
            hulpvraag=f"Hoe kunnen thuis en school samen zorgen dat {lln.voornaam} weer met plezier en regelmatig "
                      "naar school gaat?",
            secties=[s.value for s in SECTIES], toestemming=consent, status=status, aangemeld_op=a,
            aangemaakt_door=zc, taak_school=f"Mentor houdt wekelijks contact met {lln.voornaam} en de ouders; "
            "de zorgcoördinator bewaakt de afspraken.",
        )
        afspraak = p.get("afspraak")
        if afspraak is not None:
            v.afspraak, v.agendapunt = afspraak, afspraak.agendapunt
        bevestigd, gestart = a + D(days=7), a + D(days=7 + (28 if inst == jeugdteam else 49))
        if status == V.Status.WACHTLIJST:
            v.wachtlijst_op = a + D(days=6)
            v.taak_school = "Tot de start: wekelijks gesprek met de mentor; de orthopedagoog adviseert de docenten."
        elif status == V.Status.AFGEWEZEN:
            v.afgewezen_op = a + D(days=21)
            v.taak_school = "Eerst een arrangement binnen school (IZO); na evaluatie eventueel opnieuw aanmelden."
        else:
            if status in (V.Status.BEVESTIGD, V.Status.GESTART, V.Status.AFGESLOTEN):
                v.bevestigd_op = min(bevestigd, vandaag)
            if status in (V.Status.GESTART, V.Status.AFGESLOTEN):
                v.gestart_op = min(gestart, vandaag)
                if inst.soort == S.AMBULANT:
                    v.wachtlijst_op = a + D(days=5)
            if status == V.Status.AFGESLOTEN:
                v.afgesloten_op = min(v.gestart_op + D(days=90), vandaag - D(days=10))
                v.nazorg = ("Gezinsbegeleiding afgerond; ouders weten de weg naar het jeugdteam. De mentor let op "
                            "verzuim en meldt nieuwe zorgen bij de zorgcoördinator.")
                v.terugkijken_op = v.afgesloten_op + D(days=42)
        # The school's overdracht consent: given for the newest open jeugdteam file (so the confidential
        # part shows), refused for the other.
        if p.get("toegang") == "loopt":
            geweigerd = p is jeugdteam_open[0] and len(jeugdteam_open) > 1
            toestemming(lln, T.Doel.OVERDRACHT, T.Status.GEWEIGERD if geweigerd else T.Status.GEGEVEN,
                        a - D(days=3), instelling=inst, digitaal=not geweigerd,
                        reden="Ouders willen de diagnose niet delen; de rest van het dossier wel." if geweigerd
                        else "")
            if not geweigerd:
                v.secties = [*v.secties, V.Sectie.VERTROUWELIJK.value]
        verwijzingen.append(v)

        partner = inst == jeugdteam and demo_contact is not None and demo_contact.gebruiker_id
        auteur = demo_contact.gebruiker if partner else zc

        def koppel(soort, datum, tekst, door_partner=partner, auteur=auteur, v=v):
            koppelingen.append(Terugkoppeling(verwijzing=v, soort=soort, datum=datum, tekst=tekst, auteur=auteur,
                                              door_partner=bool(door_partner)))

        if v.bevestigd_op:
            koppel(K.BEVESTIGING, v.bevestigd_op, "Aanmelding ontvangen en bevestigd; intakegesprek met ouders en "
                   f"{lln.voornaam} is gepland." if partner else "Telefonisch bevestigd door de instelling "
                   "(vastgelegd door de zorgcoördinator).")
        if v.wachtlijst_op and status == V.Status.WACHTLIJST:
            koppel(K.VOORTGANG, v.wachtlijst_op, "Telefonisch doorgegeven: de wachttijd is ongeveer tien weken.",
                   door_partner=False, auteur=zc)
        if v.gestart_op:
            koppel(K.GESTART, v.gestart_op, "De hulpverlening is gestart: wekelijks gezinsgesprek, eerst thuis.")
            koppel(K.TAAK_SCHOOL, v.gestart_op + D(days=1) if v.gestart_op < vandaag else v.gestart_op,
                   "Graag wekelijks het verzuim doorgeven aan de hulpverlener en signalen in de klas melden.")
        if v.afgesloten_op:
            koppel(K.AFGESLOTEN, v.afgesloten_op, "Hulpverlening afgesloten: de doelen zijn bereikt, het gezin "
                   "redt het weer zelf. Nazorg via de mentor.")
        if v.afgewezen_op:
            koppel(K.ANDERS, v.afgewezen_op, "Aanmelding niet aangenomen: de ondersteuning past binnen de "
                   "basisondersteuning van de school. Advies: eerst een arrangement op school.",
                   door_partner=False, auteur=zc)
        if demo_contact is not None and p.get("toegang"):
            vanaf = v.bevestigd_op or a
            if p["toegang"] == "loopt":
                tot = max(vanaf + D(days=30 * school.toegang_extern_maanden), vandaag + D(days=30))
            else:
                tot = v.afgesloten_op or vandaag - D(days=10)
            toegangen.append(ExterneToegang(verwijzing=v, contactpersoon=demo_contact, vanaf=vanaf, tot=tot,
                                            verleend_door=zc))

    # Consents in the other states.
    kind = demo_kinderen[0] if demo_kinderen else leerling_uit_pool()
    toestemming(kind, T.Doel.ZAT, T.Status.AANGEVRAAGD, vandaag - D(days=2))  # the demo parent answers this
    ggd = per_soort.get(S.GGD) or per_soort.get(S.WGK)
    toestemming(leerling_uit_pool(), T.Doel.GEGEVENS_DELEN, T.Status.AANGEVRAAGD, vandaag - D(days=5),
                instelling=ggd)
    toestemming(leerling_uit_pool(), T.Doel.ZAT, T.Status.GEGEVEN, vandaag - D(days=30), digitaal=True)
    toestemming(leerling_uit_pool(), T.Doel.ZAT, T.Status.GEWEIGERD, vandaag - D(days=40),
                reden="Ouders willen eerst zelf contact met de huisarts opnemen.")
    toestemming(leerling_uit_pool(), T.Doel.GEGEVENS_DELEN, T.Status.INGETROKKEN, vandaag - D(days=80),
                instelling=per_soort[S.LEERPLICHT], ingetrokken=vandaag - D(days=12),
                reden="Het verzuim is opgelost; ouders trekken de toestemming in.")
    toestemming(leerling_uit_pool(), T.Doel.GEGEVENS_DELEN, T.Status.GEGEVEN, vandaag - D(days=400),
                instelling=ggd, geldig=365)  # verlopen

    maak(Toestemming, toestemmingen)
    for v in verwijzingen:
        v.toestemming_id = v.toestemming.pk
    maak(Verwijzing, verwijzingen)
    for k in koppelingen:
        k.verwijzing_id = k.verwijzing.pk
    maak(Terugkoppeling, koppelingen)
    for t in toegangen:
        t.verwijzing_id = t.verwijzing.pk
    maak(ExterneToegang, toegangen)
    for v in verwijzingen:  # created the day it was referred
        Verwijzing.objects.filter(pk=v.pk).update(aangemaakt_op=_moment(v.aangemeld_op, 11))


_REDEN = {
    S.JEUGDZORG: "Uit het ZAT: problemen op school en thuis hangen samen; gezinsbegeleiding nodig voor {v} en ouders.",
    S.SMW: "{v} piekert veel en verzuimt; kortdurende begeleiding door het schoolmaatschappelijk werk.",
    S.AMBULANT: "{v} heeft begeleiding nodig bij gedrag en plannen die de school niet alleen kan bieden.",
    S.GGD: "Langdurig ziekteverzuim van {v}: onderzoek en advies van de jeugdarts.",
    S.WGK: "Langdurig ziekteverzuim van {v}: onderzoek en advies van de jeugdarts.",
    S.SWV: "Aanvraag van een arrangement buiten de school voor {v}.",
    S.DSZ: "Aanvraag van begeleiding voor het gezin van {v} via Sociale Zaken.",
}
