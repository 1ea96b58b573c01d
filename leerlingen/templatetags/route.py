"""{% route_acties leerling %}: the zorgroute block on the pupil's dossier page."""

from django import template

from leerlingen import route

register = template.Library()


@register.inclusion_tag("leerlingen/route_acties_blok.html", takes_context=True)
def route_acties(context, leerling):
    request = context["request"]
    school = getattr(request, "school", None)
    return {"leerling": leerling, "acties": route.acties_voor(request.user, school, leerling), "request": request}
