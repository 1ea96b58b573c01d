"""Indexes (issue 11, Snelheid en schaal): every foreign key is indexed, and the list pages and the views
that read the history, inzagelog and audit tables have the indexes their queries need.

1. Every foreign-key column of every model in the database (the project's models, simple-history's
   Historical* tables, our guardian object-permission tables, and the third-party tables that live in
   the same database) is the leading column of some index, primary key or unique constraint, read
   from the migrated test database with Django's introspection. Django adds one per foreign key
   unless db_index=False; ONGEINDEXEERD lists the deliberate exceptions with their reason, and a
   stale entry (a column that is indexed after all, or no longer a foreign key) fails too.
2. INDEXEN: the composite indexes that list pages and log views rely on, each with the query it
   serves; the test checks they exist with these leading columns.
3. The indexes added for issue 11 are shown to match their query's shape: with sequential scans and
   sorts priced out (SET LOCAL enable_seqscan/enable_sort = off, on the small test database) the
   planner picks the index for the real query built by the code, so a change of the query that the
   index can no longer serve fails here. Speed itself is measured by tests/bench.py, never asserted.
"""

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f
from zorg import audit

# Foreign keys that deliberately have no index: "app_label.Model.field" -> why none is needed.
# Empty today: every foreign key of every table has one (Django's default, and simple-history builds
# its Historical* copies with db_index=True). A foreign key added with db_index=False, or an index
# dropped by a migration, must be justified here or it fails test_elke_foreign_key_heeft_een_index.
ONGEINDEXEERD: dict[str, str] = {}

# Indexes that list pages and log views need: (model label, leading columns, the query it serves).
INDEXEN = [
    ("leerlingen.Dossieritem", ["leerling_id", "datum", "aangemaakt_op"],
     "pupil timeline (leerlingen/dossier.py tijdlijn): one pupil's entries, newest first, LIMIT 51"),
    ("leerlingen.Dossieritem", ["interventie_id", "datum"],
     "effect analysis (zorg/effect.py _dossieritems): the school's interventie kinds within one schooljaar"),
    ("zorg.Inzage", ["leerling_id", "op"],
     "inzagelog of one pupil (zorg/inzagelog.py inzagen), for the zorgcoördinator and the parents"),
    ("zorg.Inzage", ["op", "id"],
     "audit 'ingezien' newest first with a period (zorg/audit.py _inzagen), alarm scan of the last hour "
     "(zorg/alarmen.py _dossiers), retention (zorg/bewaartermijnen.py)"),
    ("zorg.Weigering", ["op", "id"],
     "audit 'geweigerd' newest first (zorg/audit.py _weigeringen), alarm scan (zorg/alarmen.py)"),
    ("zorg.Weigering", ["gebruiker_id", "op"], "a user's refusals since a moment (zorg/alarmen.py)"),
    ("zorg.Notificatie", ["ontvanger_id", "gelezen_op"],
     "the Meldingen list and the unread count in every page's header (zorg/notificaties.py)"),
    ("zorg.Herinnering", ["school_id", "aangemaakt_op"], "reminders dashboard (besprekingen/herinnering_views.py)"),
    ("besprekingen.Afspraak", ["eigenaar_id", "status", "uiterlijk"], "Mijn afspraken (a user's open agreements)"),
    ("besprekingen.Afspraak", ["school_id", "status", "uiterlijk"], "dashboard list 'afspraken te laat'"),
    ("besprekingen.Bespreking", ["school_id", "begin"], "besprekingen list of a school by date"),
    ("besprekingen.Aanmelding", ["school_id", "status", "soort"], "aanmeldingen queue"),
    ("extern.Verwijzing", ["school_id", "status"], "verwijzingen list of a school"),
    ("extern.ExterneToegang", ["contactpersoon_id", "tot"], "a partner's current referral files"),
]


def _tabellen():
    """Every concrete table Django knows (auto-created m2m tables and Historical* models included)."""
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            yield model


def _foreign_keys(model):
    for field in model._meta.local_fields:
        if field.is_relation and field.concrete and (field.many_to_one or field.one_to_one):
            yield field


def _indexen(cursor, tabel):
    """The column lists of the table's indexes, primary key and unique constraints."""
    return [
        c["columns"] for c in connection.introspection.get_constraints(cursor, tabel).values()
        if c["columns"] and (c["index"] or c["unique"] or c["primary_key"])
    ]


def _sleutel(model, field):
    return f"{model._meta.label}.{field.name}"


def zonder_index():
    """The foreign keys whose column leads no index: {"app.Model.field": table.column}."""
    ontbreekt = {}
    with connection.cursor() as cursor:
        for model in _tabellen():
            velden = list(_foreign_keys(model))
            if not velden:
                continue
            leidend = {kolommen[0] for kolommen in _indexen(cursor, model._meta.db_table)}
            for field in velden:
                if field.column not in leidend:
                    ontbreekt[_sleutel(model, field)] = f"{model._meta.db_table}.{field.column}"
    return ontbreekt


@pytest.mark.django_db
def test_elke_foreign_key_heeft_een_index():
    n = sum(1 for model in _tabellen() for _field in _foreign_keys(model))
    assert n > 300  # the walk really covers the schema (project, history, guardian, contrib, axes, otp)
    ontbreekt = {k: v for k, v in zonder_index().items() if k not in ONGEINDEXEERD}
    assert not ontbreekt, f"foreign keys without an index (add one or justify in ONGEINDEXEERD): {ontbreekt}"


@pytest.mark.django_db
def test_de_historie_en_guardian_tabellen_doen_mee():
    labels = {model._meta.label for model in _tabellen() if any(_foreign_keys(model))}
    assert {
        "leerlingen.HistoricalDossieritem", "zorg.HistoricalZorgniveau", "plannen.HistoricalGroepsplanRij_leerlingen",
        "leerlingen.LeerlingUserObjectPermission", "leerlingen.LeerlingGroupObjectPermission", "zorg.Inzage",
        "zorg.Klas_mentoren",
    } <= labels


@pytest.mark.django_db
def test_uitzonderingen_missen_echt_een_index():
    """Each allow-list entry names a real foreign key that really has no index (no stale entries)."""
    fks = {_sleutel(model, field) for model in _tabellen() for field in _foreign_keys(model)}
    ontbreekt = zonder_index()
    for sleutel, reden in ONGEINDEXEERD.items():
        assert reden.strip(), sleutel
        assert sleutel in fks, f"{sleutel} is no foreign key (any more): remove it from ONGEINDEXEERD"
        assert sleutel in ontbreekt, f"{sleutel} has an index after all: remove it from ONGEINDEXEERD"


@pytest.mark.django_db
def test_de_controle_ziet_een_ontbrekende_index():
    """Drop every index led by zorg_inzage.leerling_id (inside the test's transaction, rolled back
    afterwards): the check must report that foreign key, and only it is new."""
    voor = zonder_index()
    assert "zorg.Inzage.leerling" not in voor
    with connection.cursor() as cursor:
        namen = [
            naam for naam, c in connection.introspection.get_constraints(cursor, "zorg_inzage").items()
            if c["index"] and not c["primary_key"] and c["columns"] and c["columns"][0] == "leerling_id"
        ]
        assert len(namen) == 2  # Django's FK index and (leerling, -op)
        for naam in namen:
            cursor.execute(f'DROP INDEX "{naam}"')  # noqa: S608 (names from the catalogue)
    na = zonder_index()
    assert set(na) - set(voor) == {"zorg.Inzage.leerling"}
    assert na["zorg.Inzage.leerling"] == "zorg_inzage.leerling_id"


def _index_met(model_label, kolommen):
    model = apps.get_model(model_label)
    with connection.cursor() as cursor:
        return [k for k in _indexen(cursor, model._meta.db_table) if k[:len(kolommen)] == kolommen]


@pytest.mark.django_db
@pytest.mark.parametrize(("model_label", "kolommen", "waarvoor"), INDEXEN, ids=[f"{m}{k}" for m, k, _w in INDEXEN])
def test_lijstfilters_hebben_hun_index(model_label, kolommen, waarvoor):
    assert waarvoor
    assert _index_met(model_label, kolommen), f"no index on {model_label}({', '.join(kolommen)}) for: {waarvoor}"


@pytest.mark.django_db
def test_elke_historietabel_van_de_audit_heeft_een_tijdindex():
    """The audit's 'gewijzigd' lines read each history table newest first (ORDER BY history_date DESC
    LIMIT n per table): SIMPLE_HISTORY_DATE_INDEX = "Composite" gives each (history_date, id)."""
    for historisch, model, _school, _leerling in audit.historie_modellen():
        pk = model._meta.pk.attname
        assert _index_met(historisch._meta.label, ["history_date", pk]), historisch._meta.label
        assert _index_met(historisch._meta.label, [pk]), historisch._meta.label  # one record's history


# --- the new indexes match their queries ------------------------------------------------------


def _plan(sql, params=(), sort=False):
    """EXPLAIN of a query with sequential scans (and sorts, unless sort=True) priced out (this transaction only)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"SET LOCAL enable_sort = {'on' if sort else 'off'}")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_sort")
    return plan


def _eerste_query(functie):
    with CaptureQueriesContext(connection) as captured:
        functie()
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert selects
    return selects[0]


@pytest.mark.django_db
def test_audit_ingezien_leest_het_log_op_tijd(personas):
    sql = _eerste_query(lambda: audit._inzagen(personas.school, audit.Filters(), audit.PER_PAGINA + 1))
    assert "inzage_op_idx" in _plan(sql)
    van = audit.Filters(van=datetime.date(2025, 1, 1), tot=datetime.date(2025, 3, 1))
    sql = _eerste_query(lambda: audit._inzagen(personas.school, van, audit.PER_PAGINA + 1))
    assert "inzage_op_idx" in _plan(sql)


@pytest.mark.django_db
def test_audit_geweigerd_leest_de_weigeringen_op_tijd(personas):
    sql = _eerste_query(lambda: audit._weigeringen(personas.school, audit.Filters(), audit.PER_PAGINA + 1))
    assert "weigering_op_idx" in _plan(sql)


def _inzagelog_van_een_jaar(p, nu):
    """A year of inzagelog (3,000 rows) with fresh statistics: on an empty, never analysed table the
    planner's choice between indexes is arbitrary (it failed in CI once), on a realistic one the
    hour's range decides."""
    from zorg.models import Inzage

    Inzage.objects.bulk_create([
        Inzage(gebruiker=p.mentor, gebruiker_naam="x", rol="mentor", leerling=p.leerlingen[i % 4], onderdeel="dossier",
               op=nu - datetime.timedelta(hours=3 * i))
        for i in range(3000)
    ])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE zorg_inzage")


@pytest.mark.django_db
def test_alarmscan_leest_alleen_het_laatste_uur(personas):
    from zorg import alarmen

    nu = timezone.now()
    _inzagelog_van_een_jaar(personas, nu)
    sql = _eerste_query(lambda: alarmen._dossiers(nu - datetime.timedelta(hours=1), nu))
    assert "inzage_op_idx" in _plan(sql, sort=True)  # grouped afterwards: a sort of the last hour's rows is fine


@pytest.mark.django_db
def test_effectanalyse_leest_een_schooljaar_van_de_interventies(personas):
    from zorg import effect
    from zorg.kwaliteit import Filters
    from zorg.models import Interventiesoort

    soort = Interventiesoort.objects.create(school=personas.school, naam="Bench-index-soort")
    filters = Filters(school=personas.school, schooljaar=personas.jaar, periode=None, afdelingen=None, leerjaar=None)
    sql, params = effect._dossieritems(filters, [soort.pk]).values("soort_id").query.sql_with_params()
    plan = _plan(sql, params)
    assert "dossieritem_interventie_idx" in plan
    assert "datum >=" in plan.split("dossieritem_interventie_idx", 1)[1].split("\n", 2)[1]  # the range in the index


def test_jaarverslag_leest_de_zorgniveaubesluiten_via_hun_index(personas):
    """The jaarverslag's moves up and down (zorg/jaarverslag.py zorgniveaus) and each pupil's decisions
    (besprekingen/dashboard.py niveaus_op) read the school's pupils' zorgniveau decisions through the partial
    index. On the regio bench the planner picks it by itself (2.5 ms for the demo school's 674 decisions among
    2.2 million entries). A test database is too small for that choice: the foreign-key indexes on van_niveau
    and naar_niveau (every decision has both) compete, so they are dropped inside this test's transaction
    (rolled back after)."""
    from leerlingen.models import Dossieritem
    from zorg import jaarverslag

    niveau2 = f.ZorgniveauFactory(zorgroute=personas.route, volgorde=2, code="2", naam="zorgteam")
    vandaag = timezone.localdate()
    Dossieritem.objects.bulk_create([
        Dossieritem(leerling=personas.leerlingen[i % 4], auteur=personas.mentor, titel="x",
                    soort=Dossieritem.Soort.ZORGNIVEAU if i % 50 == 0 else Dossieritem.Soort.GESPREK,
                    van_niveau=personas.niveau1 if i % 50 == 0 else None,
                    naar_niveau=niveau2 if i % 50 == 0 else None, datum=vandaag - datetime.timedelta(days=i % 700))
        for i in range(3000)
    ])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE leerlingen_dossieritem")
        for veld in ("van_niveau", "naar_niveau"):
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'leerlingen_dossieritem' AND indexdef LIKE %s",
                [f"%({Dossieritem._meta.get_field(veld).column})"])
            for (naam,) in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{naam}"')
    with CaptureQueriesContext(connection) as captured:
        jaarverslag.zorgniveaus(personas.school, personas.jaar, vandaag)
    besluiten = [q["sql"] for q in captured.captured_queries if "'zorgniveau'" in q["sql"]]
    assert len(besluiten) == 2, besluiten  # niveaus_op's decisions and the moves
    for sql in besluiten:
        plan = _plan(sql, sort=True)
        assert "dossieritem_zorgniveau_idx" in plan, plan
