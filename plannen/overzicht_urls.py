"""Groepsoverzicht routes (included under "plannen/" by zorg.urls)."""

from django.urls import path

from . import overzicht_views as views

urlpatterns = [
    path("klas/<int:klas_pk>/groepsoverzicht/", views.groepsoverzicht, name="groepsoverzicht"),
    path("klas/<int:klas_pk>/groepsoverzicht/vak/<int:vak_pk>/", views.groepsoverzicht_vak,
         name="groepsoverzicht_vak"),
    path("groepsoverzicht/<int:pk>/cel/", views.cel, name="groepsoverzicht_cel"),
    path("groepsoverzicht/<int:pk>/observatie/", views.observatie, name="groepsoverzicht_observatie"),
    path("sjablonen/", views.sjablonen, name="sjablonen"),
    path("sjablonen/vak/<int:vak_pk>/", views.sjabloon_vak, name="sjabloon_vak"),
    path("sjablonen/<int:pk>/", views.sjabloon, name="sjabloon"),
]
