"""The pupil's own pages (when the school enables pupil accounts): the goals of their own plans in
simple words, and their own inbreng while a plan is a concept. Nothing confidential: only the
goals, what will happen (aanpak) and their own inbreng. Anyone else answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from leerlingen import paginas
from plannen import plannen as regels
from zorg import toegang

from .plan_forms import InbrengLeerlingForm


def _leerling_of_404(request):
    leerling = toegang.eigen_leerling(request.user)
    if leerling is None:
        raise Http404
    return leerling


@login_required
@require_GET
def leerling_start(request):
    leerling = _leerling_of_404(request)
    lijst = list(toegang.plannen_voor_leerling(request.user).prefetch_related("doelen").order_by("-start", "-pk"))
    for plan in lijst:
        plan.status_tekst = regels.status_voor_leerling(plan)
    return render(request, "ouders/leerling/start.html", {
        "leerling": leerling,
        "huidig": [p for p in lijst if p.status in regels.HUIDIG],
        "eerder": [p for p in lijst if p.status not in regels.HUIDIG],
        "titel": _("Mijn plannen"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def leerling_plan(request, pk):
    leerling = _leerling_of_404(request)
    try:
        plan = toegang.plannen_voor_leerling(request.user).get(pk=pk)
    except (regels.Handelingsplan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    form = InbrengLeerlingForm(request.POST or None, initial={"inbreng": plan.inbreng_leerling})
    if request.method == "POST" and form.is_valid():
        try:
            regels.bewaar_inbreng_leerling(request.user, plan, form.cleaned_data["inbreng"])
        except regels.PlanFout as fout:
            paginas.fouten(form, fout)
        else:
            messages.success(request, _("Dank je! Je mentor kan lezen wat je hebt geschreven."))
            return redirect("leerling_plan", plan.pk)
    toegang.log_inzage(request, leerling, gettext_lazy("handelingsplan (leerlingportaal)"), obj=plan)
    return render(request, "ouders/leerling/plan.html", {
        "leerling": leerling, "plan": plan, "doelen": list(plan.doelen.all()), "form": form,
        "status_tekst": regels.status_voor_leerling(plan), "titel": _("Mijn plan"),
    })
