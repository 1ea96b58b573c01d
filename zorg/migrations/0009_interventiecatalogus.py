from django.db import migrations


def standaardcatalogus(apps, schema_editor):
    """Existing schools get the standard catalogue of intervention kinds (zorg/interventies.py)."""
    from zorg.interventies import STANDAARD

    School = apps.get_model("zorg", "School")
    Interventiesoort = apps.get_model("zorg", "Interventiesoort")
    for school in School.objects.all():
        bestaand = set(Interventiesoort.objects.filter(school=school).values_list("naam", flat=True))
        Interventiesoort.objects.bulk_create([
            Interventiesoort(school=school, naam=naam, domein=domein, arrangement=arrangement, volgorde=i)
            for i, (naam, domein, arrangement) in enumerate(STANDAARD)
            if naam not in bestaand
        ])


class Migration(migrations.Migration):
    dependencies = [("zorg", "0008_kwaliteitszorg")]
    operations = [migrations.RunPython(standaardcatalogus, migrations.RunPython.noop)]
