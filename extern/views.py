from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _


@login_required
def extern_start(request):
    """An external contact's start page: the pupils referred to them (issue Extern fills it)."""
    contactpersoon = getattr(request.user, "contactpersoon", None)
    if contactpersoon is None:
        raise Http404
    return render(
        request,
        "extern/start.html",
        {"contactpersoon": contactpersoon, "verwijzingen": [], "titel": _("Verwijzingen")},
    )
