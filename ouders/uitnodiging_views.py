"""Inviting ouders (and pupils) to the portal, and activating an account with a code.

Staff pages (Dutch): a pupil's 'Ouders en portaal' page with per-person invitations, and the bulk
invitation for a klas. Permission: toegang.mag_uitnodigen / mag_uitnodigen_klas. The portal page
/ouders/activeren/ works anonymously and is shown in the visitor's language; wrong codes are
counted per address (activatie_teller)."""

import base64
import datetime
from urllib.parse import urlencode

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from leerlingen import paginas
from leerlingen.models import Leerling, Ouder
from plannen.pdf import bestandsnaam, pdf_antwoord
from zorg import toegang
from zorg.afremmen import Teller
from zorg.models import Klas
from zorg.views import school_vereist

from . import uitnodiging as regels
from .models import Uitnodiging
from .uitnodiging_forms import AccountForm, CodeForm, KlasUitnodigenForm, UitnodigenForm


def _leerling_of_404(request, pk):
    """The pupil when the user may invite their ouders; 403 when the user sees the pupil but may not
    invite, else 404."""
    try:
        leerling = Leerling.objects.select_related("school").get(pk=pk, school=request.school)
    except (Leerling.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if toegang.mag_uitnodigen(request.user, request.school, leerling):
        return leerling, None
    if toegang.leerlingen_voor(request.user, request.school).filter(pk=leerling.pk).exists():
        return leerling, paginas.geweigerd(
            request, leerling, _("Ouders uitnodigen voor het portaal doen de mentor, de teamleider, de "
                                 "zorgcoördinator en de applicatiebeheerder."))
    raise Http404


def _personen(leerling):
    ouders = []
    for relatie in leerling.ouderrelaties.select_related("ouder__gebruiker").order_by("ouder__achternaam"):
        ouder = relatie.ouder
        ouder.relatie = relatie
        ouder.status = regels.status(ouder)
        ouder.taal = regels.standaardtaal(ouder)
        ouder.sleutel = f"ouder-{ouder.pk}"
        ouders.append(ouder)
    return ouders


@school_vereist()
@require_http_methods(["GET"])
def ouders_portaal(request, pk):
    """'Ouders en portaal': the pupil's ouders with their account status and invitation buttons."""
    leerling, geweigerd = _leerling_of_404(request, pk)
    if geweigerd:
        return geweigerd
    leerling_persoon = None
    if request.school.leerlingaccounts:
        leerling_persoon = leerling
        leerling.status = regels.status(leerling)
        leerling.taal = regels.standaardtaal(leerling)
    return render(request, "ouders/uitnodiging/leerling.html", {
        **paginas.kop(leerling), "ouders": _personen(leerling), "leerling_persoon": leerling_persoon,
        "talen": UitnodigenForm.base_fields["taal"].choices,
        "titel": _("Ouders en portaal · %(naam)s") % {"naam": leerling.naam},
    })


@school_vereist()
@require_POST
def ouder_uitnodigen(request, pk):
    """Invite one ouder (or the pupil): an e-mail (back to the page) or a letter (the PDF at once)."""
    leerling, geweigerd = _leerling_of_404(request, pk)
    if geweigerd:
        return geweigerd
    form = UitnodigenForm(request.POST)
    terug = redirect("ouders_portaal", leerling.pk)
    if not form.is_valid():
        messages.error(request, _("Kies een taal en probeer het opnieuw."))
        return terug
    sleutel, soort, taal = form.cleaned_data["persoon"], form.cleaned_data["soort"], form.cleaned_data["taal"]
    if sleutel == "leerling":
        persoon = leerling
    else:
        persoon = Ouder.objects.filter(pk=sleutel.removeprefix("ouder-"), relaties__leerling=leerling).first()
        if persoon is None:
            raise Http404
    try:
        uitnodiging, code = regels.nodig_uit(persoon, soort, taal, request.user, request.school)
    except regels.UitnodigingFout as fout:
        for melding in fout.meldingen:
            messages.error(request, melding)
        return terug
    except Exception:  # the mail server refused: nothing was saved
        messages.error(request, _("De e-mail kon niet worden verstuurd. Probeer het later opnieuw of maak een "
                                  "brief met code."))
        return terug
    if soort == Uitnodiging.Soort.EMAIL:
        messages.success(request, _("Uitnodiging verstuurd naar %(email)s. De code is 30 dagen geldig.")
                         % {"email": persoon.email})
        return terug
    pdf = regels.brieven_pdf([(uitnodiging, code)])
    return pdf_antwoord(pdf, bestandsnaam("uitnodiging", persoon.naam, timezone.localdate().isoformat()), bijlage=True)


def _klas_of_404(request, pk):
    try:
        klas = Klas.objects.select_related("afdeling", "schooljaar").get(pk=pk, schooljaar__school=request.school)
    except (Klas.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not toegang.mag_uitnodigen_klas(request.user, request.school, klas):
        raise Http404
    return klas


@school_vereist()
@never_cache
@require_http_methods(["GET", "POST"])
def klas_ouders_uitnodigen(request, pk):
    """Bulk: invite every ouder of the klas without an active account (e-mail, or a letter)."""
    klas = _klas_of_404(request, pk)
    form = KlasUitnodigenForm(request.POST or None)
    resultaat = pdf_data = pdf_naam = None
    if request.method == "POST" and form.is_valid():
        resultaat = regels.nodig_klas_uit(klas, form.cleaned_data["taal"], request.user, request.school,
                                          opnieuw=form.cleaned_data["opnieuw"])
        if resultaat["brieven"]:
            # The letters carry the codes, which are stored nowhere: the PDF goes with this page only.
            pdf_data = base64.b64encode(regels.brieven_pdf(resultaat["brieven"])).decode()
            pdf_naam = bestandsnaam("uitnodigingen", "klas", klas.naam, timezone.localdate().isoformat())
        form = KlasUitnodigenForm(initial={"taal": form.cleaned_data["taal"]})
    ouders = regels.ouders_van_klas(klas)
    te_doen = [o for o in ouders if o.status["code"] == "nieuw"]
    return render(request, "ouders/uitnodiging/klas.html", {
        "klas": klas, "ouders": ouders, "form": form, "resultaat": resultaat, "pdf_data": pdf_data,
        "pdf_naam": pdf_naam, "aantal_email": sum(1 for o in te_doen if o.email),
        "aantal_brief": sum(1 for o in te_doen if not o.email),
        "aantal_uitgenodigd": sum(1 for o in ouders if o.status["code"] == "uitgenodigd"),
        "titel": _("Ouders uitnodigen · klas %(klas)s") % {"klas": klas.naam},
    })


# --- Portal: activation ---------------------------------------------------------------------------


def _na_activatie(uitnodiging):
    if uitnodiging.leerling_id:
        try:
            return reverse("leerling_start")
        except NoReverseMatch:
            return reverse("start")
    return reverse("ouder_start")


# Guessing codes: after ACTIVATIE_LIMIET wrong codes from one address within 15 minutes, the page
# refuses to check codes from there until 15 minutes after the last wrong one.
ACTIVATIE_LIMIET = 10
activatie_teller = Teller("activeren", ACTIVATIE_LIMIET, datetime.timedelta(minutes=15))


@never_cache
@require_http_methods(["GET", "POST"])
def activeren(request):
    """Turn a code from the e-mail or letter into an account (or a new password), then log in."""
    stap = request.POST.get("stap") if request.method == "POST" else None
    code = request.POST.get("code", "") if request.method == "POST" else request.GET.get("code", "")
    uitnodiging = None
    code_form = CodeForm(initial={"code": code})
    if stap in ("code", "account") or (request.method == "GET" and code):
        code_form = CodeForm({"code": code})
        adres = get_client_ip_address(request) or "onbekend"
        geblokkeerd_tot = activatie_teller.geblokkeerd_tot(adres)
        if code_form.is_valid() and geblokkeerd_tot is not None:
            code_form.add_error("code", _(
                "Er zijn vanaf dit adres te veel verkeerde codes ingevuld. Probeer het na %(tijd)s uur opnieuw."
            ) % {"tijd": date_format(timezone.localtime(geblokkeerd_tot), "H:i")})
        elif code_form.is_valid():
            try:
                uitnodiging = regels.zoek(code)
            except regels.ActivatieFout as fout:
                activatie_teller.fout(adres)
                for melding in fout.fouten.get("code", []):
                    code_form.add_error("code", melding)
    if uitnodiging is None:
        return render(request, "ouders/activeren.html", {"form": code_form, "titel": _("Account activeren")})
    if stap == "code":  # to step two by GET, so the language picker keeps the code
        return redirect(f"{reverse('ouders_activeren')}?{urlencode({'code': regels.toon_code(code)})}")
    if settings.TAAL_COOKIE not in request.COOKIES and not request.user.is_authenticated:
        # No language chosen on this device yet: the one the school invited in.
        translation.activate(uitnodiging.taal)
        request.LANGUAGE_CODE = uitnodiging.taal

    bestaand = regels.bestaand_account(uitnodiging)
    if stap == "account":
        form = AccountForm(request.POST, bestaand=bool(bestaand))
        if form.is_valid():
            try:
                gebruiker = regels.activeer(code, form.cleaned_data.get("gebruikersnaam"),
                                            form.cleaned_data["wachtwoord1"], form.cleaned_data["wachtwoord2"])
            except regels.ActivatieFout as fout:
                if fout.fouten.get("code"):  # used or withdrawn in the meantime: back to step one
                    code_form = CodeForm({"code": code})
                    code_form.is_valid()
                    for melding in fout.fouten["code"]:
                        code_form.add_error("code", melding)
                    return render(request, "ouders/activeren.html",
                                  {"form": code_form, "titel": _("Account activeren")})
                for veld, meldingen in fout.fouten.items():
                    for melding in meldingen:
                        form.add_error(veld if veld in form.fields else None, melding)
            else:
                login(request, gebruiker, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welkom! Uw account is klaar. U bent nu ingelogd.") if not bestaand
                                 else _("Uw nieuwe wachtwoord is opgeslagen. U bent nu ingelogd."))
                return redirect(_na_activatie(uitnodiging))
    else:
        form = AccountForm(initial={"code": regels.toon_code(code),
                                    "gebruikersnaam": regels.voorgestelde_gebruikersnaam(uitnodiging)},
                           bestaand=bool(bestaand))
    return render(request, "ouders/activeren_account.html", {
        "form": form, "bestaand": bestaand, "school": uitnodiging.school,
        "is_leerling": bool(uitnodiging.leerling_id),
        "titel": _("Account activeren"),
    })
