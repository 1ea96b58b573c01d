from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OudersConfig(AppConfig):
    """The portal for ouders/verzorgers and (when the school enables it) pupils. Its pages, e-mails
    and letters are translated (nl, en, pap, es); staff pages about it stay Dutch."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ouders"
    verbose_name = _("ouderportaal")
