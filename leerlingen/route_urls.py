"""Zorgroute steps and overdracht; included under "leerlingen/" by zorg/urls.py."""

from django.urls import path

from . import route_views

urlpatterns = [
    path("<int:pk>/opschalen/", route_views.aanvragen, name="route_aanvragen"),
    path("<int:pk>/afschalen/", route_views.afschalen, name="route_afschalen"),
    path("<int:pk>/toestemming/", route_views.toestemming, name="route_toestemming"),
    path("<int:pk>/overdracht/", route_views.overdracht, name="overdracht"),
    path("<int:pk>/overdracht/vastleggen/", route_views.overdracht_vastleggen, name="overdracht_vastleggen"),
    path("opschalingen/<int:pk>/", route_views.beoordelen, name="route_beoordelen"),
    path("opschalingen/<int:pk>/intrekken/", route_views.intrekken, name="route_intrekken"),
    path("hulpvragen/", route_views.hulpvragen, name="route_hulpvragen"),
]
