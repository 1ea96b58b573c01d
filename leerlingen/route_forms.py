"""Forms for the zorgroute steps: hulpvraag, besluit, afschalen, paper consent."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from extern.models import Toestemming

from .models import Ouder


def _tekst(rows=4):
    return forms.Textarea(attrs={"rows": rows})


class OpschalingForm(forms.Form):
    hulpvraag = forms.CharField(
        label=_("Hulpvraag"), widget=_tekst(),
        help_text=_("Wat is de vraag van of over de leerling? Overgenomen van het laatste interventieformulier; "
                    "pas zo nodig aan."),
        error_messages={"required": _("Vul de hulpvraag in.")},
    )
    begeleidingsvraag = forms.CharField(
        label=_("Begeleidingsvraag van mentor/docenten"), widget=_tekst(3), required=False,
        help_text=_("Wat hebt u als mentor of docent nodig? (niet verplicht)"),
    )


class BesluitForm(forms.Form):
    TOEKENNEN, AFWIJZEN = "toekennen", "afwijzen"
    besluit = forms.ChoiceField(
        label=_("Besluit"), widget=forms.RadioSelect,
        choices=[(TOEKENNEN, _("toekennen")), (AFWIJZEN, _("afwijzen"))],
        error_messages={"required": _("Kies: toekennen of afwijzen.")},
    )
    case_manager = forms.ModelChoiceField(
        label=_("Case-manager"), queryset=None, required=False,
        help_text=_("Nodig bij toekennen. Standaard: bij moment 1–2 de mentor, bij IZO/ZAT iemand van het zorgteam."),
        error_messages={"invalid_choice": _("Kies een case-manager uit de lijst.")},
    )
    reden = forms.CharField(
        label=_("Toelichting bij het besluit"), widget=_tekst(),
        help_text=_("Komt in het dossier en bij de aanvrager."),
        error_messages={"required": _("Geef een toelichting bij het besluit.")},
    )

    def __init__(self, *args, medewerkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].queryset = medewerkers
        self.fields["case_manager"].label_from_instance = lambda u: u.naam

    def clean(self):
        data = super().clean()
        if data.get("besluit") == self.TOEKENNEN and not data.get("case_manager") and "case_manager" not in self.errors:
            self.add_error("case_manager", _("Kies een case-manager: bij toekennen is die verplicht."))
        return data


class AfschalenForm(forms.Form):
    naar_niveau = forms.ModelChoiceField(
        label=_("Naar zorgniveau"), queryset=None, required=False,
        empty_label=_("geen zorgniveau (basiszorg)"),
        error_messages={"invalid_choice": _("Kies een lager niveau uit de lijst.")},
    )
    case_manager = forms.ModelChoiceField(
        label=_("Case-manager"), queryset=None, required=False, empty_label=_("geen case-manager"),
        error_messages={"invalid_choice": _("Kies een case-manager uit de lijst.")},
    )
    reden = forms.CharField(
        label=_("Reden"), widget=_tekst(),
        error_messages={"required": _("Geef een reden voor het afschalen.")},
    )

    def __init__(self, *args, niveaus, medewerkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["naar_niveau"].queryset = niveaus
        self.fields["naar_niveau"].label_from_instance = lambda n: f"{n.code} {n.naam}"
        self.fields["case_manager"].queryset = medewerkers
        self.fields["case_manager"].label_from_instance = lambda u: u.naam


class ToestemmingForm(forms.Form):
    ouder = forms.ModelChoiceField(
        label=_("Gegeven door (ouder/verzorger met gezag)"), queryset=Ouder.objects.none(),
        error_messages={
            "required": _("Kies de ouder of verzorger die toestemming gaf."),
            "invalid_choice": _("Kies een ouder of verzorger met gezag uit de lijst."),
        },
    )
    doel = forms.ChoiceField(
        label=_("Waarvoor"), initial=Toestemming.Doel.ZAT,
        choices=[(w, label) for w, label in Toestemming.Doel.choices if w not in Toestemming.MET_INSTELLING],
        error_messages={"invalid_choice": _("Kies een doel uit de lijst.")},
    )
    datum = forms.DateField(
        label=_("Datum ondertekening"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
        error_messages={"required": _("Vul de datum in."), "invalid": _("Vul een geldige datum in (dd-mm-jjjj).")},
    )
    geldig_tot = forms.DateField(
        label=_("Geldig tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leeg: geldig tot de toestemming wordt ingetrokken."),
        error_messages={"invalid": _("Vul een geldige datum in (dd-mm-jjjj).")},
    )
    leerling_akkoord = forms.BooleanField(
        label=_("De leerling heeft ook getekend"), required=False,
        help_text=_("Nodig vanaf 12 jaar (de school kan dit instellen); vanaf 16 jaar beslist de leerling zelf."),
    )
    bestand = forms.FileField(
        label=_("Scan van het getekende formulier"), required=False, help_text=_("PDF, JPEG of PNG, hoogstens 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, ouders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ouder"].queryset = ouders
        self.fields["ouder"].label_from_instance = lambda o: o.naam

    def clean(self):
        data = super().clean()
        datum, tot = data.get("datum"), data.get("geldig_tot")
        if datum and datum > timezone.localdate():
            self.add_error("datum", _("De datum ligt in de toekomst."))
        if datum and tot and tot < datum:
            self.add_error("geldig_tot", _("‘Geldig tot en met’ ligt vóór de datum van ondertekening."))
        return data
