"""The school's audit, its export and the unusual-access alarms (issue 9). Thin views: the
timeline is built in zorg.audit, the alarms live in zorg.alarmen, access in zorg.toegang."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import alarmen, audit, toegang
from .views import school_vereist


def _toegang(request):
    if not toegang.mag_audit(request.user, request.school):
        raise Http404


@school_vereist(*toegang.AUDIT_LEZERS)
@require_GET
def audit_overzicht(request):
    _toegang(request)
    form = audit.AuditFilter(request.GET or None)
    pagina = None
    if not request.GET or form.is_valid():
        filters = audit.Filters.uit(form) if form.is_bound else audit.Filters()
        pagina = audit.pagina(request.school, filters, request.GET.get("pagina"))
    return render(request, "zorg/audit/overzicht.html", {
        "titel": _("Audit %(school)s") % {"school": request.school},
        "form": form, "pagina": pagina, "per_pagina": audit.PER_PAGINA, "max_export": audit.EXPORT_MAX,
        "open_alarmen": alarmen.open_alarmen(request.school).count(),
        "query": request.GET.urlencode(),
    })


@school_vereist(*toegang.AUDIT_LEZERS)
@require_GET
def audit_export(request):
    _toegang(request)
    form = audit.AuditFilter(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("De export is niet gemaakt: verbeter eerst de filters."))
        return render(request, "zorg/audit/overzicht.html", {
            "titel": _("Audit %(school)s") % {"school": request.school}, "form": form, "pagina": None,
            "max_export": audit.EXPORT_MAX, "open_alarmen": alarmen.open_alarmen(request.school).count(),
        }, status=400)
    filters = audit.Filters.uit(form) if form.is_bound else audit.Filters()
    tekst, _aantal, _afgekapt = audit.exporteer(request.school, filters, request.user)
    response = HttpResponse("\ufeff" + tekst, content_type="text/csv; charset=utf-8")
    naam = f"audit-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{naam}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _alarmen_pagina(request, status=200, **extra):
    context = {
        "titel": _("Alarmen bij ongewone toegang"),
        "alarmen": list(alarmen.alarmen_van(request.school)[:200]),
        "drempels": {
            "weigeringen": alarmen.DREMPEL_WEIGERINGEN, "dossiers": alarmen.DREMPEL_DOSSIERS,
            "inlogpogingen": alarmen.DREMPEL_INLOGPOGINGEN,
        },
        "fout_pk": None, **extra,
    }
    return render(request, "zorg/audit/alarmen.html", context, status=status)


@school_vereist(*toegang.AUDIT_LEZERS)
@require_GET
def alarm_lijst(request):
    _toegang(request)
    return _alarmen_pagina(request)


@school_vereist(*toegang.AUDIT_LEZERS)
@require_POST
def alarm_afhandelen(request, pk):
    alarm = toegang.alarm_of_404(request.user, request.school, pk)
    toelichting = request.POST.get("toelichting", "")
    try:
        alarmen.handel_af(alarm, request.user, toelichting)
    except alarmen.AlarmFout as fout:
        return _alarmen_pagina(request, status=400, fout_pk=alarm.pk, fouten=fout.meldingen, toelichting=toelichting)
    messages.success(request, _("Het alarm is afgehandeld."))
    return redirect("audit_alarmen")
