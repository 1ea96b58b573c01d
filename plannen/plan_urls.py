"""Groepsplannen and handelingsplannen; included under "plannen/" by zorg/urls.py."""

from django.urls import path

from . import plan_views

urlpatterns = [
    path("klassen/<int:klas_pk>/groepsplannen/", plan_views.groepsplannen, name="groepsplannen"),
    path("groepsplannen/<int:pk>/", plan_views.groepsplan, name="groepsplan"),
    path("groepsplannen/<int:pk>/rij/", plan_views.groepsplan_rij_nieuw, name="groepsplan_rij_nieuw"),
    path("groepsplannen/<int:pk>/status/", plan_views.groepsplan_status, name="groepsplan_status"),
    path("groepsplanrijen/<int:pk>/", plan_views.groepsplan_rij, name="groepsplan_rij"),
    path("groepsplanrijen/<int:pk>/evalueren/", plan_views.groepsplan_rij_evalueren, name="groepsplan_rij_evalueren"),
    path("leerlingen/<int:leerling_pk>/handelingsplannen/", plan_views.handelingsplannen, name="handelingsplannen"),
    path("leerlingen/<int:leerling_pk>/handelingsplannen/nieuw/", plan_views.handelingsplan_nieuw,
         name="handelingsplan_nieuw"),
    path("leerlingen/<int:leerling_pk>/mijn-taken/", plan_views.mijn_taken, name="plan_mijn_taken"),
    path("handelingsplannen/<int:pk>/", plan_views.handelingsplan, name="handelingsplan"),
    path("handelingsplannen/<int:pk>/wijzigen/", plan_views.handelingsplan_wijzigen, name="handelingsplan_wijzigen"),
    path("handelingsplannen/<int:pk>/evalueren/", plan_views.handelingsplan_evalueren,
         name="handelingsplan_evalueren"),
    path("handelingsplannen/<int:pk>/actie/", plan_views.handelingsplan_actie, name="handelingsplan_actie"),
]
