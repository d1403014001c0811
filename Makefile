# The two commands a newcomer needs: `make run` and `make test`. Both set everything up themselves.
STAFF ?= rm01
PY := .venv/bin/python
DEMO_DB := sqlite:///var/demo.db
export PYTHONPATH := $(CURDIR)

.PHONY: run test setup rebuild-demo train bench
.DELETE_ON_ERROR:

run: setup var/demo.db var/churn/model.joblib
	$(PY) -m bot chat --as $(STAFF)

test: setup
	$(PY) -m pytest

setup:
	@bash scripts/setup.sh

# The demo bank is built once; `make rebuild-demo` replaces it on purpose.
var/demo.db:
	$(PY) -m tools demo-data --db $(DEMO_DB)

# The churn model is retrained when the bank or the scoring code changes; scores for today are then
# written in one batch (resumable) so the first risk questions are lookups.
var/churn/model.joblib: var/demo.db $(wildcard scoring/*.py)
	BOT_DB_URL=$(DEMO_DB) $(PY) -m scoring train --db $(DEMO_DB)
	BOT_DB_URL=$(DEMO_DB) $(PY) -m scoring score --db $(DEMO_DB) --as-of $$($(PY) -c 'from bot.clock import today; print(today())')
	@touch $@

rebuild-demo: setup
	$(PY) -m tools demo-data --db $(DEMO_DB) --force
	rm -f var/churn/model.joblib

train: setup
	$(PY) -m bot train

bench: setup
	$(PY) benchmarks/run_all.py
