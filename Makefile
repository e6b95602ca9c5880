# Two commands do all the set-up on a machine with only Python 3.11:
#   make run    set up .venv, run the pipeline on the embedded defaults (seeds/ -> reports/, share/)
#   make test   set up .venv, run the whole test suite
#   make quality  score extraction against the gold of seeds, fixtures and ../shared/corpus/dev
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench quality lock clean preview

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.8
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	mkdir -p share  # the default share; cchc never creates a share folder (docs/reliability.md)
	$(BIN)/cchc run

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# PNGs of every printed page of reports/*.xlsx (or REPORTS="a.xlsx b.xlsx") in reports/preview/.
preview: $(STAMP)
	$(BIN)/python scripts/preview_report.py $(REPORTS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# Extraction quality on seeds, fixtures and ../shared/corpus (dev scored, noise counted);
# e.g. make quality QUALITY_ARGS="--set dev --verbose"
quality: $(STAMP)
	$(BIN)/python scripts/quality.py $(QUALITY_ARGS)

# Re-resolve the pinned set after editing pyproject.toml's dependencies.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes \
	  --quiet --custom-compile-command "make lock" -o requirements.lock

clean:
	rm -rf $(VENV) data reports/*.xlsx share
