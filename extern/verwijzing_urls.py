"""Verwijzingen on the school side (see extern/urls.py; views in extern/verwijzing_views.py)."""

from django.urls import path

from . import verwijzing_views as views

urlpatterns = [
    path("verwijzingen/", views.verwijzingen, name="verwijzingen"),
    path("verwijzingen/<int:pk>/", views.verwijzing, name="verwijzing"),
    path("verwijzingen/<int:pk>/pdf/", views.verwijzing_pdf, name="verwijzing_pdf"),
    path("verwijzingen/<int:pk>/status/", views.verwijzing_status, name="verwijzing_status"),
    path("verwijzingen/<int:pk>/terugkoppeling/", views.verwijzing_terugkoppeling, name="verwijzing_terugkoppeling"),
    path("verwijzingen/<int:pk>/toegang/", views.verwijzing_toegang, name="verwijzing_toegang"),
    path("verwijzingen/<int:pk>/toegang/<int:toegang_pk>/verlengen/", views.verwijzing_toegang_verlengen,
         name="verwijzing_toegang_verlengen"),
    path("verwijzingen/<int:pk>/toegang/<int:toegang_pk>/intrekken/", views.verwijzing_toegang_intrekken,
         name="verwijzing_toegang_intrekken"),
    path("leerling/<int:pk>/verwijzingen/", views.verwijzingen_leerling, name="verwijzingen_leerling"),
    path("leerling/<int:pk>/verwijzing/nieuw/", views.verwijzing_nieuw, name="verwijzing_nieuw"),
    path("leerling/<int:pk>/verwijzing/voorbeeld/", views.verwijzing_voorbeeld, name="verwijzing_voorbeeld"),
]
