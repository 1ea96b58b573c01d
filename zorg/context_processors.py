import functools

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import toegang

# (role, url name, label) — one entry per start page; shown in this order.
MENU = [
    ("zorgcoordinator", "school_overzicht", _("School")),
    ("directie", "school_overzicht", _("School")),
    ("teamleider", "afdeling", _("Mijn afdeling")),
    ("mentor", "mijn_klas", _("Mijn klas")),
    ("specialist", "mijn_leerlingen", _("Mijn leerlingen")),
    ("docent", "mijn_klassen", _("Mijn klassen")),
    ("zorgcoordinator", "route_hulpvragen", _("Hulpvragen")),
    ("zorgcoordinator", "dashboard", _("Dashboard")),
    ("directie", "dashboard", _("Dashboard")),
    ("zorgcoordinator", "aanmeldingen", _("Aanmeldingen")),
    ("zorgcoordinator", "besprekingen", _("Besprekingen")),
    ("directie", "besprekingen", _("Besprekingen")),
    ("teamleider", "besprekingen", _("Besprekingen")),
    ("mentor", "besprekingen", _("Besprekingen")),
    ("specialist", "besprekingen", _("Besprekingen")),
    ("zorgcoordinator", "mijn_afspraken", _("Mijn afspraken")),
    ("directie", "mijn_afspraken", _("Mijn afspraken")),
    ("teamleider", "mijn_afspraken", _("Mijn afspraken")),
    ("mentor", "mijn_afspraken", _("Mijn afspraken")),
    ("specialist", "mijn_afspraken", _("Mijn afspraken")),
    ("docent", "mijn_afspraken", _("Mijn afspraken")),
    ("zorgcoordinator", "correctieverzoeken", _("Correctieverzoeken")),
    ("mentor", "correctieverzoeken", _("Correctieverzoeken")),
    ("zorgcoordinator", "kwaliteit", _("Kwaliteit")),
    ("directie", "kwaliteit", _("Kwaliteit")),
    ("teamleider", "kwaliteit", _("Kwaliteit")),
    ("zorgcoordinator", "bewaarplicht_overzicht", _("Oud-leerlingen")),
    ("zorgcoordinator", "audit", _("Audit")),
    ("applicatiebeheerder", "beheer", _("Beheer")),
    ("applicatiebeheerder", "audit", _("Audit")),
    ("ouder", "ouder_start", _("Mijn kinderen")),
    ("extern", "extern_start", _("Verwijzingen")),
]


def navigatie(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    school = getattr(request, "school", None)
    r = toegang.rollen(user, school)
    namen = r.namen
    items, gezien = [], set()
    for rol, url_name, label in MENU:
        if rol in namen and url_name not in gezien:
            gezien.add(url_name)
            items.append({"url": reverse(url_name), "label": label, "naam": url_name})
    zoeken = school is not None and any(n in namen for n in toegang.ROLVOLGORDE[:6])
    from .notificaties import ongelezen

    @functools.cache
    def ongelezen_aantal():
        # Counted when a template first shows it (the template calls it); a view that already has the number
        # passes `ongelezen_aantal` in its own context, which takes precedence over this one.
        return ongelezen(user).count()

    return {
        "ongelezen_aantal": ongelezen_aantal,
        "menu": items,
        "rollen": r,
        "rolnamen": [toegang.ROLNAMEN[n] for n in namen],
        "kan_zoeken": zoeken,
    }
