from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from extern import views as extern_views
from leerlingen import views as leerling_views

from . import import_views, notificatie_views, views
from .forms_auth import InlogForm

urlpatterns = [
    path("", views.start, name="start"),
    path(
        "inloggen/",
        auth_views.LoginView.as_view(authentication_form=InlogForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("wachtwoord/vergeten/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("wachtwoord/verstuurd/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "wachtwoord/herstel/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("wachtwoord/hersteld/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("wachtwoord/wijzigen/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("wachtwoord/gewijzigd/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("school/kiezen/", views.kies_school, name="kies_school"),
    path("school/", views.school_overzicht, name="school_overzicht"),
    path("afdeling/", views.afdeling, name="afdeling"),
    path("mijn-klas/", views.mijn_klas, name="mijn_klas"),
    path("mijn-klassen/", views.mijn_klassen, name="mijn_klassen"),
    path("klassen/<int:pk>/", views.klas_detail, name="klas"),
    path("mijn-leerlingen/", leerling_views.mijn_leerlingen, name="mijn_leerlingen"),
    path("leerlingen/zoeken/", leerling_views.zoeken, name="leerling_zoeken"),
    path("leerlingen/<int:pk>/", leerling_views.leerling_detail, name="leerling"),
    path("", include("zorg.account_urls")),
    path("", include("zorg.inzageverzoek_urls")),
    path("", include("zorg.audit_urls")),
    path("", include("zorg.bewaar_urls")),
    path("", include("zorg.kwaliteit_urls")),
    path("ouders/", include("ouders.urls")),
    path("leerling/", include("ouders.leerling_urls")),
    path("", include("ouders.school_urls")),
    path("extern/", extern_views.extern_start, name="extern_start"),
    path("extern/", include("extern.urls")),
    path("meldingen/", notificatie_views.lijst, name="notificaties"),
    path("meldingen/<int:pk>/open/", notificatie_views.open_melding, name="notificatie_open"),
    path("meldingen/gelezen/", notificatie_views.alles_gelezen, name="notificaties_gelezen"),
    path("meldingen/instellingen/", notificatie_views.instellingen, name="notificatie_instellingen"),
    path("leerlingen/", include("leerlingen.dossier_urls")),
    path("leerlingen/", include("leerlingen.route_urls")),
    path("plannen/", include("plannen.overzicht_urls")),
    path("plannen/", include("plannen.plan_urls")),
    path("plannen/", include("plannen.pdf_urls")),
    path("besprekingen/", include("besprekingen.urls")),
    path("beheer/", views.beheer, name="beheer"),
    path("beheer/import/", import_views.upload, name="import"),
    path("beheer/import/voorbeeld/", import_views.voorbeeld, name="import_voorbeeld"),
    path("beheer/import/bevestigen/", import_views.bevestig, name="import_bevestig"),
    path("systeembeheer/", admin.site.urls),
]
