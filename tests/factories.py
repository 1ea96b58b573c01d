"""factory-boy factories for every model. Dates default to a schooljaar running today."""

import datetime

import factory
from django.utils import timezone

from extern.models import Contactpersoon, Instelling
from leerlingen.models import Betrokkene, Klasplaatsing, Leerling, Ouder, OuderRelatie
from zorg.models import (
    Afdeling,
    Functie,
    Gebruiker,
    Inzage,
    Klas,
    Lesopdracht,
    Periode,
    School,
    Schooljaar,
    Vak,
    Zorgniveau,
    Zorgroute,
)

WACHTWOORD = "test-wachtwoord-123"


def lopend_begin():
    today = timezone.localdate()
    return datetime.date(today.year if today.month >= 8 else today.year - 1, 8, 1)


class GebruikerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gebruiker
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda o: f"{o.username}@school.test")
    password = factory.PostGenerationMethodCall("set_password", WACHTWOORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    naam = factory.Sequence(lambda n: f"Testschool {n}")
    code = factory.Sequence(lambda n: f"school{n}")


class SchooljaarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schooljaar

    school = factory.SubFactory(SchoolFactory)
    begin = factory.LazyFunction(lopend_begin)
    einde = factory.LazyAttribute(lambda o: datetime.date(o.begin.year + 1, 7, 31))
    naam = factory.LazyAttribute(lambda o: f"{o.begin.year}-{o.begin.year + 1}")


class PeriodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Periode

    schooljaar = factory.SubFactory(SchooljaarFactory)
    nummer = factory.Sequence(lambda n: n + 1)
    begin = factory.LazyAttribute(lambda o: o.schooljaar.begin)
    einde = factory.LazyAttribute(lambda o: o.schooljaar.einde)


class AfdelingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Afdeling

    school = factory.SubFactory(SchoolFactory)
    naam = factory.Sequence(lambda n: f"Afdeling {n}")


class KlasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Klas
        skip_postgeneration_save = True

    schooljaar = factory.SubFactory(SchooljaarFactory)
    afdeling = factory.SubFactory(AfdelingFactory, school=factory.SelfAttribute("..schooljaar.school"))
    naam = factory.Sequence(lambda n: f"{n % 6 + 1}{chr(65 + n % 26)}{n}")
    leerjaar = 1

    @factory.post_generation
    def mentoren(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.mentoren.set(extracted)


class VakFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vak

    school = factory.SubFactory(SchoolFactory)
    code = factory.Sequence(lambda n: f"V{n}")
    naam = factory.Sequence(lambda n: f"vak {n}")


class LesopdrachtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesopdracht

    docent = factory.SubFactory(GebruikerFactory)
    klas = factory.SubFactory(KlasFactory)
    vak = factory.SubFactory(VakFactory, school=factory.SelfAttribute("..klas.schooljaar.school"))


class FunctieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Functie

    gebruiker = factory.SubFactory(GebruikerFactory)
    schooljaar = factory.SubFactory(SchooljaarFactory)
    soort = Functie.Soort.DOCENT


class ZorgrouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zorgroute

    school = factory.SubFactory(SchoolFactory)
    naam = "Testroute"


class ZorgniveauFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zorgniveau

    zorgroute = factory.SubFactory(ZorgrouteFactory)
    volgorde = factory.Sequence(lambda n: n + 1)
    code = factory.Sequence(lambda n: str(n + 1))
    naam = factory.Sequence(lambda n: f"niveau {n + 1}")


class LeerlingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leerling

    school = factory.SubFactory(SchoolFactory)
    leerlingnummer = factory.Sequence(lambda n: f"{100000 + n}")
    voornaam = factory.Faker("first_name", locale="nl_NL")
    achternaam = factory.Faker("last_name", locale="nl_NL")
    geboortedatum = datetime.date(2013, 5, 1)


class KlasplaatsingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Klasplaatsing

    klas = factory.SubFactory(KlasFactory)
    leerling = factory.SubFactory(LeerlingFactory, school=factory.SelfAttribute("..klas.schooljaar.school"))


class OuderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ouder

    voornaam = factory.Faker("first_name", locale="nl_NL")
    achternaam = factory.Faker("last_name", locale="nl_NL")
    gebruiker = factory.SubFactory(GebruikerFactory)


class OuderRelatieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OuderRelatie

    ouder = factory.SubFactory(OuderFactory)
    leerling = factory.SubFactory(LeerlingFactory)
    relatie = OuderRelatie.Relatie.MOEDER
    gezag = True


class BetrokkeneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Betrokkene

    leerling = factory.SubFactory(LeerlingFactory)
    gebruiker = factory.SubFactory(GebruikerFactory)
    rol = "remedial teacher"
    vanaf = factory.LazyFunction(lopend_begin)


class InstellingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instelling

    school = factory.SubFactory(SchoolFactory)
    naam = factory.Sequence(lambda n: f"Instelling {n}")


class ContactpersoonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contactpersoon

    instelling = factory.SubFactory(InstellingFactory)
    gebruiker = factory.SubFactory(GebruikerFactory)
    naam = factory.LazyAttribute(lambda o: o.gebruiker.naam)


class InzageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inzage

    gebruiker = factory.SubFactory(GebruikerFactory)
    gebruiker_naam = factory.LazyAttribute(lambda o: o.gebruiker.naam)
    rol = "mentor"
    leerling = factory.SubFactory(LeerlingFactory)
    onderdeel = "leerlingpagina"


# --- Added for the dossier (Leerlingdossier issue) -------------------------------------------


class DossieritemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leerlingen.Dossieritem"

    leerling = factory.SubFactory(LeerlingFactory)
    soort = "signalering"
    datum = factory.LazyFunction(timezone.localdate)
    auteur = factory.SubFactory(GebruikerFactory)
    vertrouwelijkheid = "team"
    titel = factory.Sequence(lambda n: f"Dossieritem {n}")
    tekst = "Haalt de laatste toetsen onvoldoende."


class ToestemmingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "extern.Toestemming"

    leerling = factory.SubFactory(LeerlingFactory)
    doel = "zorgniveau"
    ouder = factory.SubFactory(OuderFactory)
    leerling_akkoord = True
    status = "gegeven"
    wijze = "papier"
    datum = factory.LazyFunction(timezone.localdate)
