# Two commands do all the set-up: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test install install-dev migrate lint messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when the requirement files change.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(FLASK) db upgrade

run: migrate
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# The suite runs on SQLite; when TOT_TEST_DATABASE_URL is set, it runs again on that database.
test: install-dev
	env -u TOT_TEST_DATABASE_URL $(BIN)/python -m pytest
	@if [ -n "$$TOT_TEST_DATABASE_URL" ]; then \
		echo "--- again on $$TOT_TEST_DATABASE_URL"; \
		$(BIN)/python -m pytest; \
	fi

lint: install-dev
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

# Extract translatable strings into tot/translations/messages.pot.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o tot/translations/messages.pot .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
