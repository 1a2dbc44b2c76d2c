# factcheck — the two commands: `make run` and `make test`. Needs only Python >= 3.11.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed
# The server's address reaches settings (absolute links in pages, feeds and JSON-LD).
export HOST PORT

.PHONY: run serve test setup migrate demo lint bench clean-db

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

## Set up, start the embedded PostgreSQL (unless DATABASE_URL is set), migrate, load the demo, serve.
run: demo
	@echo ""
	@echo "  factcheck is starting on http://$(HOST):$(PORT)/"
	@echo "  Editors' admin:  http://$(HOST):$(PORT)/admin/"
	@echo "  API and docs:    http://$(HOST):$(PORT)/api/v1/  http://$(HOST):$(PORT)/api/docs/"
	@echo "  Demo logins:     editor / editor, reviewer / reviewer, admin / admin"
	@echo "  Ctrl-C stops the server and the embedded database."
	@echo ""
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} DJANGO_LOG_FORMAT=$${DJANGO_LOG_FORMAT:-text} \
		$(PY) manage.py runserver --noreload $(HOST):$(PORT)

## Production: PORT, DATABASE_URL and the production variables from the environment (README,
## "Production"). Checks them (naming what is missing), migrates (no statement time-out), creates
## the cache table, collects static files, then runs gunicorn (factcheck/gunicorn.conf.py) with
## DEBUG off. The job worker will start here too.
serve: setup
	@$(PY) -m factcheck.serving
	DJANGO_DEBUG=0 $(PY) manage.py check_production
	DJANGO_DEBUG=0 DATABASE_STATEMENT_TIMEOUT=0 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=0 $(PY) manage.py createcachetable
	DJANGO_DEBUG=0 $(PY) manage.py collectstatic --noinput -v0
	DJANGO_DEBUG=0 exec $(VENV)/bin/gunicorn -c factcheck/gunicorn.conf.py factcheck.wsgi

## Install what the tests need and run the whole suite (embedded PostgreSQL or DATABASE_URL).
test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run

bench: setup
	$(PY) -m bench $(BENCH_ARGS)
