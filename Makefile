# Two commands for a newcomer: `make run` serves the demo, `make test` passes the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint install migrate demo clean serve bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py loaddata fixtures/demo.json
	$(BIN)/python manage.py create_demo_superuser

run: demo
	@echo "Serving the portal on http://127.0.0.1:$(PORT)/"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production mode: gunicorn, whitenoise's hashed and compressed static files, DEBUG off.
# Needs SECRET_KEY and ALLOWED_HOSTS in the environment (README, "Running in production").
serve: install
	DEBUG=$${DEBUG:-0} $(BIN)/python manage.py collectstatic --noinput -v0
	DEBUG=$${DEBUG:-0} GUNICORN_BIND=$${GUNICORN_BIND:-127.0.0.1:$(PORT)} \
		exec $(BIN)/gunicorn -c deploy/gunicorn.conf.py cluster_portal.wsgi

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
	rm -rf $(VENV) db.sqlite3 staticfiles
