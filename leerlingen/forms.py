"""Forms for recording and changing dossier entries. Every message is Dutch and specific."""

import datetime

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import dossier
from .models import Dossieritem

MAX_TEKST = 10000
TE_LANG = _("Deze tekst is te lang: hoogstens %(limit_value)d tekens (nu %(show_value)d).")


class DatumInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DossieritemForm(forms.ModelForm):
    """Fields every entry has (datum, vertrouwelijkheid, handelingstip) plus its kind's fields.

    `soort` decides defaults; `bewerken` adds the version token for optimistic concurrency;
    `met_handelingstip` shows the voor_docenten flag (only for those who write the dossier).
    """

    soort = None
    verplicht = {}  # field name -> message when it is left empty
    versie = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Dossieritem
        fields = ["datum", "vertrouwelijkheid", "voor_docenten"]
        widgets = {"datum": DatumInput()}

    def __init__(self, *args, bewerken=False, met_handelingstip=True, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.bewerken = bewerken
        if "interventie" in self.fields:
            # The kind of intervention: the pupil's school's catalogue (plus the current value).
            from zorg.interventie_forms import beperk_interventie

            beperk_interventie(self, school, self.instance.interventie_id)
        if not bewerken:
            del self.fields["versie"]
            if not self.is_bound and self.soort:
                self.initial.setdefault("vertrouwelijkheid", dossier.standaard_vertrouwelijkheid(self.soort))
        if not met_handelingstip and "voor_docenten" in self.fields:
            del self.fields["voor_docenten"]
        self.fields["datum"].show_hidden_initial = False
        self.fields["datum"].error_messages["invalid"] = _("Vul een geldige datum in (dag-maand-jaar).")
        self.fields["vertrouwelijkheid"].help_text = _(
            "Team: mentor, teamleider, zorgteam en directie (docenten alleen bij een handelingstip). "
            "Vertrouwelijk: alleen de zorgcoördinator, betrokken specialisten en u. "
            "Gedeeld met ouders: ook de ouders/verzorgers lezen mee."
        )
        for naam, veld in self.fields.items():
            if isinstance(veld.widget, forms.Textarea):
                if str(veld.widget.attrs.get("rows")) == "10":  # Django's default: too tall here
                    veld.widget.attrs["rows"] = 4
                veld.widget.attrs["maxlength"] = MAX_TEKST
                veld.max_length = MAX_TEKST
                veld.validators.append(MaxLengthValidator(MAX_TEKST, message=TE_LANG))
            if naam in self.verplicht:
                veld.required = True
                veld.error_messages["required"] = self.verplicht[naam]
                veld.widget.attrs["required"] = True
            if isinstance(veld, forms.TypedChoiceField | forms.ChoiceField) and naam != "vertrouwelijkheid":
                veld.error_messages["invalid_choice"] = _("Kies een van de mogelijkheden uit de lijst.")

    def clean_datum(self):
        datum = self.cleaned_data.get("datum")
        if datum is None:
            raise forms.ValidationError(_("Vul een datum in."))
        if datum > timezone.localdate():
            raise forms.ValidationError(_("De datum ligt in de toekomst. Vul de datum in waarop het gebeurde."))
        if datum < datetime.date(1990, 1, 1):
            raise forms.ValidationError(_("Deze datum is te ver terug in de tijd."))
        return datum

    def velden(self):
        """The model field values this form sets (for an edit through dossier.wijzig)."""
        return {naam: self.cleaned_data[naam] for naam in self._meta.fields if naam in self.cleaned_data}


def _keuzes(choices, leeg):
    return [("", leeg), *[(waarde, label) for waarde, label in choices if waarde != ""]]


class SignaleringForm(DossieritemForm):
    soort = Dossieritem.Soort.SIGNALERING
    verplicht = {
        "domein": _("Kies het domein waar het over gaat."),
        "tekst": _("Beschrijf kort wat u heeft gezien."),
    }

    class Meta(DossieritemForm.Meta):
        fields = ["domein", "tekst", "acties", "effect", "datum", "vertrouwelijkheid", "voor_docenten"]
        labels = {
            "tekst": _("Wat heeft u gezien?"),
            "acties": _("Wat heeft u al geprobeerd? (optioneel)"),
            "effect": _("Met welk effect?"),
        }
        widgets = {"datum": DatumInput(), "acties": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domein"].choices = _keuzes(Dossieritem.Domein.choices, _("Kies een domein…"))
        self.fields["acties"].help_text = _("Bijvoorbeeld: één of twee dingen die u in de les deed.")

    def clean(self):
        data = super().clean()
        if data.get("effect") and not data.get("acties"):
            self.add_error("acties", _("Vul in wat u heeft geprobeerd, of laat het effect leeg."))
        return data


class GesprekForm(DossieritemForm):
    soort = Dossieritem.Soort.GESPREK
    verplicht = {
        "gesprek_met": _("Kies met wie het gesprek was."),
        "tekst": _("Schrijf op waar het gesprek over ging."),
    }

    class Meta(DossieritemForm.Meta):
        fields = ["gesprek_met", "titel", "tekst", "afspraken", "datum", "vertrouwelijkheid", "voor_docenten"]
        labels = {"titel": _("Onderwerp (optioneel)"), "tekst": _("Verslag")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gesprek_met"].choices = _keuzes(Dossieritem.GesprekMet.choices, _("Kies…"))
        self.fields["afspraken"].help_text = _("Eén afspraak per regel: wat, wie, wanneer.")


class InterventieForm(DossieritemForm):
    soort = Dossieritem.Soort.INTERVENTIE
    verplicht = {
        "hulpvraag": _("Vul de hulpvraag in: waar heeft de leerling hulp bij nodig?"),
        "acties": _("Beschrijf wat er is gedaan."),
        "uitgevoerd_door": _("Vul in wie het heeft gedaan."),
    }

    class Meta(DossieritemForm.Meta):
        fields = ["hulpvraag", "acties", "uitgevoerd_door", "interventie", "effect", "tekst", "datum",
                  "vertrouwelijkheid", "voor_docenten"]
        labels = {"tekst": _("Toelichting (optioneel)")}


class BijzonderheidForm(DossieritemForm):
    soort = Dossieritem.Soort.BIJZONDERHEID
    verplicht = {
        "categorie": _("Kies een categorie."),
        "tekst": _("Beschrijf de bijzonderheid."),
    }

    class Meta(DossieritemForm.Meta):
        fields = ["categorie", "titel", "tekst", "datum", "vertrouwelijkheid", "voor_docenten"]
        labels = {"titel": _("Korte omschrijving (optioneel)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categorie"].choices = _keuzes(Dossieritem.Categorie.choices, _("Kies een categorie…"))


class ToetsForm(DossieritemForm):
    soort = Dossieritem.Soort.TOETS
    verplicht = {
        "toets_onderdeel": _("Vul het onderdeel in, bijvoorbeeld TL, BL, SP of RK."),
        "toets_score": _("Vul de score in."),
    }

    class Meta(DossieritemForm.Meta):
        fields = ["toets_onderdeel", "toets_score", "tekst", "datum", "vertrouwelijkheid", "voor_docenten"]
        labels = {"tekst": _("Instrument of toelichting"), "toets_onderdeel": _("Onderdeel")}
        widgets = {"datum": DatumInput(), "tekst": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["toets_onderdeel"].help_text = _(
            "TL = technisch lezen, BL = begrijpend lezen, SP = spelling, RK = rekenen; of een ander onderdeel."
        )
        self.fields["toets_onderdeel"].widget.attrs["list"] = "toets-onderdelen"
        self.fields["tekst"].help_text = _("Bijvoorbeeld: Cito VAS, 2e meting.")


class DocumentForm(DossieritemForm):
    soort = Dossieritem.Soort.DOCUMENT
    verplicht = {"documentsoort": _("Kies wat voor document het is.")}
    upload = forms.FileField(
        label=_("Bestand"),
        help_text=_("PDF, afbeelding (PNG, JPG) of Office-bestand (DOCX, XLSX, ODT), hoogstens 10 MB."),
        error_messages={
            "required": _("Kies een bestand om te uploaden."),
            "empty": _("Het bestand is leeg."),
            "invalid": _("Er is geen bestand ontvangen. Kies het bestand opnieuw."),
        },
    )

    class Meta(DossieritemForm.Meta):
        fields = ["documentsoort", "titel", "tekst", "datum", "vertrouwelijkheid", "voor_docenten"]
        labels = {"titel": _("Titel (optioneel)"), "tekst": _("Toelichting (optioneel)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.gecontroleerd = None
        self.fields["documentsoort"].choices = _keuzes(Dossieritem.Documentsoort.choices, _("Kies…"))
        if self.bewerken:
            del self.fields["upload"]
        else:
            self.fields["upload"].widget.attrs["accept"] = ",".join(
                f".{ext}" for ext in dossier.TOEGESTANE_TYPES
            )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return upload
        try:
            self.gecontroleerd = dossier.controleer_bestand(upload)
        except dossier.BestandFout as fout:
            raise forms.ValidationError(str(fout)) from None
        return upload


FORMULIEREN = {
    Dossieritem.Soort.SIGNALERING: SignaleringForm,
    Dossieritem.Soort.GESPREK: GesprekForm,
    Dossieritem.Soort.INTERVENTIE: InterventieForm,
    Dossieritem.Soort.BIJZONDERHEID: BijzonderheidForm,
    Dossieritem.Soort.DOCUMENT: DocumentForm,
    Dossieritem.Soort.TOETS: ToetsForm,
}
