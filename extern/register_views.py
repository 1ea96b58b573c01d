"""The register of instellingen and contactpersonen: the applicatiebeheerder keeps it, the
zorgcoördinator may read it; everyone else gets 404 (zorg.views.school_vereist)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zorg.views import school_vereist

from . import register
from .models import Contactpersoon, Instelling
from .register_forms import ContactpersoonForm, InstellingForm

BEHEER = "applicatiebeheerder"


def _instelling(request, pk):
    return get_object_or_404(Instelling, pk=pk, school=request.school)


def _contactpersoon(request, pk):
    return get_object_or_404(Contactpersoon.objects.select_related("instelling", "gebruiker"), pk=pk,
                             instelling__school=request.school)


@school_vereist(BEHEER, "zorgcoordinator")
@require_GET
def register_lijst(request):
    lijst = list(register.instellingen(request.school))
    return render(request, "extern/register/lijst.html", {
        "titel": _("Register van externe partners"), "instellingen": lijst,
        "mag_beheren": request.rollen.heeft(BEHEER),
    })


def _instelling_formulier(request, instelling):
    form = InstellingForm(request.POST or None, instance=instelling, school=request.school)
    if request.method == "POST" and form.is_valid():
        nieuw = form.instance.pk is None
        form.instance.school = request.school
        register.instelling_opslaan(form.instance)
        messages.success(request, _("%(naam)s is toegevoegd aan het register.") % {"naam": form.instance.naam}
                         if nieuw else _("%(naam)s is opgeslagen.") % {"naam": form.instance.naam})
        return redirect("register")
    return render(request, "extern/register/instelling_formulier.html", {
        "titel": _("Instelling wijzigen") if instelling.pk else _("Nieuwe instelling"),
        "form": form, "instelling": instelling, "voorbeelden": register.voorbeeldnamen(request.school.land),
        "in_gebruik": bool(instelling.pk) and register.in_gebruik(instelling),
    })


@school_vereist(BEHEER)
@require_http_methods(["GET", "POST"])
def instelling_nieuw(request):
    return _instelling_formulier(request, Instelling(school=request.school))


@school_vereist(BEHEER)
@require_http_methods(["GET", "POST"])
def instelling_wijzigen(request, pk):
    return _instelling_formulier(request, _instelling(request, pk))


@school_vereist(BEHEER)
@require_POST
def instelling_verwijderen(request, pk):
    instelling = _instelling(request, pk)
    naam = instelling.naam
    if register.verwijder_of_deactiveer(instelling) == "verwijderd":
        messages.success(request, _("%(naam)s is verwijderd.") % {"naam": naam})
    else:
        messages.info(request, _("%(naam)s heeft verwijzingen of toestemmingen en is daarom niet verwijderd maar "
                                 "op niet actief gezet. De geschiedenis blijft bewaard.") % {"naam": naam})
    return redirect("register")


def _contact_formulier(request, contact):
    form = ContactpersoonForm(request.POST or None, instance=contact, instelling=contact.instelling)
    if request.method == "POST" and form.is_valid():
        nieuw = form.instance.pk is None
        register.contactpersoon_opslaan(form.instance)
        if nieuw:
            melding = _("%(naam)s is toegevoegd.")
        elif not form.instance.actief and "actief" in form.changed_data:
            melding = _("%(naam)s is op niet actief gezet: de toegang is direct afgesloten.")
        else:
            melding = _("%(naam)s is opgeslagen.")
        messages.success(request, melding % {"naam": form.instance.naam})
        return redirect("register")
    return render(request, "extern/register/contactpersoon_formulier.html", {
        "titel": _("Contactpersoon wijzigen") if contact.pk else _("Nieuwe contactpersoon"),
        "form": form, "contact": contact, "instelling": contact.instelling,
    })


@school_vereist(BEHEER)
@require_http_methods(["GET", "POST"])
def contactpersoon_nieuw(request, pk):
    instelling = _instelling(request, pk)
    return _contact_formulier(request, Contactpersoon(instelling=instelling))


@school_vereist(BEHEER)
@require_http_methods(["GET", "POST"])
def contactpersoon_wijzigen(request, pk):
    return _contact_formulier(request, _contactpersoon(request, pk))


@school_vereist(BEHEER)
@require_POST
def contactpersoon_uitnodigen(request, pk):
    contact = _contactpersoon(request, pk)
    opnieuw = contact.uitgenodigd_op is not None
    try:
        register.uitnodigen(contact, request.user)
    except register.RegisterFout as fout:
        messages.error(request, str(fout))
    else:
        messages.success(request, (_("De uitnodiging is opnieuw verstuurd naar %(email)s.") if opnieuw
                                   else _("De uitnodiging is verstuurd naar %(email)s.")) % {"email": contact.email})
    return redirect("register")


