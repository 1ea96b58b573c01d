"""URLs: bewaartermijnen (issue 9): the applicatiebeheerder's retention pages and the
zorgcoördinator's legal hold on a pupil."""

from django.urls import path

from . import bewaar_views

urlpatterns = [
    path("beheer/bewaartermijnen/", bewaar_views.bewaartermijnen_beheer, name="bewaartermijnen"),
    path("beheer/bewaartermijnen/proef/", bewaar_views.bewaartermijnen_proef, name="bewaartermijnen_proef"),
    path("beheer/bewaartermijnen/aanzetten/", bewaar_views.bewaartermijnen_aanzetten,
         name="bewaartermijnen_aanzetten"),
    path("leerlingen/bewaarplicht/", bewaar_views.bewaarplicht_overzicht, name="bewaarplicht_overzicht"),
    path("leerlingen/<int:pk>/bewaarplicht/", bewaar_views.bewaarplicht, name="bewaarplicht"),
]
