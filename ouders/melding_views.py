"""The portal's own notices page and settings (e-mail setting and language), for ouders and pupils
with an account; everyone else gets 404. The rules are those of the staff pages (zorg.notificaties)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zorg import notificaties, toegang, tweestaps
from zorg.forms import PortaalInstellingenForm
from zorg.models import Notificatie


def _portaal_of_404(request):
    if not toegang.mag_portaal(request.user):
        raise Http404


@login_required
@require_GET
def meldingen(request):
    """The user's notices, unread first."""
    _portaal_of_404(request)
    return render(request, "ouders/meldingen.html", {
        "items": notificaties.lijst_voor(request.user), "titel": _("Meldingen"),
    })


@login_required
@require_POST
def melding_open(request, pk):
    """Mark one notice read and follow its link, only when that stays inside this site."""
    _portaal_of_404(request)
    melding = get_object_or_404(Notificatie, pk=pk, ontvanger=request.user)
    notificaties.markeer_gelezen(request.user, pk=melding.pk)
    return redirect(notificaties.link_binnen_site(melding, request.get_host()) or "portaal_meldingen")


@login_required
@require_POST
def alles_gelezen(request):
    _portaal_of_404(request)
    notificaties.markeer_gelezen(request.user)
    return redirect("portaal_meldingen")


@login_required
def instellingen(request):
    """How notices come by e-mail, and the language of the portal and the e-mails, saved together."""
    _portaal_of_404(request)
    user = request.user
    if request.method == "POST":
        form = PortaalInstellingenForm(request.POST)
        if form.is_valid():
            notificaties.wijzig_email_voorkeur(user, form.cleaned_data["email_voorkeur"])
            taal = form.cleaned_data["taal"]
            if user.taal != taal:
                user.taal = taal
                user.save(update_fields=["taal"])
            with translation.override(taal):
                leerling = toegang.eigen_leerling(user) is not None and not toegang.rollen(user, None).is_ouder
                messages.success(request, _("Je instellingen zijn opgeslagen.") if leerling
                                 else _("Uw instellingen zijn opgeslagen."))
            response = redirect("portaal_instellingen")
            response.set_cookie(settings.TAAL_COOKIE, taal, max_age=365 * 24 * 3600, samesite="Lax",
                                secure=request.is_secure(), httponly=True)
            return response
    else:
        form = PortaalInstellingenForm(initial={"email_voorkeur": user.email_voorkeur, "taal": user.taal or "nl"})
    return render(request, "ouders/instellingen.html", {
        "form": form, "titel": _("Instellingen"), "heeft_email": bool((user.email or "").strip()),
        "tweestaps_aan": tweestaps.heeft_tweestaps(user),
    })
