# Two commands do all the set-up on a machine with only Python 3.11:
#   make run    set up .venv with the runtime lock, run the pipeline on the embedded defaults
#   make test   set up .venv with the dev lock (runtime + pytest, Dask…), run the whole test suite
#   make quality  score extraction against the gold of seeds, fixtures and ../shared/corpus/dev
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# Re-locking resolves only what was published before this date, so `make lock` gives the
# same pins on any day until someone moves it on purpose.
EXCLUDE_NEWER ?= 2026-11-29T00:00:00Z
COMPILE = $(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --quiet \
          --exclude-newer $(EXCLUDE_NEWER) --custom-compile-command "make lock"

.PHONY: run test bench quality lock clean preview

# uv itself comes hash-pinned (requirements-bootstrap.txt), then installs the lock with hashes.
$(BIN)/uv: requirements-bootstrap.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
	  -r requirements-bootstrap.txt
	touch $(BIN)/uv

$(STAMP): $(BIN)/uv requirements.lock pyproject.toml
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode --require-hashes -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode --require-hashes -r requirements-dev.lock
	touch $(DEV_STAMP)

run: $(STAMP)
	mkdir -p share  # the default share; cchc never creates a share folder (docs/reliability.md)
	$(BIN)/cchc run
	@echo "Gọi cchc bằng đường dẫn .venv/bin/cchc (ví dụ: .venv/bin/cchc status), hoặc '. .venv/bin/activate' trước."
	@echo "Call cchc as .venv/bin/cchc … (e.g. .venv/bin/cchc status), or run '. .venv/bin/activate' first."

test: $(DEV_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# PNGs of every printed page of reports/*.xlsx (or REPORTS="a.xlsx b.xlsx") in reports/preview/.
preview: $(STAMP)
	$(BIN)/python scripts/preview_report.py $(REPORTS)

bench: $(DEV_STAMP)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# Extraction quality on seeds, fixtures and ../shared/corpus (dev scored, noise counted);
# e.g. make quality QUALITY_ARGS="--set dev --verbose"
quality: $(STAMP)
	$(BIN)/python scripts/quality.py $(QUALITY_ARGS)

# Re-resolve the pinned sets after editing pyproject.toml's dependencies: the runtime lock,
# the dev lock (its runtime pins held to the runtime lock's), and uv's own bootstrap.
lock: $(BIN)/uv
	$(COMPILE) -o requirements.lock
	$(COMPILE) --extra dev --extra dask -c requirements.lock -o requirements-dev.lock
	echo "uv==0.13.8" | $(BIN)/uv pip compile - --generate-hashes --quiet --exclude-newer $(EXCLUDE_NEWER) \
	  --custom-compile-command "make lock" -o requirements-bootstrap.txt

clean:
	rm -rf $(VENV) data reports/*.xlsx share
