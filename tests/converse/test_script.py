"""Script validation: every mistake reported with its file and line, before anything runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tools.converse.script import load_paths, select

ROOT = Path(__file__).resolve().parents[2]
GOOD = """
name: 到期
staff: rm01
channel: rest
today: 2026-11-18
tags: [maturing]
turns:
  - user: 本周哪些客户理财到期
    expect:
      customers_exactly: {query: maturing_between, params: {start: week_start, end: week_end}}
"""


def problems(script, text: str) -> list[str]:
    convs, errors = load_paths([script(text)])
    return [str(e).split(": ", 1)[1] for e in errors]


def test_valid_script_loads_with_its_today_tags_and_query(script):
    [conv], errors = load_paths([script(GOOD)])
    assert errors == []
    assert (conv.staff, conv.channel, conv.today, conv.tags) == ("rm01", "rest", date(2026, 11, 18), ("maturing",))
    assert conv.turns[0].expect.customers_exactly.name == "maturing_between"


def test_unknown_query_is_named_with_a_suggestion(script):
    [p] = problems(script, GOOD.replace("maturing_between", "maturing_betwen"))
    assert "unknown query 'maturing_betwen' (did you mean 'maturing_between'?)" in p


def test_unknown_query_parameter_lists_the_known_ones(script):
    [p] = problems(script, GOOD.replace("end: week_end", "end: week_end, product: wealth"))
    assert "query maturing_between has no parameter product (parameters: end, limit," in p


def test_bad_date_expression_is_reported(script):
    [p] = problems(script, GOOD.replace("end: week_end", "end: weekend"))
    assert "parameter end: not a date or date expression: 'weekend'" in p


def test_missing_required_parameter_is_reported(script):
    [p] = problems(script, GOOD.replace(", end: week_end", ""))
    assert p.endswith("query maturing_between needs parameter end")


def test_wrong_channel_and_bad_today_are_both_reported_on_their_lines(script):
    convs, errors = load_paths(
        [script(GOOD.replace("channel: rest", "channel: sms").replace("2026-11-18", "18/11/2026"))]
    )
    assert [(e.line, e.message.split(":")[1].strip()) for e in errors] == [
        (4, "channel must be one of rest, wecom, counter, got 'sms'"),
        (5, "needs `today` as YYYY-MM-DD, got '18/11/2026'"),
    ]


def test_repeat_delivery_outside_wecom_is_refused(script):
    [p] = problems(script, GOOD.replace("  - user: 本周", "  - repeat_delivery: 3\n    user: 本周"))
    assert "repeat_delivery replays a WeCom callback; it needs channel: wecom" in p


def test_invalid_regular_expression_is_reported(script):
    [p] = problems(script, GOOD.replace("    expect:\n", "    expect:\n      matches: '(unclosed'\n"))
    assert "`matches` is not a valid regular expression" in p


def test_yaml_syntax_error_gives_the_line(script):
    convs, errors = load_paths([script("name: x\nturns: [a, b\nstaff: rm01\n")])
    assert convs == [] and errors[0].line == 3 and "not valid YAML" in errors[0].message


def test_duplicate_conversation_names_are_refused(script):
    text = "- " + GOOD.strip().replace("\n", "\n  ")
    convs, errors = load_paths([script(text + "\n" + text)])
    assert len(errors) == 1 and "is already used at" in errors[0].message


def test_missing_path_is_reported(tmp_path):
    _, errors = load_paths([tmp_path / "nope.yml"])
    assert errors[0].message == "no such file or directory"


def test_exclude_tag_wins_over_include_tag(script):
    [conv], _ = load_paths([script(GOOD.replace("[maturing]", "[maturing, pending]"))])
    assert select([conv], include=["maturing"], exclude=["pending"]) == []
    assert select([conv], include=["maturing"]) == [conv]


def test_shipped_conversations_are_valid_and_cover_what_the_issue_asks():
    convs, errors = load_paths([ROOT / "tests" / "conversations"])
    assert errors == []
    assert len(convs) >= 40
    assert {c.channel for c in convs} == {"rest", "wecom", "counter"}
    intents = {t.expect.intent for c in convs for t in c.turns if t.expect.intent}
    assert {
        "query_maturing",
        "query_churn_risk",
        "explain_risk",
        "ask_script",
        "ask_next_steps",
        "query_outflow",
        "customer_profile",
        "daily_plan",
        "log_contact",
        "query_segment",
        "branch_overview",
        "help",
        "greet",
        "goodbye",
        "thank",
        "affirm",
        "deny",
        "out_of_scope",
        "more",
    } <= intents
    assert any(t.repeat_delivery > 1 for c in convs for t in c.turns)


def test_a_turn_may_be_spoken_as_another_staff_member(script):
    text = GOOD.replace("turns:\n", "turns:\n  - user: 把rm03的客户都转给rm04\n    as: rm04\n")
    [conv], errors = load_paths([script(text)])
    assert errors == []
    assert [t.staff for t in conv.turns] == ["rm04", None]
    assert "`as` names the staff id" in problems(script, text.replace("as: rm04", "as: ''"))[0]
