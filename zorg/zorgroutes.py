"""The four zorgroute presets from the seeds, and applying one to a school.

Sources: NL professionele momenten 1–4 (seed 004, hoofdstuk 2), NL onderwijszorgroute
eerste/tweede/derde lijn (seed 002, §1), Aruba avo 0–4 with 2a/2b (seed 000, §2, fig. 2),
Aruba PO 0–4 (seed 001, §2.2).
"""

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from .models import Zorgniveau, Zorgroute

B = Zorgniveau.Bespreking
P = Zorgniveau.Plan


def _n(code, naam, omschrijving, besloten_in="", extern=False, toestemming=False, plan="", door=None, minimaal=0):
    if door is None:
        door = {B.TEAMLEIDER: "teamleider", B.GROEPSBESPREKING: "mentor", "": "mentor"}.get(
            besloten_in, "zorgcoordinator"
        )
    return {
        "code": code, "naam": naam, "omschrijving": omschrijving, "besloten_in": besloten_in,
        "extern": extern, "toestemming_vereist": toestemming, "verwacht_plan": plan,
        "besloten_door": door, "min_interventies": minimaal,
    }


PRESETS = {
    "nl_momenten": {
        "naam": _("NL: professionele momenten 1–4"),
        "niveaus": [
            _n("1", _("mentor"), _("Mentor/docent signaleert en bespreekt het probleem; minimaal één "
               "interventie. De mentor is case-manager."), B.GROEPSBESPREKING, plan=P.GROEPSPLAN),
            _n("2", _("teamleider"), _("De mentor bespreekt de hulpvraag met de teamleider; interventies "
               "op pedagogisch of didactisch vlak."), B.TEAMLEIDER, plan=P.HANDELINGSPLAN, minimaal=1),
            _n("3", _("IZO"), _("Het intern zorgoverleg pleegt verdiepende interventies of verwijst naar "
               "het ZAT; evaluatie na zes weken."), B.IZO, plan=P.HANDELINGSPLAN, minimaal=2),
            _n("4", _("ZAT"), _("Het ZAT verwijst naar externe hulpverleners die in afstemming met de "
               "school werken volgens een behandelplan."), B.ZAT, extern=True, toestemming=True,
               plan=P.VERWIJZING),
        ],
    },
    "nl_lijnen": {
        "naam": _("NL: onderwijszorgroute eerste, tweede en derde lijn"),
        "niveaus": [
            _n("1", _("eerste lijn"), _("Algemene en extra basiszorg in de klas door mentor en docenten "
               "(HGW-cyclus, groepsbesprekingen)."), B.GROEPSBESPREKING, plan=P.GROEPSPLAN),
            _n("2", _("tweede lijn"), _("Interne zorg en ondersteuning van mentoren en docenten door het "
               "intern zorgteam."), B.IZO, plan=P.HANDELINGSPLAN, minimaal=1),
            _n("3", _("derde lijn"), _("Externe zorg: het ZAT geeft handelingsadviezen en leidt naar "
               "(jeugd)zorg of bovenschoolse voorzieningen."), B.ZAT, extern=True, toestemming=True,
               plan=P.VERWIJZING),
        ],
    },
    "aruba_avo": {
        "naam": _("Aruba avo: zorgniveaus 0, 1, 2a, 2b, 3, 4"),
        "niveaus": [
            _n("0", _("algemene preventieve zorg"), _("Goed onderwijs door vakdocenten en mentoren; "
               "gestructureerde groepsbesprekingen."), B.GROEPSBESPREKING),
            _n("1", _("extra zorg"), _("Extra zorg door vakdocenten en mentoren met medeweten van de "
               "zorgcoördinator."), B.LEERLINGBESPREKING, plan=P.GROEPSPLAN),
            _n("2a", _("interne speciale zorg"), _("Zorg binnen school op basis van een gedegen analyse en "
               "een handelingsplan, besproken in het intern zorgteam."), B.IZO, plan=P.HANDELINGSPLAN,
               minimaal=1),
            _n("2b", _("interne speciale zorg met externe ondersteuning"), _("Intern zorgteam met externe "
               "deskundigen als adviseurs (eerstelijnszorg)."), B.ZAT, plan=P.HANDELINGSPLAN),
            _n("3", _("aanvullende externe zorg"), _("Externe specialistische hulp na aanmelding door het "
               "intern zorgteam, met toestemming van de ouders."), B.ZAT, extern=True, toestemming=True,
               plan=P.VERWIJZING),
            _n("4", _("externe specialistische zorg"), _("Plaatsing op een andere school of instelling; "
               "goede overdracht met het oog op terugplaatsing."), B.ZAT, extern=True, toestemming=True,
               plan=P.OVERDRACHT),
        ],
    },
    "aruba_po": {
        "naam": _("Aruba PO: zorgniveaus 0–4"),
        "niveaus": [
            _n("0", _("algemene zorg"), _("De leerkracht zorgt voor de hele groep: effectieve instructie, "
               "klassenmanagement, een positief werkklimaat."), B.GROEPSBESPREKING),
            _n("1", _("extra zorg"), _("Extra zorg in de groep door de leerkracht; ouders worden "
               "geïnformeerd."), B.GROEPSBESPREKING, plan=P.GROEPSPLAN),
            _n("2", _("speciale zorg"), _("Speciale zorg met de intern begeleider op basis van een "
               "handelingsplan; contact met ouders."), B.LEERLINGBESPREKING, plan=P.HANDELINGSPLAN),
            _n("3", _("aanvullende externe specialistische zorg"), _("Externe hulp met toestemming van de "
               "ouders; voortgang besproken met ouders."), B.ZAT, extern=True, toestemming=True,
               plan=P.VERWIJZING),
            _n("4", _("plaatsing speciaal onderwijs"), _("Definitieve plaatsing op een school voor speciaal "
               "onderwijs, met toestemming en overdracht."), B.ZAT, extern=True, toestemming=True,
               plan=P.OVERDRACHT),
        ],
    },
}
STANDAARD = "nl_momenten"


class ZorgrouteInGebruik(Exception):
    pass


@transaction.atomic
def pas_toe(school, preset_key=STANDAARD):
    """Give the school the preset's zorgroute. Refused while pupils hold a zorgniveau."""
    preset = PRESETS[preset_key]
    route, _created = Zorgroute.objects.get_or_create(school=school, defaults={"naam": str(preset["naam"])})
    if route.niveaus.filter(leerlingen__isnull=False).exists():
        raise ZorgrouteInGebruik(
            _("Er zijn leerlingen met een zorgniveau uit de huidige route; wijzig de route per niveau.")
        )
    route.naam = str(preset["naam"])
    route.save()
    try:
        route.niveaus.all().delete()
    except ProtectedError:
        # A level is still named by a request or decision (opschaling, besluit): keep the route.
        raise ZorgrouteInGebruik(
            _("Niveaus uit de huidige route zijn al gebruikt in aanvragen of besluiten; wijzig de route per niveau.")
        ) from None
    Zorgniveau.objects.bulk_create(
        Zorgniveau(zorgroute=route, volgorde=i, **{k: str(v) if k in ("naam", "omschrijving") else v
                                                    for k, v in niveau.items()})
        for i, niveau in enumerate(preset["niveaus"], start=1)
    )
    return route


def niveaus_van(school):
    if school is None:
        return []
    return list(Zorgniveau.objects.filter(zorgroute__school=school).order_by("volgorde"))
