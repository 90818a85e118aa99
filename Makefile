# salespulse: `make demo` then `make test`. Works on a fresh Debian/Ubuntu with Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint clean system-deps

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

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf demo-data out .pytest_cache
