"""Forms for groepsplannen and handelingsplannen."""

from datetime import datetime

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from leerlingen.models import Leerling
from zorg.interventie_forms import InterventieKeuze, beperk_interventie
from zorg.models import Vak

from .models import Betrokkenheid, Doel, Groepsplan, GroepsplanRij, Handelingsplan, Soort

TEKST = {"rows": 3}


class GroepsplanNieuwForm(forms.Form):
    periode = forms.ModelChoiceField(label=_("periode"), queryset=None)
    soort = forms.ChoiceField(label=_("soort"), choices=Soort.choices)
    vak = forms.ModelChoiceField(label=_("vak (vakspecifiek)"), queryset=None, required=False)
    differentiatie = forms.ChoiceField(
        label=_("differentiatie (vakspecifiek)"), required=False,
        choices=[c for c in Groepsplan.Differentiatie.choices if c[0]],
        help_text=_("Convergent: basisaanbod voor de hele groep plus subgroepen. Divergent: geen basisgroep; "
                    "elke subgroep werkt op eigen niveau, tempo en doelen."),
    )

    def __init__(self, *args, klas, vakken, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["periode"].queryset = klas.schooljaar.perioden.all()
        self.fields["vak"].queryset = vakken

    def clean(self):
        data = super().clean()
        if data.get("soort") == Soort.VAKSPECIFIEK and not data.get("vak"):
            self.add_error("vak", _("Kies het vak voor een vakspecifiek groepsplan."))
        return data


class LeerlingKeuze(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        label = obj.naam
        if getattr(obj, "gesignaleerd", False):
            label += " (S)"
        return label


class GroepsplanRijForm(forms.ModelForm):
    leerlingen = LeerlingKeuze(
        label=_("leerlingen"), queryset=Leerling.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Gesignaleerde leerlingen (S) uit het groepsoverzicht staan bovenaan."),
    )

    class Meta:
        model = GroepsplanRij
        fields = ["rijsoort", "naam", "leerlingen", "doelen", "interventie", "inhoud", "aanpak", "organisatie",
                  "evaluatie"]
        field_classes = {"interventie": InterventieKeuze}
        widgets = {veld: forms.Textarea(attrs=TEKST) for veld in
                   ["doelen", "inhoud", "aanpak", "organisatie", "evaluatie"]}
        help_texts = {
            "doelen": _("SMART: concreet en meetbaar (aantal, percentage, score) en met een datum of periode."),
            "rijsoort": _("Een individuele rij is de uitzondering: veel individuele aanpakken zijn niet uitvoerbaar."),
        }

    def __init__(self, *args, kandidaten, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        beperk_interventie(self, school, self.instance.interventie_id)
        veld = self.fields["leerlingen"]
        veld.queryset = Leerling.objects.filter(pk__in=[k.pk for k in kandidaten])
        volgorde = {k.pk: k for k in kandidaten}
        # Keep the flagged-first order of the candidates in the checkbox list.
        veld.choices = [(k.pk, veld.label_from_instance(volgorde[k.pk])) for k in kandidaten]


class RijEvaluatieForm(forms.ModelForm):
    class Meta:
        model = GroepsplanRij
        fields = ["doel_bereikt", "aanpak_effectief", "vervolg", "evaluatie_toelichting"]
        widgets = {"evaluatie_toelichting": forms.Textarea(attrs=TEKST)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for veld in ("doel_bereikt", "aanpak_effectief", "vervolg"):
            self.fields[veld].required = True


class HandelingsplanForm(forms.ModelForm):
    gewijzigd_op = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Handelingsplan
        fields = [
            "soort", "vak", "periode", "start", "evaluatiedatum",
            "ontwikkelingsperspectief", "beginsituatie", "onderwijsbehoeften", "inhoud", "aanpak",
            "organisatie", "evaluatie_afspraken", "afspraken_ouders", "inbreng_leerling", "inbreng_ouders",
        ]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "evaluatiedatum": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{veld: forms.Textarea(attrs=TEKST) for veld in [
                "ontwikkelingsperspectief", "beginsituatie", "onderwijsbehoeften", "inhoud", "aanpak",
                "organisatie", "evaluatie_afspraken", "afspraken_ouders", "inbreng_leerling", "inbreng_ouders"]},
        }
        help_texts = {
            "ontwikkelingsperspectief": _("Vakoverstijgend: verwachte uitstroombestemming, belemmerende en "
                                          "stimulerende factoren. Vakspecifiek: leerrendementsverwachting voor "
                                          "het vak (lange termijn)."),
            "evaluatiedatum": _("Standaard het einde van de periode, of 6 weken na een IZO/ZAT-besluit."),
        }

    def __init__(self, *args, school, perioden, alleen_vakken=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vak"].queryset = Vak.objects.filter(school=school)
        if alleen_vakken is not None:
            # A docent draws up a vakspecifiek plan for a vak they teach this pupil.
            self.fields["soort"].choices = [(Soort.VAKSPECIFIEK, Soort.VAKSPECIFIEK.label)]
            self.fields["soort"].initial = Soort.VAKSPECIFIEK
            self.initial["soort"] = Soort.VAKSPECIFIEK
            self.fields["vak"].queryset = alleen_vakken
            self.fields["vak"].required = True
            self.fields["vak"].error_messages["invalid_choice"] = _("Kies een vak dat u deze leerling geeft.")
        self.fields["periode"].queryset = perioden
        self.fields["evaluatiedatum"].required = True
        if self.instance.pk and not self.is_bound:
            self.initial["gewijzigd_op"] = self.instance.gewijzigd_op.isoformat()

    def clean(self):
        data = super().clean()
        if data.get("soort") == Soort.VAKSPECIFIEK and not data.get("vak"):
            self.add_error("vak", _("Kies het vak voor een vakspecifiek handelingsplan."))
        start, evaluatie = data.get("start"), data.get("evaluatiedatum")
        if start and evaluatie and evaluatie < start:
            self.add_error("evaluatiedatum", _("De evaluatiedatum ligt vóór de start."))
        return data

    def gezien_op(self):
        try:
            return datetime.fromisoformat(self.cleaned_data.get("gewijzigd_op") or "")
        except ValueError:
            return None


class DoelForm(forms.ModelForm):
    class Meta:
        model = Doel
        fields = ["doel", "interventie"]
        field_classes = {"interventie": InterventieKeuze}
        widgets = {"doel": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        beperk_interventie(self, school, self.instance.interventie_id)


DoelFormSet = inlineformset_factory(Handelingsplan, Doel, form=DoelForm, extra=2, can_delete=True)


class BetrokkenheidForm(forms.ModelForm):
    class Meta:
        model = Betrokkenheid
        fields = ["gebruiker", "taak"]
        labels = {"gebruiker": _("medewerker")}
        widgets = {"taak": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, medewerkers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if medewerkers is not None:
            self.fields["gebruiker"].queryset = medewerkers


BetrokkenheidFormSet = inlineformset_factory(
    Handelingsplan, Betrokkenheid, form=BetrokkenheidForm, extra=2, can_delete=True
)


class HandelingsplanEvaluatieForm(forms.Form):
    besluit = forms.ChoiceField(
        label=_("besluit"), choices=[c for c in Handelingsplan.Besluit.choices if c[0]], widget=forms.RadioSelect
    )
    evaluatie_toelichting = forms.CharField(label=_("toelichting evaluatie"), required=False,
                                            widget=forms.Textarea(attrs=TEKST))

    def __init__(self, *args, doelen, **kwargs):
        super().__init__(*args, **kwargs)
        self.doelen = list(doelen)
        keuzes = [c for c in Doel.Resultaat.choices if c[0]]
        for doel in self.doelen:
            self.fields[f"resultaat_{doel.pk}"] = forms.ChoiceField(
                label=doel.doel, choices=keuzes, widget=forms.RadioSelect, initial=doel.resultaat or None
            )
            self.fields[f"toelichting_{doel.pk}"] = forms.CharField(
                label=_("toelichting"), required=False, initial=doel.toelichting,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def per_doel(self):
        return [(doel, self[f"resultaat_{doel.pk}"], self[f"toelichting_{doel.pk}"]) for doel in self.doelen]

    def resultaten(self):
        return {
            doel.pk: (self.cleaned_data[f"resultaat_{doel.pk}"], self.cleaned_data[f"toelichting_{doel.pk}"])
            for doel in self.doelen
        }
