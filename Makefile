# Two commands for a new machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 5000
export FLASK_APP := app.py

CATALOGUES := $(wildcard wardtrack/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

.PHONY: install run test bench lint clean translations

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) $(COMPILED)

# The compiled catalogues the app reads; built from the .po files that are kept in git.
%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

## translations: extract the messages of templates and code, and update every catalogue (then translate the new ones)
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l --no-location --sort-output -o wardtrack/translations/messages.pot .
	$(BIN)/pybabel update -i wardtrack/translations/messages.pot -d wardtrack/translations --width 120 --no-fuzzy-matching
	rm wardtrack/translations/messages.pot

## run: migrate the SQLite database under instance/ (or WARDTRACK_INSTANCE_PATH), seed the demo once, serve on 127.0.0.1:$(PORT)
run: $(STAMP) $(COMPILED)
	$(BIN)/flask db upgrade
	$(BIN)/flask demo seed --if-empty
	WARDTRACK_SCHEDULER=inprocess $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

## test: the whole suite on SQLite, then on PostgreSQL when WARDTRACK_TEST_DATABASE_URL is set
test: $(STAMP) $(COMPILED)
	env -u WARDTRACK_TEST_DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)
	@if [ -n "$$WARDTRACK_TEST_DATABASE_URL" ]; then \
		echo "== the same suite on PostgreSQL =="; \
		$(BIN)/python -m pytest $(PYTEST_ARGS); \
	else \
		echo "PostgreSQL run skipped: WARDTRACK_TEST_DATABASE_URL is not set (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"; \
	fi

## bench: throughput and latency of the contact endpoint against a bare-SQL baseline
bench: $(STAMP) $(COMPILED)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check wardtrack tests bench tools

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
