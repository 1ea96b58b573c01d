# An index for the jaarverslag's zorgniveau figures (issue 11, Snelheid en schaal): which queries it
# serves is written next to it in leerlingen/models.py and checked in tests/test_indexen.py.
# Built CONCURRENTLY (hence atomic = False): on a live database the dossier keeps accepting writes meanwhile.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):

    atomic = False

    dependencies = [
        ('leerlingen', '0008_indexen_schaal'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='dossieritem',
            index=models.Index(condition=models.Q(('soort', 'zorgniveau')), fields=['leerling', 'datum'],
                               name='dossieritem_zorgniveau_idx'),
        ),
    ]
