"""The groepsplan's history (plannen.wijzigingen_groepsplan) in a fixed number of queries: the historical
pupils of all rows are read at once instead of by diff_against per history record, and the pupils named in
the changes are looked up once. The regels must stay exactly what the per-record diff gave (issue 11)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from leerlingen.models import Leerling
from plannen import plannen
from plannen.models import Groepsplan, GroepsplanRij
from tests import factories as f
from tests.test_groepsplan import maak
from tests.test_groepsplan import p as p  # noqa: F401 (the fixture)

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")


def _oude_weergave(veld, waarde):
    """The display before issue 11: a Leerling query per m2m value."""
    if hasattr(veld, "choices") and veld.choices:
        return str(dict(veld.choices).get(waarde, waarde)) or "—"
    if waarde in (None, ""):
        return "—"
    if isinstance(waarde, list):
        ids = [next((v for k, v in item.items() if k.endswith("leerling")), None) for item in waarde]
        namen = Leerling.objects.filter(pk__in=[i for i in ids if i]).order_by("achternaam", "pk")
        return ", ".join(leerling.naam for leerling in namen) or "—"
    return str(waarde)


def _oude_wijzigingen_van(records, prefix, model):
    """The per-record diff before issue 11 (simple_history's diff_against reading the m2m rows itself)."""
    regels = []
    records = list(records)
    for i, record in enumerate(records):
        vorige = records[i + 1] if i + 1 < len(records) else None
        wie = record.history_user.naam if record.history_user else _("onbekend")
        if vorige is None:
            if record.history_type == "+":
                regels.append({"wanneer": record.history_date, "wie": wie, "wat": prefix,
                               "veld": _("aangemaakt"), "oud": "", "nieuw": ""})
            continue
        if record.history_type == "-":
            regels.append({"wanneer": record.history_date, "wie": wie, "wat": prefix,
                           "veld": _("verwijderd"), "oud": "", "nieuw": ""})
            continue
        delta = record.diff_against(vorige, excluded_fields=[f for f in plannen._VERBORGEN if hasattr(record, f)])
        for change in delta.changes:
            veld = model._meta.get_field(change.field)
            regels.append({
                "wanneer": record.history_date, "wie": wie, "wat": prefix, "veld": str(veld.verbose_name),
                "oud": _oude_weergave(veld, change.old), "nieuw": _oude_weergave(veld, change.new),
            })
    return regels


def _oude_wijzigingen_groepsplan(plan):
    regels = _oude_wijzigingen_van(
        plan.history.select_related("history_user").order_by("-history_date", "-history_id"), _("groepsplan"),
        Groepsplan,
    )
    rij_ids = set(plan.rijen.values_list("pk", flat=True)) | set(
        GroepsplanRij.history.filter(groepsplan_id=plan.pk).values_list("id", flat=True)
    )
    per_rij = {}
    for record in GroepsplanRij.history.filter(id__in=rij_ids).select_related("history_user").order_by(
        "id", "-history_date", "-history_id"
    ):
        per_rij.setdefault(record.id, []).append(record)
    for records in per_rij.values():
        eerste = records[0]
        regels += _oude_wijzigingen_van(records, eerste.naam or eerste.get_rijsoort_display(), GroepsplanRij)
    return sorted(regels, key=lambda r: r["wanneer"], reverse=True)


def _rij_met_geschiedenis(p, plan, naam):
    """A row whose pupils change several times through the form (add, replace, same again, empty), with an
    edit of another field in between; returns the row."""
    client = p.client(p.mentor)
    rij = GroepsplanRij.objects.create(groepsplan=plan, rijsoort="subgroep", naam=naam, volgorde=5)
    stappen = [
        ([p.tweede.pk], "eerste aanpak"),
        ([p.tweede.pk, p.derde.pk], "eerste aanpak"),
        ([p.derde.pk], "tweede aanpak"),
        ([p.derde.pk], "derde aanpak"),
        ([], "derde aanpak"),
        ([p.in_a.pk, p.tweede.pk, p.derde.pk], "vierde aanpak"),
    ]
    for leerlingen, aanpak in stappen:
        r = client.post(reverse("groepsplan_rij", args=[rij.pk]),
                        {"rijsoort": "subgroep", "naam": naam, "leerlingen": leerlingen, "aanpak": aanpak})
        assert r.status_code in (200, 302), r.content.decode()[:1000]
    return rij


def test_history_is_the_same_as_the_per_record_diff(p):
    plan = maak(p)
    # Two pupils with the same achternaam: the names keep a fixed order.
    p.tweede.achternaam = p.derde.achternaam = "Jansen"
    p.tweede.save()
    p.derde.save()
    _rij_met_geschiedenis(p, plan, "rekenen")
    verwijderd = _rij_met_geschiedenis(p, plan, "lezen")
    verwijderd.delete()  # a deleted row's history stays visible

    nieuw = plannen.wijzigingen_groepsplan(plan)
    oud = _oude_wijzigingen_groepsplan(plan)
    assert nieuw == oud
    leerlingen_regels = [r for r in nieuw if r["veld"] == str(GroepsplanRij._meta.get_field("leerlingen").verbose_name)]
    assert len(leerlingen_regels) >= 8  # the pupil changes are really there (both rows)
    assert any(p.derde.naam in r["nieuw"] and p.tweede.naam in r["nieuw"] for r in leerlingen_regels)
    assert any(r["nieuw"] == "—" for r in leerlingen_regels)  # emptied
    assert any(r["veld"] == _("verwijderd") for r in nieuw)
    # The page shows them.
    html = p.client(p.mentor).get(reverse("groepsplan", args=[plan.pk])).content.decode()
    assert "vierde aanpak" in html


def test_history_queries_do_not_grow_with_rows_or_records(p):
    plan = maak(p)
    _rij_met_geschiedenis(p, plan, "rij 1")
    with CaptureQueriesContext(connection) as een:
        plannen.wijzigingen_groepsplan(plan)
    for i in range(2, 5):
        _rij_met_geschiedenis(p, plan, f"rij {i}")
    with CaptureQueriesContext(connection) as vier:
        regels = plannen.wijzigingen_groepsplan(plan)
    assert len(regels) > 30
    sql = "\n".join(q["sql"][:300] for q in vier.captured_queries)
    assert len(vier.captured_queries) == len(een.captured_queries) <= 6, sql


def test_deleted_pupil_is_left_out_of_the_names(p):
    plan = maak(p)
    rij = _rij_met_geschiedenis(p, plan, "rekenen")
    weg = f.KlasplaatsingFactory(klas=p.klas_a).leerling
    client = p.client(p.mentor)
    for leerlingen in ([weg.pk, p.derde.pk], [p.derde.pk]):
        client.post(reverse("groepsplan_rij", args=[rij.pk]),
                    {"rijsoort": "subgroep", "naam": "rekenen", "leerlingen": leerlingen, "aanpak": "x"})
    Leerling.objects.filter(pk=weg.pk).delete()
    assert plannen.wijzigingen_groepsplan(plan) == _oude_wijzigingen_groepsplan(plan)
