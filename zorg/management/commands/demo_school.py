import datetime
import time

from django.core.management.base import BaseCommand

from zorg import demo, demo_beveiliging
from zorg.models import School


class Command(BaseCommand):
    help = "Bouw de demoschool (of een regio van scholen) met personeel, klassen, leerlingen en ouders."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Alleen als er nog geen school is.")
        parser.add_argument("--scholen", type=int, default=1)
        parser.add_argument("--klassen", type=int, default=24)
        parser.add_argument("--leerlingen-per-klas", type=int, default=25)
        parser.add_argument("--schooljaren", type=int, default=3)  # history for the kwaliteitszorg analysis
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **opts):
        if opts["if_empty"] and School.objects.exists():
            self.stdout.write("De database bevat al een school; de demo wordt niet opnieuw gebouwd.")
            return
        start = time.monotonic()
        scholen = demo.bouw_regio(
            scholen=opts["scholen"], klassen=opts["klassen"], leerlingen_per_klas=opts["leerlingen_per_klas"],
            schooljaren=opts["schooljaren"], seed=opts["seed"],
        )
        # Former pupils and a first retention dry run, to look at in the served demo.
        demo_beveiliging.bouw_oud_leerlingen(scholen[0].school, datetime.date.today())
        self.stdout.write(self.style.SUCCESS(
            f"Demo gebouwd: {len(scholen)} school/scholen in {time.monotonic() - start:.1f} s."
        ))
