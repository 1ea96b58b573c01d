"""Dossier routes, included under "leerlingen/" (the timeline itself is the "leerling" route)."""

from django.urls import path

from . import dossier_views

urlpatterns = [
    path("<int:pk>/signaleren/", dossier_views.signaleren, name="dossier_signaleren"),
    path("<int:pk>/dossier/nieuw/<slug:soort>/", dossier_views.nieuw_item, name="dossier_nieuw"),
    path("<int:pk>/dossier/<int:item_pk>/", dossier_views.item_detail, name="dossier_item"),
    path("<int:pk>/dossier/<int:item_pk>/wijzigen/", dossier_views.item_wijzigen, name="dossier_item_wijzigen"),
    path("<int:pk>/dossier/<int:item_pk>/bestand/", dossier_views.document, name="dossier_document"),
]
