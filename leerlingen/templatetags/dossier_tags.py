"""Template helpers for the dossier: permission checks that lists need per klas, not per row."""

from django import template

from leerlingen import dossier

register = template.Library()


@register.filter
def mag_signaleren_in(rollen, klas):
    """{% if request.rollen|mag_signaleren_in:klas %}: may this user record signaleringen here?"""
    return dossier.mag_signaleren_in_klas(rollen, klas)
