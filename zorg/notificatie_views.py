from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import notificaties
from .forms import EmailVoorkeurForm
from .models import Notificatie


@login_required
def lijst(request):
    """The user's notices, unread first, newest first within each group."""
    items = notificaties.lijst_voor(request.user)
    return render(request, "zorg/notificaties.html", {"items": items, "titel": _("Meldingen")})


@login_required
@require_POST
def open_melding(request, pk):
    """Mark one notice read and follow its link (only links inside this site)."""
    melding = get_object_or_404(Notificatie, pk=pk, ontvanger=request.user)
    notificaties.markeer_gelezen(request.user, pk=melding.pk)
    return redirect(notificaties.link_binnen_site(melding, request.get_host()) or "notificaties")


@login_required
@require_POST
def alles_gelezen(request):
    notificaties.markeer_gelezen(request.user)
    return redirect("notificaties")


@login_required
def instellingen(request):
    """Instellingen voor meldingen: each user chooses e-mail directly, a daily digest, or none."""
    if request.method == "POST":
        form = EmailVoorkeurForm(request.POST)
        if form.is_valid():
            notificaties.wijzig_email_voorkeur(request.user, form.cleaned_data["email_voorkeur"])
            messages.success(request, _("Uw instellingen voor meldingen zijn opgeslagen."))
            return redirect("notificatie_instellingen")
    else:
        form = EmailVoorkeurForm(initial={"email_voorkeur": request.user.email_voorkeur})
    heeft_email = bool((request.user.email or "").strip())
    return render(
        request,
        "zorg/notificatie_instellingen.html",
        {"form": form, "titel": _("Instellingen voor meldingen"), "heeft_email": heeft_email},
    )
