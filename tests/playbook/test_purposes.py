"""One mapping of stated purpose -> churn type, read by the scorer, the next steps and the script choice."""

from __future__ import annotations

from datetime import date

import pytest

from bot.playbook.next_steps import next_steps
from bot.playbook.scripts import choose_occasion
from bot.playbook.signals import effective_churn_type
from bot.purposes import CHURN_TYPE_BY_PURPOSE, CONSUMPTION_PURPOSES
from scoring.churn_type import decide_churn_type
from tests.playbook.rows import TODAY, LastContact, situation


def told(purpose: str):
    return situation(last_contact=LastContact(date(2024, 11, 26), "phone", "reached", purpose, "rm1"))


@pytest.mark.parametrize("purpose", ["house", "car", "school", "business", "medical"])
def test_cash_needs_the_courses_name_are_consumption_driven(purpose):
    assert CHURN_TYPE_BY_PURPOSE[purpose] == "consumption"
    assert purpose in CONSUMPTION_PURPOSES


@pytest.mark.parametrize("purpose", ["house", "car", "school", "business", "medical", "other_bank"])
def test_scorer_next_steps_and_script_agree_on_a_stated_purpose(purpose):
    expected = CHURN_TYPE_BY_PURPOSE[purpose]
    scored = decide_churn_type({"stated_purpose": purpose, "stated_purpose_on": date(2024, 11, 26)})
    s = told(purpose)
    assert scored.code == expected
    assert effective_churn_type(s) == expected
    assert next_steps(s, TODAY).churn_type == expected
    assert choose_occasion(s) == ("large_withdrawal", purpose)


@pytest.mark.parametrize("purpose", ["business", "medical"])
def test_business_and_medical_needs_are_not_told_about_other_banks_yields(purpose):
    found = [a.code for a in next_steps(told(purpose), TODAY).actions]
    assert "explain_yield_risk" not in found
    assert "offer_financing" not in found


def test_a_business_cash_need_is_not_met_with_a_loan_to_keep_the_deposit():
    steps = next_steps(told("business"), TODAY)
    text = next(a.text for a in steps.actions if a.code == "business_cash_need")
    assert "不以贷款换存款" in text
