"""The verwijsdossier: the parts of a pupil's records that travel with a verwijzing, assembled from
the dossier and the plans — only the sections the school chose (Verwijzing.secties), never a
vertrouwelijk entry unless the section "vertrouwelijk" was chosen AND consent for overdracht of
vertrouwelijke gegevens to that instelling counts. Shown to the partner, on the school's page and
in the PDF from this one function."""

from dataclasses import dataclass, field

from leerlingen.models import Dossieritem
from plannen.models import Handelingsplan

from . import toestemming as toestemming_regels
from .models import Toestemming, Verwijzing

Sectie = Verwijzing.Sectie
Vertrouwelijkheid = Dossieritem.Vertrouwelijkheid


@dataclass
class Onderdeel:
    sleutel: str
    titel: str
    items: list = field(default_factory=list)  # Dossieritems, Handelingsplannen (with .doelen) or texts


def vertrouwelijk_toegestaan(verwijzing, op=None):
    """Confidential data may go only with consent for overdracht to this instelling."""
    return toestemming_regels.geldige(
        verwijzing.leerling, [Toestemming.Doel.OVERDRACHT], instelling=verwijzing.instelling, op=op
    ) is not None


def onderdelen(verwijzing, op=None):
    """The chosen sections of the file, in a fixed order, each with its items (bounded queries)."""
    gekozen = set(verwijzing.secties or [])
    leerling = verwijzing.leerling
    items = Dossieritem.objects.filter(leerling=leerling).select_related("auteur", "van_niveau", "naar_niveau")
    gedeeld = items.exclude(vertrouwelijkheid=Vertrouwelijkheid.VERTROUWELIJK)
    uit = []
    if Sectie.HULPVRAAG in gekozen:
        teksten = [t for t in (verwijzing.hulpvraag, verwijzing.reden) if t]
        uit.append(Onderdeel(Sectie.HULPVRAAG, Sectie.HULPVRAAG.label, teksten))
    if Sectie.INTERVENTIES in gekozen:
        uit.append(Onderdeel(Sectie.INTERVENTIES, Sectie.INTERVENTIES.label,
                             list(gedeeld.filter(soort=Dossieritem.Soort.INTERVENTIE).order_by("datum", "pk"))))
    if Sectie.PLANNEN in gekozen:
        plannen = (
            Handelingsplan.objects.filter(leerling=leerling)
            .exclude(status=Handelingsplan.Status.CONCEPT)
            .prefetch_related("doelen")
            .order_by("start", "pk")
        )
        uit.append(Onderdeel(Sectie.PLANNEN, Sectie.PLANNEN.label, list(plannen)))
    if Sectie.BESLUITEN in gekozen:
        soorten = [Dossieritem.Soort.ZORGNIVEAU, Dossieritem.Soort.BESPREKING]
        uit.append(Onderdeel(Sectie.BESLUITEN, Sectie.BESLUITEN.label,
                             list(gedeeld.filter(soort__in=soorten).order_by("datum", "pk"))))
    if Sectie.GESPREKKEN in gekozen:
        uit.append(Onderdeel(Sectie.GESPREKKEN, Sectie.GESPREKKEN.label,
                             list(gedeeld.filter(soort=Dossieritem.Soort.GESPREK).order_by("datum", "pk"))))
    if Sectie.VERTROUWELIJK in gekozen and vertrouwelijk_toegestaan(verwijzing, op):
        uit.append(Onderdeel(Sectie.VERTROUWELIJK, Sectie.VERTROUWELIJK.label,
                             list(items.filter(vertrouwelijkheid=Vertrouwelijkheid.VERTROUWELIJK)
                                  .order_by("datum", "pk"))))
    return uit


def voor_medewerker(delen, user, school, leerling):
    """The sections as a staff member sees them on the school's page or in the PDF: the
    confidential section's entries only for whoever reads confidential dossier entries."""
    from zorg import toegang

    relaties = toegang.relaties_met(user, school, leerling)
    if any("vertrouwelijk" in toegang.LEZEN.get(r, set()) for r in relaties):
        return delen
    for deel in delen:
        if deel.sleutel == Sectie.VERTROUWELIJK:
            deel.items = []
            deel.verborgen = True
    return delen
