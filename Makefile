# QualityCity: the doors a newcomer uses. `make run` starts the demo city, `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
QCITY := $(VENV)/bin/qcity
PORT ?= 8000
export QCITY_HOME := $(CURDIR)
STAMP := $(VENV)/.installed

.PHONY: run test test-fast test-browser lint bench-directory bench-risk bench-pls bench-index bench-complaints bench-standards bench-inspection bench-all system-deps browser-deps clean

$(STAMP): pyproject.toml
	@bash scripts/system-deps.sh venv
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

# The demo city renders signed PDFs (WeasyPrint needs Pango and a CJK font), so run needs pdf-deps too.
run: $(STAMP) pdf-deps
	@mkdir -p var
	DEBUG=$${DEBUG:-1} PORT=$(PORT) $(QCITY) serve --port $(PORT)

# Two runs: Playwright keeps an event loop running in its worker for the whole session,
# and code that signs PDFs (pyHanko) calls asyncio.run(), which refuses to nest. Browser
# tests therefore get workers of their own.
test: $(STAMP) browser-deps pdf-deps
	@mkdir -p var
	$(PY) -m pytest -n 2 --dist loadfile -m "not browser"
	$(PY) -m pytest -n 2 --dist loadfile -m browser

test-fast: $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile -m "not browser"

browser-deps:
	@bash scripts/system-deps.sh browser

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(QCITY) makemigrations --check --dry-run

bench-directory: $(STAMP)
	$(PY) bench/directory.py

bench-risk: $(STAMP)
	$(PY) bench/risk.py

bench-pls: $(STAMP)
	$(PY) -m pip install --quiet -e ".[bench]"
	$(PY) bench/pls.py

bench-index: $(STAMP)
	$(PY) bench/index.py

clean:
	rm -rf $(VENV) var

pdf-deps:
	@bash scripts/system-deps.sh pdf

bench-inspection: $(STAMP) pdf-deps
	$(PY) bench/inspection.py

bench-standards: $(STAMP)
	$(PY) bench/standards.py

# PostgreSQL at 127.0.0.1:5432 (user postgres); gunicorn comes with the bench extra
bench-complaints: $(STAMP)
	$(PY) -m pip install --quiet -e ".[bench]"
	$(PY) bench/complaints.py
