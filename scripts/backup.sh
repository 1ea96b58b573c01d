#!/usr/bin/env bash
# Back up Zorgroute: the database (pg_dump, custom format) and the uploaded files (MEDIA_ROOT).
#
#   scripts/backup.sh [--help] [TARGET_DIR]
#
# Writes TARGET_DIR/zorgroute-<UTC date-time>/ (TARGET_DIR defaults to $BACKUP_DIR, else ./backups):
#   database.dump   pg_dump --format=custom of DATABASE_URL (restore with scripts/restore.sh)
#   media.tar.gz    every file under MEDIA_ROOT (uploads: dossier documents, consent scans, exports)
#   MANIFEST        when, which pg_dump and server version, how many files
#   SHA256SUMS      checksums of the three files above (`sha256sum -c SHA256SUMS`)
# The directory appears under its final name only when everything is written and checked, so a
# half-written backup never looks complete. Files are readable by their owner only (umask 077):
# they hold special-category personal data.
#
# Environment:
#   DATABASE_URL   postgres://user:password@host:port/name (required)
#   MEDIA_ROOT     the upload directory (required; may be empty)
#   PG_BIN         directory with pg_dump (optional; default: the one on PATH). pg_dump's major
#                  version must be at least the server's, e.g. /usr/lib/postgresql/16/bin.
#
# Exit status: 0 done, 1 failed (nothing complete was left behind), 2 usage error.
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
die() { printf 'backup: %s\n' "$*" >&2; exit 1; }

target=${BACKUP_DIR:-./backups}
while (($#)); do
    case $1 in
        -h|--help) usage; exit 0 ;;
        --) shift; break ;;
        -*) printf 'backup: unknown option %s (see --help)\n' "$1" >&2; exit 2 ;;
        *) target=$1 ;;
    esac
    shift
done
(($# == 0)) || { target=$1; }

[[ -n ${DATABASE_URL:-} ]] || { echo "backup: DATABASE_URL is not set (see --help)" >&2; exit 2; }
[[ -n ${MEDIA_ROOT:-} ]] || { echo "backup: MEDIA_ROOT is not set (see --help)" >&2; exit 2; }
[[ -d $MEDIA_ROOT ]] || die "MEDIA_ROOT $MEDIA_ROOT is not a directory"

pg_dump=${PG_BIN:+$PG_BIN/}pg_dump
pg_restore=${PG_BIN:+$PG_BIN/}pg_restore
command -v "$pg_dump" >/dev/null || die "no $pg_dump (install the PostgreSQL client of the server's version, or set PG_BIN)"
command -v "$pg_restore" >/dev/null || die "no $pg_restore (set PG_BIN)"

umask 077
mkdir -p "$target"
name=zorgroute-$(date -u +%Y%m%d-%H%M%S)
final=$target/$name
[[ ! -e $final ]] || die "$final already exists"
work=$(mktemp -d "$target/.$name.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "backup: database -> $final/database.dump" >&2
"$pg_dump" --format=custom --compress=6 --no-password --file="$work/database.dump" --dbname="$DATABASE_URL"
# A dump that pg_restore cannot read is no backup.
"$pg_restore" --list "$work/database.dump" >/dev/null || die "pg_restore cannot read the dump"

echo "backup: files under $MEDIA_ROOT -> $final/media.tar.gz" >&2
tar --create --gzip --file="$work/media.tar.gz" --numeric-owner --directory="$MEDIA_ROOT" .
files=$(tar --list --gzip --file="$work/media.tar.gz" | grep -vc '/$' || true)

{
    echo "created: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "pg_dump: $("$pg_dump" --version)"
    echo "server: $("$pg_restore" --list "$work/database.dump" | sed -n 's/^;[[:space:]]*Dumped from database version: //p')"
    echo "media files: $files"
} >"$work/MANIFEST"

(cd "$work" && sha256sum database.dump media.tar.gz MANIFEST >SHA256SUMS && sha256sum --check --quiet SHA256SUMS)

mv "$work" "$final"
trap - EXIT
echo "backup: done: $final ($(du -sh "$final" | cut -f1), $files files)" >&2
echo "$final"
