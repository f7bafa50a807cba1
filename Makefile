# Shangliang — everyday commands. `make run` and `make test` are all a newcomer needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint format migrations-check messages bench bench-scale bench-cluster restore-drill clean-venv install

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# A local .env (development values) so that `manage.py …` works as it is after `make run`.
.env:
	cp .env.example .env

# The demo runs in development mode (DEBUG on) unless the environment says otherwise.
run: export DEBUG ?= true
run: $(STAMP) .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings_test
	$(VENV)/bin/pytest

# The local loop: everything but the browser tests (make test and CI still run them all).
test-fast: $(STAMP)
	$(VENV)/bin/pytest -m "not browser"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: export DEBUG ?= true
messages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans --no-location --ignore=.venv --ignore=staticfiles --ignore=test-artifacts
	msgattrib --no-obsolete -o locale/zh_Hans/LC_MESSAGES/django.po locale/zh_Hans/LC_MESSAGES/django.po
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

bench: $(STAMP)
	$(PY) bench/run.py

# The pages at a province's scale (generate_scale_data) beside the demo's, on PostgreSQL,
# gunicorn and Redis at 127.0.0.1 (BENCH_POSTGRES, BENCH_REDIS to point elsewhere). Takes half
# an hour; prints, passes or fails nothing.
bench-scale: $(STAMP)
	$(PY) bench/scale.py

# Two gunicorn servers behind nginx on one PostgreSQL and one Redis: sessions, an import
# preview, the message limit and 50 concurrent writers across both (bench/cluster.py). Exits
# non-zero when a check fails; prints timings as ratios.
bench-cluster: $(STAMP)
	$(PY) -m bench.cluster

# Back up a demo site (database and files, local and on a moto S3 server), restore it into a
# fresh database and storage, serve it and compare rows and files (bench/restore.py).
restore-drill: $(STAMP)
	$(PY) -m bench.restore

clean-venv:
	rm -rf $(VENV)
