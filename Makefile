# Luxury OMS: see README.md. Variables can be overridden: make test DB_USER=me
PYTHON ?= python3
DB_HOST ?= 127.0.0.1
DB_PORT ?= 5432
DB_USER ?= odoo
RUN_DB ?= luxury_oms
HTTP_PORT ?= 8069
HTTP_INTERFACE ?= 127.0.0.1
ADDONS := luxury_oms,luxury_clienteling,luxury_returns
export PYTHON DB_HOST DB_PORT DB_USER HTTP_PORT HTTP_INTERFACE

.PHONY: help install check run test test-odoo test-uninstall lint bench clean

help:
	@echo "make install  - Python dependencies (pip); Chromium for tours, nginx for the scaling tests, wkhtmltopdf and Noto fonts for PDFs (apt, as root)"
	@echo "make run      - Odoo on http://$(HTTP_INTERFACE):$(HTTP_PORT) with the demo maison (db $(RUN_DB));"
	@echo "               variables: RUN_DB HTTP_PORT HTTP_INTERFACE DB_HOST DB_PORT DB_USER"
	@echo "make test     - fresh database, every test, summary line, non-zero on failure"
	@echo "make test-odoo - fresh database, Odoo's own suites of the modules the OMS extends (long)"
	@echo "make test-uninstall - uninstall the addons from a fresh demo database, test what remains"
	@echo "make lint     - ruff and pylint-odoo"
	@echo "make bench    - benchmarks against plain Odoo (see bench/README.md)"

install:
	$(PYTHON) -m pip install -q -r requirements.txt
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	command -v wkhtmltopdf >/dev/null 2>&1 || missing="$$missing wkhtmltopdf"; \
	fc-list 2>/dev/null | grep -q NotoSansCJK || missing="$$missing fonts-noto-cjk fonts-noto-core"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Needed by the tests (tours; the scaling tests' proxy) and to print certificates: sudo apt-get install$$missing"; fi; \
	fi

check:
	@tools/check-env

# Rendered on every run: a changed HTTP_PORT, DB_HOST... applies at once.
run: check
	@tools/render-conf .build/odoo.conf
	@if ! psql -h $(DB_HOST) -p $(DB_PORT) -U $(DB_USER) -d $(RUN_DB) -tAc 'select 1' >/dev/null 2>&1; then \
	  echo "Creating database $(RUN_DB) with the demo maison (a few minutes)..."; \
	  $(PYTHON) -m odoo -c .build/odoo.conf -d $(RUN_DB) -i $(ADDONS) --with-demo --stop-after-init || exit 1; \
	fi
	@tools/run-server .build/odoo.conf $(RUN_DB)

test:
	@tools/run-tests

test-odoo:
	@tools/run-odoo-tests

test-uninstall:
	@tools/check-uninstall

lint:
	$(PYTHON) -m pytest -p no:cacheprovider -p no:odoo -q tests/test_lint.py

bench:
	@$(PYTHON) bench/run.py

clean:
	rm -rf .build
