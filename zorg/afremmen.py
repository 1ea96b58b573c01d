"""Counting failed attempts in the cache (Redis): the second login step and the parents'
activation code. A counter lives for `duur` after its last failure; at `limiet` failures the
action is refused until it expires. Keys carry the database name (and a namespace the tests set
per test), so separate installations and test runs sharing one Redis never see each other's counts.
"""

import datetime

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

# Tests set a fresh namespace per test (tests/conftest.py), so counts never leak between tests.
naamruimte = ""


class Teller:
    def __init__(self, soort, limiet, duur):
        self.soort = soort
        self.limiet = limiet
        self.duur = duur  # a timedelta

    def _sleutel(self, wie):
        return f"afremmen:{connection.settings_dict['NAME']}:{naamruimte}:{self.soort}:{wie}"

    def _lees(self, wie):
        return cache.get(self._sleutel(wie)) or {"aantal": 0, "tot": None}

    def geblokkeerd_tot(self, wie):
        """The moment the refusal ends, or None when the action is allowed."""
        stand = self._lees(wie)
        if stand["aantal"] < self.limiet or not stand["tot"]:
            return None
        tot = datetime.datetime.fromisoformat(stand["tot"])
        return tot if tot > timezone.now() else None

    def fout(self, wie):
        """Count one failure; returns the number of failures so far."""
        stand = self._lees(wie)
        stand["aantal"] += 1
        stand["tot"] = (timezone.now() + self.duur).isoformat()
        cache.set(self._sleutel(wie), stand, int(self.duur.total_seconds()))
        return stand["aantal"]

    def over(self, wie):
        """How many failures are left before the refusal."""
        return max(0, self.limiet - self._lees(wie)["aantal"])

    def wis(self, wie):
        cache.delete(self._sleutel(wie))
