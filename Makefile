# Two commands do all the set-up: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test install install-dev migrate translations lint messages requirements clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when the requirement files change.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(FLASK) db upgrade

# Catalogues are committed as .po; the .mo files the app reads are built from them.
LOCALES := ru ky tg
CATALOGUES := tot/translations
MO_FILES := $(foreach locale,$(LOCALES),$(CATALOGUES)/$(locale)/LC_MESSAGES/messages.mo)

$(CATALOGUES)/%/LC_MESSAGES/messages.mo: $(CATALOGUES)/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

translations: $(MO_FILES)

run: migrate translations
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# The suite runs on SQLite; when TOT_TEST_DATABASE_URL is set, it runs again on that database.
# In parallel on every core (pytest-xdist); each worker has databases of its own.
test: install-dev translations
	env -u TOT_TEST_DATABASE_URL $(BIN)/python -m pytest -n auto
	@if [ -n "$$TOT_TEST_DATABASE_URL" ]; then \
		echo "--- again on $$TOT_TEST_DATABASE_URL"; \
		$(BIN)/python -m pytest -n auto; \
	fi

# Style, types, and the direction of dependencies between features (docs/architecture.md).
lint: install-dev
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# Extract translatable strings into messages.pot and bring every catalogue up to date with it;
# new and changed messages then need translating (the tests fail until they are).
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_ngettext:1,2 -k ngettext_noop:1,2 --add-location=file \
		--sort-by-file --no-wrap --project=tot --ignore-dirs='.*' -o $(CATALOGUES)/messages.pot .
	for locale in $(LOCALES); do \
		if [ -f $(CATALOGUES)/$$locale/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update --ignore-obsolete --no-wrap -l $$locale -d $(CATALOGUES) \
				-i $(CATALOGUES)/messages.pot; \
		else \
			$(BIN)/pybabel init --no-wrap -l $$locale -d $(CATALOGUES) -i $(CATALOGUES)/messages.pot; \
		fi; \
	done

# Pin the dependencies named in requirements*.in, and all they pull in, into requirements*.txt.
# Existing pins are kept; `make requirements UPGRADE=1` moves everything to the newest release.
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make requirements" $(BIN)/pip-compile --quiet \
	--annotation-style=line --strip-extras --no-emit-index-url --no-emit-find-links \
	$(if $(UPGRADE),--upgrade)
requirements: install-dev
	$(PIP_COMPILE) -o requirements.txt requirements.in
	$(PIP_COMPILE) -o requirements-dev.txt requirements-dev.in

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
