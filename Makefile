# Two commands for a fresh clone (see README):  make run  |  make test
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_WORKERS ?= auto  # pytest-xdist processes (worksteal: an idle one takes queued tests from a busy one); 0 runs the suite in this process
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test setup system-deps lint format bench

run: setup ## set up (venv, install, migrations) and start the API + console on embedded defaults
	$(BIN)/aicmo serve

test: setup system-deps ## set up and run the linters and the whole test suite
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

system-deps: ## Debian packages the tests use (Chromium, poppler); installed when missing and possible
	@bash scripts/system-deps.sh

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: setup
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench
