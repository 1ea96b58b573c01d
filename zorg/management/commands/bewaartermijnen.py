"""Run the retention round now: `manage.py bewaartermijnen [--proef] [--school CODE]`.

Without --proef each school is handled as the nightly task does it (a dry run while its removal
is switched off); with --proef nothing is removed. Prints the report in Dutch."""

from django.core.management.base import BaseCommand, CommandError

from zorg import bewaartermijnen
from zorg.models import School


def rapport_regels(ronde):
    """The report of one Bewaarronde as Dutch text lines."""
    r = ronde.rapport
    kop = "Proefrapport (er is niets verwijderd)" if ronde.proef else "Verwijderd"
    regels = [f"{ronde.school.naam} ({ronde.school.code}) · {kop} · peildatum {r['peildatum']}"]
    for code, categorie in bewaartermijnen.CATEGORIEEN.items():
        t = r["categorieen"][code]
        regels.append(
            f"  {categorie.label} (termijn {r['termijnen'][code]} jaar): {t['leerlingen']} leerlingen, "
            f"{t['records']} gegevens, {t['historie']} versies in de geschiedenis, {t['bestanden']} bestanden"
        )
    if r["bewaarplicht"]:
        regels.append(f"  Overgeslagen wegens bewaarplicht: {len(r['bewaarplicht'])} leerlingen "
                      f"(id {', '.join(str(i) for i in r['bewaarplicht'])})")
    if r["fouten"]:
        regels.append(f"  Niet gelukt: {r['fouten']} (zie het logboek)")
    return regels


class Command(BaseCommand):
    help = "Bewaartermijnen: verwijder verlopen gegevens, of toon met --proef alleen wat weg zou gaan."

    def add_arguments(self, parser):
        parser.add_argument("--proef", action="store_true", help="Alleen een proefrapport; niets verwijderen.")
        parser.add_argument("--school", help="Alleen deze school (code).")

    def handle(self, *args, **opties):
        scholen = School.objects.order_by("pk")
        if opties["school"]:
            scholen = scholen.filter(code=opties["school"])
            if not scholen.exists():
                raise CommandError(f"Geen school met code {opties['school']!r}.")
        for school in scholen:
            ronde = bewaartermijnen.ronde(school, proef=True if opties["proef"] else None)
            for regel in rapport_regels(ronde):
                self.stdout.write(regel)
