"""Planning besprekingen: what the list page shows and which choices the plan form offers.
The rule itself (who may plan what, a groepsbespreking per klas per periode) is in
services.plan_bespreking."""

import datetime

from django.utils import timezone

from extern.models import Contactpersoon
from zorg import toegang
from zorg.models import Klas

from .models import Bespreking

Soort = Bespreking.Soort


def besprekingen(user, school, soort=""):
    """(komend, eerder): the planned besprekingen from today on, and the held, cancelled or past
    ones (most recent first, at most 50), that the user may open."""
    qs = toegang.besprekingen_voor(user, school).select_related("voorzitter", "klas", "periode")
    if soort in Soort.values:
        qs = qs.filter(soort=soort)
    begin_vandaag = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    komend = qs.filter(status=Bespreking.Status.GEPLAND, begin__gte=begin_vandaag).order_by("begin", "pk")
    eerder = qs.exclude(pk__in=komend.values("pk")).order_by("-begin", "-pk")[:50]
    return list(komend), list(eerder)


def groepsbespreking_klassen(user, school):
    """The klassen (current schooljaar) for which the user may plan a groepsbespreking."""
    r = toegang.rollen(user, school)
    if r.schooljaar is None:
        return Klas.objects.none()
    klassen = Klas.objects.filter(schooljaar=r.schooljaar).select_related("afdeling").order_by("naam")
    if toegang.mag_bespreking_plannen(user, school, Soort.IZO):  # the zorgcoördinator: every klas
        return klassen
    return klassen.filter(id__in=[k.pk for k in klassen if toegang.mag_bespreking_plannen(
        user, school, Soort.GROEPSBESPREKING, k)])


def planbare_soorten(user, school):
    """The kinds of bespreking this user may plan, as (value, label) choices."""
    keuzes = []
    for waarde, label in Soort.choices:
        if waarde == Soort.GROEPSBESPREKING:
            mag = groepsbespreking_klassen(user, school).exists()
        else:
            mag = toegang.mag_bespreking_plannen(user, school, waarde)
        if mag:
            keuzes.append((waarde, label))
    return keuzes


def contactpersonen(school):
    """External contacts of the school's instellingen (participants of a ZAT)."""
    return (
        Contactpersoon.objects.filter(instelling__school=school)
        .select_related("instelling")
        .order_by("instelling__naam", "naam")
    )


def perioden(school):
    schooljaar = school.huidig_schooljaar()
    return schooljaar.perioden.all() if schooljaar else []


def mag_opnieuw_uitnodigen(user, school, bespreking):
    return bespreking.status == Bespreking.Status.GEPLAND and toegang.mag_bespreking_leiden(user, school, bespreking)
