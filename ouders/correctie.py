"""Correctieverzoeken: a parent asks the school to correct or add to something in their child's
record (AVG: the right to rectification; the school answers within four weeks). The request reaches
the pupil's mentor(s) and case-manager as a notice; the answer is shown in the portal and the parent
gets a notice in their own language."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zorg import toegang
from zorg.notificaties import notificeer, notificeer_vertaald

from .models import Correctieverzoek

MAX_TEKST = 2000
MAX_ANTWOORD = 4000
# The AVG asks for an answer within a month; flag requests older than this many days.
TERMIJN_DAGEN = 28
WAARSCHUWING_DAGEN = 21


class CorrectieFout(Exception):
    """A refused step; `meldingen` are complete sentences for the user."""

    def __init__(self, *meldingen):
        self.meldingen = [str(m) for m in meldingen]
        super().__init__(" ".join(self.meldingen))


def ontvangers(leerling):
    """Who answers: the mentor(s) of the pupil's current klas and the case-manager."""
    mensen = list(leerling.mentoren_in(leerling.school.huidig_schooljaar()))
    if leerling.case_manager_id and leerling.case_manager.is_active:
        mensen.append(leerling.case_manager)
    return mensen


@transaction.atomic
def dien_in(user, kind, onderwerp, tekst, plan=None, verslag=None):
    """A parent's request about one of their own children (`kind` from toegang.kind_of_404; a plan or
    verslag only from the ones shared with them). Notifies the mentor(s) and case-manager."""
    tekst = (tekst or "").strip()
    meldingen = []
    if onderwerp not in Correctieverzoek.Onderwerp.values:
        meldingen.append(_("Kies waarover uw verzoek gaat."))
    if not tekst:
        meldingen.append(_("Schrijf wat de school moet verbeteren of aanvullen."))
    elif len(tekst) > MAX_TEKST:
        meldingen.append(_("Uw verzoek is te lang: gebruik hoogstens %(max)s tekens.") % {"max": MAX_TEKST})
    if plan is not None and not toegang.plannen_voor_ouder(user, kind).filter(pk=plan.pk).exists():
        meldingen.append(_("Dat plan hoort niet bij uw kind."))
    if verslag is not None and not toegang.items_voor_ouder(user, kind).filter(pk=verslag.pk).exists():
        meldingen.append(_("Dat verslag hoort niet bij uw kind."))
    if meldingen:
        raise CorrectieFout(*meldingen)
    verzoek = Correctieverzoek.objects.create(
        leerling=kind, ingediend_door=user, onderwerp=onderwerp, tekst=tekst, handelingsplan=plan,
        dossieritem=verslag,
    )
    notificeer(
        ontvangers(kind),
        f"{user.naam} (ouder/verzorger) vraagt om een correctie of aanvulling in het dossier van {kind.naam}.",
        url=reverse("correctieverzoek", args=[verzoek.pk]), leerling=kind, behalve=user,
    )
    return verzoek


@transaction.atomic
def beantwoord(user, school, verzoek, antwoord):
    """Staff answer a request in their scope; the parent who asked gets a notice in their language."""
    antwoord = (antwoord or "").strip()
    if not toegang.mag_correctieverzoek_beantwoorden(user, school, verzoek):
        raise CorrectieFout(_("U mag dit verzoek niet beantwoorden."))
    verzoek = Correctieverzoek.objects.select_for_update().select_related("leerling", "ingediend_door").get(
        pk=verzoek.pk)
    if verzoek.status == Correctieverzoek.Status.BEANTWOORD:
        raise CorrectieFout(_("Dit verzoek is al beantwoord."))
    if not antwoord:
        raise CorrectieFout(_("Schrijf een antwoord voor de ouder."))
    if len(antwoord) > MAX_ANTWOORD:
        raise CorrectieFout(_("Het antwoord is te lang: gebruik hoogstens %(max)s tekens.") % {"max": MAX_ANTWOORD})
    verzoek.antwoord = antwoord
    verzoek.status = Correctieverzoek.Status.BEANTWOORD
    verzoek.beantwoord_door = user
    verzoek.beantwoord_op = timezone.now()
    verzoek.save(update_fields=["antwoord", "status", "beantwoord_door", "beantwoord_op"])
    kind = verzoek.leerling
    notificeer_vertaald(
        [verzoek.ingediend_door],
        gettext_noop("De school heeft uw verzoek om een correctie voor %(naam)s beantwoord."),
        {"naam": kind.voornaam},
        url=reverse("ouder_correcties", args=[kind.pk]), leerling=kind,
    )
    return verzoek


def leeftijd_dagen(verzoek, vandaag=None):
    vandaag = vandaag or timezone.localdate()
    return (vandaag - timezone.localtime(verzoek.aangemaakt_op).date()).days


def voor_lijst(verzoeken):
    """Annotate staff list rows: age in days and whether the answer term is nearly over. Open first."""
    vandaag = timezone.localdate()
    rijen = list(verzoeken)
    for v in rijen:
        v.dagen = leeftijd_dagen(v, vandaag)
        v.te_laat = v.status == Correctieverzoek.Status.OPEN and v.dagen > WAARSCHUWING_DAGEN
    open_ = sorted((v for v in rijen if v.status == Correctieverzoek.Status.OPEN), key=lambda v: v.aangemaakt_op)
    klaar = sorted((v for v in rijen if v.status != Correctieverzoek.Status.OPEN),
                   key=lambda v: v.beantwoord_op or v.aangemaakt_op, reverse=True)
    return open_ + klaar


def aantal_open(user, school):
    return toegang.correctieverzoeken_voor(user, school).filter(status=Correctieverzoek.Status.OPEN).count()
