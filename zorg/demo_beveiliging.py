"""Demo data for retention: pupils who left school (two past the terms, one of them under a legal
hold, one within them) and a first dry run, so Beheer → Bewaartermijnen shows a report."""

import datetime

from leerlingen.models import Dossieritem, Leerling

from . import bewaartermijnen
from .models import Functie

OUD_LEERLINGEN = [
    # voornaam, achternaam, years since leaving, bewaarplicht reason
    ("Jesse", "Vermeulen", 3, ""),
    ("Naomi", "Croes", 4, "Lopende klacht bij de geschillencommissie (dossier nog nodig)."),
    ("Tim", "Hoekstra", 1, ""),
]


def bouw_oud_leerlingen(school, vandaag):
    zc = Functie.objects.filter(schooljaar__school=school, soort=Functie.Soort.ZORGCOORDINATOR).first().gebruiker
    for i, (voornaam, achternaam, jaren, reden) in enumerate(OUD_LEERLINGEN):
        vertrek = datetime.date(vandaag.year - jaren, 7, 15)
        leerling = Leerling.objects.create(
            school=school, leerlingnummer=f"OUD{i + 1:03d}", voornaam=voornaam, achternaam=achternaam,
            geboortedatum=datetime.date(vertrek.year - 16, 3, 1), instroomdatum=datetime.date(vertrek.year - 4, 8, 1),
            uitstroomdatum=vertrek, bewaarplicht=bool(reden), bewaarplicht_reden=reden,
        )
        for soort, titel, tekst in [
            (Dossieritem.Soort.SIGNALERING, "", "Concentratie in de les wisselend; huiswerk vaak niet af."),
            (Dossieritem.Soort.GESPREK, "Gesprek met ouders", "Afspraken gemaakt over een vaste huiswerkplek."),
        ]:
            Dossieritem.objects.create(leerling=leerling, soort=soort, titel=titel, tekst=tekst, auteur=zc,
                                       datum=vertrek - datetime.timedelta(days=120))
    bewaartermijnen.ronde(school, proef=True)
