"""The parent portal, under /ouders/ (pages in the parent's language)."""

from django.urls import path

from . import correctie_views, plan_views, toestemming_views, verslag_views, views

urlpatterns = [
    path("", views.ouder_start, name="ouder_start"),
    path("taal/", views.taal_kiezen, name="taal_kiezen"),
    path("kinderen/<int:pk>/", views.ouder_kind, name="ouder_kind"),
    path("kinderen/<int:pk>/toestemming/", toestemming_views.ouder_toestemmingen, name="ouder_toestemmingen"),
    path("toestemming/<int:pk>/", toestemming_views.ouder_toestemming, name="ouder_toestemming"),
    path("kinderen/<int:pk>/inzagelog/", views.inzagelog_kind, name="inzagelog_kind"),
    path("kinderen/<int:pk>/verslagen/", verslag_views.ouder_verslagen, name="ouder_verslagen"),
    path("verslagen/<int:pk>/", verslag_views.ouder_verslag, name="ouder_verslag"),
    path("verslagen/<int:pk>/bestand/", verslag_views.ouder_verslag_bestand, name="ouder_verslag_bestand"),
    path("kinderen/<int:pk>/correcties/", correctie_views.ouder_correcties, name="ouder_correcties"),
    path("kinderen/<int:pk>/correcties/nieuw/", correctie_views.ouder_correctie_nieuw, name="ouder_correctie_nieuw"),
    path("kinderen/<int:pk>/plannen/", plan_views.ouder_plannen, name="ouder_plannen"),
    path("plannen/<int:pk>/", plan_views.ouder_plan, name="ouder_plan"),
    path("plannen/<int:pk>/pdf/", plan_views.ouder_plan_pdf, name="ouder_plan_pdf"),
]

# Invitations: activating an account with the code from the e-mail or letter (anonymous).
from . import uitnodiging_views  # noqa: E402

urlpatterns += [path("activeren/", uitnodiging_views.activeren, name="ouders_activeren")]

# The portal's own notices and settings (ouders and pupils with an account).
from . import melding_views  # noqa: E402

urlpatterns += [
    path("meldingen/", melding_views.meldingen, name="portaal_meldingen"),
    path("meldingen/<int:pk>/open/", melding_views.melding_open, name="portaal_melding_open"),
    path("meldingen/gelezen/", melding_views.alles_gelezen, name="portaal_meldingen_gelezen"),
    path("instellingen/", melding_views.instellingen, name="portaal_instellingen"),
]
