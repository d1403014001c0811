# The two commands a newcomer needs: `make run` and `make test`. Both set everything up themselves.
STAFF ?= rm01
PY := .venv/bin/python
export PYTHONPATH := $(CURDIR)

.PHONY: run test setup demo-data rebuild-demo train bench

run: setup var/demo.db
	$(PY) -m bot chat --as $(STAFF)

test: setup
	$(PY) -m pytest

setup:
	@bash scripts/setup.sh

var/demo.db:
	$(PY) -m bot demo-data --db sqlite:///var/demo.db

# Rebuild the demo bank on purpose (it is never rebuilt implicitly).
rebuild-demo: setup
	$(PY) -m bot demo-data --db sqlite:///var/demo.db --force

train: setup
	$(PY) -m bot train
