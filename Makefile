# Mirror — every target does its own set-up; none assumes another ran first.
# `make run` serves the app on http://127.0.0.1:8000 with its background worker next to it;
# `make test` runs the whole suite.

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Django 6.1 needs Python 3.12 or newer: take python3 when it is new enough, else a
# versioned interpreter from PATH.
PYTHON ?= $(shell for p in python3 python3.14 python3.13 python3.12; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && echo $$p && break; done)
DEV_ENV := DJANGO_DEBUG=1
PYTEST_ARGS ?=
BENCH_ARGS ?=
BENCH_ENTRIES ?= 3650
BENCH_POSTGRES ?= $(or $(MIRROR_BENCH_POSTGRES),postgres://postgres@127.0.0.1:5432/postgres)

.PHONY: install run test lint format messages screenshots bench serve worker clean

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then echo "Mirror needs Python 3.12 or newer (python3 here is $$(python3 --version 2>&1))." >&2; exit 1; fi
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

# The worker (mail, reminders) runs beside the development server and stops with it.
run: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py createcachetable
	@$(DEV_ENV) $(BIN)/python manage.py worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

screenshots: install
	MIRROR_SCREENSHOTS=1 $(BIN)/python -m pytest tests/browser/test_screenshots.py -q -s

# Benchmarks on throw-away databases (see bench/README.md): pages and load on SQLite and
# PostgreSQL, search on both, export. A smoke run: make bench BENCH_ENTRIES=200 BENCH_ARGS=--quick
bench: install
	$(BIN)/python bench/pages.py --entries $(BENCH_ENTRIES) $(BENCH_ARGS)
	$(BIN)/python bench/search.py --entries $(BENCH_ENTRIES) --repeat 3
	@if pg_isready -q -d "$(BENCH_POSTGRES)" 2>/dev/null; then \
		DATABASE_URL="$(BENCH_POSTGRES)" $(BIN)/python bench/search.py --entries $(BENCH_ENTRIES) --repeat 3; \
	else echo "search on PostgreSQL: skipped, no server answers at $(BENCH_POSTGRES)"; fi
	$(BIN)/python bench/export.py --entries $(BENCH_ENTRIES) --repeat 3
	$(BIN)/python bench/import.py --entries $(BENCH_ENTRIES) $(BENCH_ARGS)
	$(BIN)/python bench/rendering.py $(filter --quick,$(BENCH_ARGS))

# Production serving: gunicorn with the settings from the environment (see docs/deploy.md).
serve: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/gunicorn config.wsgi --config config/gunicorn.conf.py

# Production's background worker (mail, reminders): its own process, next to `make serve`.
worker: install
	$(BIN)/python manage.py worker --no-reload

# The translation catalogs in locale/ (docs/architecture.md, "A language"): every string the
# code marks, gathered, then compiled. Needs GNU gettext (apt-get install gettext). A new
# language: add it to LANGUAGES in config/settings.py and run `make messages LANGS=xx`; from
# then on its folder in locale/ includes it.
LANGS ?= $(sort $(notdir $(wildcard locale/*)))
MESSAGES_IGNORE := --ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles --ignore=screenshots
messages: install
	$(DEV_ENV) $(BIN)/python manage.py makemessages $(foreach l,$(LANGS),-l $(l)) --no-location --no-obsolete $(MESSAGES_IGNORE)
	$(DEV_ENV) $(BIN)/python manage.py makemessages $(foreach l,$(LANGS),-l $(l)) -d djangojs --no-location --no-obsolete $(MESSAGES_IGNORE)
	@# The date of gathering would change every catalog at every run: the catalogs keep none.
	$(BIN)/python -c "import pathlib, re; [p.write_text(re.sub(r'(?m)^\"POT-Creation-Date: .*\n', '', p.read_text())) for p in pathlib.Path('locale').rglob('*.po')]"
	$(DEV_ENV) $(BIN)/python manage.py compilemessages $(foreach l,$(LANGS),-l $(l)) --ignore=.venv

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache screenshots
