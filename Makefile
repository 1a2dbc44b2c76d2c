# factcheck — the two commands: `make run` and `make test`. Needs only Python >= 3.11.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed
# The server's address reaches settings (absolute links in pages, feeds and JSON-LD).
export HOST PORT

.PHONY: run serve test setup migrate demo lint bench clean-db worker messages

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py load_demo

## Set up, start the embedded PostgreSQL (unless DATABASE_URL is set), migrate, load the demo, serve
## with a background-job worker beside the server (manage.py run_dev).
run: demo
	@echo ""
	@echo "  factcheck is starting on http://$(HOST):$(PORT)/"
	@echo "  Editors' admin:  http://$(HOST):$(PORT)/admin/"
	@echo "  API and docs:    http://$(HOST):$(PORT)/api/v1/  http://$(HOST):$(PORT)/api/docs/"
	@echo "  Demo logins:     editor / editor, reviewer / reviewer, admin / admin"
	@echo "  Ctrl-C stops the server, the job worker and the embedded database."
	@echo ""
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} DJANGO_LOG_FORMAT=$${DJANGO_LOG_FORMAT:-text} \
		$(PY) manage.py run_dev $(HOST):$(PORT)

## A background-job worker alone (production runs it beside the app servers; see docs/jobs.md).
worker: migrate
	$(PY) manage.py procrastinate worker

## Production: PORT, DATABASE_URL and the production variables from the environment (README,
## "Production"). Checks them (naming what is missing), migrates (no statement time-out), creates
## the cache table, collects static files, then runs the job worker and gunicorn
## (factcheck/gunicorn.conf.py) with DEBUG off; stopping one stops both.
serve: setup
	@$(PY) -m factcheck.serving
	DJANGO_DEBUG=0 $(PY) manage.py check_production
	DJANGO_DEBUG=0 DATABASE_STATEMENT_TIMEOUT=0 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=0 $(PY) manage.py createcachetable
	DJANGO_DEBUG=0 $(PY) manage.py collectstatic --noinput -v0
	DJANGO_DEBUG=0 $(PY) manage.py procrastinate worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=0 $(VENV)/bin/gunicorn -c factcheck/gunicorn.conf.py factcheck.wsgi

## Install what the tests need and run the whole suite (embedded PostgreSQL or DATABASE_URL).
test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

## The interface's translations (README, "Languages of the interface"): re-extract every marked
## string into locale/<lang>/LC_MESSAGES/django.po (new ones arrive untranslated: translate them),
## then compile the .mo files the site reads (commit both). Needs GNU gettext (apt-get install
## gettext). tests/factcheck/test_translations.py runs the same extraction.
MAKEMESSAGES_IGNORE := --ignore=.venv --ignore=var --ignore=bench --ignore=tests --ignore=docs
messages: setup
	$(PY) manage.py makemessages --all $(MAKEMESSAGES_IGNORE) --add-location=file --no-obsolete
	$(PY) manage.py compilemessages $(MAKEMESSAGES_IGNORE)

lint: setup
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run

bench: setup
	$(PY) -m bench $(BENCH_ARGS)
