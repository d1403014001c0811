"""Session-wide trained assistant model for tests that need the real NLU pipeline.

`bot.model_files.ensure_model()` trains from config.yml, domain.yml and data/ only when no model for
exactly those inputs exists, so every session pays for at most one training. A test module uses the
fixtures by importing them:

    from tests.model_fixture import nlu_agent  # noqa: F401  (pytest finds fixtures by module name)

Pytest keeps one instance per importing module; moving the import into tests/conftest.py would make a
single Agent serve the whole session.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def trained_model() -> Path:
    from bot.model_files import ensure_model

    return ensure_model()


@pytest.fixture(scope="session")
def nlu_agent(trained_model):
    from rasa.core.agent import Agent

    return Agent.load(str(trained_model))
