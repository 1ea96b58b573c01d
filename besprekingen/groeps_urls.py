"""URLs of the groepsbespreking (see besprekingen/urls.py; the screen itself is "bespreking")."""

from django.urls import path

from . import groeps_views as v

urlpatterns = [
    path("groepsbesprekingen/", v.groepsbesprekingen, name="groepsbesprekingen"),
    path("groepsbesprekingen/plannen/", v.groepsbespreking_plannen, name="groepsbespreking_plannen"),
    path("groepsbesprekingen/alle-plannen/", v.groepsbesprekingen_alle_plannen, name="groepsbesprekingen_alle_plannen"),
    path("groepsbesprekingen/klas/<int:klas_pk>/", v.groepsbespreking_klas, name="groepsbespreking_klas"),
    path("<int:pk>/groep/punten/<int:punt_pk>/notities/", v.groepsbespreking_notities,
         name="groepsbespreking_notities"),
    path("<int:pk>/groep/samenvatting/", v.groepsbespreking_samenvatting, name="groepsbespreking_samenvatting"),
    path("<int:pk>/groep/afspraak/", v.groepsbespreking_afspraak, name="groepsbespreking_afspraak"),
    path("<int:pk>/groep/groepsplan/", v.groepsbespreking_groepsplan, name="groepsbespreking_groepsplan"),
    path("<int:pk>/groep/aanmelden/", v.groepsbespreking_aanmelden, name="groepsbespreking_aanmelden"),
    path("<int:pk>/groep/verslag/", v.groepsbespreking_verslag, name="groepsbespreking_verslag"),
    path("<int:pk>/groep/verslag.pdf", v.groepsbespreking_verslag_pdf, name="groepsbespreking_verslag_pdf"),
    path("<int:pk>/groep/vaststellen/", v.groepsbespreking_vaststellen, name="groepsbespreking_vaststellen"),
]
