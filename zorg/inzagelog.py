"""Who looked at a pupil's records (domain.md, Access: every read of a dossier, plan, PDF or
referral file is written to the inzagelog; the zorgcoördinator and the parents can read it)."""

from . import toegang
from .models import Inzage

PER_PAGINA = 50


def mag_lezen(user, school, leerling):
    """Staff: the zorgcoördinator (and intern begeleider) of the pupil's school."""
    return "zorgcoordinator" in toegang.relaties_met(user, school, leerling)


def inzagen(leerling):
    """All rows of the pupil's inzagelog, newest first."""
    return Inzage.objects.filter(leerling=leerling).order_by("-op", "-pk")


def inzagen_voor_ouder(user, leerling):
    """The log as a parent reads it: every read by someone else (their own visits to the portal
    are left out)."""
    return inzagen(leerling).exclude(gebruiker=user)
