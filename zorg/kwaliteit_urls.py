from django.urls import include, path

from . import kwaliteit_views

urlpatterns = [
    path("kwaliteit/", kwaliteit_views.index, name="kwaliteit"),
    path("kwaliteit/", include("zorg.effect_urls")),
    path("kwaliteit/", include("zorg.jaarverslag_urls")),
    path("kwaliteit/", include("zorg.zelfevaluatie_urls")),
    path("kwaliteit/", include("zorg.interventie_urls")),
]
