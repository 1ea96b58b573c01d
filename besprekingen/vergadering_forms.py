"""Forms of the IZO/ZAT meeting screen: notes, besluiten, the item's decisions, zorgniveau."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from zorg.interventie_forms import InterventieKeuze, beperk_interventie

from .models import Afspraak
from .vergadering import BESLUIT_SOORTEN


def _naam(user):
    return user.naam


class SnelleKeuze(forms.Select):
    """A select rendered in Python with the same HTML as Django's widget templates. Those render
    every option through two template includes: the meeting screens show selects of 100+ staff
    (or a form per agenda item), where that was most of the page's render time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        delen = [format_html("<select name=\"{}\"{}>", widget["name"], flatatt(widget["attrs"]))]
        for groep, opties, _index in widget["optgroups"]:
            if groep:
                delen.append(format_html("<optgroup label=\"{}\">", groep))
            for optie in opties:
                delen.append(format_html("<option value=\"{}\"{}>{}</option>", str(optie["value"]),
                                         flatatt(optie["attrs"]), optie["label"]))
            if groep:
                delen.append("</optgroup>")
        delen.append("</select>")
        return mark_safe("".join(delen))  # noqa: S308 (every part escaped by format_html)


def snel(form, *velden):
    """Render these select fields of `form` with SnelleKeuze (call before setting their choices)."""
    for veld in velden:
        oud = form.fields[veld].widget
        nieuw = SnelleKeuze(attrs=oud.attrs)
        nieuw.choices = oud.choices
        nieuw.is_required = oud.is_required
        form.fields[veld].widget = nieuw


def _opties(veld, keuzelijst):
    """Render a select's options from objects the view fetched once (the screen shows the staff
    select twice); the field's queryset still validates a post."""
    if keuzelijst is not None:
        veld.choices = [("", veld.empty_label), *[(obj.pk, veld.label_from_instance(obj)) for obj in keuzelijst]]


class DatumInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


DATUM_FOUTEN = {"invalid": _("Vul een geldige datum in (dd-mm-jjjj).")}


class NotitiesForm(forms.Form):
    notities = forms.CharField(
        label=_("Notities bij dit punt"), required=False,
        widget=forms.Textarea(attrs={"rows": 8, "data-autosave-veld": "1"}),
    )
    versie = forms.CharField(widget=forms.HiddenInput, required=False)


class AlgemeenForm(forms.Form):
    """Ids prefixed (auto_id) so they differ from the item's notes form on the same page."""

    notities = forms.CharField(
        label=_("Algemene notities (mededelingen, rondvraag)"), required=False,
        widget=forms.Textarea(attrs={"rows": 4, "data-autosave-veld": "1"}),
    )
    samenvatting = forms.CharField(
        label=_("Samenvatting van de belangrijkste afspraken en besluiten"), required=False,
        widget=forms.Textarea(attrs={"rows": 4, "data-autosave-veld": "1"}),
    )
    versie = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "algemeen_%s")
        super().__init__(*args, **kwargs)


class BesluitForm(forms.Form):
    soort = forms.ChoiceField(
        label=_("Soort"), choices=[(s.value, s.label) for s in BESLUIT_SOORTEN],
        initial=Afspraak.Soort.AFSPRAAK,
        error_messages={"invalid_choice": _("Kies wat voor besluit dit is."), "required": _("Kies een soort.")},
    )
    wat = forms.CharField(
        label=_("Wat"), required=False, max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": _("wat moet er gebeuren…"), "autocomplete": "off",
                                     "id": "besluit-wat"}),
    )
    eigenaar = forms.ModelChoiceField(
        label=_("Eigenaar"), queryset=None, required=False,
        error_messages={"invalid_choice": _("Kies een eigenaar uit de lijst.")},
    )
    uiterlijk = forms.DateField(label=_("Uiterlijk op"), required=False, widget=DatumInput(),
                                error_messages=DATUM_FOUTEN)
    arrangement = forms.ChoiceField(
        label=_("Arrangement (bij soort arrangement)"), required=False, choices=Afspraak.Arrangement.choices,
        error_messages={"invalid_choice": _("Kies een arrangement uit de lijst.")},
    )
    instelling = forms.ModelChoiceField(
        label=_("Instelling (bij verwijzing)"), queryset=None, required=False,
        error_messages={"invalid_choice": _("Kies een instelling uit de lijst.")},
    )
    interventie = InterventieKeuze(
        help_text=_("Leeg bij een arrangement: de soort die bij het arrangement hoort."),
    )

    # The row as the chair types it: wat, eigenaar, datum ⏎; the kind and its details after.
    field_order = ["wat", "eigenaar", "uiterlijk", "soort", "arrangement", "instelling", "interventie"]

    def __init__(self, *args, medewerkers, instellingen, school=None, medewerkerlijst=None, **kwargs):
        super().__init__(*args, **kwargs)
        snel(self, "soort", "eigenaar", "arrangement", "instelling", "interventie")
        beperk_interventie(self, school)
        self.fields["eigenaar"].queryset = medewerkers
        self.fields["eigenaar"].label_from_instance = _naam
        _opties(self.fields["eigenaar"], medewerkerlijst)
        self.fields["instelling"].queryset = instellingen


class PuntForm(forms.Form):
    case_manager = forms.ModelChoiceField(
        label=_("Case-manager"), queryset=None, required=False,
        error_messages={"invalid_choice": _("Kies een case-manager uit de lijst.")},
    )
    vervolgdatum = forms.DateField(
        label=_("Vervolg (evaluatie) op"), required=False, widget=DatumInput(), error_messages=DATUM_FOUTEN,
        help_text=_("Standaard zes weken na de bespreking."),
    )
    vertrouwelijk = forms.BooleanField(
        label=_("Vertrouwelijk: het verslag van dit punt komt als vertrouwelijk item in het dossier"), required=False,
    )

    def __init__(self, *args, medewerkers, medewerkerlijst=None, **kwargs):
        super().__init__(*args, **kwargs)
        snel(self, "case_manager")
        self.fields["case_manager"].queryset = medewerkers
        self.fields["case_manager"].label_from_instance = _naam
        _opties(self.fields["case_manager"], medewerkerlijst)


class ZorgniveauForm(forms.Form):
    naar_niveau = forms.ModelChoiceField(
        label=_("Nieuw zorgniveau"), queryset=None,
        error_messages={"required": _("Kies het nieuwe zorgniveau."),
                        "invalid_choice": _("Kies een zorgniveau uit de lijst.")},
    )
    reden = forms.CharField(
        label=_("Toelichting (komt in het dossier)"), required=False, max_length=2000,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, niveaus, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["naar_niveau"].queryset = niveaus
        self.fields["naar_niveau"].label_from_instance = lambda n: f"{n.code} {n.naam}"
