"""Forms of the school's verwijzing pages: create, status step, terugkoppeling, access grant."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Terugkoppeling, Verwijzing
from .verwijzing import STANDAARD_SECTIES, contactpersonen, instellingen


class DatumInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


DATUM_FOUTEN = {"invalid": _("Vul een geldige datum in (dd-mm-jjjj).")}


def _tekst(rows=4):
    return forms.Textarea(attrs={"rows": rows})


class VerwijzingForm(forms.Form):
    instelling = forms.ModelChoiceField(
        label=_("Instelling"), queryset=None, empty_label=_("— kies een instelling —"),
        error_messages={"required": _("Kies de instelling waarnaar verwezen wordt."),
                        "invalid_choice": _("Kies een actieve instelling van deze school.")},
    )
    contactpersoon = forms.ModelChoiceField(
        label=_("Contactpersoon"), queryset=None, required=False, empty_label=_("— (nog) geen —"),
        help_text=_("Krijgt toegang tot het verwijsdossier voor de periode die de school instelt."),
        error_messages={"invalid_choice": _("Kies een contactpersoon uit de lijst.")},
    )
    reden = forms.CharField(label=_("Reden van verwijzing"), widget=_tekst(),
                            error_messages={"required": _("Beschrijf de reden van de verwijzing.")})
    hulpvraag = forms.CharField(label=_("Hulpvraag"), widget=_tekst(), required=False)
    secties = forms.MultipleChoiceField(
        label=_("Onderdelen van het verwijsdossier"), choices=Verwijzing.Sectie.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen de gekozen onderdelen gaan mee. Vertrouwelijke gegevens alleen met toestemming voor "
                    "overdracht aan deze instelling."),
        error_messages={"invalid_choice": _("Kies alleen onderdelen uit de lijst.")},
    )
    taak_school = forms.CharField(label=_("Taak van de school"), widget=_tekst(3), required=False)
    afspraak = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, school, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("secties", [str(s) for s in STANDAARD_SECTIES])
        super().__init__(*args, **kwargs)
        self.fields["instelling"].queryset = instellingen(school)
        self.fields["contactpersoon"].queryset = contactpersonen(school)
        self.fields["contactpersoon"].label_from_instance = lambda c: f"{c.naam} ({c.instelling.naam})"


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nieuwe status"), choices=Verwijzing.Status.choices,
                               error_messages={"required": _("Kies de nieuwe status.")})
    datum = forms.DateField(label=_("Datum"), required=False, widget=DatumInput(), error_messages=DATUM_FOUTEN,
                            help_text=_("Leeg is vandaag."))
    nazorg = forms.CharField(label=_("Nazorg (bij afsluiten)"), widget=_tekst(3), required=False)
    terugkijken_op = forms.DateField(
        label=_("Terugkijken op (bij afsluiten)"), required=False, widget=DatumInput(), error_messages=DATUM_FOUTEN,
        help_text=_("Leeg is zes weken na de afsluitdatum."),
    )

    def __init__(self, *args, stappen=None, **kwargs):
        super().__init__(*args, **kwargs)
        if stappen is not None and not self.is_bound:
            self.fields["status"].choices = [(s, Verwijzing.Status(s).label) for s in stappen]


class TerugkoppelingForm(forms.Form):
    soort = forms.ChoiceField(label=_("Soort"), choices=Terugkoppeling.Soort.choices,
                              initial=Terugkoppeling.Soort.VOORTGANG)
    datum = forms.DateField(label=_("Datum"), widget=DatumInput(), error_messages={
        **DATUM_FOUTEN, "required": _("Geef de datum van de terugkoppeling.")})
    tekst = forms.CharField(label=_("Terugkoppeling"), widget=_tekst(),
                            error_messages={"required": _("Schrijf wat er is teruggekoppeld.")})


class ToegangForm(forms.Form):
    contactpersoon = forms.ModelChoiceField(
        label=_("Contactpersoon"), queryset=None, empty_label=_("— kies —"),
        error_messages={"required": _("Kies een contactpersoon."),
                        "invalid_choice": _("Kies een contactpersoon van deze instelling.")},
    )

    def __init__(self, *args, verwijzing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contactpersoon"].queryset = contactpersonen(verwijzing.school, verwijzing.instelling)
