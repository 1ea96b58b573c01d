"""The parent portal's pages: the children, one child's overview, the inzagelog, and the
language choice. Access goes through zorg/toegang.py: another child's id answers 404."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from leerlingen.models import Klasplaatsing
from zorg import inzagelog, toegang

from . import overzicht


def kinderen(request):
    """The ouder's children with their klas history (the current klas is the first placement)."""
    if not toegang.rollen(request.user, None).is_ouder:
        raise Http404
    return (
        toegang.kinderen_voor(request.user)
        .select_related("school", "zorgniveau")
        .prefetch_related(
            Prefetch(
                "plaatsingen",
                queryset=Klasplaatsing.objects.select_related("klas__schooljaar").prefetch_related("klas__mentoren")
                .order_by("-klas__schooljaar__begin"),
                to_attr="alle_plaatsingen",
            )
        )
        .order_by("voornaam")
    )


def met_klas(lijst):
    for kind in lijst:
        kind.huidige_klas = kind.alle_plaatsingen[0].klas if kind.alle_plaatsingen else None
    return lijst


def plan_pagina():
    """Is the parent's plan page (URL name "ouder_plan") there? Link to it only then."""
    try:
        reverse("ouder_plan", args=[1])
        reverse("ouder_plannen", args=[1])
    except NoReverseMatch:
        return False
    return True


@login_required
@require_GET
def ouder_start(request):
    """The parent's home: every child with a compact overview (a fixed number of queries)."""
    lijst = overzicht.vul_overzicht(request.user, met_klas(list(kinderen(request))))
    return render(request, "ouders/start.html", {
        "kinderen": lijst, "titel": _("Mijn kinderen"), "plan_pagina": plan_pagina(),
    })


@login_required
@require_GET
def ouder_kind(request, pk):
    """One child as its parent sees it; another child's id answers 404."""
    try:
        kind = met_klas([kinderen(request).get(pk=pk)])[0]
    except (toegang.Leerling.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    overzicht.vul_overzicht(request.user, [kind])
    toegang.log_inzage(request, kind, gettext_lazy("ouderportaal"))
    return render(request, "ouders/kind.html", {"kind": kind, "titel": kind.voornaam, "plan_pagina": plan_pagina()})


@login_required
@require_GET
def inzagelog_kind(request, pk):
    """'Wie heeft het dossier van mijn kind bekeken': every read by someone else."""
    kind = toegang.kind_of_404(request.user, pk)
    pagina = Paginator(inzagelog.inzagen_voor_ouder(request.user, kind), inzagelog.PER_PAGINA).get_page(
        request.GET.get("pagina"))
    return render(request, "ouders/inzagelog.html", {
        "leerling": kind, "pagina": pagina,
        "titel": _("Wie heeft het dossier van %(kind)s bekeken") % {"kind": kind.voornaam},
    })


@require_POST
def taal_kiezen(request):
    """Remember the chosen language: on the account when logged in, and in a cookie (the login and
    activation pages, before there is an account)."""
    taal = request.POST.get("taal", "")
    if taal not in dict(settings.PORTAAL_TALEN):
        taal = settings.LANGUAGE_CODE
    volgende = request.POST.get("next", "")
    # Only a path on this site; redirect() would take any other text for a view name.
    if not volgende.startswith("/") or not url_has_allowed_host_and_scheme(
            volgende, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        volgende = ""
    if request.user.is_authenticated and request.user.taal != taal:
        request.user.taal = taal
        request.user.save(update_fields=["taal"])
    response = redirect(volgende or "start")
    response.set_cookie(settings.TAAL_COOKIE, taal, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=request.is_secure(), httponly=True)
    return response
