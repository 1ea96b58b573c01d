from django.core.management.base import BaseCommand

from zorg import demo_tweestaps
from zorg.models import School


class Command(BaseCommand):
    help = "Toon de huidige code van 6 cijfers voor de demo-accounts (tweede stap bij inloggen)."

    def add_arguments(self, parser):
        parser.add_argument("--uitleg", action="store_true", help="Met uitleg en de geheime sleutel (make run).")
        parser.add_argument("--demo-apparaten", action="store_true",
                            help="Geef de medewerkers en partners van de demoschool de demo-app (een demo-database "
                                 "van vóór inloggen in twee stappen).")

    def handle(self, *args, **opts):
        if opts["demo_apparaten"]:
            for school in School.objects.filter(code="demo"):
                demo_tweestaps.geef_apparaten(school)
            self.stdout.write("De demo-accounts gebruiken nu de demo-sleutel.")
            return
        if opts["uitleg"]:
            geheim = " ".join(demo_tweestaps.DEMO_GEHEIM[i:i + 4] for i in range(0, len(demo_tweestaps.DEMO_GEHEIM), 4))
            self.stdout.write(" Medewerkers en partners loggen in met een tweede stap: een code van 6 cijfers.")
            self.stdout.write("   De huidige code: make code   (of: python manage.py tweestaps_code)")
            self.stdout.write(f"   Of zet deze demo-sleutel in een authenticator-app: {geheim}")
            self.stdout.write("   Ouders en leerlingen: alleen wachtwoord (twee stappen kunnen ze zelf aanzetten).")
            return
        self.stdout.write(
            f"{demo_tweestaps.code()}  (demo-code, nog {demo_tweestaps.seconden_geldig()} seconden geldig)"
        )
