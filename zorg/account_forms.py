"""Forms of the account pages: the second login step, its setup, and blocking an account."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=40, strip=True,
        help_text=_("De 6 cijfers uit uw app, of een van uw herstelcodes."),
        error_messages={"required": _("Vul de code in."), "max_length": _("Deze code is te lang.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none",
                                      "spellcheck": "false", "autofocus": True}),
    )


class InstelForm(forms.Form):
    code = forms.CharField(
        label=_("Code uit de app"), max_length=40, strip=True,
        help_text=_("De 6 cijfers die de app nu toont."),
        error_messages={"required": _("Vul de code in die de app toont."),
                        "max_length": _("Deze code is te lang.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class BlokkeerForm(forms.Form):
    reden = forms.CharField(
        label=_("Reden"), max_length=200, strip=True,
        help_text=_("Bijvoorbeeld: uit dienst, verdacht gebruik, verloren telefoon."),
        error_messages={"required": _("Geef een reden op voor het blokkeren."),
                        "max_length": _("De reden mag hoogstens 200 tekens lang zijn.")},
    )
