"""URLs: effect van interventies (issue 10), under /kwaliteit/."""

from django.urls import path

from . import effect_views

urlpatterns = [
    path("effect/", effect_views.overzicht, name="kwaliteit_effect"),
    path("effect/export/", effect_views.export, name="kwaliteit_effect_export"),
    path("effect/<int:pk>/", effect_views.soort, name="kwaliteit_effect_soort"),
]
