# Two commands for a newcomer: `make run` serves the demo, `make test` passes the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint install migrate demo demo-reset clean messages serve bench worker lock backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Exactly the versions in requirements.lock, each checked against its hash, so that a machine
# next year installs what CI tested. Reinstall only when the lock changes.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

# After changing the ranges in pyproject.toml, or to take newer releases: pin every package
# again (uv resolves for every platform and Python >= 3.11), then `make install` and `make test`.
UV_VERSION := 0.13.9
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv pip compile pyproject.toml --all-extras --generate-hashes --universal \
		--python-version 3.11 --upgrade --quiet -o requirements.lock

# Django reads compiled catalogues; Babel compiles the committed .po files without gettext.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
locale/%.mo: locale/%.po $(VENV)/.installed
	$(BIN)/pybabel compile --domain django --input-file $< --output-file $@

# Test-only JavaScript (axe-core, for the browser tests' accessibility audit).
node_modules/.package-lock.json: package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund; \
	else echo "npm not found: the accessibility audit needs it (apt-get install npm)"; fi

install: $(VENV)/.installed $(MO_FILES) node_modules/.package-lock.json

# After adding interface strings: refresh the Spanish catalogue (needs GNU gettext), translate
# the new entries in locale/es/LC_MESSAGES/django.po, then `make install` compiles it.
messages: install
	$(BIN)/python manage.py makemessages --locale es --no-obsolete --add-location file \
		--ignore 'node_modules/*' --ignore 'staticfiles/*' --ignore 'tests/*' --ignore 'bench/*'

migrate: install
	$(BIN)/python manage.py migrate --noinput

# The demo goes into a new, empty database only: a second `make run` keeps every edit.
demo: migrate
	$(BIN)/python manage.py load_demo

# Start again from the demo: deletes every profile, its history and every login, then loads the demo.
demo-reset: migrate
	$(BIN)/python manage.py load_demo --reset

run: demo
	@echo "Serving the portal on http://127.0.0.1:$(PORT)/"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production mode: gunicorn, whitenoise's hashed and compressed static files, DEBUG off.
# Needs SECRET_KEY and ALLOWED_HOSTS in the environment (docs/operations.md, "Running in production").
# It refuses to start on a setting `check --deploy` warns about, or on a database that lacks a
# migration of this release (run `make migrate` first: docs/operations.md, "Releases").
serve: install
	DEBUG=$${DEBUG:-0} $(BIN)/python manage.py check --deploy --fail-level $${DEPLOY_CHECK_FAIL_LEVEL:-WARNING}
	DEBUG=$${DEBUG:-0} $(BIN)/python manage.py migrate --check
	DEBUG=$${DEBUG:-0} $(BIN)/python manage.py collectstatic --noinput -v0
	DEBUG=$${DEBUG:-0} GUNICORN_BIND=$${GUNICORN_BIND:-127.0.0.1:$(PORT)} \
		PROMETHEUS_MULTIPROC_DIR=$${PROMETHEUS_MULTIPROC_DIR:-$${TMPDIR:-/tmp}/cluster-portal-metrics-$(PORT)} \
		exec $(BIN)/gunicorn -c deploy/gunicorn.conf.py cluster_portal.wsgi

# The task worker: runs queued e-mails, imports and PDFs when TASK_BACKEND=database (production;
# run one or more, on any machine that reaches the database). deploy/systemd has a unit for it.
worker: install
	TASK_BACKEND=$${TASK_BACKEND:-database} DEBUG=$${DEBUG:-0} \
		exec $(BIN)/python manage.py db_worker --no-reload

# One archive of the database and the media files in BACKUP_ROOT (docs/operations.md, "Backups").
backup: install
	$(BIN)/python manage.py backup_portal

# Into an empty database and media folder: `make restore FILE=backups/cluster-portal-….tar`
# (add FORCE=1 to replace what a non-empty one holds).
restore: install
	@test -n "$(FILE)" || { echo "Say which archive: make restore FILE=backups/cluster-portal-….tar"; exit 1; }
	$(BIN)/python manage.py restore_portal "$(FILE)" $(if $(FORCE),--force)

# The load benchmark (bench/load.py): PostgreSQL, 10,000 generated clusters, wrk.
bench: install
	@command -v wrk >/dev/null || { echo "bench needs wrk: apt-get install -y wrk"; exit 1; }
	$(BIN)/python bench/load.py

test: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles node_modules tests/artefacts $(MO_FILES)

# WeasyPrint (profile PDFs) needs Pango, HarfBuzz and a font covering Latin Extended (ő, ł…).
# Installed with apt-get when missing on Debian/Ubuntu; elsewhere docs/open-data.md lists them.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
.PHONY: system-libs
system-libs:
	@if ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 && fc-list 2>/dev/null | grep -qi dejavu; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $(PDF_PACKAGES); \
	elif command -v apt-get >/dev/null && command -v sudo >/dev/null; then \
	  sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends $(PDF_PACKAGES); \
	else echo "PDFs need Pango and the DejaVu fonts: see 'System libraries' in docs/open-data.md."; exit 1; fi
install: system-libs
