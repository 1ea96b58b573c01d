"""Backups (issue 9): scripts/backup.sh dumps the database and packs the uploads; scripts/restore.sh
puts them into a fresh database and MEDIA_ROOT. The restored copy has every table's rows, every
sequence's position and the uploaded file byte for byte."""

import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

from tests import factories as f

pytestmark = pytest.mark.usefixtures("snelle_wachtwoorden")

ROOT = Path(settings.BASE_DIR)
BACKUP = ROOT / "scripts" / "backup.sh"
RESTORE = ROOT / "scripts" / "restore.sh"
PDF = b"%PDF-1.4\n% verslag van de orthopedagoog\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


# --- PostgreSQL client binaries of the server's version ----------------------------------------


def major_van(bindir):
    uit = subprocess.run([bindir / "pg_dump", "--version"], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"\) (\d+)", uit).group(1))  # "pg_dump (PostgreSQL) 15.18 (Debian …)"


def pg_bin(server_major):
    """The directory with pg_dump/pg_restore/psql for this server: the Debian packages'
    /usr/lib/postgresql/<major>/bin or the pgserver wheel's, as scripts/services.py starts them."""
    kandidaten = []
    if os.environ.get("PG_BIN"):
        kandidaten.append(Path(os.environ["PG_BIN"]))
    kandidaten.append(Path(f"/usr/lib/postgresql/{server_major}/bin"))
    spec = importlib.util.find_spec("pgserver")
    if spec and spec.submodule_search_locations:
        kandidaten.append(Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin")
    if shutil.which("pg_dump"):
        kandidaten.append(Path(shutil.which("pg_dump")).resolve().parent)
    gevonden = {}
    for bindir in kandidaten:
        if all((bindir / b).exists() for b in ("pg_dump", "pg_restore", "psql")):
            gevonden.setdefault(major_van(bindir), bindir)
    if server_major in gevonden:
        return gevonden[server_major]
    nieuwer = sorted(m for m in gevonden if m > server_major)  # a newer pg_dump reads an older server
    if nieuwer:
        return gevonden[nieuwer[0]]
    pytest.fail(
        f"no pg_dump/pg_restore/psql for PostgreSQL {server_major} (found: {gevonden or 'none'}); "
        f"install postgresql-client-{server_major}, the pgserver wheel, or set PG_BIN"
    )


def database_url(naam):
    s = connection.settings_dict
    gebruiker = quote(s["USER"] or "", safe="")
    wachtwoord = f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    return f"postgres://{gebruiker}{wachtwoord}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{naam}"


def tellingen(url):
    """{table: row count} for every table, and {sequence: last value} for every sequence."""
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as db:
        tabellen = [r[0] for r in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )]
        rijen = {t: db.execute(f'SELECT count(*) FROM public."{t}"').fetchone()[0] for t in tabellen}
        reeksen = dict(db.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall())
    return rijen, reeksen


def sha256(pad):
    return hashlib.sha256(Path(pad).read_bytes()).hexdigest()


@pytest.fixture
def omgeving(tmp_path):
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_major = int(cursor.fetchone()[0]) // 10000
    env = {**os.environ, "PG_BIN": str(pg_bin(server_major))}
    env.pop("BACKUP_DIR", None)
    return env


@pytest.fixture
def lege_database():
    """A fresh, empty database on the same server (dropped afterwards)."""
    naam = f"herstel_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{naam}"')
    yield naam
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)')


def draai(script, *args, env, **extra):
    return subprocess.run([str(script), *map(str, args)], env={**env, **extra}, capture_output=True,
                          text=True, timeout=300)


def test_backup_en_herstel_in_een_verse_database(transactional_db, personas, settings, tmp_path, omgeving,
                                                 lege_database):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    item = f.DossieritemFactory(leerling=personas.in_a, auteur=personas.mentor, soort="document",
                                titel="Onderzoeksverslag", bestandsnaam="verslag.pdf", bestandsgrootte=len(PDF))
    item.bestand.save("verslag.pdf", ContentFile(PDF))
    f.DossieritemFactory(leerling=personas.in_b, auteur=personas.andere_mentor, tekst="Zorg om <b>thuis</b> — ë ✓")
    bestand = media / item.bestand.name
    assert bestand.read_bytes() == PDF

    bron = database_url(connection.settings_dict["NAME"])
    voor_rijen, voor_reeksen = tellingen(bron)
    assert voor_rijen["leerlingen_dossieritem"] == 2 and voor_rijen["zorg_gebruiker"] >= 10

    # Back up.
    backups = tmp_path / "backups"
    uit = draai(BACKUP, backups, env=omgeving, DATABASE_URL=bron, MEDIA_ROOT=str(media))
    assert uit.returncode == 0, uit.stderr
    (map_,) = backups.iterdir()
    assert re.fullmatch(r"zorgroute-\d{8}-\d{6}", map_.name) and uit.stdout.strip() == str(map_)
    assert sorted(p.name for p in map_.iterdir()) == ["MANIFEST", "SHA256SUMS", "database.dump", "media.tar.gz"]
    assert all(p.stat().st_mode & 0o077 == 0 for p in [map_, *map_.iterdir()])  # owner only
    assert "media files: 1" in (map_ / "MANIFEST").read_text()

    # Restore into the fresh database and an empty MEDIA_ROOT.
    doel = database_url(lege_database)
    herstel_media = tmp_path / "hersteld"
    uit = draai(RESTORE, map_, env=omgeving, DATABASE_URL=doel, MEDIA_ROOT=str(herstel_media))
    assert uit.returncode == 0, uit.stderr

    na_rijen, na_reeksen = tellingen(doel)
    assert na_rijen == voor_rijen
    assert na_reeksen == voor_reeksen
    hersteld = herstel_media / item.bestand.name
    assert sha256(hersteld) == sha256(bestand)
    with psycopg.connect(doel.replace("postgres://", "postgresql://", 1)) as db:
        assert db.execute(
            "SELECT titel, bestand, bestandsnaam FROM leerlingen_dossieritem WHERE id = %s", [item.pk]
        ).fetchone() == ("Onderzoeksverslag", item.bestand.name, "verslag.pdf")
        assert db.execute("SELECT count(*) FROM leerlingen_dossieritem WHERE tekst = %s",
                          ["Zorg om <b>thuis</b> — ë ✓"]).fetchone() == (1,)

    # A second restore over it is refused: nothing is overwritten without --force.
    uit = draai(RESTORE, map_, env=omgeving, DATABASE_URL=doel, MEDIA_ROOT=str(tmp_path / "leeg"))
    assert uit.returncode == 3 and "refusing to overwrite" in uit.stderr
    uit = draai(RESTORE, map_, env=omgeving, DATABASE_URL=bron, MEDIA_ROOT=str(herstel_media))
    assert uit.returncode == 3
    assert tellingen(doel)[0] == voor_rijen

    # With --force it replaces what is there: a changed row and file are back as in the backup.
    with psycopg.connect(doel.replace("postgres://", "postgresql://", 1), autocommit=True) as db:
        db.execute("UPDATE leerlingen_dossieritem SET titel = 'Gewijzigd' WHERE id = %s", [item.pk])
    hersteld.write_bytes(b"overschreven")
    (herstel_media / "los.txt").write_text("niet in de backup")
    uit = draai(RESTORE, "--force", map_, env=omgeving, DATABASE_URL=doel, MEDIA_ROOT=str(herstel_media))
    assert uit.returncode == 0, uit.stderr
    assert tellingen(doel) == (voor_rijen, voor_reeksen)
    with psycopg.connect(doel.replace("postgres://", "postgresql://", 1)) as db:
        assert db.execute("SELECT titel FROM leerlingen_dossieritem WHERE id = %s", [item.pk]).fetchone() == (
            "Onderzoeksverslag",
        )
    assert sha256(hersteld) == sha256(bestand) and not (herstel_media / "los.txt").exists()


def test_beschadigde_backup_wordt_geweigerd(transactional_db, personas, settings, tmp_path, omgeving,
                                            lege_database):
    media = tmp_path / "media"
    media.mkdir()
    (media / "dossier").mkdir()
    (media / "dossier" / "a.pdf").write_bytes(PDF)
    backups = tmp_path / "backups"
    bron = database_url(connection.settings_dict["NAME"])
    assert draai(BACKUP, backups, env=omgeving, DATABASE_URL=bron, MEDIA_ROOT=str(media)).returncode == 0
    (map_,) = backups.iterdir()
    with open(map_ / "media.tar.gz", "ab") as archief:
        archief.write(b"rommel")
    doel = database_url(lege_database)
    uit = draai(RESTORE, "--force", map_, env=omgeving, DATABASE_URL=doel, MEDIA_ROOT=str(tmp_path / "hersteld"))
    assert uit.returncode == 4 and "checksum" in uit.stderr
    assert tellingen(doel)[0] == {}  # nothing was restored
    assert not (tmp_path / "hersteld").exists()


def test_gebruik_en_foute_aanroep(db, omgeving, tmp_path):
    for script in (BACKUP, RESTORE):
        uit = draai(script, "--help", env=omgeving)
        assert uit.returncode == 0 and "DATABASE_URL" in uit.stdout and "MEDIA_ROOT" in uit.stdout
        assert draai(script, "--onzin", env=omgeving).returncode == 2
    zonder = {k: v for k, v in omgeving.items() if k not in ("DATABASE_URL", "MEDIA_ROOT")}
    uit = draai(BACKUP, tmp_path, env=zonder)
    assert uit.returncode == 2 and "DATABASE_URL is not set" in uit.stderr
    assert draai(RESTORE, env=omgeving, DATABASE_URL="postgres://x@127.0.0.1/x", MEDIA_ROOT="/tmp").returncode == 2
    uit = draai(RESTORE, tmp_path, env=omgeving, DATABASE_URL="postgres://x@127.0.0.1/x", MEDIA_ROOT=str(tmp_path))
    assert uit.returncode == 4 and "database.dump is missing" in uit.stderr
    assert list(tmp_path.iterdir()) == []  # no half-made backup left behind


def test_mislukte_backup_laat_niets_half_achter(db, omgeving, tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    backups = tmp_path / "backups"
    uit = draai(BACKUP, backups, env=omgeving, MEDIA_ROOT=str(media),
                DATABASE_URL=database_url("bestaat_niet_" + uuid.uuid4().hex[:8]))
    assert uit.returncode != 0
    assert list(backups.iterdir()) == []
