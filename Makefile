# Two commands do everything on a fresh machine (see README):
#   make run    build the demo project (examples/provinces-demo, SYNTHETIC data), run its studies, write the report
#   make test   dbt build with all data and unit tests, sqlfluff and ruff, pytest without the tests marked slow
#   make test-slow   the tests marked slow (the Spark comparison); CI runs both
PYTHON ?= python3
PY_SOURCES := python tests benchmarks scripts setup.py models
VENV   := .venv
BIN    := $(VENV)/bin
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: run test test-slow lint dbt-test pytest bench docs clean fonts

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# the tests include the Spark comparison, so they need the optional `spark` extra (not `make run`)
$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test,spark]'
	touch $@

# Chinese labels in figures need a CJK font; optional (figures fall back to English without it)
fonts:
	-command -v fc-list >/dev/null && fc-list :lang=zh | grep -q . || \
	  (command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && apt-get update -q >/dev/null && apt-get install -y -q fonts-noto-cjk >/dev/null) || \
	  echo "note: no CJK font installed; figures use English labels"

# the demo is a project like any other: exactly the user path (outputs inside examples/provinces-demo)
run: $(VENV)/.installed fonts
	$(BIN)/cipanel run --project examples/provinces-demo

dbt-test: $(VENV)/.installed-test
	mkdir -p warehouse
	CIPANEL_WAREHOUSE=warehouse/test.duckdb $(BIN)/dbt build --profiles-dir .

lint: $(VENV)/.installed-test
	$(BIN)/sqlfluff lint models data-tests analysis
	$(BIN)/ruff check $(PY_SOURCES)
	$(BIN)/ruff format --check $(PY_SOURCES)

# pytest exits 5 when it collected no test: that is a failure here, not a pass
NO_TESTS_FAIL = rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$rc

# every test but those marked slow (pyproject.toml: addopts -m "not slow")
pytest: $(VENV)/.installed-test
	$(BIN)/pytest -q; $(NO_TESTS_FAIL)

test: dbt-test lint pytest

# the tests marked slow alone: the Spark comparison (needs the `spark` extra and Java 17), a test
# of minutes; CI (.ci/run) runs them after `make test`
test-slow: $(VENV)/.installed-test
	$(BIN)/pytest -q -m slow; $(NO_TESTS_FAIL)

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_indices.py
	$(BIN)/python benchmarks/bench_fe.py
	$(BIN)/python benchmarks/bench_pipeline.py
	$(BIN)/python benchmarks/bench_outputs.py
	$(BIN)/python benchmarks/bench_wild_bootstrap.py
	$(BIN)/python benchmarks/bench_spark.py

docs: $(VENV)/.installed  # after `make run`: the demo warehouse's docs site as one HTML file
	$(BIN)/cipanel docs --project examples/provinces-demo

clean:
	rm -rf target logs warehouse output .pytest_cache
