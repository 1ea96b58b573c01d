from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import notificaties
from .models import Notificatie


@login_required
def lijst(request):
    items = list(Notificatie.objects.filter(ontvanger=request.user).select_related("leerling")[:100])
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
