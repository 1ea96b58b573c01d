"""Kwaliteitszorg: the start page linking the analyses, the jaarverslag and the zelfevaluatie."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from . import toegang
from .views import school_vereist


@school_vereist()
def index(request):
    scope = toegang.kwaliteit_scope_of_404(request.user, request.school)
    return render(request, "zorg/kwaliteit/index.html", {
        "titel": _("Kwaliteitszorg"),
        "scope": scope,
        "beleid": toegang.mag_kwaliteitsbeleid(request.user, request.school),
        "catalogus": toegang.mag_interventiecatalogus(request.user, request.school),
    })
