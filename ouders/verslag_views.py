"""Verslagen and entries a parent may read: only the entries of their own children marked "gedeeld
met ouders" (zorg/toegang.py items_voor_ouder). Team and confidential entries, and other children's,
answer 404. Every read is written to the inzagelog."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from leerlingen import paginas
from zorg import toegang

PER_PAGINA = 20


@login_required
@require_GET
def ouder_verslagen(request, pk):
    """The shared entries of one child, newest first."""
    kind = toegang.kind_of_404(request.user, pk)
    items = toegang.items_voor_ouder(request.user, kind).select_related("auteur").order_by("-datum", "-aangemaakt_op")
    pagina = Paginator(items, PER_PAGINA).get_page(request.GET.get("pagina"))
    toegang.log_inzage(request, kind, gettext_lazy("verslagen (ouderportaal)"))
    return render(request, "ouders/verslagen.html", {
        "kind": kind, "pagina": pagina, "titel": _("Verslagen over %(naam)s") % {"naam": kind.voornaam},
    })


@login_required
@require_GET
def ouder_verslag(request, pk):
    """One shared entry."""
    item = toegang.item_voor_ouder_of_404(request.user, pk)
    toegang.log_inzage(request, item.leerling, gettext_lazy("verslag (ouderportaal)"), obj=item)
    return render(request, "ouders/verslag.html", {
        "kind": item.leerling, "item": item, "titel": item.kop or item.get_soort_display(),
    })


@login_required
@require_GET
def ouder_verslag_bestand(request, pk):
    """The uploaded file of a shared entry, as a download; logged."""
    item = toegang.item_voor_ouder_of_404(request.user, pk)
    response = paginas.bestand_download(item)
    toegang.log_inzage(request, item.leerling, gettext_lazy("document (ouderportaal)"), obj=item)
    return response
