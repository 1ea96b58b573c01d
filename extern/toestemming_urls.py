"""URLs of the consent area of extern (see extern/urls.py)."""

from django.urls import path

from . import toestemming_views as views

urlpatterns = [
    path("leerlingen/<int:pk>/toestemming/", views.toestemmingen, name="toestemmingen"),
    path("leerlingen/<int:pk>/toestemming/aanvragen/", views.aanvragen, name="toestemming_aanvragen"),
    path("leerlingen/<int:pk>/toestemming/papier/", views.papier, name="toestemming_papier"),
    path("toestemming/<int:pk>/intrekken/", views.intrekken, name="toestemming_intrekken"),
    path("toestemming/<int:pk>/formulier/", views.formulier, name="toestemming_formulier"),
    path("toestemming/<int:pk>/brief.pdf", views.brief, name="toestemming_brief"),
]
