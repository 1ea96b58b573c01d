from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZorgConfig(AppConfig):
    name = "zorg"
    verbose_name = _("Organisatie")
