"""The one form an external partner fills in: terugkoppeling on a verwijzing."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Terugkoppeling


class TerugkoppelingForm(forms.Form):
    soort = forms.ChoiceField(
        label=_("Soort"), choices=Terugkoppeling.Soort.choices, initial=Terugkoppeling.Soort.VOORTGANG,
        error_messages={"required": _("Kies de soort terugkoppeling."),
                        "invalid_choice": _("Kies een soort uit de lijst.")},
    )
    datum = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Vul de datum in."), "invalid": _("Vul een geldige datum in.")},
    )
    tekst = forms.CharField(
        label=_("Terugkoppeling"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000,
        help_text=_("Wat is er gebeurd, wat is de volgende stap, en wat vraagt u van de school?"),
        error_messages={"required": _("Schrijf uw terugkoppeling."),
                        "max_length": _("Houd de terugkoppeling korter dan %(limit_value)d tekens.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("datum", timezone.localdate())
        super().__init__(*args, **kwargs)
