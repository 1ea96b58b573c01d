"""extern.toestemming.geldige_voor_verwijzingen (the consent of many verwijzingen in one query, used by the
partner's access check) gives exactly what extern.toestemming.geldige gives per verwijzing, on the tricky
cases: withdrawn, refused, expired (and valid through today), another instelling, another doel, an ouder
without gezag, each age band, the newest of several, two verwijzingen of one pupil (issue 11)."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from extern import toestemming as regels
from extern.models import Toestemming, Verwijzing
from tests import factories as f
from zorg import toegang

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

VANDAAG = timezone.localdate()
Doel = Toestemming.Doel


def dag(n):
    return VANDAAG + datetime.timedelta(days=n)


def _leerling(school, jaren):
    return f.LeerlingFactory(school=school, geboortedatum=VANDAAG.replace(year=VANDAAG.year - jaren)
                             - datetime.timedelta(days=10))


def _ouder(leerling, gezag=True):
    return f.OuderRelatieFactory(leerling=leerling, gezag=gezag).ouder


# Each variant: the consents of one pupil, as (doel, instelling "a"/"b"/None, status, ouder "gezag"/"zonder"/None,
# leerling_akkoord, geldig_tot offset in days or None, datum offset in days).
G = Toestemming.Status.GEGEVEN
VARIANTEN = {
    "gegeven door ouder met gezag, leerling akkoord": [(Doel.VERWIJZING, "a", G, "gezag", True, None, -5)],
    "gegeven door ouder met gezag, zonder leerling": [(Doel.VERWIJZING, "a", G, "gezag", False, None, -5)],
    "ouder zonder gezag": [(Doel.VERWIJZING, "a", G, "zonder", True, None, -5)],
    "alleen de leerling": [(Doel.VERWIJZING, "a", G, None, True, None, -5)],
    "ingetrokken": [(Doel.VERWIJZING, "a", Toestemming.Status.INGETROKKEN, "gezag", True, None, -5)],
    "geweigerd": [(Doel.VERWIJZING, "a", Toestemming.Status.GEWEIGERD, "gezag", True, None, -5)],
    "aangevraagd": [(Doel.VERWIJZING, "a", Toestemming.Status.AANGEVRAAGD, "gezag", True, None, -5)],
    "verlopen": [(Doel.VERWIJZING, "a", G, "gezag", True, -1, -30)],
    "geldig tot en met vandaag": [(Doel.GEGEVENS_DELEN, "a", G, "gezag", True, 0, -30)],
    "andere instelling": [(Doel.VERWIJZING, "b", G, "gezag", True, None, -5)],
    "zonder instelling": [(Doel.VERWIJZING, None, G, "gezag", True, None, -5)],
    "ander doel": [(Doel.OVERDRACHT, "a", G, "gezag", True, None, -5)],
    "de nieuwste van twee": [(Doel.VERWIJZING, "a", G, "gezag", True, None, -50),
                            (Doel.GEGEVENS_DELEN, "a", G, "gezag", True, None, -2)],
    "ingetrokken na een oudere geldige": [(Doel.VERWIJZING, "a", G, "gezag", True, None, -50),
                                          (Doel.VERWIJZING, "a", Toestemming.Status.INGETROKKEN, "gezag", True, None,
                                           -2)],
    "voor beide instellingen": [(Doel.VERWIJZING, "a", G, "gezag", True, 20, -5),
                                (Doel.GEGEVENS_DELEN, "b", G, "zonder", True, None, -3)],
    "geen": [],
}
LEEFTIJDEN = [10, 14, 17]  # ouders / samen / leerling (School defaults 12 and 16)


@pytest.fixture
def opzet(db):
    school = f.SchoolFactory()
    instellingen = {"a": f.InstellingFactory(school=school), "b": f.InstellingFactory(school=school)}
    verwijzingen, verwacht_namen = [], {}
    for (naam, consents), jaren in itertools.product(VARIANTEN.items(), LEEFTIJDEN):
        leerling = _leerling(school, jaren)
        met_gezag, zonder_gezag = _ouder(leerling, True), _ouder(leerling, False)
        for doel, inst, status, ouder, akkoord, tot, datum in consents:
            Toestemming.objects.create(
                leerling=leerling, doel=doel, instelling=instellingen[inst] if inst else None, status=status,
                ouder={"gezag": met_gezag, "zonder": zonder_gezag, None: None}[ouder], leerling_akkoord=akkoord,
                geldig_tot=dag(tot) if tot is not None else None, datum=dag(datum),
            )
        # Two verwijzingen of the pupil: to either instelling.
        for inst in ("a", "b"):
            v = Verwijzing.objects.create(school=school, leerling=leerling, instelling=instellingen[inst], reden="x")
            verwijzingen.append(v)
            verwacht_namen[v.pk] = (naam, jaren, inst)
    return school, verwijzingen, verwacht_namen


def _geladen(verwijzingen):
    return list(Verwijzing.objects.filter(pk__in=[v.pk for v in verwijzingen])
                .select_related("leerling__school", "instelling"))


@pytest.mark.parametrize("doelen", [toegang.EXTERN_DOELEN, [Doel.OVERDRACHT], list(Doel.values)])
@pytest.mark.parametrize("dagen", [0, 10, 30, -40])
def test_batch_agrees_with_the_single_check(opzet, doelen, dagen):
    _school, verwijzingen, namen = opzet
    op = dag(dagen)
    verwijzingen = _geladen(verwijzingen)
    batch = regels.geldige_voor_verwijzingen(verwijzingen, doelen, op=op)
    assert set(batch) == {v.pk for v in verwijzingen}
    for v in verwijzingen:
        enkel = regels.geldige(v.leerling, doelen, instelling=v.instelling, op=op)
        assert batch[v.pk] == enkel, f"{namen[v.pk]}, op {op}: batch {batch[v.pk]!r}, single {enkel!r}"


def test_the_tricky_cases_come_out_as_the_rule_says(opzet):
    """Not only equal to the single check: the expected outcome of the named cases (today, EXTERN_DOELEN)."""
    _school, verwijzingen, namen = opzet
    batch = regels.geldige_voor_verwijzingen(_geladen(verwijzingen), toegang.EXTERN_DOELEN)
    telt = {namen[pk] for pk, t in batch.items() if t is not None}
    assert ("ingetrokken", 10, "a") not in telt
    assert ("geweigerd", 14, "a") not in telt
    assert ("verlopen", 10, "a") not in telt
    assert ("geldig tot en met vandaag", 10, "a") in telt
    assert ("andere instelling", 10, "a") not in telt and ("andere instelling", 10, "b") in telt
    assert ("ander doel", 10, "a") not in telt
    assert ("zonder instelling", 10, "a") not in telt
    assert ("ouder zonder gezag", 10, "a") not in telt and ("ouder zonder gezag", 17, "a") in telt
    assert ("gegeven door ouder met gezag, zonder leerling", 10, "a") in telt
    assert ("gegeven door ouder met gezag, zonder leerling", 14, "a") not in telt
    assert ("alleen de leerling", 17, "a") in telt and ("alleen de leerling", 14, "a") not in telt
    assert ("ingetrokken na een oudere geldige", 10, "a") in telt  # the older given one still counts
    assert ("voor beide instellingen", 14, "a") in telt and ("voor beide instellingen", 14, "b") not in telt
    nieuwste = next(t for pk, t in batch.items() if namen[pk] == ("de nieuwste van twee", 10, "a"))
    assert nieuwste.doel == Doel.GEGEVENS_DELEN


def test_batch_is_one_query_for_any_number_of_verwijzingen(opzet):
    _school, verwijzingen, _namen = opzet
    verwijzingen = _geladen(verwijzingen)
    with CaptureQueriesContext(connection) as ctx:
        uitkomst = regels.geldige_voor_verwijzingen(verwijzingen, toegang.EXTERN_DOELEN)
        for t in uitkomst.values():
            if t is not None and t.ouder_id:
                t.ouder.naam  # noqa: B018 (loaded with the consent, as geldige does)
    assert len(ctx.captured_queries) == 1
    with CaptureQueriesContext(connection) as ctx:
        assert regels.geldige_voor_verwijzingen([], toegang.EXTERN_DOELEN) == {}
    assert len(ctx.captured_queries) == 0
