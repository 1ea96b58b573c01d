"""The register of external partners (domain.md, External): instellingen and their contactpersonen,
kept by the applicatiebeheerder; external accounts invited by e-mail with a one-time set-password
link; deactivation that cuts a contact's access at once.

Services raise RegisterFout with a Dutch message; the views show it with the user's input kept."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from zorg.models import Gebruiker, School

from .models import Contactpersoon, ExterneToegang, Instelling

Soort = Instelling.Soort

# The partners a school usually works with, per country (issue 6; seed 000 for Aruba).
SOORTEN_PER_LAND = {
    School.Land.NEDERLAND: [Soort.JEUGDZORG, Soort.GGD, Soort.LEERPLICHT, Soort.SMW, Soort.SWV, Soort.AMBULANT,
                           Soort.VEILIG_THUIS, Soort.POLITIE],
    School.Land.ARUBA: [Soort.DSZ, Soort.WGK, Soort.LEERPLICHT, Soort.SMW, Soort.AMBULANT, Soort.POLITIE,
                        Soort.JEUGDZORG],
}
VOORBEELDNAMEN = {
    School.Land.NEDERLAND: ["Jeugdteam", "GGD – jeugdgezondheidszorg", "Bureau Leerplicht",
                            "Schoolmaatschappelijk werk", "Samenwerkingsverband VO",
                            "Veilig Thuis", "Ambulante begeleiding", "Politie – jeugdagent"],
    School.Land.ARUBA: ["Directie Sociale Zaken", "Wit-Gele Kruis", "Leerplicht Aruba", "Schoolmaatschappelijk werk",
                        "Ambulante begeleiding", "KPA – jeugdpolitie"],
}


class RegisterFout(Exception):
    """A register action that is not allowed, with a Dutch message for the user."""


def soort_keuzes(land, huidig=None):
    """Soort choices for a school in `land`: the country's usual partners first, then 'anders'
    (and the current value, so editing never loses it)."""
    eerst = SOORTEN_PER_LAND.get(land, SOORTEN_PER_LAND[School.Land.NEDERLAND])
    soorten = [*eerst, Soort.ANDERS]
    if huidig and huidig not in soorten:
        soorten.append(Soort(huidig))
    return [(s.value, s.label) for s in soorten]


def voorbeeldnamen(land):
    return VOORBEELDNAMEN.get(land, VOORBEELDNAMEN[School.Land.NEDERLAND])


def instellingen(school):
    """The school's instellingen with their contactpersonen, active ones first."""
    return (
        Instelling.objects.filter(school=school)
        .prefetch_related("contactpersonen__gebruiker")
        .order_by("-actief", "naam")
    )


def in_gebruik(instelling):
    """True when referrals, consents or meeting afspraken point at the instelling (PROTECT: it can
    only be deactivated)."""
    return (instelling.verwijzingen.exists() or instelling.toestemmingen.exists()
            or instelling.afspraken.exists())


def _beeindig_toegang(contactpersonen):
    nu = timezone.now()
    ExterneToegang.objects.filter(
        contactpersoon__in=contactpersonen, ingetrokken_op__isnull=True, tot__gte=timezone.localdate(),
    ).update(ingetrokken_op=nu)


@transaction.atomic
def verwijder_of_deactiveer(instelling):
    """Delete an unused instelling; one with referrals or consents is deactivated instead (its history
    stays) and its contacts' running grants end. Returns 'verwijderd' or 'gedeactiveerd'."""
    if in_gebruik(instelling):
        instelling.actief = False
        instelling.save(update_fields=["actief"])
        _beeindig_toegang(list(instelling.contactpersonen.all()))
        return "gedeactiveerd"
    for contact in instelling.contactpersonen.exclude(gebruiker=None).select_related("gebruiker"):
        _zet_account(contact.gebruiker, actief=False)
    try:
        with transaction.atomic():
            instelling.delete()
    except (ProtectedError, RestrictedError):  # something else still points at it: keep it, deactivated
        instelling.actief = False
        instelling.save(update_fields=["actief"])
        _beeindig_toegang(list(instelling.contactpersonen.all()))
        return "gedeactiveerd"
    return "verwijderd"


@transaction.atomic
def instelling_opslaan(instelling):
    """Save an instelling; deactivating it ends its contacts' running grants at once."""
    was_actief = True
    if instelling.pk:
        was_actief = Instelling.objects.filter(pk=instelling.pk).values_list("actief", flat=True).first()
    instelling.save()
    if was_actief and not instelling.actief:
        _beeindig_toegang(list(instelling.contactpersonen.all()))
    return instelling


def _zet_account(gebruiker, actief):
    if gebruiker is not None and gebruiker.is_active != actief:
        gebruiker.is_active = actief
        gebruiker.save(update_fields=["is_active"])


@transaction.atomic
def contactpersoon_opslaan(contact):
    """Save a contactpersoon. Deactivating cuts access at once: the account is disabled and running
    grants end (toegang.contactpersoon_van also requires an active contact). Reactivating enables
    the account again, without restoring the grants. The account's e-mail follows the contact's."""
    was_actief = True
    if contact.pk:
        was_actief = Contactpersoon.objects.filter(pk=contact.pk).values_list("actief", flat=True).first()
    contact.save()
    gebruiker = contact.gebruiker
    if gebruiker is not None:
        if contact.email and gebruiker.email != contact.email:
            gebruiker.email = contact.email
            gebruiker.save(update_fields=["email"])
        _zet_account(gebruiker, contact.actief)
    if was_actief and not contact.actief:
        _beeindig_toegang([contact])
    return contact


def _gebruikersnaam(email):
    basis = email.strip().lower()[:140]
    naam, n = basis, 1
    while Gebruiker.objects.filter(username__iexact=naam).exists():
        n += 1
        naam = f"{basis}-{n}"
    return naam


def _account(contact):
    """The contact's account: reused when linked, else created with an unusable password."""
    gebruiker = contact.gebruiker
    if gebruiker is None:
        voornaam, _spatie, achternaam = contact.naam.partition(" ")
        gebruiker = Gebruiker(username=_gebruikersnaam(contact.email), email=contact.email,
                              first_name=voornaam[:150], last_name=achternaam[:150])
        gebruiker.set_unusable_password()
        gebruiker.save()
        contact.gebruiker = gebruiker
    elif gebruiker.email != contact.email or not gebruiker.is_active:
        gebruiker.email = contact.email
        gebruiker.is_active = True
        gebruiker.save(update_fields=["email", "is_active"])
    return gebruiker


def wachtwoord_link(gebruiker):
    """Absolute one-time link to set a password (Django's password reset token: it stops working once
    the password is set, and after PASSWORD_RESET_TIMEOUT)."""
    pad = reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(gebruiker.pk)),
        "token": default_token_generator.make_token(gebruiker),
    })
    return settings.SITE_URL.rstrip("/") + pad


@transaction.atomic
def uitnodigen(contact, door):
    """Create (or reuse) the contact's external account and e-mail a Dutch invitation with a link to
    set a password. Can be repeated (resend). Returns the account."""
    if not contact.email:
        raise RegisterFout(_("Vul eerst een e-mailadres in bij %(naam)s; de uitnodiging gaat per e-mail.")
                           % {"naam": contact.naam})
    if not contact.actief:
        raise RegisterFout(_("%(naam)s is niet actief. Zet de contactpersoon eerst weer op actief.")
                           % {"naam": contact.naam})
    if not contact.instelling.actief:
        raise RegisterFout(_("%(instelling)s is niet actief. Activeer de instelling eerst.")
                           % {"instelling": contact.instelling.naam})
    gebruiker = _account(contact)
    opnieuw = contact.uitgenodigd_op is not None
    contact.uitgenodigd_op = timezone.now()
    contact.save(update_fields=["gebruiker", "uitgenodigd_op"])
    school = contact.instelling.school
    context = {
        "contact": contact, "gebruiker": gebruiker, "school": school, "instelling": contact.instelling,
        "link": wachtwoord_link(gebruiker), "inloggen": settings.SITE_URL.rstrip("/") + reverse("login"),
        "afzender": door, "opnieuw": opnieuw,
    }
    onderwerp = " ".join(render_to_string("extern/email/uitnodiging_onderwerp.txt", context).split())
    bericht = EmailMultiAlternatives(
        onderwerp, render_to_string("extern/email/uitnodiging_bericht.txt", context),
        settings.DEFAULT_FROM_EMAIL, [contact.email],
    )
    bericht.attach_alternative(render_to_string("extern/email/uitnodiging_bericht.html", context), "text/html")
    bericht.send()
    return gebruiker
