"""Planning besprekingen and aanmeldingen (see besprekingen/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.nog_niet, name="besprekingen"),
    path("aanmeldingen/", views.nog_niet, name="aanmeldingen"),
]
