# MejaData: `make run` starts the demo, `make test` runs the whole suite.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 5000
export FLASK_APP := wsgi

.PHONY: install system translations migrate demo run test lint bench

install: system $(STAMP) translations

# Pango and a font for the PDF reports (Debian packages; installed when missing).
system:
	scripts/system-deps

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(STAMP)

# Compiled catalogues are build output, not source: made from the .po files on every install.
translations: $(STAMP)
	$(BIN)/pybabel compile -d translations >/dev/null

migrate: install
	$(BIN)/flask db upgrade

demo: migrate
	$(BIN)/flask demo load
	$(BIN)/flask search reindex

# The outbox worker keeps the search index current in the background while the web runs;
# the Telegram bot polls in the background too when TELEGRAM_BOT_TOKEN is set.
run: demo
	$(BIN)/flask outbox drain --loop & pids=$$!; \
	if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then $(BIN)/flask bot run & pids="$$pids $$!"; \
	else echo "Telegram bot off: set TELEGRAM_BOT_TOKEN to run it (see README)."; fi; \
	trap 'kill $$pids' EXIT; \
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# The browser tests drive Debian's chromium: installed when missing.
test: install
	scripts/system-deps --browser
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python bench/ingest.py
