# Huiyin — the two commands are `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-stamp
PYTEST_WORKERS ?= 2

.PHONY: install run test test-fast lint format messages bench bench-triage docs clean faults

install: $(STAMP)

# Re-installs only when pyproject.toml changes, so `make install` is cheap and idempotent.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py run_periodic --job word_frequencies --job hot_issues
	@echo ""
	@echo "Huiyin is starting on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)."
	@echo "Sign in as office, clerk, handler, leader, discipline, custodian or auditor (password: huiyin-demo-2026);"
	@echo "employees use http://127.0.0.1:$(PORT)/portal/ (anonymously, or as employee)."
	HUIYIN_DEBUG=$${HUIYIN_DEBUG:-false} HUIYIN_SCHEDULER=embedded HUIYIN_SITE_URL=$${HUIYIN_SITE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -p no:cacheprovider

test-fast: install
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -p no:cacheprovider -m "not browser and not slow"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/semgrep scan --config .semgrep --metrics=off --error --quiet --disable-version-check huiyin templates
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check
	HUIYIN_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) HUIYIN_FIELD_KEYS=$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') HUIYIN_MATCH_KEY=lint HUIYIN_ALLOWED_HOSTS=huiyin.example DJANGO_SETTINGS_MODULE=config.settings.prod $(BIN)/python manage.py check --deploy --fail-level WARNING

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --no-location --ignore '.venv/*' --ignore 'var/*' --ignore 'bench/*' --ignore 'huiyin/nlp/*' --ignore 'build/*'
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore '.venv/*'

bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/similar_bench.py
	$(BIN)/python bench/audit_bench.py

faults: install
	$(BIN)/python bench/faults.py

bench-triage: install
	$(BIN)/python bench/triage_bench.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
