# The few verbs of this project. Every target installs what it needs into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Pages carry dates; the last commit's time keeps two builds of the same inputs identical.
EPOCH := $(shell git log -1 --format=%ct 2>/dev/null)
CHROMIUM := /usr/bin/chromium
STRACE := /usr/bin/strace

.PHONY: site serve test lint format golden bench bench-site messages clean

# Install the toolkit and build the demonstration catalogue into _site/.
site: $(VENV)/.installed
	SOURCE_DATE_EPOCH=$(EPOCH) $(BIN)/opendata build --out _site

# Serve the built site on http://127.0.0.1:8000 (Ctrl-C stops it).
serve: site
	@echo "Serving _site/ on http://127.0.0.1:8000"
	$(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory _site

# Install the test needs, then lint and run every test.
test: $(VENV)/.installed-test $(CHROMIUM) $(STRACE) lint
	$(BIN)/pytest

# Lint and check formatting (ruff).
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Format the code in place (ruff).
format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate the golden site that tests/test_golden.py compares against; review the diff.
golden: $(VENV)/.installed-test
	$(BIN)/python -m tests.make_golden

# Run the benchmarks and write their figures to benchmarks/results/.
bench: $(VENV)/.installed-test
	@for script in $(filter-out benchmarks/bench_site.py,$(wildcard benchmarks/bench_*.py)); do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Lighthouse on the demo site and search transfer on a generated 10,000-dataset catalogue.
bench-site: $(VENV)/.installed-test $(CHROMIUM)
	npm install --silent --no-audit --no-fund --prefix benchmarks/.lighthouse lighthouse@13
	CHROME_PATH=$(CHROMIUM) $(BIN)/python benchmarks/bench_site.py

# The browser tests' Chromium: Debian's package (Playwright cannot fetch its own here).
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# strace shows the publish tests that files reach the disk before the swap.
$(STRACE):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq strace

# Re-extract every _()/N_()/ngettext() message and update the Indonesian catalogue.
# Then translate the new empty (and any fuzzy) entries of opendata/locales/id/LC_MESSAGES/opendata.po.
messages: $(VENV)/.installed
	$(BIN)/pybabel -q extract --no-wrap --sort-by-file --add-location=file \
		--project=opendata -k ProblemType:3 -o $(VENV)/opendata.pot opendata
	$(BIN)/pybabel -q update --no-wrap --ignore-obsolete -D opendata -l id \
		-i $(VENV)/opendata.pot -d opendata/locales

# Remove the virtual environment, caches and the built site.
clean:
	rm -rf $(VENV) _site .opendata-cache .pytest_cache .ruff_cache

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/bin/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed
