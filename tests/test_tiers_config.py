"""Tier names and floors come from the bank's tiers file, checked at start-up."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot import tiers
from bot.playbook.next_steps import next_steps
from bot.playbook.scripts import script_for
from tests.playbook.rows import TODAY, WAN, situation

RAW = yaml.safe_load(tiers.DEFAULT_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "aum_wan, code, name",
    [
        (4, "basic", "普通"),
        (20, "gold", "金卡"),
        (50, "vip", "贵宾"),
        (200, "diamond", "钻石"),
        (600, "private", "私行"),
    ],
)
def test_default_tiers_follow_the_floors_in_the_file(aum_wan, code, name):
    assert tiers.tier_for(aum_wan * WAN) == code and tiers.TIER_NAMES[code] == name
    assert tiers.tier_for(aum_wan * WAN - 1) != code or aum_wan == 4


def test_a_200wan_client_is_not_private_banking():
    assert tiers.tier_for(200 * WAN) == "diamond"
    assert tiers.tier_for(599 * WAN) == "diamond"
    assert tiers.TIER_FLOORS_FEN["private"] == 600 * WAN


def test_the_floors_are_read_from_the_file():
    for t in RAW["tiers"]:
        assert tiers.TIER_FLOORS_FEN[t["code"]] == t["floor_wan"] * WAN


def test_upgrade_script_reads_the_next_floor_from_the_file():
    s = situation(aum_fen=560 * WAN, tier="diamond")  # 40万 under 私行's 600万
    script = script_for(s, "李明", "城东支行", TODAY, occasion="tier_upgrade")
    assert "私行" in script.text and "40万" in script.text
    steps = next_steps(s, TODAY)
    assert any(a.code == "upgrade_invite" and "私行" in a.text and "40万" in a.text for a in steps.actions)


def test_retention_effort_per_value_class_comes_from_the_file():
    for t in RAW["tiers"]:
        for vc, effort in t["retention"].items():
            assert tiers.retention_effort(vc, t["code"]) == effort


def bad(mutate) -> str:
    raw = copy.deepcopy(RAW)
    mutate(raw)
    with pytest.raises(tiers.TierConfigError) as e:
        tiers.parse(raw, "tiers.yml")
    return str(e.value)


def test_a_missing_name_names_the_field():
    assert "tiers[2].name" in bad(lambda r: r["tiers"][2].pop("name"))


def test_floors_out_of_order_name_the_field():
    def swap(r):
        r["tiers"][3]["floor_wan"] = 30

    assert "tiers[3].floor_wan" in bad(swap)


def test_an_unknown_retention_effort_names_the_field():
    def wrong(r):
        r["tiers"][1]["retention"]["MGC"] = "maybe"

    assert "tiers[1].retention.MGC" in bad(wrong)


def test_a_bad_contact_frequency_names_the_field():
    def wrong(r):
        r["contact"][1]["every_days"] = "often"

    assert "contact[1].every_days" in bad(wrong)


def test_a_bad_file_stops_the_start_up_with_the_field_named(tmp_path: Path):
    raw = copy.deepcopy(RAW)
    del raw["tiers"][0]["floor_wan"]
    path = tmp_path / "tiers.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", "import bot.tiers"],
        env={"BOT_TIERS_FILE": str(path), "PYTHONPATH": "."},
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0
    assert "TierConfigError" in run.stderr and "tiers[0].floor_wan" in run.stderr
