"""Forms for the register of instellingen and contactpersonen (extern/register.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import register
from .models import Contactpersoon, Instelling

EMAIL_FOUT = _("Vul een geldig e-mailadres in, bijvoorbeeld naam@instelling.nl.")


class InstellingForm(forms.ModelForm):
    class Meta:
        model = Instelling
        fields = ["naam", "soort", "adres", "telefoon", "email", "actief"]
        error_messages = {
            "naam": {"required": _("Vul de naam van de instelling in.")},
            "email": {"invalid": EMAIL_FOUT},
            "soort": {"invalid_choice": _("Kies een soort uit de lijst.")},
        }
        help_texts = {
            "actief": _("Een niet-actieve instelling krijgt geen nieuwe verwijzingen; haar contactpersonen kunnen "
                        "niet meer inloggen."),
        }

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["soort"].choices = register.soort_keuzes(school.land, self.instance.soort if self.instance.pk
                                                            else None)
        self.fields["naam"].widget.attrs["list"] = "instelling-voorbeelden"

    def clean_naam(self):
        naam = " ".join(self.cleaned_data["naam"].split())
        dubbel = Instelling.objects.filter(school=self.school, naam__iexact=naam).exclude(pk=self.instance.pk)
        if dubbel.exists():
            raise forms.ValidationError(_("Er staat al een instelling met de naam %(naam)s in het register."),
                                        params={"naam": naam})
        return naam


class ContactpersoonForm(forms.ModelForm):
    class Meta:
        model = Contactpersoon
        fields = ["naam", "functie", "email", "telefoon", "actief"]
        error_messages = {
            "naam": {"required": _("Vul de naam van de contactpersoon in.")},
            "email": {"invalid": EMAIL_FOUT},
        }
        help_texts = {
            "email": _("Nodig om de contactpersoon uit te nodigen voor een account."),
            "actief": _("Uitzetten sluit de toegang direct af: het account wordt geblokkeerd en lopende toegang tot "
                        "verwijsdossiers stopt."),
        }

    def __init__(self, *args, instelling, **kwargs):
        super().__init__(*args, **kwargs)
        self.instelling = instelling

    def clean_naam(self):
        return " ".join(self.cleaned_data["naam"].split())

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email and Contactpersoon.objects.filter(
            instelling__school=self.instelling.school, email__iexact=email,
        ).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Dit e-mailadres hoort al bij een andere contactpersoon van deze school."))
        return email
