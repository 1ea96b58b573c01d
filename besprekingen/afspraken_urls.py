"""Mijn afspraken and the zorgcoördinator dashboard (see besprekingen/urls.py)."""

from django.urls import path

from . import afspraken_views, herinnering_views

urlpatterns = [
    path("afspraken/", afspraken_views.mijn_afspraken, name="mijn_afspraken"),
    path("afspraken/<int:pk>/afhandelen/", afspraken_views.afspraak_afhandelen, name="afspraak_afhandelen"),
    path("dashboard/", afspraken_views.dashboard_view, name="dashboard"),
    path("dashboard/herinneringen/", herinnering_views.herinneringen, name="dashboard_herinneringen"),
    path("dashboard/<slug:naam>/", afspraken_views.dashboard_lijst, name="dashboard_lijst"),
]
