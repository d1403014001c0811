"""`python -m bot alerts run` as an operator runs it: WeCom settings from credentials.yml and the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.alerts.conftest import ROOT, WECOM_ENV


def _alerts(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("WECOM_")}
    base.update(PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "bot", "alerts", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


def test_run_prints_a_json_summary_as_its_last_line_and_a_second_run_sends_nothing(demo_copy, fake_thread):
    args = ("run", "--db", demo_copy, "--now", "2026-11-18 08:30", "--wecom-api-base", fake_thread.base_url)
    first = _alerts(*args, env=WECOM_ENV)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout.strip().splitlines()[-1])
    assert summary["queued"] == summary["sent"] >= 15 and summary["already_sent"] == 0
    assert summary["briefing"] == "queued" and summary["skipped_no_wecom"] == 0
    assert len(fake_thread.texts()) == summary["sent"]

    second = _alerts(*args, env=WECOM_ENV)
    again = json.loads(second.stdout.strip().splitlines()[-1])
    assert again["sent"] == 0 and again["queued"] == 0 and again["already_sent"] == 15
    assert len(fake_thread.texts()) == summary["sent"]


def test_missing_wecom_settings_are_named(demo_copy):
    result = _alerts("run", "--db", demo_copy, "--now", "2026-11-18 08:30")
    assert result.returncode != 0
    assert "WECOM_CORP_ID" in result.stderr and "WECOM_APP_SECRET" in result.stderr
