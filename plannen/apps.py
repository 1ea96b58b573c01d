from django.apps import AppConfig


class PlannenConfig(AppConfig):
    name = "plannen"
