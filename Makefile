# Zorgroute — thin wrapper; the work happens in scripts/run.sh and scripts/services.py.
#   make run    demo app on http://127.0.0.1:8000 with Celery worker + beat (Ctrl-C stops all)
#   make test   ruff, migrations check, deploy check, pytest (PYTEST_ARGS='-k ...' to filter)
#   make lint   ruff + migrations check          make bench   python -m tests.bench
#   make bench-load   locust against gunicorn (production settings) for BENCH_LOAD_SECONDS (120)
#   make bench-pdf    handelingsplan PDF and bulk ZIP exports (25–200 PDFs) through a real worker
#   make stop   stop the throwaway Postgres/Redis servers under .data/
#   make code   the demo accounts' current two-factor code (second login step)

export PYTEST_ARGS BENCH_LOAD_SECONDS

.PHONY: run test lint bench bench-load bench-pdf stop status code
.DEFAULT_GOAL := run

# (Re)install only when pyproject.toml changed since the last install.
.venv: .venv/.installed
.venv/.installed: pyproject.toml
	scripts/run.sh venv

run: .venv
	scripts/run.sh dev

test: .venv
	scripts/run.sh test

lint: .venv
	scripts/run.sh lint

bench: .venv
	scripts/run.sh bench

bench-load: .venv
	scripts/run.sh bench-load

bench-pdf: .venv
	scripts/run.sh bench-pdf

stop status: .venv
	.venv/bin/python scripts/services.py $@

# The current 6-digit code of the demo accounts' shared TOTP secret (zorg/demo_tweestaps.py).
code: .venv
	DJANGO_DEBUG=1 .venv/bin/python manage.py tweestaps_code
