from django.db.models import Q


def zoek_filter(zoek):
    """Pupils matching every word of the query in a name part, or the exact leerlingnummer.

    "Sanne van der Berg", "van der Berg" and "berg sanne" all find Sanne van der Berg.
    """
    naam = Q()
    for woord in zoek.split():
        naam &= Q(voornaam__icontains=woord) | Q(achternaam__icontains=woord) | Q(tussenvoegsel__icontains=woord)
    return Q(leerlingnummer__iexact=zoek.strip()) | naam
