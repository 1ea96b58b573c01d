"""URLs of the route lead times and the jaarverslag, under /kwaliteit/ (see zorg/kwaliteit_urls.py)."""

from django.urls import path

from . import jaarverslag_views as views

urlpatterns = [
    path("doorlooptijden/", views.doorlooptijden_pagina, name="kwaliteit_doorlooptijden"),
    path("doorlooptijden/export/", views.doorlooptijden_export, name="kwaliteit_doorlooptijden_export"),
    path("jaarverslag/", views.jaarverslagen, name="jaarverslagen"),
    path("jaarverslag/<int:pk>/", views.jaarverslag, name="jaarverslag"),
    path("jaarverslag/<int:pk>/conclusies/", views.conclusies, name="jaarverslag_conclusies"),
    path("jaarverslag/<int:pk>/vaststellen/", views.vaststellen, name="jaarverslag_vaststellen"),
    path("jaarverslag/<int:pk>/heropenen/", views.heropenen, name="jaarverslag_heropenen"),
    path("jaarverslag/<int:pk>/pdf/", views.pdf, name="jaarverslag_pdf"),
    path("jaarverslag/<int:pk>/export/", views.export, name="jaarverslag_export"),
]
