from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZorgConfig(AppConfig):
    name = "zorg"
    verbose_name = _("Organisatie")

    def ready(self):
        from . import interventies  # noqa: F401  (signal: a new school gets the standard catalogue)
