from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlannenConfig(AppConfig):
    name = "plannen"
    verbose_name = _("Plannen")
