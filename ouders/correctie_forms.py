"""Forms for correctieverzoeken: the parent's request (portal, translated) and the school's answer
(staff, Dutch). The rules are in ouders/correctie.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .correctie import MAX_ANTWOORD, MAX_TEKST
from .models import Correctieverzoek


class PlanKeuze(forms.ModelChoiceField):
    def label_from_instance(self, plan):
        if plan.vak_id:
            return _("Plan voor %(vak)s, gestart op %(datum)s") % {"vak": plan.vak, "datum": plan.start.strftime(
                "%d-%m-%Y")}
        return _("Plan gestart op %(datum)s") % {"datum": plan.start.strftime("%d-%m-%Y")}


class VerslagKeuze(forms.ModelChoiceField):
    def label_from_instance(self, item):
        return f"{item.datum.strftime('%d-%m-%Y')} · {item.kop or item.get_soort_display()}"


class CorrectieForm(forms.Form):
    onderwerp = forms.ChoiceField(label=_("Waarover gaat uw verzoek?"), choices=Correctieverzoek.Onderwerp.choices)
    plan = PlanKeuze(label=_("Welk plan? (niet verplicht)"), queryset=None, required=False,
                     empty_label=_("geen bepaald plan"))
    verslag = VerslagKeuze(label=_("Welk verslag? (niet verplicht)"), queryset=None, required=False,
                           empty_label=_("geen bepaald verslag"))
    tekst = forms.CharField(
        label=_("Wat moet de school verbeteren of aanvullen?"), max_length=MAX_TEKST,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Schrijf wat er volgens u niet klopt of ontbreekt, en hoe het wel is."),
        error_messages={"required": _("Schrijf wat de school moet verbeteren of aanvullen.")},
    )

    def __init__(self, *args, plannen, verslagen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plannen
        self.fields["verslag"].queryset = verslagen
        self.fields["plan"].error_messages["invalid_choice"] = _("Kies een plan uit de lijst.")
        self.fields["verslag"].error_messages["invalid_choice"] = _("Kies een verslag uit de lijst.")


class AntwoordForm(forms.Form):
    antwoord = forms.CharField(
        label=_("Antwoord aan de ouder"), max_length=MAX_ANTWOORD, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("De ouder leest dit antwoord in het ouderportaal. Schrijf in gewone woorden wat u heeft "
                    "aangepast, of waarom niet."),
        error_messages={"required": _("Schrijf een antwoord voor de ouder.")},
    )
