# The two commands a newcomer needs: `make run` and `make test`. Everything else is for CI and
# maintainers. Needs only Python 3.11+ and make; the virtual environment lives in .venv/.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: system-check run worker office-check e2e-large install install-dev migrate demo serve test test-postgres e2e quality format messages clean bench bench-load bench-deliverables dsfr-bundle

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -c requirements.lock -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml requirements.lock $(VENV)/.installed
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## make system-check: warn (never fail) when a system package PDF export needs is missing.
system-check: install
	@$(BIN)/python scripts/check_system.py

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

## make run: install, migrate the SQLite database, load the demo programme and serve it.
run: system-check demo
	@echo ""
	@echo "Sobr'Industrie is served on http://$(HOST):$(PORT)/ (Ctrl-C to stop)."
	@echo "A background worker runs the long tasks (the deliverables pack) alongside."
	$(BIN)/python manage.py db_worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make worker: the background worker alone (production runs one or more next to the web servers).
worker: migrate
	$(BIN)/python manage.py db_worker --no-reload

serve: install
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: the whole suite except the browser checks, on SQLite (or DATABASE_URL when set).
test: install-dev system-check
	$(BIN)/pytest -n 2 -m "not e2e and not office" $(PYTEST_ARGS)

test-postgres: install-dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -n 2 -m "not e2e and not office" $(PYTEST_ARGS)

## make e2e: browser checks (axe-core accessibility, EcoIndex) over every demo page as every role.
e2e: install-dev
	$(BIN)/pytest -m "e2e and not e2e_large" -p no:xdist $(PYTEST_ARGS)

## make office-check: the demo's whole deliverables pack, opened and converted by LibreOffice (headless).
office-check: install-dev
	$(BIN)/pytest -m office -p no:xdist $(PYTEST_ARGS)

## make e2e-large: the browser checks on a large programme (demo + generate_dataset: 2 × 120 SMEs, 200 machines each, 1,500 meetings each).
e2e-large: install-dev
	E2E_DATASET=large $(BIN)/pytest -m e2e_large -p no:xdist $(PYTEST_ARGS)

quality: install-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/djlint --check sobrindustrie
	$(BIN)/djlint --lint sobrindustrie
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/djlint --reformat sobrindustrie || true

messages: install-dev
	$(BIN)/python manage.py makemessages -l fr --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv

## make bench: every figure of issue #19 in one table (eligibility against publicodes, team formation,
## detection, worker memory, deliverables cold build, pages under load on PostgreSQL); BENCH_ONLY=teams,memory
## runs some of them, BENCH_QUICK=1 shorter runs; BENCH_DATABASE names the PostgreSQL database (default
## sobrindustrie_bench, generated on the first run). make bench-load: the pages alone, on a fresh dataset.
BENCH_ONLY ?=
BENCH_QUICK ?=
BENCH_DATABASE ?= sobrindustrie_bench
bench: install-dev
	$(BIN)/python benchmarks/summary.py --database $(BENCH_DATABASE) $(if $(BENCH_ONLY),--only $(BENCH_ONLY)) $(if $(BENCH_QUICK),--quick)

bench-load: install-dev
	$(BIN)/python benchmarks/load_bench.py --setup --database $(BENCH_DATABASE)

## make bench-deliverables: the demo's whole deliverables pack, timed (target < 60 s).
bench-deliverables: install-dev
	$(BIN)/python benchmarks/deliverables_bench.py

## make dsfr-bundle: rebuild the trimmed DSFR stylesheet and script from the DSFR classes the templates use.
dsfr-bundle: install
	$(BIN)/python scripts/build_dsfr_bundle.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
