# Rasid: two commands do all the set-up on a fresh Debian/Ubuntu machine with Python 3.11+:
#   make run    create .venv, install, build the demo, serve on http://127.0.0.1:8000
#   make test   create .venv, install with test extras, run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXTRAS ?=
STAMP := $(VENV)/.installed$(if $(EXTRAS),-$(EXTRAS),)

.PHONY: install native run test lint typecheck pytest bench constraints clean

install: $(STAMP)
	@$(MAKE) --no-print-directory native

$(STAMP): pyproject.toml constraints.txt scripts/system-deps.sh
	scripts/system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".$(if $(EXTRAS),[$(EXTRAS)],)"
	$(BIN)/python -m pip install --quiet -c constraints.txt mypy
	touch $@

# The name matcher compiled with mypyc (see rasid/native.py); rebuilt when its sources
# change. Optional: if the build fails, the sources run as they are, more slowly.
native:
	$(BIN)/python scripts/build_native.py || echo "warning: the compiled modules were not built; Rasid runs from its sources"

run:
	$(MAKE) install
	$(BIN)/rasid demo

test:
	scripts/system-deps.sh browser
	$(MAKE) install EXTRAS=test
	$(MAKE) lint typecheck pytest

lint:
	$(BIN)/ruff check rasid tests bench scripts
	$(BIN)/ruff format --check rasid tests bench scripts

typecheck:
	$(BIN)/mypy

pytest:
	$(BIN)/pytest -q

bench:
	$(MAKE) install EXTRAS=bench
	$(BIN)/python bench/ingest.py

# Re-pin every dependency to what is installed now (run after changing pyproject.toml).
constraints:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^rasid' > constraints.txt

clean:
	-test -x $(BIN)/python && $(BIN)/python scripts/build_native.py --clean
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
