"""Account pages (issue 9): the second login step and its setup, recovery codes, the own account
page (/account/), the applicatiebeheerder's account management (/beheer/accounts/) and the Dutch
page for a login lockout (django-axes). Rules: zorg.tweestaps and zorg.accountbeheer; access:
toegang.is_beheerder_van / account_of_404."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from extern.models import Contactpersoon
from leerlingen.models import Leerling, Ouder

from . import accountbeheer, toegang, tweestaps
from .account_forms import BlokkeerForm, CodeForm, InstelForm
from .middleware import portaal_taal
from .models import Functie
from .views import school_vereist

HERSTEL_SESSIE = "tweestaps_herstelcodes"
VOLGENDE_SESSIE = "tweestaps_volgende"
PER_PAGINA = 25


def _volgende(request):
    """The page to go on to: ?next= when it stays on this site, else the start page."""
    volgende = request.POST.get("next") or request.GET.get("next") or ""
    if volgende and url_has_allowed_host_and_scheme(volgende, {request.get_host()}, request.is_secure()):
        return volgende
    return reverse("start")


def _met_volgende(naam, volgende):
    url = reverse(naam)
    return f"{url}?{urlencode({'next': volgende})}" if volgende and volgende != reverse("start") else url


def _portaal(request):
    """Parents and pupils see the account pages in their own language, in the portal's layout."""
    if request.user.is_authenticated and toegang.is_portaalgebruiker(request.user):
        taal = portaal_taal(request)
        translation.activate(taal)
        request.LANGUAGE_CODE = taal
        return True
    return False


def _context(request, portaal, **context):
    return {"basis": "ouders/basis.html" if portaal else "base.html", "portaal": portaal, **context}


def _eigen_pagina(portaal):
    return "portaal_instellingen" if portaal else "account"


# --- the second login step -------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tweestaps_code(request):
    """Step two: a 6-digit code from the app, or a recovery code. Five wrong codes lock the step."""
    user = request.user
    volgende = _volgende(request)
    if tweestaps.is_geverifieerd(user):
        return redirect(volgende)
    if not tweestaps.heeft_tweestaps(user):
        if tweestaps.tweestaps_verplicht(user):
            return redirect(_met_volgende("tweestaps_instellen", volgende))
        return redirect(volgende)
    portaal = toegang.is_portaalgebruiker(user)
    teller = tweestaps.tweede_stap_teller
    tot = teller.geblokkeerd_tot(user.pk)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and tot is None and form.is_valid():
        apparaat = tweestaps.controleer_code(user, form.cleaned_data["code"])
        if apparaat is not None:
            teller.wis(user.pk)
            otp_login(request, apparaat)
            if isinstance(apparaat, StaticDevice):
                over = tweestaps.herstelcodes_over(user)
                messages.warning(request, ngettext(
                    "U hebt een herstelcode gebruikt; u hebt er nog %(n)d over. Maak nieuwe codes als u er "
                    "bijna geen meer hebt.",
                    "U hebt een herstelcode gebruikt; u hebt er nog %(n)d over. Maak nieuwe codes als u er "
                    "bijna geen meer hebt.", over) % {"n": over})
            return redirect(volgende)
        teller.fout(user.pk)
        tot = teller.geblokkeerd_tot(user.pk)
        if tot is None:
            over = teller.over(user.pk)
            form.add_error("code", ngettext(
                "Deze code klopt niet. U kunt het nog %(n)d keer proberen.",
                "Deze code klopt niet. U kunt het nog %(n)d keer proberen.", over) % {"n": over})
    return render(request, "zorg/account/code.html", _context(
        request, False, form=form, tot=tot, volgende=volgende, titel=_("Inloggen: tweede stap"),
        portaal_gebruiker=portaal,
    ))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tweestaps_instellen(request):
    """Link an authenticator app: a QR code (and the secret to type by hand), confirmed with a first
    code; then 10 recovery codes, shown once."""
    user = request.user
    portaal = _portaal(request)
    volgende = _volgende(request)
    if tweestaps.heeft_tweestaps(user):
        if not tweestaps.is_geverifieerd(user):
            return redirect(_met_volgende("tweestaps_code", volgende))
        messages.info(request, _("Inloggen in twee stappen staat al aan."))
        return redirect(_eigen_pagina(portaal))
    apparaat = tweestaps.nieuw_app_apparaat(user)
    form = InstelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = tweestaps.bevestig_app(user, apparaat, form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, apparaat)
            request.session[HERSTEL_SESSIE] = codes
            gevraagd = request.POST.get("next") or request.GET.get("next")
            request.session[VOLGENDE_SESSIE] = volgende if gevraagd or not portaal else reverse(_eigen_pagina(portaal))
            return redirect("tweestaps_herstelcodes")
        form.add_error("code", _("Deze code klopt niet. Controleer of de tijd op uw telefoon goed staat en "
                                 "typ de code die de app nu toont."))
    return render(request, "zorg/account/instellen.html", _context(
        request, portaal, form=form, qr=tweestaps.qr_data_uri(apparaat), geheim=tweestaps.geheim(apparaat),
        volgende=volgende, verplicht=tweestaps.tweestaps_verplicht(user),
        # Forced setup: only the page itself (and logging out), not the menu.
        tweede_stap_open=not tweestaps.is_geverifieerd(user) and tweestaps.tweestaps_verplicht(user),
        titel=_("Inloggen in twee stappen instellen"),
    ))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tweestaps_herstelcodes(request):
    """The new recovery codes, shown once (and as a .txt download) until the user goes on."""
    portaal = _portaal(request)
    codes = request.session.get(HERSTEL_SESSIE)
    if not codes:
        return redirect(_eigen_pagina(portaal))
    if request.method == "POST":
        request.session.pop(HERSTEL_SESSIE, None)
        volgende = request.session.pop(VOLGENDE_SESSIE, None)
        return redirect(volgende or _eigen_pagina(portaal))
    if request.GET.get("download"):
        regels = [_("Zorgroute: herstelcodes voor %(naam)s") % {"naam": request.user.username},
                  _("Elke code werkt één keer, als u uw telefoon niet bij de hand hebt."), ""] + codes
        response = HttpResponse("\n".join(regels) + "\n", content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="zorgroute-herstelcodes.txt"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "zorg/account/herstelcodes.html", _context(
        request, portaal, codes=codes, titel=_("Uw herstelcodes")))


# --- the own account ---------------------------------------------------------------------------


@never_cache
@login_required
def account(request):
    """The own account: two-factor status, new recovery codes, switching it off where optional,
    ending all sessions, changing the password. Parents and pupils have this in the portal."""
    if toegang.is_portaalgebruiker(request.user):
        return redirect("portaal_instellingen")
    user = request.user
    return render(request, "zorg/account/account.html", {
        "heeft": tweestaps.heeft_tweestaps(user), "verplicht": tweestaps.tweestaps_verplicht(user),
        "codes_over": tweestaps.herstelcodes_over(user), "titel": _("Mijn account"),
    })


@login_required
@require_POST
def account_herstelcodes_nieuw(request):
    portaal = _portaal(request)
    if not tweestaps.heeft_tweestaps(request.user):
        return redirect(_eigen_pagina(portaal))
    request.session[HERSTEL_SESSIE] = tweestaps.nieuwe_herstelcodes(request.user)
    request.session[VOLGENDE_SESSIE] = reverse(_eigen_pagina(portaal))
    return redirect("tweestaps_herstelcodes")


@login_required
@require_POST
def account_tweestaps_uit(request):
    portaal = _portaal(request)
    if tweestaps.tweestaps_verplicht(request.user):
        messages.error(request, _("Voor uw account is inloggen in twee stappen verplicht; u kunt het niet uitzetten."))
    else:
        tweestaps.verwijder_apparaten(request.user)
        messages.success(request, _("Inloggen in twee stappen staat uit."))
    return redirect(_eigen_pagina(portaal))


@require_POST
def account_overal_uitloggen(request):
    """End every session of the account (other devices too), then log out here."""
    if request.user.is_authenticated:
        request.user.beeindig_sessies()
        logout(request)
        messages.success(request, _("U bent overal uitgelogd."))
    return redirect("login")


# --- the applicatiebeheerder: accounts of the school -----------------------------------------------


def _accounts(request):
    if not toegang.is_beheerder_van(request.user, request.school):
        raise Http404
    ik = OuterRef("pk")
    return toegang.accounts_van_school(request.user, request.school).annotate(
        is_medewerker=Exists(Functie.objects.filter(gebruiker=ik, schooljaar__school=request.school)),
        is_ouder=Exists(Ouder.objects.filter(gebruiker=ik)),
        is_leerling=Exists(Leerling.objects.filter(gebruiker=ik)),
        is_extern=Exists(Contactpersoon.objects.filter(gebruiker=ik)),
        heeft_tweestaps=Exists(TOTPDevice.objects.filter(user=ik, confirmed=True)),
    )


@school_vereist("applicatiebeheerder")
@require_http_methods(["GET"])
def beheer_accounts(request):
    """The school's accounts, searchable by name, with their status."""
    accounts = _accounts(request)
    zoek = request.GET.get("q", "").strip()[:100]
    for woord in zoek.split():
        accounts = accounts.filter(Q(first_name__icontains=woord) | Q(last_name__icontains=woord)
                                   | Q(username__icontains=woord) | Q(email__icontains=woord))
    pagina = Paginator(accounts.order_by("last_name", "first_name", "pk"), PER_PAGINA).get_page(
        request.GET.get("pagina"))
    return render(request, "zorg/account/accounts.html", {
        "pagina": pagina, "zoek": zoek, "titel": _("Accounts"),
    })


@school_vereist("applicatiebeheerder")
@never_cache
@require_http_methods(["GET", "POST"])
def beheer_account(request, pk):
    """One account: block (reason required) or unblock, reset two-factor, lift a lockout."""
    if not toegang.is_beheerder_van(request.user, request.school):
        raise Http404
    account = toegang.account_of_404(request.user, request.school, pk)
    form = BlokkeerForm()
    actie = request.POST.get("actie") if request.method == "POST" else None
    if actie == "blokkeren":
        form = BlokkeerForm(request.POST)
        if form.is_valid():
            try:
                accountbeheer.blokkeer(account, request.user, form.cleaned_data["reden"])
            except accountbeheer.AccountFout as fout:
                form.add_error("reden", str(fout))
            else:
                messages.success(request, _("%(naam)s is geblokkeerd en overal uitgelogd.") % {"naam": account.naam})
                return redirect("beheer_account", account.pk)
    elif actie == "deblokkeren":
        accountbeheer.deblokkeer(account)
        messages.success(request, _("%(naam)s kan weer inloggen.") % {"naam": account.naam})
        return redirect("beheer_account", account.pk)
    elif actie == "tweestaps":
        accountbeheer.reset_tweestaps(account)
        messages.success(request, _("De app en herstelcodes van %(naam)s zijn verwijderd; bij de volgende keer "
                                    "inloggen stelt %(naam)s inloggen in twee stappen opnieuw in.")
                         % {"naam": account.naam})
        return redirect("beheer_account", account.pk)
    elif actie == "lockout":
        accountbeheer.hef_lockout_op(account)
        messages.success(request, _("%(naam)s kan het direct opnieuw proberen.") % {"naam": account.naam})
        return redirect("beheer_account", account.pk)
    elif actie is not None:
        messages.error(request, _("Onbekende actie; er is niets gewijzigd."))
    return render(request, "zorg/account/account_beheer.html", {
        "account": account, "form": form, "is_zelf": account.pk == request.user.pk,
        "heeft_tweestaps": tweestaps.heeft_tweestaps(account),
        "verplicht": tweestaps.tweestaps_verplicht(account),
        "uitgesloten": accountbeheer.is_uitgesloten(account),
        "titel": _("Account %(naam)s") % {"naam": account.naam},
    }, status=400 if actie == "blokkeren" else 200)


# --- login lockout (django-axes) -------------------------------------------------------------------


def inlog_geblokkeerd(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: after too many wrong passwords, say in the visitor's language until when."""
    gebruikersnaam = (credentials or {}).get("username") or request.POST.get("username", "")
    tot = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    return render(request, "zorg/account/lockout.html", {
        "gebruikersnaam": gebruikersnaam[:150], "tot": tot,
        "minuten": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "titel": _("Te veel mislukte pogingen"),
    }, status=429)
