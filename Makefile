# M4SH: `make run` serves the platform with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install system-deps run test lint typecheck frontend-check migrations-check pytest lock clean

install: $(VENV)/.installed system-deps frontend/node_modules/.package-lock.json

# Debian tools the platform runs: poppler's pdftoppm renders lesson PDFs to page images;
# the classroom browser test drives Debian's Chromium (Playwright cannot download its own here).
SYSTEM_TOOLS := pdftoppm:poppler-utils chromium:chromium

# The classroom client's Node packages (tests import yjs/y-websocket/ws; the bundle itself is committed).
frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	npm ci --prefix frontend --no-audit --no-fund

system-deps:
	@for pair in $(SYSTEM_TOOLS); do tool=$${pair%%:*}; pkg=$${pair##*:}; \
	  if ! command -v $$tool >/dev/null 2>&1; then \
	    if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	      echo "installing $$pkg"; \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$pkg >/dev/null || \
	      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$pkg >/dev/null; }; \
	    else echo "warning: $$tool not found; install the Debian package $$pkg"; fi; \
	  fi; \
	done

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $@

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --proxy-headers --no-server-header \
	  --ws-per-message-deflate false --ws apps.classroom.realtime.direct:DirectFramesProtocol

test: install lint typecheck frontend-check migrations-check pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy covers the layers that hold the rules: services, selectors and realtime consumers.
TYPED := $(shell find apps -name '*.py' \( -path '*/services*' -o -path '*/selectors*' -o -path '*/realtime/*' -o -name 'consumers.py' \) -not -path '*/tests/*')

typecheck:
	$(BIN)/mypy $(TYPED)

# The client type-checks and the committed bundle matches a fresh build of frontend/src.
frontend-check:
	npm run typecheck --prefix frontend
	npm run check-bundle --prefix frontend

migrations-check:
	$(BIN)/python manage.py makemigrations --check --dry-run

pytest:
	$(BIN)/pytest $(PYTEST_ARGS)

# Regenerate the pinned locks from requirements/*.in in a scratch virtualenv.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet --upgrade pip
	.lockenv/bin/pip install --quiet -r requirements/base.in
	{ echo '# Pinned runtime lock generated from base.in by `make lock`.'; .lockenv/bin/pip freeze; } > requirements/base.txt
	.lockenv/bin/pip install --quiet -r requirements/dev.in
	{ echo '# Pinned development lock generated from dev.in by `make lock`.'; echo '-r base.txt'; \
	  .lockenv/bin/pip freeze | grep -v -x -F -f requirements/base.txt; } > requirements/dev.txt
	rm -rf .lockenv

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache frontend/node_modules
