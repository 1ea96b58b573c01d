"""URLs of the IZO/ZAT meeting screen and its verslag (see besprekingen/urls.py). The screen itself
is the shared URL "bespreking" (<pk>/), dispatched to vergadering_views.bespreking."""

from django.urls import path

from extern import views as extern_views

from . import vergadering_views as v

urlpatterns = [
    path("<int:pk>/punten/<int:punt_pk>/notities/", v.notities, name="bespreking_notities"),
    path("<int:pk>/punten/<int:punt_pk>/besluit/", v.besluit, name="bespreking_besluit"),
    path("<int:pk>/punten/<int:punt_pk>/casemanager/", v.punt_besluiten, name="bespreking_punt"),
    path("<int:pk>/punten/<int:punt_pk>/zorgniveau/", v.zorgniveau, name="bespreking_zorgniveau"),
    path("<int:pk>/punten/<int:punt_pk>/besproken/", v.besproken, name="bespreking_besproken"),
    path("<int:pk>/algemeen/", v.algemeen, name="bespreking_algemeen"),
    path("<int:pk>/deelnemers/<int:deelnemer_pk>/aanwezig/", v.aanwezig, name="bespreking_aanwezig"),
    path("<int:pk>/verslag/", v.verslag, name="bespreking_verslag"),
    path("<int:pk>/verslag.pdf", v.verslag_pdf, name="bespreking_verslag_pdf"),
    path("<int:pk>/verslag/vaststellen/", v.vaststellen, name="bespreking_vaststellen"),
    path("<int:pk>/extern/", extern_views.extern_bespreking, name="extern_bespreking"),
]
