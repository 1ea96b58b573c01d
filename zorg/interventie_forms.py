"""Forms for the catalogue of intervention kinds, and the "soort interventie" select that the
groepsplan, handelingsplan, afspraak and dossier forms share. The rules are in zorg/interventies.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import interventies
from .models import Interventiesoort

ONBEKENDE_KEUZE = _("Kies een soort interventie uit de lijst van de school.")


class InterventieKeuze(forms.ModelChoiceField):
    """A kind of the school's catalogue; a kind that is switched off shows as such."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("soort interventie"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", _("— kies een soort interventie —"))
        if not kwargs.get("help_text"):
            kwargs["help_text"] = _("Uit de lijst van de school; zo is later te zien welke aanpak werkt.")
        kwargs["queryset"] = Interventiesoort.objects.none()
        kwargs.pop("limit_choices_to", None)
        super().__init__(**kwargs)
        self.error_messages["invalid_choice"] = ONBEKENDE_KEUZE

    def label_from_instance(self, obj):
        return obj.naam if obj.actief else _("%(naam)s (niet meer actief)") % {"naam": obj.naam}


def beperk_interventie(form, school, huidig=None, veld="interventie", keuzelijst=None):
    """Limit the select of `form` to the school's active kinds (plus the current value). A posted id
    of another school or an inactive kind is not in the queryset: a Dutch form error.

    `keuzelijst`: the kinds already fetched (one query for a page with many such forms); the
    options are then rendered from it, the queryset is only queried to validate a post."""
    if veld not in form.fields:
        return
    if not isinstance(form.fields[veld], InterventieKeuze):
        oud = form.fields[veld]
        form.fields[veld] = InterventieKeuze(label=oud.label, required=False)
    huidig_id = getattr(huidig, "pk", huidig)
    keuze = form.fields[veld]
    keuze.queryset = interventies.keuzes(school, huidig_id) if school is not None else (
        Interventiesoort.objects.none())
    if keuzelijst is not None:
        keuze.choices = [("", keuze.empty_label), *[(s.pk, keuze.label_from_instance(s)) for s in keuzelijst]]


class InterventiesoortForm(forms.ModelForm):
    class Meta:
        model = Interventiesoort
        fields = ["naam", "domein", "arrangement", "omschrijving", "volgorde", "actief"]
        widgets = {"omschrijving": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "domein": _("De behoefte waar deze interventie meestal voor is (voor de effectanalyse)."),
            "arrangement": _("Een afspraak met dit arrangement krijgt deze soort als voorstel."),
            "actief": _("Een soort die niet actief is, is niet meer te kiezen; vastgelegde gegevens houden hem."),
        }
        error_messages = {
            "naam": {"required": _("Geef de soort interventie een naam."),
                     "max_length": _("De naam is te lang: hoogstens %(limit_value)d tekens.")},
            "volgorde": {"invalid": _("Vul bij volgorde een heel getal van 0 of meer in."),
                         "min_value": _("Vul bij volgorde een heel getal van 0 of meer in."),
                         "max_value": _("Vul bij volgorde een kleiner getal in.")},
            "domein": {"invalid_choice": _("Kies een behoefte uit de lijst.")},
            "arrangement": {"invalid_choice": _("Kies een arrangement uit de lijst.")},
        }

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["volgorde"].required = False
        self.fields["domein"].choices = [("", _("— geen vaste behoefte —")), *[
            c for c in self.fields["domein"].choices if c[0]]]
        self.fields["arrangement"].choices = [("", _("— geen arrangement —")), *[
            c for c in self.fields["arrangement"].choices if c[0]]]
        if self.instance.pk is None:
            self.fields["actief"].initial = True

    def clean_naam(self):
        naam = (self.cleaned_data.get("naam") or "").strip()
        if naam and interventies.naam_bestaat(self.school, naam, behalve=self.instance):
            raise forms.ValidationError(
                _("De school heeft al een soort interventie met de naam “%(naam)s”. Kies een andere naam."),
                params={"naam": naam},
            )
        return naam

    def clean_volgorde(self):
        """Left empty: an existing kind keeps its place, a new one goes to the end (service)."""
        volgorde = self.cleaned_data.get("volgorde")
        if volgorde is None and self.instance.pk:
            return self.instance.volgorde
        return volgorde

    def validate_unique(self):
        """The (school, naam) constraint is checked in clean_naam with a Dutch message."""

    def data_voor_service(self):
        return {k: v for k, v in self.cleaned_data.items()}
