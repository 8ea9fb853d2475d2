# Partnerdesk: the commands a developer and CI use. `make help` lists them.
#
# Two commands get a newcomer going:  make run   (the portal with demo data)
#                                     make test  (the test suite against PostgreSQL)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.PHONY: help install run test lint format migrate demo messages check-deploy db-roles \
        apt-hint shell clean-data

PYTHON ?= python3
# uv: the one on PATH, or one that `make install` puts under var/tools (pip --target works
# even where the system Python refuses `pip install`).
UV ?= $(shell command -v uv 2>/dev/null || echo $(CURDIR)/var/tools/uv/bin/uv)
# Never download an interpreter: use the machine's Python 3.11+.
export UV_PYTHON_DOWNLOADS := never
VENV := $(CURDIR)/.venv
PY := $(VENV)/bin/python
RUN := $(UV) run --locked --no-sync
# A superuser connection, used only to create the roles and databases (manage.py db_setup).
PG_ADMIN_URL ?= postgres://postgres@127.0.0.1:5432/postgres
PYTEST_ARGS ?=
# Worker processes for pytest-xdist ("auto": one per CPU; 0 runs everything in this process).
PYTEST_WORKERS ?= auto
# Production settings for checks only: a dummy secret that is never used to sign anything.
CHECK_SECRET := check-only-dummy-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 16

$(CURDIR)/var/tools/uv/bin/uv:
	@echo "uv not found: installing it into var/tools/uv with pip"
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(CURDIR)/var/tools/uv uv

install: | $(UV)  ## install the locked Python dependencies into .venv (uv sync --locked)
	$(UV) sync --locked --quiet

run: install  ## the portal at http://127.0.0.1:8000 with demo data (embedded PostgreSQL if no DATABASE_URL)
	$(PY) bin/run

test: install apt-hint db-roles  ## the test suite against PostgreSQL (PYTEST_ARGS="-k ..." to narrow)
	$(RUN) pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install  ## ruff check, ruff format --check, import contracts, types (mypy), no missing migrations
	$(RUN) ruff check . bin/run
	$(RUN) ruff format --check . bin/run
	$(RUN) lint-imports
	$(RUN) mypy
	$(RUN) python manage.py makemigrations --check --dry-run

format: install  ## fix what ruff can fix and format the code
	$(RUN) ruff check --fix . bin/run
	$(RUN) ruff format . bin/run

migrate: install  ## apply migrations (to the embedded server when DATABASE_URL is unset)
	$(PY) bin/run manage migrate

demo: install  ## load the demo workspaces if missing and print the demo logins
	$(PY) bin/run manage demo_data

shell: install  ## a Django shell on the same database `make run` uses
	$(PY) bin/run manage shell

messages: install  ## compile the translation catalogues (needs gettext's msgfmt)
	$(RUN) python manage.py compilemessages --ignore .venv --ignore var

check-deploy: install  ## manage.py check --deploy under production settings; fails on any warning
	DJANGO_SETTINGS_MODULE=config.settings.prod DJANGO_SECRET_KEY=$(CHECK_SECRET) \
		$(RUN) python manage.py check --deploy --fail-level WARNING

# Roles and databases for the tests: only when the tests use the PostgreSQL on this machine.
db-roles: install
	@if [ -z "$${DATABASE_URL:-}" ] || printf '%s' "$${DATABASE_URL:-}" \
		| grep -Eq '^[a-z]+://([^@/]*@)?(127\.0\.0\.1|localhost|\[::1\])?(:[0-9]+)?/'; then \
		$(RUN) python manage.py db_setup --admin-url "$(PG_ADMIN_URL)" || { \
			echo "Could not reach PostgreSQL as a superuser at $(PG_ADMIN_URL)."; \
			echo "Is it running (pg_isready -h 127.0.0.1)? Set PG_ADMIN_URL to a superuser URL."; \
			exit 1; }; \
	else \
		echo "DATABASE_URL names another server: not creating roles (run manage.py db_setup there once)."; \
	fi

# System packages some tests need; .ci/run installs them, here we only say what is missing.
apt-hint:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium chromium-driver"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	{ ls /usr/share/fonts/opentype/noto/NotoSansCJK* || fc-list | grep -i 'Noto Sans CJK'; } \
		>/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
		echo "Note: missing system packages; some tests may fail or be skipped."; \
		echo "      apt-get install -y$$missing   (or run .ci/run as root)"; \
	fi

clean-data:  ## delete var/ (embedded database, broker folders, mail, logs): asks first
	@read -r -p "Delete $(CURDIR)/var with the embedded database? [y/N] " answer; \
	if [ "$$answer" = y ]; then rm -rf $(CURDIR)/var; echo "Deleted."; fi
