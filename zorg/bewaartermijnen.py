"""Bewaartermijnen (retention): what is past each school's terms is removed nightly, history rows,
inzagelog entries and files included, leaving a tombstone (Verwijdering). Dry run until the school
turns removal on; a pupil with bewaarplicht (legal hold) is skipped."""


def nachtelijke_ronde():
    return {}
