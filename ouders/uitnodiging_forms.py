"""Forms for inviting (staff, Dutch) and for activating an account with a code (portal, translated)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Uitnodiging


class UitnodigenForm(forms.Form):
    """One invitation from the pupil's 'Ouders en portaal' page: who, how and in which language."""

    persoon = forms.RegexField(regex=r"^(ouder-\d+|leerling)$", widget=forms.HiddenInput)
    soort = forms.ChoiceField(choices=Uitnodiging.Soort.choices, widget=forms.HiddenInput)
    taal = forms.ChoiceField(label=_("Taal van de uitnodiging"), choices=settings.PORTAAL_TALEN)


class KlasUitnodigenForm(forms.Form):
    taal = forms.ChoiceField(
        label=_("Taal van de e-mails en brieven"), choices=settings.PORTAAL_TALEN, initial="nl",
        help_text=_("Ouders kunnen de taal in het portaal zelf nog wijzigen."),
    )
    opnieuw = forms.BooleanField(
        label=_("Ook ouders die al een geldige uitnodiging hebben opnieuw uitnodigen"), required=False,
        help_text=_("Hun vorige code (in de eerdere e-mail of brief) vervalt dan."),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Uw code"), max_length=40,
        help_text=_("De code staat in de e-mail of de brief van school, bijvoorbeeld ABCD-EFGH-JKMN. "
                    "Hoofdletters, kleine letters en streepjes maken niet uit."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters",
                                      "spellcheck": "false"}),
    )


class AccountForm(forms.Form):
    """Step two: the code (kept), a username (only for a new account) and the password twice.
    The checks themselves are in ouders.uitnodiging.activeer."""

    code = forms.CharField(widget=forms.HiddenInput)
    gebruikersnaam = forms.CharField(
        label=_("Kies een gebruikersnaam"), max_length=150, required=False,
        help_text=_("Hiermee logt u voortaan in. Uw e-mailadres is een goede keuze."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
    )
    wachtwoord1 = forms.CharField(
        label=_("Kies een wachtwoord"), required=False, strip=False,
        help_text=_("Minstens 10 tekens. Kies iets dat niet makkelijk te raden is, bijvoorbeeld een paar woorden "
                    "achter elkaar."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    wachtwoord2 = forms.CharField(
        label=_("Typ het wachtwoord nog een keer"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, bestaand=False, **kwargs):
        super().__init__(*args, **kwargs)
        if bestaand:
            del self.fields["gebruikersnaam"]
            self.fields["wachtwoord1"].label = _("Kies een nieuw wachtwoord")
