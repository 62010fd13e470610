# Two commands on a fresh machine: `make run` (set up and run the app) and `make test` (set up and run all tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium

.PHONY: setup browser-setup postgres-setup run demo test lint messages bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

# The browser tests (tests/browser) drive Debian's Chromium with Playwright; Playwright's own browser download is not
# used. Installed here when missing, if we are root; COURTPATH_SKIP_BROWSER=1 skips the install and those tests.
browser-setup:
	@if [ "$$COURTPATH_SKIP_BROWSER" = 1 ] || [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
	else \
		echo "The browser tests need Debian's Chromium at $(CHROMIUM) and will fail without it. Install it with" >&2; \
		echo "  sudo apt-get install -y --no-install-recommends chromium" >&2; \
		echo "or set COURTPATH_SKIP_BROWSER=1 to skip them on purpose." >&2; \
	fi

# The web, browser and installation suites run a second time on PostgreSQL (scripts/with_postgres.py starts a
# throwaway cluster from Debian's postgresql packages). Installed here when missing, if we are root;
# COURTPATH_SKIP_POSTGRES=1 skips that run.
postgres-setup:
	@if [ "$$COURTPATH_SKIP_POSTGRES" = 1 ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian's postgresql for the PostgreSQL test run"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql; \
	else \
		echo "The PostgreSQL test run needs Debian's postgresql package; install it, or set COURTPATH_SKIP_POSTGRES=1." >&2; \
	fi

# The web app on SQLite: unlock the vault (first run: choose a passphrase; the recovery identity is printed once),
# migrate, create the first administrator (one-time password printed once), serve on http://127.0.0.1:$(PORT) with
# gunicorn. Data lives in ./var (COURTPATH_DATA_DIR). `make run PORT=8080` serves on another port; BIND=host:port
# sets the whole address (loopback only with plain HTTP). The public interview's own pool listens on the next port
# (PUBLIC_BIND to choose another).
# COURTPATH_HTTPS=0: plain HTTP on this machine's loopback only. In production leave it out (the default is HTTPS
# behind a TLS reverse proxy: Secure cookies, HSTS, redirect to https; docs/deployment.md).
PORT ?= 8000
BIND ?= 127.0.0.1:$(PORT)
PUBLIC_BIND ?= 127.0.0.1:$(shell expr $(lastword $(subst :, ,$(BIND))) + 1)
run: $(STAMP)
	COURTPATH_HTTPS=0 $(BIN)/courtpath web serve --bind $(BIND) --public-bind $(PUBLIC_BIND)

# The law engine alone: assess an example absence.
demo: $(STAMP)
	$(BIN)/courtpath law check
	$(BIN)/courtpath assess --status mobilized --left "2025-06-01T08:00" --returned "2025-06-20T10:00" --surrendered --indicator job

# The one message catalogue per language (src/courtpath/locale/<lang>/LC_MESSAGES/django.po): Babel extracts every
# message of the package (Msg, _t, Django's gettext functions and templates; settings under [tool.babel] in
# pyproject.toml) into build/django.pot and merges it into the catalogues, keeping every translation. Then translate
# what is empty or marked fuzzy; tests/test_i18n.py fails until nothing is.
messages: $(STAMP)
	@mkdir -p build
	$(BIN)/pybabel --quiet extract
	$(BIN)/pybabel --quiet update

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

test: $(STAMP) lint browser-setup postgres-setup
	$(BIN)/python -m pytest
	@if [ "$$COURTPATH_SKIP_POSTGRES" = 1 ]; then echo "PostgreSQL run skipped (COURTPATH_SKIP_POSTGRES=1)"; else \
		$(BIN)/python scripts/with_postgres.py -- $(BIN)/python -m pytest -q tests/web tests/browser tests/vault; fi

# bench_api_http.py loads the server with wrk (Debian's package), installed here when missing, if we are root.
bench: $(STAMP)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk; } || \
		echo "bench_api_http.py needs wrk: sudo apt-get install wrk" >&2
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_analytics.py
	$(BIN)/python benchmarks/bench_api.py
	$(BIN)/python benchmarks/bench_api_http.py
	$(BIN)/python benchmarks/bench_case_list.py
	$(BIN)/python benchmarks/bench_case_page.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
