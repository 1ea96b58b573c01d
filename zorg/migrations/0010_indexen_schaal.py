# Indexes for the inzagelog and the refusals by time (issue 11, Snelheid en schaal): which query each
# serves is written next to it in zorg/models.py and listed in tests/test_indexen.py.
# Built CONCURRENTLY (hence atomic = False): on a live database the log keeps accepting writes meanwhile.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):

    atomic = False

    dependencies = [
        ('zorg', '0009_interventiecatalogus'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='inzage',
            index=models.Index(fields=['op', 'id'], name='inzage_op_idx'),
        ),
        AddIndexConcurrently(
            model_name='weigering',
            index=models.Index(fields=['op', 'id'], name='weigering_op_idx'),
        ),
    ]
