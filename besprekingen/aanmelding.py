"""Aanmelden of a pupil for a leerlingbespreking, IZO or ZAT (002 §6.2.1 and §6.3.1): the form's
rules, the automatically assembled history, and the zorgcoördinator's queue."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from leerlingen import route
from leerlingen.dossier import zorgcoordinatoren_van
from zorg import toegang
from zorg.notificaties import notificeer

from .models import Aanmelding, Bespreking
from .services import BesprekingFout, zat_toestemming


def samengestelde_geschiedenis(leerling):
    """What was done with what effect, assembled from the dossier (never vertrouwelijk items)."""
    return route.geschiedenis(leerling)


def open_aanmelding(leerling, soort):
    return Aanmelding.objects.filter(leerling=leerling, soort=soort, status__in=Aanmelding.OPEN).first()


@transaction.atomic
def meld_aan(user, school, leerling, soort, hulpvraag, begeleidingsvraag="", ouders_geinformeerd=False,
             ouders_niet_informeren_reden="", anoniem=False, opschaling=None, **velden):
    """Bring a pupil to the zorgcoördinator's queue. Returns the Aanmelding.

    `velden` are the other fields of the aanmeldingsformulier (aard_probleem, sterke_kanten,
    thuissituatie). Raises BesprekingFout with every missing piece at once."""
    if not toegang.mag_aanmelden(user, school, leerling):
        raise BesprekingFout(_("Alleen de mentor, teamleider, case-manager of het zorgteam meldt een leerling aan."))
    meldingen = []
    if soort not in Bespreking.AANMELDBAAR:
        meldingen.append(_("Kies waarvoor u de leerling aanmeldt: leerlingbespreking, IZO of ZAT."))
    if not (hulpvraag or "").strip():
        meldingen.append(_("Vul de hulpvraag van de leerling in: zonder hulpvraag wordt de aanmelding niet "
                           "in behandeling genomen."))
    if not ouders_geinformeerd and not (ouders_niet_informeren_reden or "").strip():
        meldingen.append(_("Informeer de ouders over de aanmelding, of geef aan waarom dat (nog) niet kan "
                           "(alleen als het de veiligheid van de leerling in gevaar brengt)."))
    toestemming = None
    if soort == Bespreking.Soort.ZAT and not anoniem:
        toestemming = zat_toestemming(leerling)
        if toestemming is None:
            meldingen.append(_("Voor een bespreking op naam in het ZAT is toestemming van een ouder met gezag "
                               "nodig. Leg de toestemming eerst vast, of meld de leerling anoniem aan."))
    bestaand = open_aanmelding(leerling, soort) if soort in Bespreking.AANMELDBAAR else None
    if bestaand is not None:
        meldingen.append(_("%(leerling)s is al aangemeld voor %(soort)s (status: %(status)s).") % {
            "leerling": leerling.naam, "soort": bestaand.get_soort_display(), "status": bestaand.get_status_display()})
    if meldingen:
        raise BesprekingFout(*meldingen)
    aanmelding = Aanmelding.objects.create(
        school=school, leerling=leerling, soort=soort, anoniem=bool(anoniem), hulpvraag=hulpvraag.strip(),
        begeleidingsvraag=(begeleidingsvraag or "").strip(), geschiedenis=samengestelde_geschiedenis(leerling),
        ouders_geinformeerd=bool(ouders_geinformeerd),
        ouders_niet_informeren_reden=(ouders_niet_informeren_reden or "").strip(),
        toestemming=toestemming, opschaling=opschaling, aangemeld_door=user,
        **{k: (v or "").strip() for k, v in velden.items()},
    )
    schooljaar = toegang.huidig_schooljaar(user, school)
    notificeer(
        zorgcoordinatoren_van(schooljaar) if schooljaar else [],
        _("%(wie)s meldt %(leerling)s aan voor %(soort)s") % {
            "wie": user.korte_naam, "leerling": leerling.naam, "soort": aanmelding.get_soort_display()},
        url=reverse("aanmeldingen"), leerling=leerling, behalve=user,
    )
    return aanmelding
