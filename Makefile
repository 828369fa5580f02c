# Two commands for a newcomer: `make run` (the product with demo data) and `make test` (every test).
# Everything else here is for automation. The virtual environment lives in .venv at the top.

PORT ?= 8000
HOST ?= 127.0.0.1
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: setup run serve demo worker test test-fast lint format bench mutation messages check-deploy clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || "$$(sh scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

# Migrate, load the real administrative units and the demo data, then serve with the task worker.
run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_units
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --no-input --verbosity 0
	@$(PY) manage.py demo_accounts
	@echo "Đang chạy tại http://$(HOST):$(PORT)/ (Ctrl+C để dừng)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py db_worker --queue-name '*' & \
	  $(PY) manage.py runserver --noreload $(HOST):$(PORT)

worker: setup
	$(PY) manage.py db_worker --queue-name '*'

# Two sessions: the demo tests share one database with the real units and demo data loaded once.
test: setup
	$(PY) -m pytest -p no:cacheprovider --create-db -n auto -m "not demo" $(PYTEST_ARGS)
	$(PY) -m pytest -p no:cacheprovider --create-db -m demo $(PYTEST_ARGS)

test-fast: setup
	$(PY) -m pytest -m "not slow and not browser and not demo" $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(PY) manage.py makemigrations --check --dry-run
	@if command -v xgettext >/dev/null 2>&1; then $(PY) scripts/check-messages; \
	  else echo "scripts/check-messages skipped: GNU gettext is not installed"; fi
	DJANGO_SETTINGS_MODULE=povertyplan.settings.prod SECRET_KEY=lint-only-$$(date +%s)-not-a-real-secret-key-0123456789abcdef ALLOWED_HOSTS=example.org \
	  $(PY) manage.py check --deploy --fail-level WARNING

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Mutation testing of the pure rules (pyproject [tool.mutmut]); not in CI (about 10 minutes).
# Prints the surviving mutants; `$(VENV)/bin/mutmut show NAME` shows one.
mutation: setup
	$(PY) -m pip install --quiet "mutmut>=3.3,<4"
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children 2 || true
	$(VENV)/bin/mutmut results

# Every benchmark; writes bench/results.json (name, value, unit, baseline, ratio, budget, met).
bench: setup
	$(PY) bench/run.py

# A developer's tool (needs GNU gettext; nothing else here does, the compiled catalogue is committed):
# collect new text into locale/en/LC_MESSAGES/django.po, drop text that is gone, compile django.mo.
# Translate the new entries, run it again; scripts/check-messages (in `make lint`) says what is missing.
messages: setup
	$(PY) manage.py makemessages --locale en --no-obsolete --ignore '.venv/*' --ignore 'bench/*' --ignore 'tests/*' --ignore 'mutants/*'
	$(PY) manage.py compilemessages --locale en --ignore '.venv/*'

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 media
