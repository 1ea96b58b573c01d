"""Invitations to the portal (issue 8): a one-time code sent by e-mail or printed in a letter, and
the activation that turns a code into an account (or a new password for an existing one).

Only the sha256 of the normalised code is stored (Uitnodiging.code_hash); the code itself exists
once: in the e-mail or in the letter. Services raise UitnodigingFout / ActivatieFout with messages
in the active language; the views show them with the user's input kept.

Not here: throttling of code guesses (issue 9). A code has 12 characters from a 32-letter
alphabet (60 bits), so guessing is impractical even without it."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from leerlingen.models import Klasplaatsing, Leerling, Ouder, OuderRelatie
from zorg.models import Gebruiker
from zorg.tweestaps import tweestaps_verplicht

from .models import Uitnodiging

# No 0/O, 1/I/L: a code typed over from paper must be unambiguous.
ALFABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTE = 12
GELDIG_DAGEN = 30
TALEN = {code for code, _naam in settings.PORTAAL_TALEN}


class UitnodigingFout(Exception):
    """An invitation that cannot be made, with messages for the staff member."""

    def __init__(self, *meldingen):
        super().__init__(*meldingen)
        self.meldingen = list(meldingen)


class ActivatieFout(Exception):
    """A failed activation: messages per form field (None for the whole form)."""

    def __init__(self, fouten):
        super().__init__(fouten)
        self.fouten = fouten


# --- The code ------------------------------------------------------------------------------


def nieuwe_code():
    return "".join(secrets.choice(ALFABET) for _i in range(CODE_LENGTE))


def normaliseer(code):
    """What the user typed, without spaces and dashes, in capitals."""
    return "".join(c for c in (code or "").upper() if c.isalnum())


def toon_code(code):
    """XXXX-XXXX-XXXX."""
    code = normaliseer(code)
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def code_hash(code):
    return hashlib.sha256(normaliseer(code).encode()).hexdigest()


def activatie_pad():
    return reverse("ouders_activeren")


def activatie_url(code=None):
    url = settings.SITE_URL.rstrip("/") + activatie_pad()
    return f"{url}?code={toon_code(code)}" if code else url


# --- Who and what ----------------------------------------------------------------------------


def kinderen_op_school(ouder, school):
    """The ouder's children at this school (who the invitation is about)."""
    return Leerling.objects.filter(ouderrelaties__ouder=ouder, school=school).order_by("voornaam")


def heeft_actief_account(persoon):
    gebruiker = persoon.gebruiker
    return gebruiker is not None and gebruiker.is_active and gebruiker.has_usable_password()


def open_uitnodiging(persoon):
    """The latest invitation that can still be used, or None."""
    veld = "ouder" if isinstance(persoon, Ouder) else "leerling"
    return (Uitnodiging.objects.filter(**{veld: persoon}, gebruikt_op__isnull=True, ingetrokken_op__isnull=True,
                                       verloopt_op__gt=timezone.now()).order_by("-aangemaakt_op").first())


def status(persoon):
    """For the staff pages: 'actief', 'uitgenodigd' (with the invitation) or 'nieuw'."""
    if heeft_actief_account(persoon):
        return {"code": "actief", "uitnodiging": None}
    uitnodiging = open_uitnodiging(persoon)
    if uitnodiging:
        return {"code": "uitgenodigd", "uitnodiging": uitnodiging}
    return {"code": "nieuw", "uitnodiging": None}


def standaardtaal(persoon):
    """The language to offer: the account's, else that of the last invitation, else Dutch."""
    if persoon.gebruiker_id:
        return persoon.gebruiker.taal
    veld = "ouder" if isinstance(persoon, Ouder) else "leerling"
    laatste = Uitnodiging.objects.filter(**{veld: persoon}).order_by("-aangemaakt_op").first()
    return laatste.taal if laatste else settings.LANGUAGE_CODE


def _controleer(persoon, soort, taal, school):
    if taal not in TALEN:
        raise UitnodigingFout(_("Kies een taal voor de uitnodiging."))
    if soort not in Uitnodiging.Soort.values:
        raise UitnodigingFout(_("Kies of de uitnodiging per e-mail of als brief gaat."))
    if isinstance(persoon, Ouder):
        if not OuderRelatie.objects.filter(ouder=persoon, leerling__school=school).exists():
            raise UitnodigingFout(_("%(naam)s is niet gekoppeld aan een leerling van deze school.")
                                  % {"naam": persoon.naam})
        if soort == Uitnodiging.Soort.EMAIL and not persoon.email:
            raise UitnodigingFout(_("Van %(naam)s is geen e-mailadres bekend. Maak een brief met code.")
                                  % {"naam": persoon.naam})
    elif isinstance(persoon, Leerling):
        if persoon.school_id != school.pk:
            raise UitnodigingFout(_("%(naam)s is geen leerling van deze school.") % {"naam": persoon.naam})
        if not school.leerlingaccounts:
            raise UitnodigingFout(_("Deze school gebruikt geen leerlingaccounts."))
        if soort != Uitnodiging.Soort.BRIEF:
            raise UitnodigingFout(_("Een leerling krijgt de uitnodiging als brief met code."))
    else:
        raise UitnodigingFout(_("Alleen een ouder/verzorger of een leerling kan worden uitgenodigd."))


@transaction.atomic
def nodig_uit(persoon, soort, taal, door, school):
    """Invite an ouder (or a pupil) to the portal. An earlier unused invitation of the same person is
    withdrawn. Sends the e-mail for soort 'email'. Returns (uitnodiging, code): the letter needs
    the code, which is never stored."""
    _controleer(persoon, soort, taal, school)
    veld = "ouder" if isinstance(persoon, Ouder) else "leerling"
    nu = timezone.now()
    Uitnodiging.objects.filter(**{veld: persoon}, gebruikt_op__isnull=True, ingetrokken_op__isnull=True).update(
        ingetrokken_op=nu)
    code = nieuwe_code()
    while Uitnodiging.objects.filter(code_hash=code_hash(code)).exists():  # practically never
        code = nieuwe_code()
    uitnodiging = Uitnodiging.objects.create(
        **{veld: persoon}, school=school, soort=soort, taal=taal, code_hash=code_hash(code),
        aangemaakt_door=door, verloopt_op=nu + timedelta(days=GELDIG_DAGEN),
    )
    if soort == Uitnodiging.Soort.EMAIL:
        stuur_email(uitnodiging, code)
    return uitnodiging, code


def _context(uitnodiging, code):
    persoon = uitnodiging.ouder or uitnodiging.leerling
    if uitnodiging.ouder_id:
        namen = [k.voornaam for k in kinderen_op_school(uitnodiging.ouder, uitnodiging.school)]
    else:
        namen = [uitnodiging.leerling.voornaam]
    return {
        "uitnodiging": uitnodiging, "school": uitnodiging.school, "persoon": persoon,
        "is_leerling": bool(uitnodiging.leerling_id), "kinderen": _opsomming(namen),
        "code": toon_code(code), "link": activatie_url(code), "adres": activatie_url(),
        "geldig_tot": timezone.localtime(uitnodiging.verloopt_op),
    }


def _opsomming(namen):
    """'Anna', 'Anna en Bram', 'Anna, Bram en Cas' (in the active language)."""
    if len(namen) <= 1:
        return "".join(namen)
    return _("%(eerste)s en %(laatste)s") % {"eerste": ", ".join(namen[:-1]), "laatste": namen[-1]}


def stuur_email(uitnodiging, code):
    """The invitation e-mail, plain text + HTML, in the invitation's language."""
    with translation.override(uitnodiging.taal):
        context = _context(uitnodiging, code)
        onderwerp = _("Uitnodiging voor het ouderportaal van %(school)s") % {"school": uitnodiging.school.naam}
        bericht = EmailMultiAlternatives(
            onderwerp, render_to_string("ouders/email/uitnodiging.txt", context),
            settings.DEFAULT_FROM_EMAIL, [uitnodiging.ouder.email],
        )
        bericht.attach_alternative(render_to_string("ouders/email/uitnodiging.html", context), "text/html")
    return bericht.send()


def brieven_pdf(paren):
    """One PDF with a letter per (uitnodiging, code), each in its invitation's language."""
    from plannen.pdf import render_pdf

    brieven = []
    for uitnodiging, code in paren:
        brieven.append(_context(uitnodiging, code) | {"taal": uitnodiging.taal})
    school = paren[0][0].school if paren else None
    return render_pdf("ouders/pdf/brief.html", {"brieven": brieven, "school": school})


# --- Per klas --------------------------------------------------------------------------------


def ouders_van_klas(klas):
    """The ouders of the klas's pupils, each with .kinderen_in_klas and .status."""
    leerling_ids = list(Klasplaatsing.objects.filter(klas=klas).values_list("leerling_id", flat=True))
    ouders = list(Ouder.objects.filter(relaties__leerling_id__in=leerling_ids).distinct()
                  .select_related("gebruiker").order_by("achternaam", "voornaam"))
    relaties = OuderRelatie.objects.filter(ouder__in=ouders, leerling_id__in=leerling_ids).select_related("leerling")
    per_ouder = {}
    for r in relaties:
        per_ouder.setdefault(r.ouder_id, []).append(r.leerling)
    for ouder in ouders:
        ouder.kinderen_in_klas = sorted(per_ouder.get(ouder.pk, []), key=lambda k: k.voornaam)
        ouder.status = status(ouder)
    return ouders


def nodig_klas_uit(klas, taal, door, school, opnieuw=False):
    """Invite every ouder of the klas without an active account: by e-mail when an address is known,
    else a letter. Ouders with a still valid invitation are left out unless `opnieuw` (their earlier
    code then lapses). Returns a summary: e-mails sent, letters (uitnodiging, code) for one PDF,
    ouders left out (active; already invited) and failures (ouder, message)."""
    resultaat = {"email": [], "brieven": [], "actief": [], "al_uitgenodigd": [], "mislukt": []}
    for ouder in ouders_van_klas(klas):
        if ouder.status["code"] == "actief":
            resultaat["actief"].append(ouder)
            continue
        if ouder.status["code"] == "uitgenodigd" and not opnieuw:
            resultaat["al_uitgenodigd"].append(ouder)
            continue
        soort = Uitnodiging.Soort.EMAIL if ouder.email else Uitnodiging.Soort.BRIEF
        try:
            uitnodiging, code = nodig_uit(ouder, soort, taal, door, school)
        except UitnodigingFout as fout:
            resultaat["mislukt"].append((ouder, " ".join(fout.meldingen)))
            continue
        except Exception:  # a mail server that refuses: the invitation was rolled back
            resultaat["mislukt"].append((ouder, _("De e-mail kon niet worden verstuurd.")))
            continue
        if soort == Uitnodiging.Soort.EMAIL:
            resultaat["email"].append(ouder)
        else:
            resultaat["brieven"].append((uitnodiging, code))
    return resultaat


# --- Activation --------------------------------------------------------------------------------


def zoek(code):
    """The usable invitation for a typed code; else ActivatieFout for the code field. The messages
    never say whose invitation it was."""
    if not normaliseer(code):
        raise ActivatieFout({"code": [_("Vul de code in uit de e-mail of de brief van school.")]})
    uitnodiging = (Uitnodiging.objects.filter(code_hash=code_hash(code))
                   .select_related("ouder__gebruiker", "leerling__gebruiker", "school").first())
    if uitnodiging is None and len(normaliseer(code)) != CODE_LENGTE:
        melding = _("Een code heeft 12 letters en cijfers, bijvoorbeeld ABCD-EFGH-JKMN. Controleer of u de hele "
                    "code heeft overgenomen.")
    elif uitnodiging is None:
        melding = _("Deze code kennen wij niet. Controleer of u de code goed heeft overgenomen.")
    elif uitnodiging.gebruikt_op:
        melding = _("Deze code is al gebruikt. Heeft u al een account? Log dan in. "
                    "Bent u uw wachtwoord vergeten? Vraag de school om een nieuwe code.")
    elif uitnodiging.ingetrokken_op or not _nog_gekoppeld(uitnodiging):
        melding = _("Deze code geldt niet meer. Gebruik de code uit de nieuwste e-mail of brief van school, "
                    "of vraag de school om een nieuwe code.")
    elif uitnodiging.verloopt_op <= timezone.now():
        melding = _("Deze code is verlopen. Vraag de school om een nieuwe code.")
    elif (melding := _account_niet_te_activeren(uitnodiging)) is None:
        return uitnodiging
    raise ActivatieFout({"code": [melding]})


def _account_niet_te_activeren(uitnodiging):
    """A code may set the password of a parent's or pupil's own portal account, never unblock a
    blocked account or take over a staff or partner account (whose password is theirs alone)."""
    gebruiker = (uitnodiging.ouder or uitnodiging.leerling).gebruiker
    if gebruiker is None:
        return None
    if gebruiker.geblokkeerd_op:
        return _("Dit account is geblokkeerd. Neem contact op met de school.")
    if tweestaps_verplicht(gebruiker):
        return _("Met deze code kunt u geen account activeren: u heeft al een account bij Zorgroute als "
                 "medewerker of partner. Log in met dat account.")
    return None


def _nog_gekoppeld(uitnodiging):
    if uitnodiging.ouder_id:
        return OuderRelatie.objects.filter(ouder_id=uitnodiging.ouder_id, leerling__school=uitnodiging.school).exists()
    return uitnodiging.leerling.school_id == uitnodiging.school_id and uitnodiging.school.leerlingaccounts


def bestaand_account(uitnodiging):
    persoon = uitnodiging.ouder or uitnodiging.leerling
    return persoon.gebruiker


def voorgestelde_gebruikersnaam(uitnodiging):
    if uitnodiging.ouder_id and uitnodiging.ouder.email:
        return uitnodiging.ouder.email.strip().lower()
    return ""


def activeer(code, gebruikersnaam, wachtwoord, wachtwoord2=None):
    """Use a code: create the account (or set a new password for the existing one) and link it.
    Returns the Gebruiker. Raises ActivatieFout with messages per field."""
    with transaction.atomic():
        uitnodiging = zoek(code)
        uitnodiging = Uitnodiging.objects.select_for_update().get(pk=uitnodiging.pk)
        if not uitnodiging.is_bruikbaar:  # used at the same moment in another request
            zoek(code)
        persoon = uitnodiging.ouder or uitnodiging.leerling
        persoon.refresh_from_db()
        gebruiker = persoon.gebruiker
        fouten = {}
        if gebruiker is None:
            gebruikersnaam = (gebruikersnaam or "").strip()
            if not gebruikersnaam:
                fouten["gebruikersnaam"] = [_("Kies een gebruikersnaam.")]
            elif len(gebruikersnaam) > 150:
                fouten["gebruikersnaam"] = [_("Een gebruikersnaam heeft hoogstens 150 tekens.")]
            else:
                try:
                    UnicodeUsernameValidator()(gebruikersnaam)
                except ValidationError:
                    fouten["gebruikersnaam"] = [_("Gebruik alleen letters, cijfers en de tekens @ . + - _ "
                                                  "(geen spaties).")]
                else:
                    if Gebruiker.objects.filter(username__iexact=gebruikersnaam).exists():
                        fouten["gebruikersnaam"] = [_("Deze gebruikersnaam is al in gebruik. Kies een andere.")]
            nieuw = _nieuw_account(persoon, gebruikersnaam, uitnodiging.taal)
        else:
            nieuw = gebruiker
        if not wachtwoord:
            fouten["wachtwoord1"] = [_("Kies een wachtwoord.")]
        elif wachtwoord2 is not None and wachtwoord != wachtwoord2:
            fouten["wachtwoord2"] = [_("De twee wachtwoorden zijn niet gelijk. Typ ze nog eens.")]
        else:
            try:
                validate_password(wachtwoord, user=nieuw)
            except ValidationError as fout:
                fouten["wachtwoord1"] = list(fout.messages)
        if fouten:
            raise ActivatieFout(fouten)
        nieuw.set_password(wachtwoord)
        nieuw.is_active = True
        nieuw.save()
        if gebruiker is None:
            persoon.gebruiker = nieuw
            persoon.save(update_fields=["gebruiker"])
        nu = timezone.now()
        uitnodiging.gebruikt_op = nu
        uitnodiging.save(update_fields=["gebruikt_op"])
        veld = "ouder" if uitnodiging.ouder_id else "leerling"
        Uitnodiging.objects.filter(**{veld: persoon}, gebruikt_op__isnull=True, ingetrokken_op__isnull=True).update(
            ingetrokken_op=nu)
        return nieuw


def _nieuw_account(persoon, gebruikersnaam, taal):
    if isinstance(persoon, Ouder):
        achternaam = " ".join(p for p in (persoon.tussenvoegsel, persoon.achternaam) if p)
        email = persoon.email
    else:
        achternaam = " ".join(p for p in (getattr(persoon, "tussenvoegsel", ""), persoon.achternaam) if p)
        email = ""
    return Gebruiker(username=gebruikersnaam, email=email, first_name=persoon.voornaam[:150],
                     last_name=achternaam[:150], taal=taal)
