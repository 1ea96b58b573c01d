"""Staff pages about the portal (Dutch): inviting ouders and pupils, answering correctieverzoeken."""

from django.urls import path

from . import correctie_views

urlpatterns = [
    path("correctieverzoeken/", correctie_views.correctieverzoeken, name="correctieverzoeken"),
    path("correctieverzoeken/<int:pk>/", correctie_views.correctieverzoek, name="correctieverzoek"),
]

# Invitations to the portal (ouders, and pupils when the school has pupil accounts).
from . import uitnodiging_views  # noqa: E402

urlpatterns += [
    path("leerlingen/<int:pk>/ouders/", uitnodiging_views.ouders_portaal, name="ouders_portaal"),
    path("leerlingen/<int:pk>/ouders/uitnodigen/", uitnodiging_views.ouder_uitnodigen, name="ouder_uitnodigen"),
    path("klassen/<int:pk>/ouders-uitnodigen/", uitnodiging_views.klas_ouders_uitnodigen,
         name="klas_ouders_uitnodigen"),
]
