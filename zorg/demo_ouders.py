"""Demo data for the parent portal: the demo ouder's first child has a concept plan laid before
the parents (their inbreng and akkoord asked), a gespreksverslag shared with them, an answered
correctieverzoek and an oudergesprek next week; a Papiamento-speaking ouder and a pupil with an
own account show the languages and the pupil's pages; one ouder of the mentor's klas has an
invitation waiting."""

import datetime

from django.utils import timezone

from besprekingen.models import Agendapunt, Bespreking
from leerlingen.models import Dossieritem, Leerling, Ouder, OuderRelatie
from ouders.models import Correctieverzoek, Uitnodiging
from plannen.models import Doel, Handelingsplan

from .models import Gebruiker

D = datetime.timedelta


def _moment(datum, uur):
    return timezone.make_aware(datetime.datetime.combine(datum, datetime.time(uur)))


def bouw_ouderportaal(school, klas, vandaag, wachtwoord, historie=True):
    """`klas`: the demo mentor's klas. Returns the extra demo logins. Without `historie` (bench
    volume) the history rows of what it made are left out, as the rest of the builder does."""
    ouder = Ouder.objects.select_related("gebruiker").get(gebruiker__username="ouder")
    kind = Leerling.objects.filter(ouderrelaties__ouder=ouder, plaatsingen__klas=klas).first()
    mentor = klas.mentoren.order_by("pk").first()
    if kind is None or mentor is None:
        return {}
    # A concept plan laid before the parents a few days ago: their inbreng and akkoord are asked.
    concept = Handelingsplan.objects.create(
        leerling=kind, auteur=mentor, status=Handelingsplan.Status.CONCEPT, start=vandaag,
        evaluatiedatum=vandaag + D(weeks=6), voorgelegd_op=_moment(vandaag - D(days=2), 16),
        reactie_voor=vandaag + D(days=12),
        beginsituatie=f"{kind.voornaam} raakt in toetsweken in paniek en levert dan onvolledig werk in.",
        onderwijsbehoeften="Heeft baat bij een vaste planning en bij oefenen met toetsvragen vooraf.",
        inhoud="Faalangstreductietraining (6 bijeenkomsten) en een toetsplanning per week.",
        aanpak="Wekelijks kort gesprek met de mentor over de planning; oefentoetsen bij wiskunde.",
        organisatie="Training op dinsdag het 7e uur; gesprek met de mentor op maandag.",
        evaluatie_afspraken="Mentor evalueert met leerling en ouders na zes weken.",
        afspraken_ouders="Ouders bespreken thuis elke zondag de planning voor de week.",
        inbreng_leerling="Ik wil rustiger worden voor een toets en eerder beginnen met leren.",
    )
    for i, tekst in enumerate([
        "Maakt voor elke toets een planning en houdt zich daaraan in 4 van de 5 toetsen.",
        "Kan na de training twee manieren noemen om rustig te worden voor een toets.",
    ]):
        Doel.objects.create(handelingsplan=concept, volgorde=i, doel=tekst)
    # A gespreksverslag shared with the parents, with agreements.
    verslag = Dossieritem.objects.create(
        leerling=kind, soort=Dossieritem.Soort.GESPREK, datum=vandaag - D(days=9), auteur=mentor,
        vertrouwelijkheid=Dossieritem.Vertrouwelijkheid.OUDERS, gesprek_met=Dossieritem.GesprekMet.LEERLING_OUDERS,
        titel="Gesprek met ouders over toetsspanning",
        tekst=f"Samen met {kind.voornaam} en moeder besproken hoe de toetsweken gaan. {kind.voornaam} slaapt "
              "slecht voor een toets en durft in de les weinig te vragen.",
        afspraken="De mentor stelt een handelingsplan op en legt het aan ouders voor. Moeder meldt thuis "
                  "opvallende spanning direct aan de mentor.",
    )
    moment = _moment(verslag.datum, 16)
    Dossieritem.objects.filter(pk=verslag.pk).update(aangemaakt_op=moment, gewijzigd_op=moment)
    verslag.history.update(history_date=moment)
    if not historie:
        verslag.history.all().delete()
        concept.history.all().delete()
        Doel.history.filter(handelingsplan_id=concept.pk).delete()
    # An answered correctieverzoek.
    verzoek = Correctieverzoek.objects.create(
        leerling=kind, ingediend_door=ouder.gebruiker, onderwerp=Correctieverzoek.Onderwerp.GEGEVENS,
        tekst="Het telefoonnummer van de vader klopt niet meer; het nieuwe nummer is 06-12345678.",
        status=Correctieverzoek.Status.BEANTWOORD, antwoord="Dank u wel, het nummer is aangepast.",
        beantwoord_door=mentor, beantwoord_op=_moment(vandaag - D(days=20), 15),
    )
    Correctieverzoek.objects.filter(pk=verzoek.pk).update(aangemaakt_op=_moment(vandaag - D(days=22), 20))
    # An oudergesprek next week, with this child on the agenda.
    gesprek = Bespreking.objects.create(
        school=school, soort=Bespreking.Soort.GESPREK, titel=f"Gesprek over het plan van {kind.voornaam}",
        begin=_moment(vandaag + D(days=7), 15), duur=30, locatie="Lokaal 12", voorzitter=mentor,
        aangemaakt_door=mentor,
    )
    Agendapunt.objects.create(bespreking=gesprek, volgorde=1, leerling=kind, titel="Handelingsplan bespreken")

    # A Papiamento-speaking ouder (as at a school on Aruba) of another pupil of the klas, with a plan.
    logins = {}
    ander = Leerling.objects.filter(plaatsingen__klas=klas).exclude(pk=kind.pk).order_by("leerlingnummer").first()
    if ander is not None:
        user = Gebruiker.objects.create(
            username="mama", first_name="Maria", last_name="Croes", email="mama@ouders.test", taal="pap",
            password=wachtwoord,
        )
        papa = Ouder.objects.create(gebruiker=user, voornaam="Maria", achternaam="Croes", email=user.email)
        OuderRelatie.objects.create(ouder=papa, leerling=ander, relatie=OuderRelatie.Relatie.MOEDER, gezag=True)
        logins["ouder (Papiamento)"] = "mama"
        # The pupil's own account (the school enables pupil accounts).
        school.leerlingaccounts = True
        school.save(update_fields=["leerlingaccounts"])
        leerling_user = Gebruiker.objects.create(
            username="leerling", first_name=kind.voornaam, last_name=kind.achternaam, password=wachtwoord,
        )
        Leerling.objects.filter(pk=kind.pk).update(gebruiker=leerling_user)
        logins["leerling"] = "leerling"
    # One ouder of the klas without an account has an invitation waiting (sent by e-mail).
    wachtend = Ouder.objects.filter(relaties__leerling__plaatsingen__klas=klas, gebruiker__isnull=True).order_by(
        "pk").first()
    if wachtend is not None:
        wachtend.email = f"ouder{wachtend.pk}@ouders.test"
        wachtend.save(update_fields=["email"])
        Uitnodiging.objects.create(
            ouder=wachtend, school=school, soort=Uitnodiging.Soort.EMAIL, code_hash="demo-" + "0" * 59,
            aangemaakt_door=mentor, verloopt_op=_moment(vandaag + D(days=27), 9),
        )
    return logins

