# consult: the project's verbs. `make help` lists them.
PYTHON ?= python3
# Two workers: the machines this runs on have two cores.
PYTEST_ARGS ?= -q -p no:cacheprovider -n 2
# When a Redis answers locally, the rate-limit store is checked against it too.
TEST_REDIS_URL ?= $(shell redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && echo redis://127.0.0.1:6379/0)
export TEST_REDIS_URL
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
# Every package, pinned with its hashes (refresh: make lock). make installs from these only.
LOCK := requirements-dev.lock
PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-find-links --no-emit-index-url
export FLASK_APP := consult
# The interface languages beside English; `make messages` keeps their catalogues current.
LOCALES := fr ar ru uk
CATALOGUE_DIR := consult/translations
# Compiled catalogues are built from the committed .po files, never committed.
CATALOGUES := $(foreach l,$(LOCALES),$(CATALOGUE_DIR)/$(l)/LC_MESSAGES/messages.mo)

.DEFAULT_GOAL := help
.PHONY: help install translations run test test-postgres test-browser browser-tools html-checker lint format bench bench-quick bench-identifiers eval-identifiers serve-prod migrate browser-deps messages clean lock

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-15s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml $(LOCK)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@$(BIN)/pip check >/dev/null || { $(BIN)/pip check; \
		echo "$(LOCK) does not match pyproject.toml: run make lock"; exit 1; }
	$(BIN)/python -c "from consult.identifiers.gazetteer import build; build()"
	touch $(STAMP)

install: $(STAMP) $(CATALOGUES) ## Create .venv, install from the lock file, compile the catalogues

lock: $(STAMP) ## Refresh requirements.lock and requirements-dev.lock from pyproject.toml (pins and hashes)
	$(PIP_COMPILE) --upgrade -o requirements.lock pyproject.toml
	$(PIP_COMPILE) --upgrade --extra dev -o $(LOCK) pyproject.toml

$(CATALOGUE_DIR)/%/LC_MESSAGES/messages.mo: $(CATALOGUE_DIR)/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

translations: $(CATALOGUES) ## Compile the translation catalogues (.po to .mo)

run: $(STAMP) $(CATALOGUES) ## Create .venv, install, migrate SQLite, load demo data, serve on 127.0.0.1:5000
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

browser-deps: ## Install Debian's chromium for the browser tests when it is missing
	@if [ ! -x /usr/bin/chromium ]; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium could not be installed: browser tests will fail"; fi

# axe-core for the browser tests' accessibility checks, into the git-ignored build/node/.
AXE_VERSION := 4.11.0
AXE := build/node/node_modules/axe-core/axe.min.js

# The Nu Html Checker (vnu.jar, from npm) and Debian's Java to run it, for the valid-HTML test.
VNU_VERSION := 26.9.27
VNU := build/node/node_modules/vnu-jar/build/dist/vnu.jar

# One npm install for both: an install with --no-save removes the packages it was not given.
$(AXE) $(VNU) &:
	npm install --no-save --no-audit --no-fund --prefix build/node \
		axe-core@$(AXE_VERSION) vnu-jar@$(VNU_VERSION) \
		|| echo "axe-core or vnu-jar could not be installed: the browser tests will fail"

browser-tools: browser-deps $(AXE) html-checker ## Chromium, axe-core and the Nu Html Checker for the browser tests, when missing

html-checker: $(VNU) ## The Nu Html Checker and a Java runtime (default-jre-headless), when missing
	@if ! command -v java >/dev/null 2>&1; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null) \
		|| echo "Java could not be installed: the valid-HTML test will fail"; fi

test-browser: $(STAMP) $(CATALOGUES) browser-tools ## Only the browser tests (Debian's chromium, Playwright)
	$(BIN)/pytest $(PYTEST_ARGS) -m browser tests/browser

test: $(STAMP) $(CATALOGUES) browser-tools ## Install the dev extra, lint, scan, run the whole test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -c pyproject.toml -r consult config.py --severity-level medium
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: $(STAMP) $(CATALOGUES) browser-tools ## The whole suite against PostgreSQL (TEST_DATABASE_URL)
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test} \
		$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP) ## ruff check and format check, bandit on shipped code (medium and high fail)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -c pyproject.toml -r consult config.py --severity-level medium

format: $(STAMP) ## Format and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrate: $(STAMP) ## Upgrade the configured database to the newest migration
	$(BIN)/flask db upgrade

# Sizes of the benchmark's databases (PostgreSQL when TEST_DATABASE_URL or
# DATABASE_URL names one); `make bench BENCH_SIZES="1000 20000"` for a shorter run.
BENCH_SIZES ?= 1000 100000 1000000

bench: $(STAMP) ## Figures B0-B9 at BENCH_SIZES, side by side, as ratios (JSON in bench/results/)
	$(BIN)/python bench/run.py --sizes $(BENCH_SIZES)

bench-quick: $(STAMP) ## The benchmark at small sizes: a smoke test printing figures, under 2 minutes
	$(BIN)/python bench/run.py --quick --json bench/results/quick.json

CORPUS ?= tests/data/identifiers/identifiers-dev.jsonl
REGISTRY ?= tests/data/identifiers/registered-organisations.json
eval-identifiers: $(STAMP) ## Score identifier detection on CORPUS with REGISTRY (add ARGS=--json)
	$(BIN)/python -m consult.identifiers.scoring --corpus $(CORPUS) --registry $(REGISTRY) $(ARGS)

bench-identifiers: $(STAMP) ## Measure identifier detection: one automaton against a regex per name
	$(BIN)/python bench/identifiers.py

serve-prod: $(STAMP) $(CATALOGUES) ## Serve production with gunicorn; refuses to start without the production settings (docs/security.md, Hardening)
	CONSULT_ENV=production $(BIN)/gunicorn --workers $${WEB_CONCURRENCY:-3} --bind $${BIND:-127.0.0.1:8000} \
		--access-logfile - --access-logformat '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss' \
		'consult.wsgi:app'

messages: $(STAMP) ## Extract every user-facing string and add the new ones to each catalogue
	mkdir -p $(CATALOGUE_DIR)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --no-wrap --no-location \
		-o $(CATALOGUE_DIR)/messages.pot consult templates
	$(BIN)/pybabel update -i $(CATALOGUE_DIR)/messages.pot -d $(CATALOGUE_DIR) \
		--no-fuzzy-matching --ignore-obsolete --no-wrap

clean: ## Remove the virtualenv and caches (keeps instance/)
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
