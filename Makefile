# MRK: the two commands are "make run" and "make test" (see README.md).
#
#   make run                       SQLite under var/db, demo data, http://127.0.0.1:8000
#   make run DB=postgresql://postgres@127.0.0.1:5432/   the same on PostgreSQL
#   make serve DB=postgresql://postgres@127.0.0.1:5432/ WORKERS=4
#                                  production: gunicorn, trytond-cron and
#                                  trytond-worker (docs/admin.md)
#   make test                      every test, SQLite in memory
#   make test TRYTOND_DATABASE_URI=postgresql://postgres@127.0.0.1:5432/

PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
DB ?=
NAME ?= mrk
PORT ?= 8000
PYTEST_ARGS ?=
WORKERS ?= 0

.PHONY: run serve setup test system-deps venv webroot clean

run: venv webroot
	$(BIN)/python tools/mrk.py run --db "$(DB)" --name "$(NAME)" --port "$(PORT)"

serve: venv webroot
	$(BIN)/python tools/mrk.py serve --db "$(DB)" --name "$(NAME)" --port "$(PORT)" --workers "$(WORKERS)"

setup: venv
	$(BIN)/python tools/mrk.py setup --db "$(DB)" --name "$(NAME)"

test: venv webroot
	@tools/system-deps.sh test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

system-deps:
	@tools/system-deps.sh run

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@tools/system-deps.sh run
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

webroot: var/www/.built

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	@tools/system-deps.sh run
	cd web && npm ci --no-audit --no-fund
	touch $@

var/www/.built: web/node_modules/.package-lock.json web/locale/ru.po web/custom.js web/custom.css tools/build_webroot.py tools/po2json.py | venv
	$(BIN)/python tools/build_webroot.py
	touch $@

clean:
	rm -rf var/www var/screenshots
