"""Forms for planning a bespreking and for an aanmelding (the aanmeldingsformulier)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Aanmelding, Bespreking


def _tekst(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class PlanForm(forms.Form):
    soort = forms.ChoiceField(label=_("Soort bespreking"), error_messages={
        "required": _("Kies het soort bespreking."),
        "invalid_choice": _("Kies een soort bespreking die u mag plannen.")})
    titel = forms.CharField(label=_("Titel (niet verplicht)"), max_length=200, required=False)
    datum = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}), error_messages={
        "required": _("Kies de datum van de bespreking."), "invalid": _("Vul een geldige datum in (dd-mm-jjjj).")})
    tijd = forms.TimeField(label=_("Begintijd"), widget=forms.TimeInput(attrs={"type": "time"}), error_messages={
        "required": _("Vul de begintijd in."), "invalid": _("Vul een geldige tijd in (uu:mm).")})
    duur = forms.IntegerField(label=_("Duur (minuten)"), initial=60, min_value=5, max_value=600, error_messages={
        "required": _("Vul de duur in minuten in."), "invalid": _("Vul de duur in hele minuten in."),
        "min_value": _("Een bespreking duurt minstens 5 minuten."),
        "max_value": _("Een bespreking duurt hooguit 600 minuten.")})
    locatie = forms.CharField(label=_("Locatie"), max_length=200, required=False)
    voorzitter = forms.ModelChoiceField(label=_("Voorzitter"), queryset=None, error_messages={
        "required": _("Kies de voorzitter."), "invalid_choice": _("Kies de voorzitter uit de lijst.")})
    deelnemers = forms.ModelMultipleChoiceField(
        label=_("Deelnemers"), queryset=None, required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Medewerkers van de school. Houd Ctrl (of Cmd) ingedrukt om er meer te kiezen. "
                    "De voorzitter is altijd deelnemer."),
        error_messages={"invalid_choice": _("Kies de deelnemers uit de lijst.")})
    contactpersonen = forms.ModelMultipleChoiceField(
        label=_("Externe deelnemers (alleen ZAT)"), queryset=None, required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Contactpersonen van de instellingen waarmee de school samenwerkt."),
        error_messages={"invalid_choice": _("Kies de externe deelnemers uit de lijst.")})
    klas = forms.ModelChoiceField(label=_("Klas (groepsbespreking)"), queryset=None, required=False,
                                  error_messages={"invalid_choice": _("Kies een klas uit de lijst.")})
    periode = forms.ModelChoiceField(label=_("Periode (groepsbespreking)"), queryset=None, required=False,
                                     error_messages={"invalid_choice": _("Kies een periode uit de lijst.")})

    def __init__(self, *args, soorten, medewerkers, contactpersonen, klassen, perioden, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["soort"].choices = soorten
        self.fields["voorzitter"].queryset = medewerkers
        self.fields["deelnemers"].queryset = medewerkers
        for naam in ("voorzitter", "deelnemers"):
            self.fields[naam].label_from_instance = lambda u: u.naam
        self.fields["contactpersonen"].queryset = contactpersonen
        self.fields["klas"].queryset = klassen
        self.fields["periode"].queryset = perioden
        self.fields["periode"].label_from_instance = lambda p: _("periode %(n)s (%(b)s – %(e)s)") % {
            "n": p.nummer, "b": p.begin.strftime("%d-%m-%Y"), "e": p.einde.strftime("%d-%m-%Y")}

    def clean(self):
        data = super().clean()
        datum, tijd = data.get("datum"), data.get("tijd")
        if datum and datum < timezone.localdate():
            self.add_error("datum", _("De datum ligt in het verleden; kies vandaag of later."))
        elif datum and tijd:
            data["begin"] = timezone.make_aware(datetime.datetime.combine(datum, tijd))
        soort = data.get("soort")
        if soort == Bespreking.Soort.GROEPSBESPREKING:
            if not data.get("klas") and "klas" not in self.errors:
                self.add_error("klas", _("Kies de klas van de groepsbespreking."))
            if not data.get("periode") and "periode" not in self.errors:
                self.add_error("periode", _("Kies de periode die deze groepsbespreking afsluit."))
        if soort and soort != Bespreking.Soort.ZAT and data.get("contactpersonen"):
            self.add_error("contactpersonen", _("Externe contactpersonen nemen alleen deel aan een ZAT."))
        return data


class AanmeldingForm(forms.Form):
    """The aanmeldingsformulier (seed 003) for IZO, ZAT and leerlingbespreking."""

    aard_probleem = forms.CharField(label=_("Aard van het probleem"), widget=_tekst(), required=False)
    hulpvraag = forms.CharField(
        label=_("Hulpvraag van de leerling"), widget=_tekst(4),
        help_text=_("Overgenomen van het laatste interventieformulier; pas zo nodig aan."),
        error_messages={"required": _("Vul de hulpvraag van de leerling in.")})
    begeleidingsvraag = forms.CharField(label=_("Begeleidingsvraag van mentor/docenten"), widget=_tekst(),
                                        required=False, help_text=_("Wat hebt u als mentor of docent nodig?"))
    sterke_kanten = forms.CharField(label=_("Sterke kanten en talenten"), widget=_tekst(), required=False)
    thuissituatie = forms.CharField(label=_("Thuissituatie"), widget=_tekst(), required=False)
    ouders_geinformeerd = forms.BooleanField(label=_("Ouders zijn geïnformeerd over deze aanmelding"),
                                             required=False)
    ouders_niet_informeren_reden = forms.CharField(
        label=_("Zo niet: reden om ouders (nog) niet te informeren"), widget=_tekst(2), required=False,
        help_text=Aanmelding._meta.get_field("ouders_niet_informeren_reden").help_text)
    anoniem = forms.BooleanField(
        label=_("Anoniem bespreken (zonder naam)"), required=False,
        help_text=_("Alleen in het ZAT: een anonieme consultatie heeft geen toestemming van ouders nodig; "
                    "agenda en verslag tonen alleen de klas."))

    VELDEN = ("aard_probleem", "sterke_kanten", "thuissituatie")

    def __init__(self, *args, soort, **kwargs):
        super().__init__(*args, **kwargs)
        if soort != Bespreking.Soort.ZAT:
            del self.fields["anoniem"]

    def clean(self):
        data = super().clean()
        if not data.get("ouders_geinformeerd") and not (data.get("ouders_niet_informeren_reden") or "").strip():
            self.add_error("ouders_niet_informeren_reden", _(
                "Informeer de ouders over de aanmelding, of geef aan waarom dat (nog) niet kan."))
        return data

    def service_kwargs(self):
        d = self.cleaned_data
        return {
            "hulpvraag": d["hulpvraag"], "begeleidingsvraag": d["begeleidingsvraag"],
            "ouders_geinformeerd": d["ouders_geinformeerd"],
            "ouders_niet_informeren_reden": d["ouders_niet_informeren_reden"],
            "anoniem": d.get("anoniem", False), **{v: d[v] for v in self.VELDEN},
        }


class TerugsturenForm(forms.Form):
    reden = forms.CharField(
        label=_("Wat moet er aangevuld worden?"), widget=_tekst(),
        error_messages={"required": _("Geef aan wat er aangevuld moet worden: de aanmelder krijgt dit te zien.")})


class OpAgendaForm(forms.Form):
    bespreking = forms.ModelChoiceField(label=_("Bespreking"), queryset=None, error_messages={
        "required": _("Kies de bespreking waarop de leerling komt."),
        "invalid_choice": _("Kies een geplande bespreking uit de lijst.")})

    def __init__(self, *args, besprekingen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bespreking"].queryset = besprekingen
