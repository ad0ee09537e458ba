# Everything runs from a fresh clone on a machine with only python3 >= 3.11.
#   make run    set up the demo and serve it on http://127.0.0.1:8000
#   make test   set up, then lint, check migrations and run the whole test suite
#   make bench  time the main pages (through gunicorn) over 3,000 standards and 10,000 employees
#   make load   drive gunicorn + PostgreSQL with 50 concurrent users for 60 seconds
#   make fuzz   feed thousands of mutated official documents to the importer

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py

# The local demo runs with DEBUG on (runserver serves the static files); the secret key
# is generated into .secret_key unless SECRET_KEY is set.
DEBUG ?= true
export DEBUG

.PHONY: venv setup compile_messages run test fuzz bench load screenshots documents clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is required (PYTHON=$(PYTHON))" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstall only when requirements.txt is newer than the last successful install.
$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

$(VENV): $(STAMP)
venv: $(STAMP)

compile_messages: $(STAMP)
	$(MANAGE) compile_translations

setup: $(STAMP) compile_messages
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo

run: setup
	$(MANAGE) runserver 127.0.0.1:8000

# Tests always run with DEBUG on and a throwaway key, whatever the shell has; the
# database is still whatever DATABASE_URL says (SQLite when it is unset).
test: export DEBUG := true
test: export SECRET_KEY := test-only-secret-key-not-for-deployment
test: $(STAMP) compile_messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	DEBUG=false SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		ALLOWED_HOSTS=portal.example $(MANAGE) check --deploy --fail-level WARNING
	$(BIN)/pytest -n 2 --dist loadfile

# Regenerate docs/screenshots/ by running the browser tests.
screenshots: export DEBUG := true
screenshots: export SECRET_KEY := test-only-secret-key-not-for-deployment
screenshots: $(STAMP) compile_messages
	UPDATE_SCREENSHOTS=1 $(BIN)/pytest tests/browser -q

# Regenerate the PDF, ODT and DOCX copies of the samples in tests/fixtures/documents/
# (needs LibreOffice Writer: apt-get install libreoffice-writer-nogui).
documents: $(STAMP)
	$(BIN)/python tests/fixtures/documents/build.py

# A long fuzzing campaign against the importer; prints how many inputs it tried.
fuzz: export DEBUG := true
fuzz: export SECRET_KEY := test-only-secret-key-not-for-deployment
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-3000} $(BIN)/pytest tests/standards/test_fuzz_importer.py -q -s

# Scale benchmark: 3,000 generated standard versions (200 through the real importer) and
# 10,000 employees, on a throwaway test database of the configured engine (DATABASE_URL;
# SQLite by default). Scale down with BENCH_STANDARDS, BENCH_IMPORTS, BENCH_EMPLOYEES,
# BENCH_REPEAT; BENCH_PG_RANDOM_PAGE_COST=1.1 matches an SSD-tuned PostgreSQL (default 4).
bench: export DEBUG := true
bench: export SECRET_KEY := test-only-secret-key-not-for-deployment
bench: $(STAMP) compile_messages
	$(BIN)/python bench/scale.py

# The load tool is pinned in its own file: the portal itself never needs it.
LOAD_STAMP := $(VENV)/.installed-load
$(LOAD_STAMP): requirements-load.txt $(STAMP)
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements-load.txt
	touch $(LOAD_STAMP)

# 50 users for 60 s against gunicorn (DEBUG off) and PostgreSQL: DATABASE_URL, by default
# postgres://postgres@127.0.0.1:5432/portal_load (created if missing; the server must run).
# Prints throughput, p50/p95/p99 and the errors; fails on any error.
load: $(LOAD_STAMP) compile_messages
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
