#!/usr/bin/env bash
# Restore a Zorgroute backup made by scripts/backup.sh: database and uploaded files.
#
#   scripts/restore.sh [--help] [--force] BACKUP_DIR
#
# BACKUP_DIR is one zorgroute-<date-time> directory written by backup.sh. In this order:
#   1. checks every checksum in BACKUP_DIR/SHA256SUMS (a damaged backup is refused, nothing changed);
#   2. refuses a database that already has tables, or a MEDIA_ROOT that already has files,
#      unless --force (then the database's objects are dropped and replaced, and MEDIA_ROOT is
#      emptied first);
#   3. restores the database in one transaction (pg_restore --single-transaction: all or nothing)
#      without the original owner and grants (the tables belong to DATABASE_URL's user);
#   4. unpacks the files into MEDIA_ROOT.
# Stop the web app, the worker and beat first, and run `python manage.py migrate` afterwards
# when the backup is older than the running version of Zorgroute.
#
# Environment:
#   DATABASE_URL   the database to restore into; it must exist (createdb) (required)
#   MEDIA_ROOT     the upload directory to restore into; created when missing (required)
#   PG_BIN         directory with pg_restore and psql (optional; default: those on PATH)
#
# Exit status: 0 restored, 1 failed, 2 usage error, 3 refused (not empty, no --force), 4 checksum error.
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
die() { printf 'restore: %s\n' "$1" >&2; exit "${2:-1}"; }

force=0
backup=
while (($#)); do
    case $1 in
        -h|--help) usage; exit 0 ;;
        -f|--force) force=1 ;;
        -*) printf 'restore: unknown option %s (see --help)\n' "$1" >&2; exit 2 ;;
        *) [[ -z $backup ]] || { echo "restore: one backup directory only (see --help)" >&2; exit 2; }
           backup=$1 ;;
    esac
    shift
done
[[ -n $backup ]] || { echo "restore: which backup? (see --help)" >&2; exit 2; }
[[ -n ${DATABASE_URL:-} ]] || { echo "restore: DATABASE_URL is not set (see --help)" >&2; exit 2; }
[[ -n ${MEDIA_ROOT:-} ]] || { echo "restore: MEDIA_ROOT is not set (see --help)" >&2; exit 2; }
[[ -d $backup ]] || die "$backup is not a directory" 2
for f in database.dump media.tar.gz SHA256SUMS; do
    [[ -f $backup/$f ]] || die "$backup/$f is missing: not a backup made by backup.sh?" 4
done

pg_restore=${PG_BIN:+$PG_BIN/}pg_restore
psql=${PG_BIN:+$PG_BIN/}psql
command -v "$pg_restore" >/dev/null || die "no $pg_restore (install the PostgreSQL client, or set PG_BIN)"
command -v "$psql" >/dev/null || die "no $psql (set PG_BIN)"

# 1. Checksums: every file listed, and the dump and the files archive must be among them.
echo "restore: checking checksums in $backup" >&2
for f in database.dump media.tar.gz; do
    grep -q "  $f\$" "$backup/SHA256SUMS" || die "SHA256SUMS does not list $f" 4
done
(cd "$backup" && sha256sum --check --strict --quiet SHA256SUMS) || die "checksum mismatch: the backup is damaged" 4
tar --list --gzip --file="$backup/media.tar.gz" >/dev/null || die "media.tar.gz cannot be read" 4

# 2. Refuse to overwrite anything unless asked to.
tables=$("$psql" --no-password --dbname="$DATABASE_URL" --tuples-only --no-align --quiet --command \
    "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')") \
    || die "cannot connect to the database (does it exist? createdb first)"
media_files=0
if [[ -d $MEDIA_ROOT ]]; then
    media_files=$(find "$MEDIA_ROOT" -mindepth 1 -print -quit | wc -l)
fi
if ((!force)); then
    ((tables == 0)) || die "the database already has $tables tables: refusing to overwrite it (--force replaces them)" 3
    ((media_files == 0)) || die "MEDIA_ROOT $MEDIA_ROOT is not empty: refusing to overwrite it (--force empties it)" 3
fi

# 3. Database: all or nothing.
echo "restore: database <- $backup/database.dump" >&2
clean=()
((force && tables > 0)) && clean=(--clean --if-exists)
"$pg_restore" --no-password --dbname="$DATABASE_URL" --single-transaction --exit-on-error \
    --no-owner --no-privileges "${clean[@]}" "$backup/database.dump"

# 4. Files.
echo "restore: files -> $MEDIA_ROOT" >&2
mkdir -p "$MEDIA_ROOT"
if ((force && media_files > 0)); then
    find "$MEDIA_ROOT" -mindepth 1 -delete
fi
# As root (the docker compose backup service) the files keep their numeric owner, the app's user.
tar --extract --gzip --file="$backup/media.tar.gz" --directory="$MEDIA_ROOT" --numeric-owner --no-overwrite-dir
echo "restore: done ($tables tables were there before; $(find "$MEDIA_ROOT" -type f | wc -l) files in MEDIA_ROOT)" >&2
