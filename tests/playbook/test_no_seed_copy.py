"""The wording is our own: no run of 12 consecutive characters of the course material (the seeds) appears in any
user-facing text (scripts, advice, tier names, replies, reason texts).

The seeds are not part of the repository: set SEEDS_DIR, or they are looked for in /work/shared/seeds; the test is
skipped where they are absent.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = Path(os.environ.get("SEEDS_DIR", "/work/shared/seeds"))
RUN = 12
WORDING = [
    *sorted((ROOT / "bot" / "playbook").glob("*.yml")),
    ROOT / "bot" / "tiers.yml",
    *sorted((ROOT / "bot" / "replies").glob("*.py")),
    ROOT / "scoring" / "reason_text.py",
    ROOT / "domain.yml",
]


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def runs(text: str) -> set[str]:
    text = _compact(text)
    return {text[i : i + RUN] for i in range(len(text) - RUN + 1)}


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"no seeds at {SEEDS}")
def test_no_wording_copies_12_characters_of_the_seeds():
    seed_runs: set[str] = set()
    for path in sorted(SEEDS.glob("*.txt")):
        seed_runs |= runs(path.read_text(encoding="utf-8", errors="replace"))
    assert seed_runs
    copied = {path.name: sorted(runs(path.read_text(encoding="utf-8")) & seed_runs) for path in WORDING}
    assert {name: found for name, found in copied.items() if found} == {}
