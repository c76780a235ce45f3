# narrascope: two commands on a fresh machine.
#   make demo   sets up .venv, ingests the sample (../shared/seeds when present) and prints a report
#   make test   runs the test suite (what CI runs)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SAMPLE := $(if $(wildcard ../shared/seeds),../shared/seeds,tests/fixtures/outlets)
DEMO_DB := out/demo.duckdb

.PHONY: setup demo test bench train clean vendor serve bench-api bench-run bench-languages audit fuzz crash hostile

$(BIN)/narrascope: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0  # the CPU build first, so nothing pulls a CUDA one
	$(BIN)/pip install -q -e '.[test,spark]'
	@touch $@

setup: $(BIN)/narrascope

demo: setup
	@mkdir -p out && rm -f $(DEMO_DB)
	$(BIN)/narrascope ingest $(SAMPLE) --db $(DEMO_DB)
	$(BIN)/narrascope list --db $(DEMO_DB)
	$(BIN)/narrascope export --db $(DEMO_DB) --format jsonl -o out/demo.jsonl
	@if [ -f ../shared/tools/score_gold.py ] && [ "$(SAMPLE)" = "../shared/seeds" ]; then \
	  $(PYTHON) ../shared/tools/score_gold.py out/demo.jsonl ../shared/gold/seeds.json metadata | tail -n 1; fi
	@first=$$($(BIN)/narrascope list --db $(DEMO_DB) --json --limit 1 | $(PYTHON) -c 'import json,sys; print(json.loads(sys.stdin.readline())["id"])'); \
	  $(BIN)/narrascope show $$first --db $(DEMO_DB) | head -n 30

test: setup
	$(BIN)/pytest

train: setup
	$(BIN)/python train/train_framing.py --data ../shared/semeval2025 --out src/narrascope/data/framing

bench: setup
	$(BIN)/python bench/bench_ingest.py

clean:
	rm -rf out .pytest_cache

# The workbench's front-end libraries, from the npm registry into the package (committed, so a
# fresh clone needs no npm): `make vendor` after changing package.json.
WEB_VENDOR := src/narrascope/web/static/vendor
vendor:
	npm ci --no-audit --no-fund --ignore-scripts
	mkdir -p $(WEB_VENDOR)
	cp node_modules/vis-timeline/standalone/umd/vis-timeline-graph2d.min.js \
	   node_modules/vis-timeline/styles/vis-timeline-graph2d.min.css $(WEB_VENDOR)/
	cp node_modules/vis-timeline/LICENSE.MIT.txt $(WEB_VENDOR)/vis-timeline.LICENSE-MIT.txt

serve: setup
	$(BIN)/narrascope serve --db $(DEMO_DB)

# Cost of an article by language (English against Russian, every stage, one run).
bench-languages: setup
	$(BIN)/python bench/bench_languages.py

bench-api: setup
	$(BIN)/python bench/bench_api.py

# Batch runner: per-stage throughput, the cost curve by corpus size (in-process and Spark), naive baseline.
bench-run: setup
	$(BIN)/python bench/bench_run.py stages --n 10000 --json bench/results/run_stages.json
	$(BIN)/python bench/bench_run.py curve --sizes 1000,10000,100000 --engines local,spark --json bench/results/run_curve.json
	$(BIN)/python bench/bench_run.py baseline --n 300 --json bench/results/run_baseline.json
	$(BIN)/python bench/bench_run.py baseline --n 2000 --json bench/results/run_baseline_copies.json

# Dependency audit: every requirement pinned, pip-audit over the pins and the venv (SKIPPED, with the reason, offline).
audit: setup
	$(BIN)/python bench/audit_deps.py --installed $(VENV)

# Reliability: long fuzz run, repeated SIGKILLs during ingest, 1 GB hostile inputs.
fuzz: setup
	$(BIN)/python bench/fuzz.py --examples 1500
crash: setup
	$(BIN)/python bench/crash.py --kills 40
hostile: setup
	$(BIN)/python bench/pathological.py
