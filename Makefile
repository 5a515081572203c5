# The two commands in the README: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# This machine only, whatever config.toml says (tests/browser/test_signin.py starts the server with
# exactly this command, from `make -n run`). PORT=8502 make run for another port.
# INSIGHT_LOCAL_USER=1: whoever uses this server from this machine is the "local user" with every
# right. Only this target opts in; any other way of starting the app gives viewers unless they
# sign in. Never forward this port to other people (ssh -L, socat): they would be you.
PORT ?= 8501
RUN_FLAGS := --server.address 127.0.0.1 --server.port $(PORT) --browser.serverAddress localhost --browser.gatherUsageStats false

.PHONY: constraints run test lint bench bench-rerun bench-load sample geo context clean

# uv (from PyPI, into the venv) installs the pinned versions: about 20 s on a fresh machine, where
# pip took about 90 s, most of it compiling every installed module ahead of time. (Python compiles
# a module when it is first imported; scripts/test.sh makes sure it may keep what it compiled.)
UV := $(BIN)/uv pip install --quiet --python $(BIN)/python -c constraints.txt

# Two steps: what the app needs (`make run`), then the test tools on top (`make test`: pytest,
# Playwright, axe, hypothesis, mypy, ...), which a machine that only runs the app never installs.
$(STAMP): pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt uv
	$(UV) -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(UV) -e . --group test
	touch $(TEST_STAMP)

run: $(STAMP)
	INSIGHT_LOCAL_USER=1 $(BIN)/streamlit run app.py $(RUN_FLAGS)

test: $(TEST_STAMP)
	bash scripts/test.sh

lint: $(TEST_STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/load.py --participants 1000000

bench-rerun: $(TEST_STAMP)
	$(BIN)/python benchmarks/rerun.py --participants 1000000

bench-load: $(TEST_STAMP)
	$(BIN)/python benchmarks/concurrency.py --sessions 20 --seconds 60

sample: $(STAMP)
	$(BIN)/python -m insight sample --out sample_data --participants 40000 --seed 2024

geo: $(STAMP)
	$(UV) --group geo
	$(BIN)/python scripts/build_geo.py --shared ../shared/geo --out sample_data/geo

context: $(STAMP)
	$(BIN)/python scripts/build_context.py --shared ../shared --out sample_data/context

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

# After a dependency change: pin what is installed now (then run `make test` before committing).
constraints: $(TEST_STAMP)
	{ sed -n '1,2p' constraints.txt; $(BIN)/uv pip freeze --python $(BIN)/python --exclude-editable; } > constraints.new && mv constraints.new constraints.txt
