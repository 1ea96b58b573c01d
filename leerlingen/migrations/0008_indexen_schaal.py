# An index for the effect analysis (issue 11, Snelheid en schaal): which query it serves is written
# next to it in leerlingen/models.py and listed in tests/test_indexen.py.
# Built CONCURRENTLY (hence atomic = False): on a live database the dossier keeps accepting writes meanwhile.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):

    atomic = False

    dependencies = [
        ('leerlingen', '0007_kwaliteitszorg'),
        ('zorg', '0009_interventiecatalogus'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='dossieritem',
            index=models.Index(fields=['interventie', 'datum'], name='dossieritem_interventie_idx'),
        ),
    ]
