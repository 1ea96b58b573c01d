from django.apps import AppConfig


class BesprekingenConfig(AppConfig):
    name = "besprekingen"
