"""External partners, consent and referrals; included under "extern/" by zorg/urls.py. Each area
keeps its own module: the register of instellingen and contactpersonen (register_urls), consent
(toestemming_urls), referrals on the school side (verwijzing_urls) and the partner's own pages
(partner_urls)."""

from django.urls import include, path

urlpatterns = [
    path("", include("extern.register_urls")),
    path("", include("extern.toestemming_urls")),
    path("", include("extern.verwijzing_urls")),
    path("", include("extern.partner_urls")),
]
