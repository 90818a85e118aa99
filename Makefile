# salespulse: `make demo` then `make test`. Works on a fresh Debian/Ubuntu with Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint clean system-deps bench bench-quick bench-validation

$(STAMP): pyproject.toml
	@sh scripts/system-deps.sh $(PYTHON)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

system-deps:
	@sh scripts/system-deps.sh $(PYTHON)

demo: $(STAMP)
	$(BIN)/salespulse demo

# Two workers, one per core; whole files stay on one worker so module fixtures are built once.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf demo-data out .pytest_cache

# Not part of `make test`: minutes at 1× and 10×, longer at 100× (bench/README.md).
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python bench/bench.py

bench-quick: $(BENCH_STAMP)
	$(BIN)/python bench/bench.py --quick

bench-validation: $(STAMP)
	$(BIN)/python bench/bench_validation.py
