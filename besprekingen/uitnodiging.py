"""Invitations by e-mail with an .ics attachment. Filled in by the planning work."""


def verstuur_later(bespreking_pk, deelnemer_ids):
    """Queue the invitation e-mails (called after commit)."""
