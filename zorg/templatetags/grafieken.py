"""Charts as inline SVG (no script, no style attributes: allowed by the strict CSP), each with a
table alternative for screen readers and for printing the figures.

    {% load grafieken %}
    {% staafdiagram rijen titel="Doel behaald" eenheid="%" maximum=100 %}

`rijen` is a list of Staaf (or (label, waarde) pairs); a waarde of None is drawn as "te weinig
gegevens" (e.g. a percentage over fewer than 5 cases) instead of a bar.
"""

from dataclasses import dataclass

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

register = template.Library()

BREEDTE = 400  # the SVG's drawing width for the bars (the SVG scales to its container)
LABEL = 270
HOOGTE = 24


@dataclass
class Staaf:
    label: str
    waarde: float | None
    toelichting: str = ""  # e.g. "12 van 20"; shown in the table and after the bar


def _staaf(rij):
    if isinstance(rij, Staaf):
        return rij
    if isinstance(rij, dict):
        return Staaf(rij["label"], rij.get("waarde"), rij.get("toelichting", ""))
    return Staaf(*rij)


def _waarde(x):
    """A value as text in the reader's locale (2,5 in Dutch), at most one decimal."""
    x = round(x, 1)
    return formats.number_format(int(x) if x == int(x) else x)


def _getal(x):
    """An SVG coordinate: always a dot as decimal separator (the Dutch locale would write a comma)."""
    return f"{x:.1f}"


@register.inclusion_tag("zorg/_staafdiagram.html")
def staafdiagram(rijen, titel="", eenheid="", maximum=None, id=""):
    staven = [_staaf(r) for r in rijen]
    waarden = [s.waarde for s in staven if s.waarde is not None]
    hoogste = maximum if maximum is not None else (max(waarden) if waarden else 0)
    getekend = []
    for i, s in enumerate(staven):
        breedte = 0 if not hoogste or s.waarde is None else max(0, min(1, s.waarde / hoogste)) * BREEDTE
        tekst = _("te weinig gegevens") if s.waarde is None else f"{_waarde(s.waarde)}{eenheid}"
        getekend.append({
            "label": s.label, "waarde": s.waarde, "tekst": tekst, "toelichting": s.toelichting,
            "y": _getal(i * HOOGTE + 4), "tekst_y": _getal(i * HOOGTE + HOOGTE * 0.65),
            "breedte": _getal(breedte), "tekst_x": _getal(LABEL + breedte + 6),
        })
    return {
        "titel": titel, "staven": getekend, "eenheid": eenheid, "id": id or f"grafiek-{abs(hash(titel)) % 10**8}",
        "hoogte": max(1, len(staven)) * HOOGTE, "breedte": LABEL + BREEDTE + 140, "label_x": LABEL - 8,
        "bar_x": LABEL, "bar_h": HOOGTE - 8,
    }
