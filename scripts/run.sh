#!/usr/bin/env bash
# The Makefile's workhorse: scripts/run.sh venv|dev|test|bench|bench-load|bench-pdf|lint
#
# Every command that needs PostgreSQL and Redis starts throwaway local servers through
# scripts/services.py (unless DATABASE_URL / REDIS_URL are set) and stops them on exit, but
# only when this invocation started them: servers that were already running are left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=$PWD/.venv
PY=$VENV/bin/python
export PATH="$VENV/bin:$PATH"

say() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
is_root() { [[ $(id -u) -eq 0 ]]; }
is_ci() { [[ ${CI:-} == true || ${CI:-} == 1 ]]; }

apt_install() {
    say "apt-get install $*"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update -q
    apt-get -o DPkg::Lock::Timeout=300 install -y -q "$@"
}

# --- venv (the Makefile calls this only when pyproject.toml is newer than the stamp) ---------

cmd_venv() {
    local python=${PYTHON:-$(command -v python3.11 || command -v python3 || true)}
    [[ -n $python ]] || die "no python3.11 or python3 on PATH"
    if [[ ! -x $VENV/bin/pip ]]; then
        say "creating .venv with $python ($("$python" --version 2>&1))"
        rm -rf "$VENV"
        if ! "$python" -m venv "$VENV"; then
            rm -rf "$VENV"
            # Debian/Ubuntu ship `venv` separately.
            is_root && command -v apt-get >/dev/null \
                || die "'$python -m venv' failed: install python3-venv (apt-get install python3-venv)"
            apt_install python3-venv
            "$python" -m venv "$VENV"
        fi
    fi
    say "pip install -e '.[dev,services]'"
    # pyproject has `packages = []`: installing the project installs only its dependencies.
    local pip=("$VENV/bin/pip" install --disable-pip-version-check --quiet)
    "${pip[@]}" --editable '.[dev,services]' || "${pip[@]}" '.[dev,services]'
    touch "$VENV/.installed"
}

# --- throwaway services --------------------------------------------------------------------

started_services=0
preset_database_url=${DATABASE_URL:-}
preset_redis_url=${REDIS_URL:-}

start_services() {
    if ! "$PY" scripts/services.py status >/dev/null 2>&1; then
        started_services=1
    fi
    local urls
    urls=$("$PY" scripts/services.py start)
    set -a
    eval "$urls"  # DATABASE_URL=... REDIS_URL=... (preset values are passed through)
    set +a
}

stop_services() {
    if ((started_services)); then
        # With the URLs as they were before start_services exported ours: services.py leaves
        # a server alone when its URL was preset.
        DATABASE_URL=$preset_database_url REDIS_URL=$preset_redis_url \
            "$PY" scripts/services.py stop || true
        started_services=0
    fi
}

# --- make test -----------------------------------------------------------------------------

install_system_packages() {
    local missing=()
    [[ -x /usr/bin/chromium ]] || missing+=(chromium)
    command -v redis-server >/dev/null || missing+=(redis-server)
    command -v pdftotext >/dev/null || missing+=(poppler-utils)
    ((${#missing[@]})) || return 0
    if is_root && command -v apt-get >/dev/null; then
        apt_install "${missing[@]}"
    else
        say "warning: not installed: ${missing[*]} (as root: apt-get install ${missing[*]})"
    fi
    if [[ ! -x /usr/bin/chromium ]] && is_ci; then
        die "Chromium (/usr/bin/chromium) is required for the browser tests under CI"
    fi
}

cmd_test() {
    install_system_packages
    trap stop_services EXIT
    start_services
    export DJANGO_DEBUG=1

    say "ruff check ."
    ruff check .
    say "makemigrations --check"
    python manage.py makemigrations --check --dry-run
    say "check --deploy (production settings)"
    DJANGO_DEBUG=0 \
        DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
        DJANGO_ALLOWED_HOSTS=zorgroute.example \
        python manage.py check --deploy --fail-level WARNING

    local args=()
    eval "args=(${PYTEST_ARGS:-})"  # honours quotes: make test PYTEST_ARGS='-k "plan or bespreking"'
    say "pytest ${args[*]}"
    # pytest-django's live_server + sync Playwright in one thread trips Django's async guard
    # (set only here: `check --deploy` above rightly refuses it).
    export DJANGO_ALLOW_ASYNC_UNSAFE=true
    local rc=0
    python -m pytest "${args[@]}" || rc=$?
    if ((rc == 5)); then
        echo "pytest collected no tests: that is a failure" >&2
    fi
    return "$rc"
}

# --- make lint / make bench ----------------------------------------------------------------

cmd_lint() {
    trap stop_services EXIT
    start_services
    export DJANGO_DEBUG=1
    ruff check .
    python manage.py makemigrations --check --dry-run
}

cmd_bench() {
    trap stop_services EXIT
    start_services
    export DJANGO_DEBUG=1
    python -m tests.bench
}

cmd_bench_pdf() {
    trap stop_services EXIT
    start_services
    # Production settings (DEBUG off) are set by the benchmark itself, for the worker too.
    unset DJANGO_DEBUG
    python -m tests.bench_pdf
}

cmd_bench_load() {
    trap stop_services EXIT
    start_services
    # Production settings (DEBUG off) are set by the runner itself, for gunicorn and the scan.
    unset DJANGO_DEBUG
    python -m tests.load
}

# --- make run ------------------------------------------------------------------------------

children=()

stop_children() {
    local pid
    # Each child leads its own process group (setsid): this also reaches runserver's
    # autoreload child and Celery's pool processes.
    for pid in "${children[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    for _ in $(seq 100); do
        local alive=0
        for pid in "${children[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        ((alive)) || break
        sleep 0.1
    done
    for pid in "${children[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    children=()
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

cmd_dev() {
    # A second Ctrl-C (or make's own SIGTERM) must not cut the cleanup short.
    trap 'trap "" INT TERM; stop_children; stop_services' EXIT
    trap 'exit 130' INT TERM
    port_open 8000 && die "port 8000 is already in use (another 'make run'?)"
    start_services
    export DJANGO_DEBUG=1

    say "migrate"
    python manage.py migrate
    say "demo school"
    python manage.py demo_school --if-empty

    say "starting web server, Celery worker and beat"
    setsid python manage.py runserver 127.0.0.1:8000 &
    children+=($!)
    # Prefork: the worker recycling settings (CELERY_WORKER_MAX_*_PER_CHILD) apply to its pool.
    setsid celery -A zorg worker -l info --pool prefork --concurrency 2 &
    children+=($!)
    setsid celery -A zorg beat -l info --schedule .data/celerybeat-schedule &
    children+=($!)

    for _ in $(seq 300); do port_open 8000 && break; sleep 0.1; done
    port_open 8000 || die "the web server did not come up on port 8000"
    # Beat's first reminder scan comes 15 minutes after start; queue one now so the demo shows
    # reminders arriving (the ledger keeps it from sending anything twice).
    celery -A zorg call zorg.tasks.scan_herinneringen >/dev/null || true
    {
        printf '\n==========================================================\n'
        printf ' Zorgroute draait op http://127.0.0.1:8000\n'
        printf ' Demo-logins:\n'
        python manage.py demo_logins
        python manage.py tweestaps_code --uitleg
        printf ' Ctrl-C stopt alles.\n'
        printf '==========================================================\n\n'
    } >&2
    wait -n  # until Ctrl-C, or until one of the three exits (then stop the others too)
}

case ${1:-} in
    venv) cmd_venv ;;
    dev) cmd_dev ;;
    test) cmd_test ;;
    lint) cmd_lint ;;
    bench) cmd_bench ;;
    bench-load) cmd_bench_load ;;
    bench-pdf) cmd_bench_pdf ;;
    *) die "usage: $0 venv|dev|test|lint|bench|bench-load|bench-pdf" ;;
esac
