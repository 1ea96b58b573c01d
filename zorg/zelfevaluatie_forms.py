"""Forms of the zelfevaluatie pages: a new round, filling in, the conclusion, verbeterpunten."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Antwoord, Respondent, Verbeterpunt, Vragenlijst


class DatumInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RondeForm(forms.Form):
    vragenlijst = forms.ModelChoiceField(
        label=_("Vragenlijst"), queryset=Vragenlijst.objects.none(),
        error_messages={"required": _("Kies een vragenlijst."), "invalid_choice": _("Kies een vragenlijst.")},
    )
    titel = forms.CharField(
        label=_("Titel"), max_length=200, error_messages={"required": _("Vul een titel in.")},
    )
    rollen = forms.MultipleChoiceField(
        label=_("Voor wie"), choices=Respondent.Rol.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Management: directie en teamleiders. Zorgfunctie: zorgcoördinator, intern begeleider en "
            "specialisten. Mentor: mentoren van een klas. Docent: de overige docenten. Iedereen krijgt de "
            "vragenlijst één keer, in de zwaarste functie."
        ),
        error_messages={"required": _("Kies minstens één functie.")},
    )
    sluit_op = forms.DateField(
        label=_("Invullen tot en met"), required=False, widget=DatumInput,
        error_messages={"invalid": _("Vul een geldige datum in.")},
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vragenlijst"].queryset = Vragenlijst.objects.filter(school=school).order_by("soort", "naam")

    def clean_sluit_op(self):
        datum = self.cleaned_data.get("sluit_op")
        if datum and datum < timezone.localdate():
            raise forms.ValidationError(_("Kies een datum vanaf vandaag."))
        return datum


UITLEG = dict(Antwoord.Score.choices)
KEUZES = [(str(s), UITLEG[s]) for s in (1, 2, 3, 4, 0)] + [("", _("geen antwoord"))]


class InvulForm(forms.Form):
    """One radio group per active item (fields v<pk>), blank allowed, and the remarks."""

    opmerkingen = forms.CharField(
        label=_("Wat vond u van deze vragenlijst? Uw opmerkingen"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, vragen, **kwargs):
        super().__init__(*args, **kwargs)
        self.vragen = vragen
        for vraag in vragen:
            self.fields[f"v{vraag.pk}"] = forms.ChoiceField(
                label=vraag.tekst, required=False, choices=KEUZES, initial="", widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Kies een van de antwoorden (of laat de vraag leeg).")},
            )

    def scores(self):
        return {
            vraag.pk: int(self.cleaned_data[f"v{vraag.pk}"]) if self.cleaned_data.get(f"v{vraag.pk}") else None
            for vraag in self.vragen
        }


class ConclusieForm(forms.Form):
    conclusie = forms.CharField(
        label=_("Sterke en zwakke punten (conclusie)"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
    )


class VerbeterpuntForm(forms.Form):
    rubriek = forms.ModelChoiceField(
        label=_("Rubriek"), queryset=None, required=False, empty_label=_("(geen bepaalde rubriek)"),
        error_messages={"invalid_choice": _("Kies een rubriek uit de lijst.")},
    )
    wat = forms.CharField(
        label=_("Wat gaan we verbeteren?"), widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Beschrijf wat er verbeterd wordt.")},
    )
    eigenaar = forms.ModelChoiceField(
        label=_("Eigenaar"), queryset=None,
        error_messages={
            "required": _("Kies een eigenaar."),
            "invalid_choice": _("Kies een medewerker van de school als eigenaar."),
        },
    )
    uiterlijk = forms.DateField(
        label=_("Uiterlijk op"), widget=DatumInput,
        error_messages={"required": _("Vul een datum in."), "invalid": _("Vul een geldige datum in.")},
    )

    def __init__(self, *args, rubrieken, medewerkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rubriek"].queryset = rubrieken
        self.fields["eigenaar"].queryset = medewerkers
        self.fields["eigenaar"].label_from_instance = lambda g: g.naam


class AfhandelForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Afhandeling"), widget=forms.RadioSelect,
        choices=[(Verbeterpunt.Status.GEDAAN, _("gedaan")), (Verbeterpunt.Status.VERVALLEN, _("vervallen"))],
        error_messages={
            "required": _("Kies 'gedaan' of 'vervallen'."), "invalid_choice": _("Kies 'gedaan' of 'vervallen'."),
        },
    )
    toelichting = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == Verbeterpunt.Status.VERVALLEN and not (data.get("toelichting") or "").strip():
            self.add_error("toelichting", _("Licht toe waarom dit verbeterpunt vervalt."))
        return data
