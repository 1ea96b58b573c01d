"""URLs: inzageverzoek (issue 9): the export of everything held about one pupil."""

from django.urls import path

from . import inzageverzoek_views

urlpatterns = [
    path("leerlingen/<int:pk>/inzageverzoek/", inzageverzoek_views.pagina, name="inzageverzoek"),
    path("leerlingen/<int:pk>/inzageverzoek/pdf/", inzageverzoek_views.pdf, name="inzageverzoek_pdf"),
    path("leerlingen/<int:pk>/inzageverzoek/zip/", inzageverzoek_views.zip_bestand, name="inzageverzoek_zip"),
]
