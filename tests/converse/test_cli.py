"""The runner end to end over HTTP, against a fake Rasa server and a small store."""

from __future__ import annotations

import defusedxml.ElementTree as ET

from tools.converse.cli import EXIT_FAILED, EXIT_OK, EXIT_STACK, EXIT_USAGE, main
from tools.converse.stack import free_port

MATURING = """
name: 本周到期
staff: rm01
channel: rest
today: 2026-11-18
tags: [maturing]
turns:
  - user: 本周哪些客户理财到期
    expect:
      intent: query_maturing
      contains: [到期]
      customers_exactly: {query: maturing_between, params: {start: today, end: week_end}}
"""


def run(paths, fake, bank, *extra) -> int:
    return main([*map(str, paths), "--url", fake.url, "--db", bank, *extra])


def test_conversation_whose_replies_match_passes_with_exit_zero(fake, bank, script, capsys):
    rasa = fake(
        answers={"本周哪些客户理财到期": "本周到期：1. 王秀英 理财 50万，11月20日"},
        intents={"本周哪些客户理财到期": "query_maturing"},
    )
    assert run([script(MATURING)], rasa, bank) == EXIT_OK
    out = capsys.readouterr().out
    assert "✓ 本周到期" in out
    assert "conversations: 1 passed, 0 failed" in out


def test_reply_naming_the_wrong_customers_fails_with_a_name_diff(fake, bank, script, capsys):
    rasa = fake(
        answers={"本周哪些客户理财到期": "本周到期：1. 张伟 理财 50万"},
        intents={"本周哪些客户理财到期": "query_maturing"},
    )
    assert run([script(MATURING)], rasa, bank) == EXIT_FAILED
    out = capsys.readouterr().out
    assert "- 王秀英    (expected, not named)" in out
    assert "+ 张伟    (named, not expected)" in out
    assert "│ 本周到期：1. 张伟 理财 50万" in out  # the reply is shown under the failing turn


def test_another_rms_client_in_a_reply_counts_as_unexpected_when_listed_by_the_query_scope(fake, bank, script, capsys):
    # 李娜 is rm02's: not in rm01's book and not in the expectation, so the reader cannot see her as a
    # customer name; the check still fails because 王秀英 is missing.
    rasa = fake(answers={"本周哪些客户理财到期": "本周到期：李娜"}, intents={"本周哪些客户理财到期": "query_maturing"})
    assert run([script(MATURING)], rasa, bank) == EXIT_FAILED
    assert "- 王秀英" in capsys.readouterr().out


def test_wrong_intent_is_reported_with_what_was_recognised(fake, bank, script, capsys):
    rasa = fake(answers={"本周哪些客户理财到期": "王秀英 到期"}, intents={"本周哪些客户理财到期": "customer_profile"})
    assert run([script(MATURING)], rasa, bank) == EXIT_FAILED
    assert "expected intent query_maturing, got customer_profile (0.93)" in capsys.readouterr().out


def test_junit_xml_has_one_case_per_conversation_with_failure_details(fake, bank, script, tmp_path):
    second = MATURING.replace("本周到期\n", "本周到期（第二个）\n").replace("rm01", "rm02")
    rasa = fake(
        answers={"本周哪些客户理财到期": "本周到期：王秀英"}, intents={"本周哪些客户理财到期": "query_maturing"}
    )
    junit = tmp_path / "out" / "converse.xml"
    code = run([script(MATURING, "a.yml"), script(second, "b.yml")], rasa, bank, "--junit", str(junit))
    assert code == EXIT_FAILED  # rm02's week holds 李娜, not 王秀英
    root = ET.parse(junit).getroot()
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert cases["本周到期"].find("failure") is None
    failure = cases["本周到期（第二个）"].find("failure")
    assert "turn 1" in failure.get("message") and "李娜" in failure.text


def test_exclude_tag_skips_pending_conversations(fake, bank, script):
    pending = (
        MATURING.replace("本周到期\n", "还没上线\n")
        .replace("[maturing]", "[pending]")
        .replace("本周哪些客户理财到期", "谁最可能流失")
    )
    rasa = fake(answers={"本周哪些客户理财到期": "王秀英 到期"}, intents={"本周哪些客户理财到期": "query_maturing"})
    assert run([script(MATURING, "a.yml"), script(pending, "b.yml")], rasa, bank, "--exclude-tag", "pending") == EXIT_OK
    assert [text for _, text in rasa.messages] == ["本周哪些客户理财到期"]


def test_include_tag_runs_only_tagged_conversations(fake, bank, script):
    other = MATURING.replace("本周到期\n", "打招呼\n").replace("[maturing]", "[smalltalk]")
    rasa = fake(answers={"本周哪些客户理财到期": "王秀英 到期"}, intents={"本周哪些客户理财到期": "query_maturing"})
    assert run([script(MATURING, "a.yml"), script(other, "b.yml")], rasa, bank, "--include-tag", "smalltalk") == EXIT_OK
    assert len(rasa.messages) == 1


def test_tag_filter_that_leaves_nothing_is_a_usage_error(fake, bank, script, capsys):
    rasa = fake()
    assert run([script(MATURING)], rasa, bank, "--include-tag", "nonexistent") == EXIT_USAGE
    assert rasa.messages == []
    assert "none left after the tag filters" in capsys.readouterr().out


def test_invalid_script_is_reported_with_file_line_and_hint_and_nothing_runs(fake, bank, script, capsys, tmp_path):
    bad = script(MATURING.replace("      contains: [到期]", "      contain: [到期]"))
    rasa = fake()
    junit = tmp_path / "bad.xml"
    assert run([bad], rasa, bank, "--junit", str(junit)) == EXIT_USAGE
    out = capsys.readouterr().out
    assert f"{bad}:11: conversation '本周到期', turn 1: unknown expect key 'contain' (did you mean 'contains'?)" in out
    assert rasa.messages == [] and rasa.resets == []
    assert ET.parse(junit).getroot().find("testsuite").get("errors") == "1"


def test_every_conversation_starts_with_a_reset_of_its_tracker(fake, bank, script):
    first = "- " + MATURING.strip().replace("\n", "\n  ")
    second = "- " + MATURING.strip().replace("本周到期\n", "本周到期再来一次\n").replace("\n", "\n  ")
    rasa = fake(answers={"本周哪些客户理财到期": "王秀英 到期"}, intents={"本周哪些客户理财到期": "query_maturing"})
    assert run([script(first + "\n" + second)], rasa, bank) == EXIT_OK
    assert rasa.log == [("reset", "rm01"), ("本周哪些客户理财到期", "rm01")] * 2


def test_conversations_of_one_staff_member_never_overlap_but_others_run_in_parallel(fake, bank, script):
    convs = []
    for i, staff in enumerate(["rm01", "rm01", "rm02", "bh01"]):
        convs.append(f"- name: c{i}\n  staff: {staff}\n  today: 2026-11-18\n  turns: [你好, 再见]")
    rasa = fake(answers={"你好": "您好", "再见": "再见"}, delay_s=0.2)
    assert run([script("\n".join(convs))], rasa, bank, "--jobs", "4") == EXIT_OK
    assert rasa.max_active_per_sender == 1
    assert rasa.max_active_total >= 2


def test_reply_slower_than_within_ms_fails(fake, bank, script, capsys):
    slow = "name: 慢\nstaff: rm01\ntoday: 2026-11-18\nturns:\n  - user: 你好\n    expect: {within_ms: 50}\n"
    rasa = fake(answers={"你好": "您好"}, delay_s=0.3)
    assert run([script(slow)], rasa, bank) == EXIT_FAILED
    assert "expected a reply within 50 ms, took" in capsys.readouterr().out


def test_without_the_http_api_the_reset_goes_through_the_channel_and_intent_checks_say_why_not(
    fake, bank, script, capsys
):
    rasa = fake(answers={"本周哪些客户理财到期": "王秀英"}, api=False)
    assert run([script(MATURING)], rasa, bank) == EXIT_FAILED
    assert rasa.messages[0] == ("rm01", "/restart")
    assert "intent: cannot check: the Rasa HTTP API answered 404" in capsys.readouterr().out


def test_slot_expectations_compare_values_and_star_means_set(fake, bank, script):
    text = (
        "name: 槽\nstaff: rm01\ntoday: 2026-11-18\nturns:\n  - user: 看一下王秀英\n"
        "    expect: {slots: {focus_customer_id: '*', last_list: null}}\n"
    )
    rasa = fake(answers={"看一下王秀英": "王秀英（女）"}, slots={"看一下王秀英": {"focus_customer_id": 7}})
    assert run([script(text)], rasa, bank) == EXIT_OK


def test_nobody_answering_at_the_url_is_a_stack_error_also_in_junit(bank, script, capsys, tmp_path):
    junit = tmp_path / "stack.xml"
    code = main(
        [str(script(MATURING)), "--url", f"http://127.0.0.1:{free_port()}", "--db", bank, "--junit", str(junit)]
    )
    assert code == EXIT_STACK
    assert "nothing answers at" in capsys.readouterr().err
    error = ET.parse(junit).getroot().find("testsuite/testcase/error")
    assert error.get("type") == "StackError" and "nothing answers at" in error.get("message")


def test_store_check_counts_rows_written_during_the_conversation(fake, bank, script):
    from datetime import datetime

    from sqlalchemy import select

    from bot.store.db import session_scope
    from bot.store.models import Contact, Customer

    def log_contact(sender: str, text: str) -> list[str]:
        with session_scope(bank) as s:
            cid = s.execute(select(Customer.id).where(Customer.name == "王秀英")).scalar_one()
            s.add(
                Contact(
                    staff_id="rm01",
                    customer_id=cid,
                    contacted_at=datetime(2026, 11, 18, 10),
                    channel="phone",
                    outcome="reached",
                )
            )
        return ["已记录：王秀英，电话。"]

    text = (
        "name: 记联系\nstaff: rm01\ntoday: 2026-11-18\nturns:\n  - user: 确认\n"
        "    expect:\n      store: {query: contacts_logged, params: {customer: 王秀英}, count: 1}\n"
        "  - user: 确认\n"
        "    expect:\n      store: {query: contacts_logged, count: 1}\n"
    )
    rasa = fake(answers={"确认": log_contact})
    assert run([script(text)], rasa, bank) == EXIT_FAILED  # the second confirmation wrote a second row
    assert rasa.messages.count(("rm01", "确认")) == 2


def test_conversations_sharing_any_speaker_run_one_after_another():
    from types import SimpleNamespace as NS

    from tools.converse.runner import _groups_sharing_a_speaker

    def conv(staff, *also):
        return NS(staff=staff, turns=[NS(staff=None), *(NS(staff=s) for s in also)])

    convs = [conv("rm01"), conv("bh01", "rm04"), conv("rm04"), conv("bh02", "rm01"), conv("rm02")]
    assert _groups_sharing_a_speaker(convs) == [[0, 3], [1, 2], [4]]
