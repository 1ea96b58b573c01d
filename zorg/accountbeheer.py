"""Managing accounts (the applicatiebeheerder's /beheer/accounts/): blocking and unblocking,
resetting two-factor authentication, lifting a login lockout. Access: toegang.account_of_404."""

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import tweestaps


class AccountFout(Exception):
    pass


@transaction.atomic
def blokkeer(account, door, reden):
    """Block at once: the account can no longer log in and all its sessions end (its next request
    is logged out)."""
    reden = (reden or "").strip()
    if not reden:
        raise AccountFout(_("Geef een reden op voor het blokkeren."))
    if account.pk == door.pk:
        raise AccountFout(_("U kunt uw eigen account niet blokkeren."))
    account.is_active = False
    account.geblokkeerd_op = timezone.now()
    account.geblokkeerd_door = door
    account.geblokkeerd_reden = reden[:200]
    account.save(update_fields=["is_active", "geblokkeerd_op", "geblokkeerd_door", "geblokkeerd_reden"])
    account.beeindig_sessies()


@transaction.atomic
def deblokkeer(account):
    account.is_active = True
    account.geblokkeerd_op = None
    account.geblokkeerd_door = None
    account.geblokkeerd_reden = ""
    account.save(update_fields=["is_active", "geblokkeerd_op", "geblokkeerd_door", "geblokkeerd_reden"])


@transaction.atomic
def reset_tweestaps(account):
    """Delete the account's apps and recovery codes and end its sessions: on the next login the
    account sets up the second step anew (or, when optional, logs in without it)."""
    tweestaps.verwijder_apparaten(account)
    account.beeindig_sessies()


def is_uitgesloten(account):
    """Is the account locked out of the login (axes) or of the second step?"""
    pogingen = AccessAttempt.objects.filter(
        username=account.username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    if settings.AXES_COOLOFF_TIME:
        pogingen = pogingen.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return pogingen.exists() or tweestaps.tweede_stap_teller.geblokkeerd_tot(account.pk) is not None


def hef_lockout_op(account):
    """Lift a login lockout (every address) and the second step's lockout of this account."""
    axes_reset(username=account.username)
    tweestaps.tweede_stap_teller.wis(account.pk)
