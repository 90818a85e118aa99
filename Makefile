# salespulse: `make demo` then `make test`. Works on a fresh Debian/Ubuntu with Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint clean system-deps upgrade bench bench-quick bench-validation

# Installs come from uv.lock: the exact versions (and hashes) `make test` last passed with, on every machine and
# in CI, through scripts/install.sh (uv, pinned there, from PyPI via the venv's pip). The extras to install follow.
INSTALL = sh scripts/install.sh $(BIN)/python

$(STAMP): pyproject.toml uv.lock scripts/install.sh
	@sh scripts/system-deps.sh $(PYTHON)
	$(PYTHON) -m venv $(VENV)
	$(INSTALL) test
	@touch $(STAMP)

system-deps:
	@sh scripts/system-deps.sh $(PYTHON)

demo: $(STAMP)
	$(BIN)/salespulse demo

# Three workers on a 2-core host, handed tests as they finish (not whole files: the long end-to-end files
# pinned one worker while the other idled): a worker waiting on a server start or a subprocess leaves its core
# to the third (bench/RESULTS.md: -n 2, 3 and 4 timed). One real Prefect server, started by pytest's controller
# (tests/conftest.py), serves every worker; its tests run on one worker (`xdist_group`, which conftest.py
# makes hold under pytest 9.2), and its two deployment tests also take turns on a file lock (`server_alone`).
# --durations: the slowest tests of each run are in its log, CI's included (its host has been 3x slower).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 3 --dist loadgroup --durations=8

lint: $(STAMP)
	$(BIN)/ruff check .

# Newest versions pyproject.toml allows, into uv.lock; then install them (uv.lock is newer than the stamp) and run
# the tests. Commit uv.lock when they pass; `git checkout uv.lock` and `make` return to the old versions.
# uv's own version is pinned in scripts/install.sh.
upgrade: $(STAMP)
	$(BIN)/uv lock --upgrade
	$(MAKE) test

clean:
	rm -rf demo-data out .pytest_cache

# Not part of `make test`: minutes at 1× and 10×, longer at 100× (bench/README.md).
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP)
	$(INSTALL) test bench
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python bench/bench.py

bench-quick: $(BENCH_STAMP)
	$(BIN)/python bench/bench.py --quick

bench-validation: $(STAMP)
	$(BIN)/python bench/bench_validation.py
