from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class InlogForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Deze combinatie van gebruikersnaam en wachtwoord kennen we niet. Let op hoofdletters."
        ),
        "inactive": _("Dit account is geblokkeerd. Neem contact op met de applicatiebeheerder van uw school."),
    }
