"""{% aanmeld_menu leerling %}: the "Aanmelden IZO ▾" action on the pupil's dossier page."""

from django import template
from django.utils.translation import gettext_lazy as _

from besprekingen.models import Bespreking
from zorg import toegang

register = template.Library()

SOORTEN = [
    (Bespreking.Soort.IZO, _("intern zorgoverleg (IZO)")),
    (Bespreking.Soort.ZAT, _("zorg- en adviesteam (ZAT)")),
    (Bespreking.Soort.LEERLINGBESPREKING, _("leerlingbespreking")),
]


@register.inclusion_tag("besprekingen/aanmelding/_dossier_actie.html", takes_context=True)
def aanmeld_menu(context, leerling):
    request = context["request"]
    school = getattr(request, "school", None)
    mag = school is not None and leerling.school_id == school.pk and toegang.mag_aanmelden(
        request.user, school, leerling)
    return {"leerling": leerling, "mag": mag, "soorten": SOORTEN}
