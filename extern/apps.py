from django.apps import AppConfig


class ExternConfig(AppConfig):
    name = "extern"
