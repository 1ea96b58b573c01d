"""The pupil's own pages (when the school enables pupil accounts), under /leerling/."""

from django.urls import path

from . import leerling_views

urlpatterns = [
    path("", leerling_views.leerling_start, name="leerling_start"),
    path("plannen/<int:pk>/", leerling_views.leerling_plan, name="leerling_plan"),
]
