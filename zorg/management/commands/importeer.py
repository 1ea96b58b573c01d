"""Import pupils or staff from a CSV/XLSX export of the school administration."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zorg import importeren
from zorg.models import School


class Command(BaseCommand):
    help = "Importeer leerlingen (met klassen en ouders) of medewerkers uit een CSV- of XLSX-bestand."

    def add_arguments(self, parser):
        parser.add_argument("bestand", help="Pad naar het .csv- of .xlsx-bestand.")
        parser.add_argument("--school", required=True, help="Code van de school.")
        parser.add_argument("--soort", required=True, choices=sorted(importeren.SOORTEN))
        parser.add_argument("--dry-run", action="store_true", help="Alleen controleren; niets opslaan.")
        parser.add_argument(
            "--kolom", action="append", default=[], metavar="KOP=VELD",
            help="Koppel een kolomkop aan een doelveld (herhaalbaar); een leeg VELD slaat de kolom over.",
        )

    def handle(self, *args, bestand, school, soort, dry_run, kolom, **options):
        try:
            school_obj = School.objects.get(code=school)
        except School.DoesNotExist:
            raise CommandError(_("Onbekende school: %(code)s.") % {"code": school}) from None
        pad = Path(bestand)
        if not pad.is_file():
            raise CommandError(_("Bestand niet gevonden: %(pad)s.") % {"pad": bestand})
        try:
            tabel = importeren.lees_bestand(pad.name, pad.read_bytes())
        except importeren.ImportFout as fout:
            raise CommandError(str(fout)) from fout
        koppeling = importeren.standaard_koppeling(soort, tabel.kopjes)
        for opdracht in kolom:
            kop, sep, veld = opdracht.partition("=")
            if not sep or kop.strip() not in tabel.kopjes:
                raise CommandError(_("Kolom ‘%(kop)s’ staat niet in het bestand.") % {"kop": kop.strip()})
            koppeling[tabel.kopjes.index(kop.strip())] = veld.strip()

        self.stdout.write(_("Kolommen:"))
        labels = {v.naam: str(v.label) for v in importeren.velden_van(soort)}
        for kop, veld in zip(tabel.kopjes, koppeling, strict=False):
            self.stdout.write(f"  {kop} → {labels.get(veld, veld) or _('(niet importeren)')}")

        resultaat = importeren.importeer(school_obj, soort, tabel, koppeling, dry_run=dry_run)
        for waarschuwing in resultaat.waarschuwingen:
            self.stdout.write(self.style.WARNING(str(waarschuwing)))
        if not resultaat.ok:
            for fout in resultaat.algemene_fouten:
                self.stderr.write(fout)
            for fout in resultaat.fouten:
                self.stderr.write(str(fout))
            aantal = len(resultaat.algemene_fouten) + len(resultaat.fouten)
            raise CommandError(_("Er is niets geïmporteerd: %(aantal)s fout(en) in het bestand.") % {"aantal": aantal})

        for label, nieuw, bijgewerkt, ongewijzigd in resultaat.regels():
            self.stdout.write(
                _("%(label)s: %(nieuw)s aangemaakt, %(bijgewerkt)s bijgewerkt, %(ongewijzigd)s ongewijzigd")
                % {"label": label, "nieuw": nieuw, "bijgewerkt": bijgewerkt, "ongewijzigd": ongewijzigd}
            )
        if dry_run:
            self.stdout.write(self.style.WARNING(_("Proefdraai: er is niets opgeslagen.")))
        else:
            self.stdout.write(self.style.SUCCESS(
                _("%(aantal)s rijen geïmporteerd.") % {"aantal": resultaat.aantal_rijen}
            ))
