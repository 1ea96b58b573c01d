from django.core.management.base import BaseCommand

from zorg import demo
from zorg.models import Gebruiker

ROLLEN = [
    ("mentor", "mentor"), ("docent", "docent"), ("teamleider", "teamleider"),
    ("zorgcoördinator", "zorgcoordinator"), ("zorgteam specialist", "specialist"), ("directie", "directie"),
    ("ouder", "ouder"), ("ouder (Papiamento)", "mama"), ("leerling", "leerling"),
    ("externe partner", "extern"), ("applicatiebeheerder", "beheer"),
]


class Command(BaseCommand):
    help = "Toon de demo-inloggegevens per rol."

    def handle(self, *args, **opts):
        namen = [username for _rol, username in ROLLEN]
        bestaand = set(Gebruiker.objects.filter(username__in=namen).values_list("username", flat=True))
        self.stdout.write(f"Demo-logins (wachtwoord voor allemaal: {demo.DEMO_WACHTWOORD}):")
        for rol, username in ROLLEN:
            if username in bestaand:
                self.stdout.write(f"  {rol:<22} {username}")
