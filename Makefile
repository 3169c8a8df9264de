# The two commands of the README: `make run` and `make test`. Both create the
# virtual environment and install the project first, so a fresh machine needs
# only python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per core by default; TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto

.PHONY: install run test lint bench messages messages-update clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 HOST=$(HOST) $(BIN)/python manage.py load_demo
	# Development: the demo logins work with their passwords (two-factor optional; production requires it).
	DEBUG=1 OTP_REQUIRED_ROLES= BIN=$(BIN) HOST=$(HOST) deploy/run-dev

test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The habits CI enforces: ruff (lint and format), the layer contract (import-linter,
# pyproject.toml), no model change without its migration.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

bench: install
	DEBUG=1 $(BIN)/python bench/run.py

# The English translation (README, "English"). messages-update collects every gettext string
# of the apps and templates into locale/en/LC_MESSAGES/django.po (new ones untranslated or
# fuzzy, vanished ones dropped) and prints what is left to translate; translate those entries,
# then `make messages` compiles the .mo. tests/portal/test_translation_complete.py runs the
# same makemessages (it reads MAKEMESSAGES_ARGS below) and fails on any gap.
PO_EN := locale/en/LC_MESSAGES/django.po
MAKEMESSAGES_ARGS := --locale en --no-obsolete --ignore=.venv --ignore=var --ignore=bench --ignore=tests --ignore=staticfiles
messages-update: install
	DEBUG=1 $(BIN)/python manage.py makemessages $(MAKEMESSAGES_ARGS)
	@msgfmt --statistics -o /dev/null $(PO_EN)
	@echo "To translate: msgattrib --untranslated $(PO_EN); msgattrib --only-fuzzy $(PO_EN); then make messages"

# Recompile the English translation after editing locale/en/LC_MESSAGES/django.po.
messages: install
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache

# The multi-node cluster test and its load run (deploy/cluster.py): nginx, two gunicorn
# nodes, a Celery worker and beat, and their own PostgreSQL, Redis, S3 server and mail sink,
# all on loopback ports of their own; nothing is left running afterwards.
.PHONY: cluster-test bench-cluster
cluster-test: install
	deploy/cluster-test

BENCH_CLUSTER_ARGS ?=
bench-cluster: install
	$(BIN)/python bench/cluster_load.py $(BENCH_CLUSTER_ARGS)

# --- Performance at county scale (issue 10) -----------------------------------
# bench-scale builds (or reuses) 200,000 items and 50,000 requests on PostgreSQL;
# bench-http runs the portal and a bare view under the same gunicorn and prints
# the table of the issue. Both need PostgreSQL; bench-http needs wrk.
SCALE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/zwgk_scale
.PHONY: bench-scale bench-http bench-import

bench-scale: install
	DATABASE_URL=$(SCALE_DATABASE_URL) $(BIN)/python bench/scale/build.py

bench-http: install bench-scale
	DATABASE_URL=$(SCALE_DATABASE_URL) $(BIN)/python bench/scale/loadtest.py

# bench-import: 2,000 catalog rows into the standard catalog and into an organisation, on a
# fresh database (SQLite by default, DATABASE_URL for PostgreSQL), beside a bare bulk_create.
bench-import: install
	$(BIN)/python bench/bench_import.py
