from django.urls import path

from . import zelfevaluatie_views as v

urlpatterns = [
    path("zelfevaluatie/", v.zelfevaluaties, name="zelfevaluaties"),
    path("zelfevaluatie/mijn/", v.mijn_zelfevaluaties, name="mijn_zelfevaluaties"),
    path("zelfevaluatie/nieuw/", v.zelfevaluatie_nieuw, name="zelfevaluatie_nieuw"),
    path("zelfevaluatie/standaard/<str:soort>/", v.zelfevaluatie_standaard, name="zelfevaluatie_standaard"),
    path("zelfevaluatie/vragenlijst/<int:pk>/", v.vragenlijst_bewerken, name="vragenlijst_bewerken"),
    path("zelfevaluatie/<int:pk>/resultaten/", v.zelfevaluatie_resultaten, name="zelfevaluatie_resultaten"),
    path("zelfevaluatie/<int:pk>/versturen/", v.zelfevaluatie_versturen, name="zelfevaluatie_versturen"),
    path("zelfevaluatie/<int:pk>/sluiten/", v.zelfevaluatie_sluiten, name="zelfevaluatie_sluiten"),
    path("zelfevaluatie/<int:pk>/invullen/", v.zelfevaluatie_invullen, name="zelfevaluatie_invullen"),
    path("zelfevaluatie/<int:pk>/download/<str:formaat>/", v.zelfevaluatie_download, name="zelfevaluatie_download"),
    path("zelfevaluatie/<int:pk>/verbeterpunt/", v.verbeterpunt_nieuw, name="verbeterpunt_nieuw"),
    path("zelfevaluatie/verbeterpunt/<int:pk>/", v.verbeterpunt_afhandelen, name="verbeterpunt_afhandelen"),
]
