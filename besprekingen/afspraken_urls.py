"""Mijn afspraken and the zorgcoördinator dashboard (see besprekingen/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("afspraken/", views.nog_niet, name="mijn_afspraken"),
    path("dashboard/", views.nog_niet, name="dashboard"),
]
