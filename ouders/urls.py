"""The parent portal, under /ouders/ (pages in the parent's language)."""

from django.urls import path

from . import toestemming_views, views

urlpatterns = [
    path("", views.ouder_start, name="ouder_start"),
    path("taal/", views.taal_kiezen, name="taal_kiezen"),
    path("kinderen/<int:pk>/", views.ouder_kind, name="ouder_kind"),
    path("kinderen/<int:pk>/toestemming/", toestemming_views.ouder_toestemmingen, name="ouder_toestemmingen"),
    path("toestemming/<int:pk>/", toestemming_views.ouder_toestemming, name="ouder_toestemming"),
    path("kinderen/<int:pk>/inzagelog/", views.inzagelog_kind, name="inzagelog_kind"),
]
