from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import notificaties
from .models import Gebruiker, Notificatie


@login_required
def lijst(request):
    """The user's notices, unread first, newest first within each group."""
    items = list(
        Notificatie.objects.filter(ontvanger=request.user)
        .annotate(nieuw=ExpressionWrapper(Q(gelezen_op__isnull=True), output_field=BooleanField()))
        .order_by("-nieuw", "-aangemaakt_op")
        .select_related("leerling")[:100]
    )
    return render(request, "zorg/notificaties.html", {"items": items, "titel": _("Meldingen")})


@login_required
@require_POST
def open_melding(request, pk):
    """Mark one notice read and follow its link (only links inside this site)."""
    melding = get_object_or_404(Notificatie, pk=pk, ontvanger=request.user)
    notificaties.markeer_gelezen(request.user, pk=melding.pk)
    veilig = url_has_allowed_host_and_scheme(melding.url, allowed_hosts={request.get_host()})
    return redirect(melding.url if melding.url and veilig else "notificaties")


@login_required
@require_POST
def alles_gelezen(request):
    notificaties.markeer_gelezen(request.user)
    return redirect("notificaties")


class EmailVoorkeurForm(forms.Form):
    email_voorkeur = forms.ChoiceField(
        label=gettext_lazy("Meldingen per e-mail"),
        choices=Gebruiker.EmailVoorkeur.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Kies hoe u meldingen per e-mail wilt ontvangen."),
            "invalid_choice": gettext_lazy("Kies een van de drie mogelijkheden."),
        },
        help_text=gettext_lazy("Meldingen in Zorgroute krijgt u altijd; dit gaat alleen over de e-mail."),
    )


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
