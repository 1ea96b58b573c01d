"""Forms for consent: request, record from paper, withdraw, and the parent's answer. The rules are
in extern/toestemming.py; these forms only parse input (with Dutch messages)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Instelling, Toestemming

DATUM = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATUMFOUT = {"invalid": _("Vul een geldige datum in (dd-mm-jjjj).")}


class AanvraagForm(forms.Form):
    doel = forms.ChoiceField(
        label=_("Waarvoor vraagt u toestemming?"), choices=Toestemming.Doel.choices,
        error_messages={"required": _("Kies een doel."), "invalid_choice": _("Kies een doel uit de lijst.")},
    )
    instelling = forms.ModelChoiceField(
        label=_("Instelling"), queryset=Instelling.objects.none(), required=False,
        help_text=_("Verplicht bij gegevens delen, verwijzing en overdracht."),
        error_messages={"invalid_choice": _("Kies een instelling uit de lijst.")},
    )
    toelichting = forms.CharField(
        label=_("Toelichting voor de ouders"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
        help_text=_("In gewone taal: wat wordt gedeeld, met wie en waarom."),
    )
    geldig_tot = forms.DateField(
        label=_("Geldig tot en met"), required=False, widget=DATUM, error_messages=DATUMFOUT,
        help_text=_("Leeg: geldig tot de toestemming wordt ingetrokken."),
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instelling"].queryset = Instelling.objects.filter(school=school, actief=True)


class PapierForm(forms.Form):
    doel = forms.ChoiceField(
        label=_("Waarvoor"), choices=Toestemming.Doel.choices, required=False,
        error_messages={"invalid_choice": _("Kies een doel uit de lijst.")},
    )
    instelling = forms.ModelChoiceField(
        label=_("Instelling"), queryset=Instelling.objects.none(), required=False,
        error_messages={"invalid_choice": _("Kies een instelling uit de lijst.")},
    )
    ouder = forms.ModelChoiceField(
        label=_("Getekend door (ouder/verzorger met gezag)"), queryset=Toestemming.objects.none(), required=False,
        error_messages={"invalid_choice": _("Kies een ouder of verzorger met gezag uit de lijst.")},
    )
    status = forms.ChoiceField(
        label=_("Antwoord op het formulier"), widget=forms.RadioSelect,
        choices=[(Toestemming.Status.GEGEVEN, _("toestemming gegeven")),
                 (Toestemming.Status.GEWEIGERD, _("geen toestemming gegeven"))],
        error_messages={"required": _("Kies of de toestemming is gegeven of geweigerd.")},
    )
    leerling_akkoord = forms.BooleanField(
        label=_("De leerling heeft ook getekend"), required=False,
        help_text=_("Nodig vanaf 12 jaar (de school kan dit instellen); vanaf 16 jaar beslist de leerling zelf."),
    )
    datum = forms.DateField(
        label=_("Datum ondertekening"), widget=DATUM, initial=timezone.localdate,
        error_messages={"required": _("Vul de datum van ondertekening in."), **DATUMFOUT},
    )
    geldig_tot = forms.DateField(label=_("Geldig tot en met"), required=False, widget=DATUM,
                                 error_messages=DATUMFOUT)
    reden = forms.CharField(label=_("Reden (bij weigeren)"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    bestand = forms.FileField(
        label=_("Scan van het getekende formulier"), required=False,
        help_text=_("PDF, JPEG of PNG, hoogstens 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, school, ouders, aanvraag=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instelling"].queryset = Instelling.objects.filter(school=school, actief=True)
        self.fields["ouder"].queryset = ouders
        self.fields["ouder"].label_from_instance = lambda o: o.naam
        if aanvraag is not None:  # the request fixes doel and instelling
            del self.fields["doel"]
            del self.fields["instelling"]


class IntrekkenForm(forms.Form):
    reden = forms.CharField(
        label=_("Hoe en waarom is de toestemming ingetrokken?"), widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class OuderReactieForm(forms.Form):
    keuze = forms.ChoiceField(choices=[("geven", "geven"), ("weigeren", "weigeren"), ("intrekken", "intrekken")],
                              widget=forms.HiddenInput)
    reden = forms.CharField(label=_("Reden (niet verplicht)"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    bevestigd = forms.BooleanField(required=False, widget=forms.HiddenInput)
