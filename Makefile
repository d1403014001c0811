# The two commands a newcomer needs: `make run` and `make test`. Both set everything up themselves.
STAFF ?= rm01
PY := .venv/bin/python
DEMO_DB := sqlite:///var/demo.db
export PYTHONPATH := $(CURDIR)
# `make run` shows one line per set-up step; each step's output goes to its log under var/logs/.
STEP := @bash scripts/step.sh

.PHONY: run test lint setup rebuild-demo train bench
.DELETE_ON_ERROR:

run: setup var/demo.db var/churn/model.joblib
	@$(PY) -m bot chat --as $(STAFF)

test: setup lint
	@bash scripts/system-packages.sh
	$(PY) -m pytest

# Configuration in pyproject.toml. The format check comes last so the other checks always report first.
lint: setup
	$(PY) -m ruff check .
	.venv/bin/lint-imports --no-logo
	$(PY) -m mypy
	$(PY) -m ruff format --check --output-format concise .

setup:
	@bash scripts/setup.sh

# The demo bank is built once; `make rebuild-demo` replaces it on purpose.
var/demo.db:
	$(STEP) "demo bank: building var/demo.db" var/logs/demo-data.log $(PY) -m tools demo-data --db $(DEMO_DB)

# The churn model is retrained when the bank or the scoring code changes; scores for today are then
# written in one batch (resumable) so the first risk questions are lookups.
var/churn/model.joblib: var/demo.db $(wildcard scoring/*.py)
	$(STEP) "churn model: training" var/logs/churn-train.log env BOT_DB_URL=$(DEMO_DB) $(PY) -m scoring train --db $(DEMO_DB)
	$(STEP) "churn model: scoring today's customers" var/logs/churn-score.log env BOT_DB_URL=$(DEMO_DB) $(PY) -m scoring score --db $(DEMO_DB) --as-of $$($(PY) -c 'from bot.clock import today; print(today())')
	@touch $@

rebuild-demo: setup
	$(PY) -m tools demo-data --db $(DEMO_DB) --force
	rm -f var/churn/model.joblib

train: setup
	$(PY) -m bot train

bench: setup
	$(PY) benchmarks/run_all.py
