"""The jaarverslag's conclusions form, with the version read (optimistic concurrency)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ConclusiesForm(forms.Form):
    conclusies = forms.CharField(
        label=_("Conclusies en voornemens"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Wat de school concludeert uit de cijfers en wat zij volgend jaar anders of beter wil doen. "
                    "Noem geen leerlingen bij naam."),
    )
    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

