# The two commands of the README: `make run` and `make test`. Both create the
# virtual environment and install the project first, so a fresh machine needs
# only python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: install run test bench messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	DEBUG=1 $(BIN)/python bench/run.py

# Recompile the English translation after editing locale/en/LC_MESSAGES/django.po.
messages: install
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache

# --- Performance at county scale (issue 10) -----------------------------------
# bench-scale builds (or reuses) 200,000 items and 50,000 requests on PostgreSQL;
# bench-http runs the portal and a bare view under the same gunicorn and prints
# the table of the issue. Both need PostgreSQL; bench-http needs wrk.
SCALE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/zwgk_scale
.PHONY: bench-scale bench-http

bench-scale: install
	DATABASE_URL=$(SCALE_DATABASE_URL) $(BIN)/python bench/scale/build.py

bench-http: install bench-scale
	DATABASE_URL=$(SCALE_DATABASE_URL) $(BIN)/python bench/scale/loadtest.py
