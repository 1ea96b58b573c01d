"""Forms of the portal's plan pages (parents and pupils); labels in Dutch through gettext."""

from django import forms
from django.utils.translation import gettext_lazy as _


class InbrengOudersForm(forms.Form):
    inbreng = forms.CharField(
        label=_("Uw inbreng"), required=False, max_length=5000,
        help_text=_("Wat vindt u belangrijk? Wat werkt thuis goed? Wat kunt u zelf doen?"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class InbrengLeerlingForm(forms.Form):
    inbreng = forms.CharField(
        label=_("Wat wil jij zeggen over dit plan?"), required=False, max_length=5000,
        help_text=_("Bijvoorbeeld: wat helpt jou, wat vind je moeilijk, wat wil je zelf doen?"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ReactieForm(forms.Form):
    keuze = forms.ChoiceField(choices=[("akkoord", "akkoord"), ("niet_akkoord", "niet_akkoord")],
                              widget=forms.HiddenInput)
    reden = forms.CharField(label=_("Waarom bent u niet akkoord?"), required=False, max_length=3000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    bevestigd = forms.BooleanField(required=False, widget=forms.HiddenInput)
