"""Forms for the groepsoverzicht: a docent's observatie and the template's columns."""

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .models import Kolom


class ObservatieForm(forms.Form):
    tekst = forms.CharField(
        label=_("observatie"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("Uw observatie…")}),
    )


class KolomForm(forms.ModelForm):
    class Meta:
        model = Kolom
        fields = ["volgorde", "titel", "sleutel", "type", "keuzes", "drempel", "toets_onderdeel", "vertrouwelijk",
                  "uitleg"]
        widgets = {
            "volgorde": forms.NumberInput(attrs={"class": "smal", "min": 0}),
            "sleutel": forms.TextInput(attrs={"class": "smal"}),
            "drempel": forms.TextInput(attrs={"class": "smal"}),
            "toets_onderdeel": forms.TextInput(attrs={"class": "smal"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sleutel"].required = False
        self.fields["volgorde"].required = False
        for naam, veld in self.fields.items():
            veld.widget.attrs.setdefault("aria-label", str(veld.label or naam))

    def clean(self):
        data = super().clean()
        if data.get("titel") and not data.get("sleutel"):
            data["sleutel"] = slugify(data["titel"])[:40] or "kolom"
        if data.get("volgorde") is None:
            data["volgorde"] = 999
        return data


class BaseKolomFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        sleutels = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            sleutel = form.cleaned_data.get("sleutel")
            if sleutel in sleutels:
                form.add_error("sleutel", _("Deze sleutel komt al voor in dit sjabloon."))
            sleutels.add(sleutel)


KolomFormSet = forms.modelformset_factory(
    Kolom, form=KolomForm, formset=BaseKolomFormSet, extra=1, can_delete=True
)
