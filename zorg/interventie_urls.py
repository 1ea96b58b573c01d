from django.urls import path

from . import interventie_views

urlpatterns = [
    path("interventies/", interventie_views.interventiesoorten, name="interventiesoorten"),
    path("interventies/standaard/", interventie_views.interventies_standaard, name="interventies_standaard"),
    path("interventies/<int:pk>/", interventie_views.interventiesoort_wijzigen, name="interventiesoort_wijzigen"),
    path("interventies/<int:pk>/verwijderen/", interventie_views.interventiesoort_verwijderen,
         name="interventiesoort_verwijderen"),
]
