"""When consent counts (domain.md, External: Toestemming; seed 003 §3.9 and §6.2).

A consent counts when it is given, not expired or withdrawn, for the doel (and, for a doel that
names one, the same instelling), and given by whom the school's age rule requires:
- under `School.toestemming_leerling_mee_vanaf` (default 12): an ouder with gezag;
- from that age: an ouder with gezag and the pupil (leerling_akkoord);
- from `School.toestemming_leerling_zelf_vanaf` (default 16): the pupil decides (leerling_akkoord).
A pupil without a known date of birth is treated as under the first age.

The access layer and every gate (named ZAT item, referral, external access) call `geldige`, or
`geldige_voor_verwijzingen` for many referrals at once (the same rule, one query).
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from leerlingen.models import OuderRelatie

from .models import Toestemming

Doel = Toestemming.Doel


def leeftijd(leerling, op):
    """Age in whole years on `op`, or None when the date of birth is unknown."""
    geboren = leerling.geboortedatum
    if geboren is None:
        return None
    return op.year - geboren.year - ((op.month, op.day) < (geboren.month, geboren.day))


def wie_beslist(leerling, op=None):
    """'ouders', 'samen' or 'leerling': whose consent counts for this pupil on `op`."""
    op = op or timezone.localdate()
    jaren = leeftijd(leerling, op)
    school = leerling.school
    if jaren is not None and jaren >= school.toestemming_leerling_zelf_vanaf:
        return "leerling"
    if jaren is not None and jaren >= school.toestemming_leerling_mee_vanaf:
        return "samen"
    return "ouders"


def _door_wie(leerling, op):
    """Who must have given the consent for it to count for `leerling` on `op` (the age rule), as a filter on
    Toestemming. The gezag of the consent's ouder is checked on the consent's own pupil, so the filter also
    serves several pupils at once (geldige_voor_verwijzingen)."""
    gezag = Q(Exists(OuderRelatie.objects.filter(ouder_id=OuterRef("ouder_id"), leerling_id=OuterRef("leerling_id"),
                                                 gezag=True)))
    beslist = wie_beslist(leerling, op)
    if beslist == "leerling":
        return Q(leerling_akkoord=True)
    if beslist == "samen":
        return gezag & Q(leerling_akkoord=True)
    return gezag


def _telt(leerling, instelling, op):
    """The consents that count for this pupil (and instelling, for a doel that names one), given the doel and
    the state are checked by _geldig."""
    filter_ = Q(leerling_id=leerling.pk) & _door_wie(leerling, op)
    if instelling is not None:  # consent for sharing or referral names the instelling
        filter_ &= Q(instelling_id=instelling.pk)
    return filter_


def _geldig(doelen, op):
    """Given for one of `doelen`, and not expired on `op` (a withdrawn one has status ingetrokken)."""
    return (Q(doel__in=list(doelen), status=Toestemming.Status.GEGEVEN)
            & (Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=op)))


def geldige_qs(leerling, doelen, instelling=None, op=None):
    """The consents that count now for one of `doelen` (newest first)."""
    op = op or timezone.localdate()
    return Toestemming.objects.filter(_geldig(doelen, op) & _telt(leerling, instelling, op)).order_by("-datum", "-pk")


def geldige(leerling, doelen, instelling=None, op=None):
    """The newest consent that counts for one of `doelen` (for `instelling`), or None."""
    return geldige_qs(leerling, doelen, instelling, op).select_related("ouder").first()


def geldige_voor_verwijzingen(verwijzingen, doelen, op=None):
    """`geldige` for many verwijzingen in one query: {verwijzing pk: the newest consent that counts for one of
    `doelen` for its pupil and its instelling, or None}. The same rule (_geldig, _telt); the verwijzingen need
    their leerling and its school loaded (the age rule), as `geldige` does."""
    op = op or timezone.localdate()
    verwijzingen = list(verwijzingen)
    uitkomst = {v.pk: None for v in verwijzingen}
    paren = {(v.leerling_id, v.instelling_id): v for v in verwijzingen}
    if not paren:
        return uitkomst
    per_paar = Q()
    for v in paren.values():
        per_paar |= _telt(v.leerling, v.instelling, op)
    eerste = {}
    for toestemming in (Toestemming.objects.filter(_geldig(doelen, op) & per_paar).select_related("ouder")
                        .order_by("-datum", "-pk")):
        # Newest first: the first one seen per pupil and instelling (and per pupil, for a verwijzing without
        # an instelling, which `geldige` does not narrow either) is the one `geldige` returns.
        eerste.setdefault((toestemming.leerling_id, toestemming.instelling_id), toestemming)
        eerste.setdefault((toestemming.leerling_id, "elke"), toestemming)
    for v in verwijzingen:
        uitkomst[v.pk] = eerste.get((v.leerling_id, v.instelling_id if v.instelling_id is not None else "elke"))
    return uitkomst


def waarom_niet(leerling, doelen, instelling=None, op=None):
    """Why no consent counts, in one Dutch sentence naming what is missing (empty when one does)."""
    op = op or timezone.localdate()
    if geldige(leerling, doelen, instelling, op) is not None:
        return ""
    kandidaten = Toestemming.objects.filter(leerling=leerling, doel__in=list(doelen))
    if instelling is not None:
        kandidaten = kandidaten.filter(instelling=instelling)
    laatste = kandidaten.select_related("ouder").order_by("-datum", "-pk").first()
    if laatste is None:
        return _("Er is nog geen toestemming vastgelegd; vraag de toestemming aan of leg de (papieren) toestemming "
                 "vast.")
    if laatste.status != Toestemming.Status.GEGEVEN:
        return _("De laatst vastgelegde toestemming is %(status)s.") % {"status": laatste.get_status_display()}
    if laatste.geldig_tot is not None and laatste.geldig_tot < op:
        return _("De vastgelegde toestemming is verlopen op %(datum)s.") % {
            "datum": date_format(laatste.geldig_tot, "j F Y")}
    beslist = wie_beslist(leerling, op)
    if beslist != "ouders" and not laatste.leerling_akkoord:
        if beslist == "leerling":
            return _("De leerling is %(jaren)s jaar en beslist zelf: de toestemming van de leerling ontbreekt.") % {
                "jaren": leeftijd(leerling, op)}
        return _("Vanaf %(jaren)s jaar is naast een ouder met gezag ook de toestemming van de leerling nodig; die "
                 "ontbreekt.") % {"jaren": leerling.school.toestemming_leerling_mee_vanaf}
    naam = laatste.ouder.naam if laatste.ouder_id else _("onbekend")
    return _("De vastgelegde toestemming is gegeven door %(ouder)s, die geen ouderlijk gezag heeft over deze "
             "leerling.") % {"ouder": naam}


# --- Services: request, decide (portal), record from paper, withdraw (issue 6) ---------------------
#
# Every service checks who may act and raises ToestemmingFout with complete Dutch sentences; the
# views re-render their form with those messages and the user's input.

PAPIER_TYPES = {"pdf", "jpg", "jpeg", "png"}
Status = Toestemming.Status


class ToestemmingFout(Exception):
    """A refused consent step; `meldingen` are complete Dutch sentences for the user."""

    def __init__(self, *meldingen):
        self.meldingen = [str(m) for m in meldingen]
        super().__init__(" ".join(self.meldingen))


def _nu():
    return timezone.now()


def ouders_met_gezag(leerling):
    from leerlingen.models import Ouder

    return Ouder.objects.filter(relaties__leerling=leerling, relaties__gezag=True).distinct()


def ouder_van(user, leerling):
    """The OuderRelatie of this account with `leerling` (with or without gezag), else None."""
    from leerlingen.models import OuderRelatie

    if not user.is_authenticated:
        return None
    return OuderRelatie.objects.filter(ouder__gebruiker=user, leerling=leerling).select_related("ouder").first()


def mag_beslissen(user, leerling):
    """Only an ouder with gezag decides in the portal."""
    relatie = ouder_van(user, leerling)
    return relatie is not None and relatie.gezag


def is_zorgcoordinator(user, school, leerling):
    from zorg import toegang

    return "zorgcoordinator" in toegang.relaties_met(user, school, leerling)


def weergave_status(toestemming, op=None):
    """The status as shown: 'verlopen' for a given consent past its geldig_tot."""
    op = op or timezone.localdate()
    if toestemming.status == Status.GEGEVEN and toestemming.geldig_tot is not None and toestemming.geldig_tot < op:
        return _("verlopen")
    return toestemming.get_status_display()


def _controleer_doel(school, doel, instelling):
    if doel not in Doel.values:
        raise ToestemmingFout(_("Kies een doel uit de lijst."))
    if doel in Toestemming.MET_INSTELLING:
        if instelling is None:
            raise ToestemmingFout(_("Kies de instelling waarvoor de toestemming geldt: bij dit doel hoort een "
                                    "instelling."))
        if instelling.school_id != school.pk:
            raise ToestemmingFout(_("Kies een instelling van deze school."))
        return instelling
    return None


def vraag_aan(user, school, leerling, doel, toelichting, instelling=None, geldig_tot=None):
    """Request consent (status aangevraagd) and notify the ouders with gezag who have an account."""
    from django.urls import reverse

    from zorg import toegang
    from zorg.notificaties import notificeer_vertaald

    if not toegang.mag_toestemming_beheren(user, school, leerling):
        raise ToestemmingFout(_("Toestemming vragen doen de zorgcoördinator en de mentor."))
    instelling = _controleer_doel(school, doel, instelling)
    meldingen = []
    if not (toelichting or "").strip():
        meldingen.append(_("Schrijf in gewone taal wat u wilt delen, met wie en waarom."))
    if geldig_tot is not None and geldig_tot < timezone.localdate():
        meldingen.append(_("‘Geldig tot en met’ ligt in het verleden."))
    if Toestemming.objects.filter(leerling=leerling, doel=doel, instelling=instelling,
                                  status=Status.AANGEVRAAGD).exists():
        meldingen.append(_("Voor dit doel staat al een aanvraag open; wacht op het antwoord of leg het antwoord "
                           "van papier vast."))
    if meldingen:
        raise ToestemmingFout(*meldingen)
    nu = _nu()
    toestemming = Toestemming.objects.create(
        leerling=leerling, doel=doel, instelling=instelling, toelichting=toelichting.strip(),
        geldig_tot=geldig_tot, status=Status.AANGEVRAAGD, wijze=Toestemming.Wijze.DIGITAAL,
        datum=timezone.localdate(), aangevraagd_door=user, aangevraagd_op=nu,
    )
    ontvangers = [o.gebruiker for o in ouders_met_gezag(leerling).select_related("gebruiker")
                  if o.gebruiker_id and o.gebruiker.is_active]
    notificeer_vertaald(ontvangers, gettext_noop("De school vraagt uw toestemming voor %(kind)s: %(doel)s."), {
        "kind": leerling.voornaam, "doel": lazy(lambda: toestemming.omschrijving, str)()},
        url=reverse("ouder_toestemming", args=[toestemming.pk]), leerling=leerling, behalve=user)
    return toestemming


def beslis(user, toestemming, geeft, reden=""):
    """An ouder with gezag answers a request in the portal: given or refused (digitaal)."""
    from zorg.notificaties import notificeer

    relatie = ouder_van(user, toestemming.leerling)
    if relatie is None:
        raise ToestemmingFout(_("Deze aanvraag gaat niet over uw kind."))
    if not relatie.gezag:
        raise ToestemmingFout(_("Alleen een ouder of verzorger met ouderlijk gezag kan toestemming geven of weigeren."))
    if toestemming.status != Status.AANGEVRAAGD:
        raise ToestemmingFout(_("Op deze aanvraag is al geantwoord (%(status)s).") % {
            "status": weergave_status(toestemming)})
    toestemming.ouder = relatie.ouder
    toestemming.status = Status.GEGEVEN if geeft else Status.GEWEIGERD
    toestemming.wijze = Toestemming.Wijze.DIGITAAL
    toestemming.datum = timezone.localdate()
    toestemming.beslist_op = _nu()
    toestemming.reden = (reden or "").strip() if not geeft else ""
    toestemming.vastgelegd_door = user
    toestemming.save()
    tekst = (_("%(ouder)s gaf toestemming voor %(leerling)s: %(doel)s.") if geeft
             else _("%(ouder)s gaf geen toestemming voor %(leerling)s: %(doel)s."))
    notificeer([toestemming.aangevraagd_door], tekst % {
        "ouder": relatie.ouder.naam, "leerling": toestemming.leerling.naam, "doel": toestemming.omschrijving},
        url=_staff_url(toestemming), leerling=toestemming.leerling, behalve=user)
    return toestemming


def _staff_url(toestemming):
    from django.urls import reverse

    return reverse("toestemmingen", args=[toestemming.leerling_id])


def leg_papier_vast(user, school, leerling, *, ouder, status, datum, doel=None, instelling=None, geldig_tot=None,
                    leerling_akkoord=None, bestand=None, toelichting="", reden="", aanvraag=None):
    """Record a signed paper form (zorgcoördinator only): answering the open request `aanvraag`, or new."""
    from leerlingen import dossier

    if not is_zorgcoordinator(user, school, leerling):
        raise ToestemmingFout(_("Toestemming van papier vastleggen doet de zorgcoördinator."))
    if aanvraag is not None:
        if aanvraag.leerling_id != leerling.pk or aanvraag.status != Status.AANGEVRAAGD:
            raise ToestemmingFout(_("Op deze aanvraag is al geantwoord; leg een nieuwe toestemming vast."))
        doel, instelling = aanvraag.doel, aanvraag.instelling
    else:
        instelling = _controleer_doel(school, doel, instelling)
    meldingen = []
    beslist = wie_beslist(leerling, datum) if datum else wie_beslist(leerling)
    if ouder is None and beslist != "leerling":
        meldingen.append(_("Kies de ouder of verzorger met gezag die het formulier tekende."))
    if ouder is not None and not ouders_met_gezag(leerling).filter(pk=ouder.pk).exists():
        meldingen.append(_("Alleen een ouder of verzorger met ouderlijk gezag over deze leerling kan toestemming "
                           "geven."))
    if status not in (Status.GEGEVEN, Status.GEWEIGERD):
        meldingen.append(_("Kies of de toestemming is gegeven of geweigerd."))
    if datum is None:
        meldingen.append(_("Vul de datum van ondertekening in."))
    elif datum > timezone.localdate():
        meldingen.append(_("De datum ligt in de toekomst."))
    if datum is not None and geldig_tot is not None and geldig_tot < datum:
        meldingen.append(_("‘Geldig tot en met’ ligt vóór de datum van ondertekening."))
    gecontroleerd = None
    if bestand:
        try:
            gecontroleerd = dossier.controleer_bestand(bestand)
        except dossier.BestandFout as fout:
            meldingen.append(str(fout))
        else:
            if gecontroleerd.extensie not in PAPIER_TYPES:
                meldingen.append(_("Het getekende formulier moet een PDF, JPEG of PNG zijn."))
    if meldingen:
        raise ToestemmingFout(*meldingen)
    toestemming = aanvraag or Toestemming(leerling=leerling, doel=doel, instelling=instelling,
                                          toelichting=(toelichting or "").strip())
    toestemming.ouder = ouder
    toestemming.status = status
    toestemming.wijze = Toestemming.Wijze.PAPIER
    toestemming.datum = datum
    toestemming.geldig_tot = geldig_tot if geldig_tot is not None or aanvraag is None else toestemming.geldig_tot
    toestemming.leerling_akkoord = leerling_akkoord
    toestemming.reden = (reden or "").strip() if status == Status.GEWEIGERD else ""
    toestemming.beslist_op = _nu()
    toestemming.vastgelegd_door = user
    opgeslagen = None
    if gecontroleerd is not None:
        toestemming.bestandsnaam = gecontroleerd.naam[:200]
        toestemming.bestand.save(gecontroleerd.opslagnaam, gecontroleerd.upload, save=False)
        opgeslagen = toestemming.bestand.name
    try:
        toestemming.save()
    except BaseException:
        if opgeslagen:
            toestemming.bestand.storage.delete(opgeslagen)
        raise
    return toestemming


def betrokkenen_bij_intrekking(toestemming):
    """Everyone shown a withdrawal: the zorgcoördinator(s), the mentor(s), the case-manager and the
    external contacts with a running grant on the pupil's verwijzingen to the consent's instelling."""
    from leerlingen.dossier import zorgcoordinatoren_van

    from .models import ExterneToegang

    leerling = toestemming.leerling
    school = leerling.school
    ontvangers = list(zorgcoordinatoren_van(school.huidig_schooljaar()))
    klas = leerling.huidige_klas()
    if klas is not None:
        ontvangers += list(klas.mentoren.all())
    if leerling.case_manager_id:
        ontvangers.append(leerling.case_manager)
    if toestemming.instelling_id:
        toegangen = ExterneToegang.objects.filter(
            verwijzing__leerling=leerling, verwijzing__instelling_id=toestemming.instelling_id,
            ingetrokken_op__isnull=True, tot__gte=timezone.localdate(), contactpersoon__gebruiker__isnull=False,
        ).select_related("contactpersoon__gebruiker")
        ontvangers += [t.contactpersoon.gebruiker for t in toegangen]
    return [o for o in ontvangers if o is not None and o.is_active]


def trek_in(user, toestemming, reden="", school=None):
    """Withdraw a given consent: by an ouder with gezag (portal) or by the zorgcoördinator recording a
    withdrawal by phone or letter (reason required). Access that depended on it ends at once."""
    from django.urls import reverse

    from zorg.notificaties import notificeer

    leerling = toestemming.leerling
    relatie = ouder_van(user, leerling)
    door_school = school is not None and is_zorgcoordinator(user, school, leerling)
    if not door_school:
        if relatie is None:
            raise ToestemmingFout(_("Intrekken doen een ouder met gezag of de zorgcoördinator."))
        if not relatie.gezag:
            raise ToestemmingFout(_("Alleen een ouder of verzorger met ouderlijk gezag kan toestemming intrekken."))
    if toestemming.status != Status.GEGEVEN:
        raise ToestemmingFout(_("Alleen een gegeven toestemming kan worden ingetrokken; deze is %(status)s.") % {
            "status": weergave_status(toestemming)})
    if door_school and not (reden or "").strip():
        raise ToestemmingFout(_("Schrijf op hoe en waarom de toestemming is ingetrokken (bijvoorbeeld: telefoon "
                                "van moeder op 3 maart)."))
    toestemming.status = Status.INGETROKKEN
    toestemming.ingetrokken_op = _nu()
    toestemming.reden = (reden or "").strip()
    toestemming.vastgelegd_door = user
    toestemming.save()
    ontvangers = betrokkenen_bij_intrekking(toestemming)
    extern = {o.pk for o in ontvangers if hasattr(o, "contactpersoon")}
    staf = [o for o in ontvangers if o.pk not in extern]
    gegevens = {"leerling": leerling.naam, "doel": toestemming.omschrijving}
    notificeer(staf, _("De toestemming voor %(leerling)s is ingetrokken: %(doel)s.") % gegevens,
               url=_staff_url(toestemming), leerling=leerling, behalve=user)
    notificeer([o for o in ontvangers if o.pk in extern],
               _("De toestemming voor %(leerling)s is ingetrokken: %(doel)s. U heeft geen toegang meer tot het "
                 "verwijsdossier.") % gegevens, url=reverse("extern_start"), behalve=user)
    return toestemming


def open_aanvragen(user):
    """Open requests about the children of this parent account (with or without gezag)."""
    if not user.is_authenticated:
        return Toestemming.objects.none()
    return (Toestemming.objects.filter(status=Status.AANGEVRAAGD, leerling__ouderrelaties__ouder__gebruiker=user)
            .select_related("leerling", "instelling").distinct().order_by("aangevraagd_op", "pk"))


def toestemmingsbrief_pdf(toestemming):
    """The consent letter (PDF bytes) for parents without an account."""
    from plannen.pdf import render_pdf

    leerling = toestemming.leerling
    beslist = wie_beslist(leerling)
    return render_pdf("extern/pdf/toestemmingsbrief.html", {
        "school": leerling.school, "leerling": leerling, "toestemming": toestemming, "klas": leerling.huidige_klas(),
        "ouders": list(ouders_met_gezag(leerling)), "leerling_tekent": beslist != "ouders", "beslist": beslist,
        "titel": _("Toestemmingsverklaring"),
    })
