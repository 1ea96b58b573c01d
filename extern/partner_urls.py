"""URLs of this area of extern (see extern/urls.py): the partner's own pages, and the inzagelog
(who looked at a pupil's records, the partner's views included) for the zorgcoördinator and parents."""

from django.urls import path

from zorg import inzagelog_views

from . import views

urlpatterns = [
    path("partner/verwijzingen/<int:pk>/", views.extern_verwijzing, name="extern_verwijzing"),
    path("inzagelog/leerlingen/<int:pk>/", inzagelog_views.inzagelog_leerling, name="inzagelog_leerling"),
]
