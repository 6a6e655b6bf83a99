# Two commands: `make run` (the portal with demo data, nothing else needed) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.12: Django 6 needs 3.12+, and pgserver has wheels up to 3.12.
PYTHON312 := $(shell for c in python3.12 "env PYENV_VERSION=3.12.1 python3" "env PYENV_VERSION=3.12 python3" python3; do \
	if $$c -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' >/dev/null 2>&1; then echo $$c; break; fi; done)
VENV := .venv
PY := $(VENV)/bin/python
TEST_ENV := DJANGO_ENV_FILE=config/env/test.env
# Production-like values for `check --deploy` (no secret here is used anywhere).
DEPLOY_ENV := env -u DJANGO_ENV_FILE DJANGO_DEBUG=0 DJANGO_DEMO=0 OTP_REQUIRED=1 \
	DJANGO_SECRET_KEY=deploy-check-$$(printf 'k%.0s' {1..60}) DJANGO_ALLOWED_HOSTS=si.example.gov.cn \
	DATABASE_URL=postgres://si@db.invalid/si CELERY_BROKER_URL=redis://redis.invalid:6379/0 \
	FIELD_ENCRYPTION_KEYS=1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= LOOKUP_HASH_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
PYTEST_ARGS ?=

.PHONY: help run test bench lint fmt typecheck migrations-check deploy-check pytest lock messages clean

help:
	@echo "make run     start the portal with demo data (embedded PostgreSQL, file broker)"
	@echo "make test    the whole suite on PostgreSQL and Redis, ruff, mypy, migrations and deploy checks"
	@echo "make bench   benchmarks, each with a ratio against a baseline measured in the same run"

$(VENV)/bin/python:
	@test -n "$(PYTHON312)" || { echo "Python 3.12 not found (try: pyenv install 3.12)"; exit 1; }
	$(PYTHON312) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(PY) scripts/run.py

test: $(VENV)/.dev lint typecheck migrations-check deploy-check pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: $(VENV)/.dev
	$(TEST_ENV) $(VENV)/bin/mypy .

migrations-check: $(VENV)/.dev
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

deploy-check: $(VENV)/.dev
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING

pytest: $(VENV)/.dev
	$(TEST_ENV) $(VENV)/bin/pytest --create-db -n 2 --dist loadgroup -q $(PYTEST_ARGS)

bench: $(VENV)/.dev
	$(TEST_ENV) $(PY) -m bench

lock: | $(VENV)/bin/python
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.txt pyproject.toml
	$(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --extra dev -o requirements-dev.txt pyproject.toml

DUTY_APPS := registration cases benefits eligibility transfers supervision
# Catalogues: locale/ for the shared templates, core, accounts and audit; each duty app its own.
messages: $(VENV)/.dev
	$(TEST_ENV) $(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=var \
		--ignore=node_modules --ignore=tests --ignore=bench $(addprefix --ignore=,$(DUTY_APPS))
	for app in $(DUTY_APPS); do (cd $$app && DJANGO_SETTINGS_MODULE=config.settings \
		DJANGO_ENV_FILE=config/env/test.env PYTHONPATH=.. ../$(PY) -m django makemessages \
		-l zh_Hans --no-obsolete --ignore=tests) || exit 1; done
	for po in locale/zh_Hans/LC_MESSAGES/django.po $(addsuffix /locale/zh_Hans/LC_MESSAGES/django.po,$(DUTY_APPS)); do \
		[ -f $$po ] && msgfmt --check -o $${po%.po}.mo $$po || true; done

clean:
	rm -rf var/broker var/staticfiles
