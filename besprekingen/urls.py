"""Meetings; included under "besprekingen/" by zorg/urls.py. Each area keeps its own module:
planning and aanmeldingen (aanmelding_urls), the IZO/ZAT meeting screen and verslag
(vergadering_urls), the groepsbespreking (groeps_urls), afspraken and the dashboard
(afspraken_urls)."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("<int:pk>/", views.bespreking, name="bespreking"),
    path("", include("besprekingen.aanmelding_urls")),
    path("", include("besprekingen.vergadering_urls")),
    path("", include("besprekingen.groeps_urls")),
    path("", include("besprekingen.afspraken_urls")),
]
