"""Planning besprekingen and aanmeldingen (see besprekingen/urls.py)."""

from django.urls import path

from . import aanmelding_views as views

urlpatterns = [
    path("", views.besprekingen, name="besprekingen"),
    path("nieuw/", views.bespreking_nieuw, name="bespreking_nieuw"),
    path("<int:pk>/agenda.ics", views.bespreking_ics, name="bespreking_ics"),
    path("<int:pk>/uitnodigen/", views.bespreking_uitnodigen, name="bespreking_uitnodigen"),
    path("aanmelden/<int:leerling_pk>/", views.aanmelden, name="aanmelden"),
    path("aanmeldingen/", views.aanmeldingen, name="aanmeldingen"),
    path("aanmeldingen/<int:pk>/", views.aanmelding, name="aanmelding"),
    path("aanmeldingen/<int:pk>/agenda/", views.aanmelding_op_agenda, name="aanmelding_op_agenda"),
    path("aanmeldingen/<int:pk>/terugsturen/", views.aanmelding_terugsturen, name="aanmelding_terugsturen"),
    path("aanmeldingen/<int:pk>/aanvullen/", views.aanmelding_aanvullen, name="aanmelding_aanvullen"),
    path("aanmeldingen/<int:pk>/intrekken/", views.aanmelding_intrekken, name="aanmelding_intrekken"),
]
