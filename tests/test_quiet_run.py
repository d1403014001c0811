"""`make run` shows one line per set-up step; the steps' output goes to logs under var/logs/."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.model_files import ROOT, _run_logged

STEP = ROOT / "scripts" / "step.sh"


def test_a_step_prints_one_line_and_logs_its_output(tmp_path):
    log = tmp_path / "logs" / "step.log"
    cmd = [sys.executable, "-c", "import sys; print('chatter'); print('warning', file=sys.stderr)"]
    done = subprocess.run(["bash", str(STEP), "demo bank: building", str(log), *cmd], capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stdout.startswith("demo bank: building … done (") and done.stdout.count("\n") == 1
    assert done.stderr == ""
    assert log.read_text().split() == ["chatter", "warning"]


def test_a_failed_step_shows_the_tail_of_its_log_and_where_it_is(tmp_path):
    log = tmp_path / "step.log"
    cmd = [sys.executable, "-c", "import sys; print('\\n'.join(map(str, range(100)))); sys.exit(3)"]
    done = subprocess.run(["bash", str(STEP), "churn model: training", str(log), *cmd], capture_output=True, text=True)
    assert done.returncode == 3
    assert done.stdout == "churn model: training … failed\n"
    assert done.stderr.splitlines()[:-1] == [str(n) for n in range(80, 100)]
    assert str(log) in done.stderr.splitlines()[-1]


def test_training_with_a_log_says_one_line(tmp_path, capsys):
    log = tmp_path / "train.log"
    _run_logged([sys.executable, "-c", "print('epochs ...')"], log, "Rasa model: training")
    out = capsys.readouterr()
    assert out.out.startswith("Rasa model: training … done (") and out.out.count("\n") == 1
    assert out.err == ""
    assert log.read_text() == "epochs ...\n"


def test_failed_training_shows_the_tail_of_its_log(tmp_path, capsys):
    log = tmp_path / "train.log"
    with pytest.raises(SystemExit) as exited:
        _run_logged([sys.executable, "-c", "import sys; print('bad config'); sys.exit(1)"], log, "Rasa model: training")
    assert str(log) in str(exited.value.code)
    out = capsys.readouterr()
    assert out.out == "Rasa model: training … failed\n"
    assert "bad config" in out.err
