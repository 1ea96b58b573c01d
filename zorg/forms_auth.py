from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class InlogForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Deze combinatie van gebruikersnaam en wachtwoord kennen we niet. Let op hoofdletters."
        ),
        "inactive": _("Dit account is geblokkeerd. Neem contact op met de applicatiebeheerder van uw school."),
    }

    def clean_username(self):
        """Django sets the username's max_length after the field is made, so it is never checked: a
        longer name went on to authenticate() and broke the failed-login log (axes, 255 characters)."""
        username = self.cleaned_data.get("username") or ""
        if len(username) > self.fields["username"].max_length:
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        return username

    def get_invalid_login_error(self):
        """Django's ModelBackend refuses an inactive (blocked) account as if the password were wrong;
        with the right password, say that the account is blocked instead."""
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password:
            Gebruiker = get_user_model()
            geblokkeerd = Gebruiker._default_manager.filter(
                **{Gebruiker.USERNAME_FIELD: username}, is_active=False).first()
            if geblokkeerd is not None and geblokkeerd.check_password(password):
                return ValidationError(self.error_messages["inactive"], code="inactive")
        return super().get_invalid_login_error()
