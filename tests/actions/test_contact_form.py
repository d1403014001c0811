"""The log_contact form, action by action: what the first report fills in, what is asked, how a
confirmation, a repeat, a cancellation, a correction and a store failure end up in the contacts table.

Rasa's FormAction asks for the first required slot that is still empty (contact_customer_id,
contact_via, contact_outcome, then contact_confirmed, whose question is the confirmation) and runs
validate_log_contact_form on every message while the form is active; these tests play that part.
"""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from actions import contact as form
from actions.contact import (
    ActionAskContactConfirmed,
    ActionAskContactCustomer,
    ActionAskContactVia,
    ActionLogContactDone,
    ValidateLogContactForm,
)
from actions.playbook import ActionAskNextSteps
from bot import replies
from bot.replies import contact as wording
from bot.store.db import session_scope
from bot.store.models import AuditEntry, Contact
from tests import factories as f
from tests.actions.trackers import entity, run, slot, tracker

REQUIRED = ("contact_customer_id", "contact_via", "contact_outcome", "contact_confirmed")


def _book(db):
    """城东支行: 王丽 (rm01) looks after 王秀英 and two clients called 张伟; 李娜 is 赵强's (rm02)."""
    with session_scope(db) as s:
        f.branch(s, 1)
        f.staff(s, "rm01", "王丽")
        f.staff(s, "rm02", "赵强")
        wang = f.customer(s, "王秀英", "rm01", aum_wan=48)
        f.customer(s, "张伟", "rm01", gender="M", phone="13800001111", birth=date(1970, 1, 1))
        zhang = f.customer(s, "张伟", "rm01", gender="M", phone="13800002222", birth=date(1988, 1, 1))
        f.customer(s, "李娜", "rm02")
        return wang.id, zhang.id


def _form_tracker(text, intent="log_contact", entities=None, slots=None, requested=None, sender="rm01"):
    return tracker(sender, text, intent, entities, slots={"requested_slot": requested, **(slots or {})})


def _slots(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def _draft(wang_id, **changes):
    """The slots of a complete report about 王秀英, waiting for confirmation."""
    slots = {
        "contact_customer_id": wang_id,
        "contact_customer_name": "王秀英",
        "contact_via": "phone",
        "contact_outcome": "reached",
        "contact_purpose": "house",
        "contact_next_on": "2026-11-25",
        "contact_note": "刚给王秀英打了电话，她说钱要拿去买房，下周三再联系",
        "contact_confirmed": None,
    }
    slots.update(changes)
    return slots


def _contacts(db):
    with session_scope(db) as s:
        return s.execute(select(Contact).order_by(Contact.id)).scalars().all()


async def _confirm(slots, text="确认"):
    return await run(
        ValidateLogContactForm(), _form_tracker(text, "affirm", slots=slots, requested="contact_confirmed")
    )


async def test_a_full_report_fills_everything_and_only_the_confirmation_is_asked(db):
    wang_id, _ = _book(db)
    text = "刚给王秀英打了电话，她说钱要拿去买房，下周三再联系"
    trk = _form_tracker(
        text, entities=[entity(text, "customer_name", "王秀英"), entity(text, "purpose", "买房", "house")]
    )
    messages, events = await run(ValidateLogContactForm(), trk)
    filled = _slots(events)
    assert messages == []
    assert filled == {**_draft(wang_id, contact_customer_said=None), "contact_customer_how": "exact"}
    assert [name for name in REQUIRED if filled.get(name) is None] == ["contact_confirmed"]

    messages, _ = await run(
        ActionAskContactConfirmed(), _form_tracker(text, slots=filled, requested="contact_confirmed")
    )
    assert messages == [
        "确认记录：王秀英｜电话｜已沟通｜用途：买房｜下次联系：11月25日（周三）？\n"
        "回复“确认”保存，或直接说要改的地方（不记了就说“取消”）。"
    ]


async def test_the_form_asks_only_for_what_is_missing(db):
    wang_id, _ = _book(db)
    text = "记一下王秀英同意下周三来网点面谈"  # how the contact happened is not said
    trk = _form_tracker(text, entities=[entity(text, "customer_name", "王秀英")])
    _, events = await run(ValidateLogContactForm(), trk)
    filled = _slots(events)
    assert [name for name in REQUIRED if filled.get(name) is None] == ["contact_via", "contact_confirmed"]
    assert filled["contact_outcome"] == "agreed" and filled["contact_next_on"] == "2026-11-25"
    messages, _ = await run(ActionAskContactVia(), _form_tracker(text, slots=filled, requested="contact_via"))
    assert messages == ["好的，记王秀英的联系。这次是怎么联系的？电话、微信、短信、面谈还是上门？"]

    _, events = await run(
        ValidateLogContactForm(), _form_tracker("微信", "ask_script", slots=filled, requested="contact_via")
    )
    assert _slots(events) == {"contact_via": "wechat", "contact_confirmed": None}


async def test_an_unreached_client_is_recorded_as_such(db):
    wang_id, _ = _book(db)
    text = "刚给王秀英打了电话"
    _, events = await run(
        ValidateLogContactForm(), _form_tracker(text, entities=[entity(text, "customer_name", "王秀英")])
    )
    filled = _slots(events)
    assert filled["contact_via"] == "phone" and filled["contact_outcome"] is None

    _, events = await run(
        ValidateLogContactForm(), _form_tracker("没人接", "deny", slots=filled, requested="contact_outcome")
    )
    assert _slots(events) == {"contact_outcome": "no_answer", "contact_confirmed": None}


async def test_confirm_writes_exactly_one_row_with_what_was_confirmed(db):
    wang_id, _ = _book(db)
    _, events = await _confirm(_draft(wang_id))
    assert _slots(events) == {"contact_confirmed": "saved"}
    rows = _contacts(db)
    assert len(rows) == 1
    row = rows[0]
    assert (row.staff_id, row.customer_id, row.channel, row.outcome, row.stated_purpose) == (
        "rm01",
        wang_id,
        "phone",
        "reached",
        "house",
    )
    assert row.next_contact_on == date(2026, 11, 25) and row.contacted_at.date() == date(2026, 11, 18)
    assert row.note == "刚给王秀英打了电话，她说钱要拿去买房，下周三再联系"


async def test_a_repeated_confirmation_writes_no_second_row(db):
    wang_id, _ = _book(db)
    await _confirm(_draft(wang_id))
    _, events = await _confirm(_draft(wang_id), "对，保存")
    assert _slots(events) == {"contact_confirmed": "already_saved"}
    assert len(_contacts(db)) == 1
    messages, _ = await run(
        ActionLogContactDone(), _form_tracker("对", "affirm", slots=_draft(wang_id, contact_confirmed="already_saved"))
    )
    assert messages == [wording.ALREADY_SAVED]


async def test_cancel_writes_nothing_and_clears_the_form(db):
    wang_id, _ = _book(db)
    messages, events = await run(
        ValidateLogContactForm(),
        _form_tracker("算了，先不记了", "deny", slots=_draft(wang_id), requested="contact_confirmed"),
    )
    assert _slots(events) == {"contact_confirmed": "cancelled", "requested_slot": None}
    messages, events = await run(
        ActionLogContactDone(), _form_tracker("算了", "deny", slots=_draft(wang_id, contact_confirmed="cancelled"))
    )
    assert messages == [wording.CANCELLED]
    assert all(_slots(events)[name] is None for name in form.FORM_SLOTS)
    assert _contacts(db) == []


async def test_a_correction_changes_the_stored_value(db):
    wang_id, _ = _book(db)
    text = "不对，是微信联系的"
    trk = _form_tracker(
        text, "deny", [entity(text, "contact_channel", "微信", "wechat")], _draft(wang_id), "contact_confirmed"
    )
    _, events = await run(ValidateLogContactForm(), trk)
    assert _slots(events) == {"contact_via": "wechat", "contact_confirmed": None}

    corrected = _draft(wang_id, contact_via="wechat")
    _, events = await run(
        ValidateLogContactForm(),
        _form_tracker("下次联系改成周五", "log_contact", slots=corrected, requested="contact_confirmed"),
    )
    assert _slots(events) == {"contact_next_on": "2026-11-20", "contact_confirmed": None}

    await _confirm(_draft(wang_id, contact_via="wechat", contact_next_on="2026-11-20"))
    (row,) = _contacts(db)
    assert row.channel == "wechat" and row.next_contact_on == date(2026, 11, 20)


async def test_an_unclear_objection_asks_what_to_change(db):
    wang_id, _ = _book(db)
    messages, events = await run(
        ValidateLogContactForm(), _form_tracker("不对", "deny", slots=_draft(wang_id), requested="contact_confirmed")
    )
    assert messages == [wording.NOT_UNDERSTOOD]
    assert _slots(events) == {"contact_confirmed": None}
    assert _contacts(db) == []


@pytest.mark.parametrize("requested", ["contact_confirmed", "contact_via"])
async def test_another_question_mid_form_is_left_to_its_own_action(db, requested):
    wang_id, _ = _book(db)
    slots = _draft(wang_id, contact_via=None) if requested == "contact_via" else _draft(wang_id)
    trk = _form_tracker("下周哪些客户理财到期", "query_maturing", slots=slots, requested=requested)
    messages, events = await run(ValidateLogContactForm(), trk)
    assert (messages, events) == ([], [])  # 下周 is not taken for the next contact date


async def test_a_store_failure_says_so_and_keeps_the_report_for_a_retry(db, monkeypatch):
    wang_id, _ = _book(db)

    def unavailable(*args, **kwargs):
        raise OperationalError("INSERT INTO contacts", {}, Exception("database is locked"))

    working = form.save_contact
    monkeypatch.setattr(form, "save_contact", unavailable)
    messages, events = await _confirm(_draft(wang_id))
    assert messages == [wording.SAVE_FAILED] and replies.DATA_UNAVAILABLE in messages[0]
    assert _slots(events) == {"contact_confirmed": None}  # every other slot stays as it was
    assert _contacts(db) == []

    monkeypatch.setattr(form, "save_contact", working)  # the store is back: "确认" again
    _, events = await _confirm(_draft(wang_id))
    assert _slots(events) == {"contact_confirmed": "saved"} and len(_contacts(db)) == 1


async def test_another_rms_client_is_asked_about_like_a_name_of_nobody_and_nothing_is_written(db):
    _book(db)
    text = "刚给李娜打了电话，她说下周来"
    messages, events = await run(
        ValidateLogContactForm(), _form_tracker(text, entities=[entity(text, "customer_name", "李娜")])
    )
    filled = _slots(events)
    assert filled["contact_customer_id"] is None and filled["contact_customer_said"] == "李娜"
    # Asked again in the very words a name of nobody gets: the form does not tell that 李娜 is a client elsewhere.
    asked, _ = await run(ActionAskContactCustomer(), _form_tracker(text, slots={"contact_customer_said": "李娜"}))
    nobody, _ = await run(ActionAskContactCustomer(), _form_tracker(text, slots={"contact_customer_said": "李娜娜"}))
    assert asked == ["在您可查看的客户里没有“李娜”，请核对姓名。"]
    assert nobody == ["在您可查看的客户里没有“李娜娜”，请核对姓名。"]
    assert _contacts(db) == []


async def test_a_shared_name_is_asked_back_and_a_phone_tail_picks_the_client(db):
    _, zhang_id = _book(db)
    text = "刚给张伟打了电话，他说要考虑"
    _, events = await run(
        ValidateLogContactForm(), _form_tracker(text, entities=[entity(text, "customer_name", "张伟")])
    )
    filled = _slots(events)
    assert filled["contact_customer_id"] is None and filled["contact_customer_said"] == "张伟"
    assert filled["contact_outcome"] == "callback"

    messages, _ = await run(
        ActionAskContactCustomer(), _form_tracker(text, slots=filled, requested="contact_customer_id")
    )
    assert "2位" in messages[0] and "尾号1111" in messages[0] and "尾号2222" in messages[0]

    _, events = await run(
        ValidateLogContactForm(),
        _form_tracker("尾号2222的那位", "customer_profile", slots=filled, requested="contact_customer_id"),
    )
    assert _slots(events)["contact_customer_id"] == zhang_id


async def test_the_client_lookup_is_audited_as_log_contact(db):
    wang_id, _ = _book(db)
    text = "刚给王秀英打了电话，她说钱要拿去买房"
    await run(ValidateLogContactForm(), _form_tracker(text, entities=[entity(text, "customer_name", "王秀英")]))
    with session_scope(db) as s:
        rows = s.execute(select(AuditEntry.intent, AuditEntry.customer_id)).all()
    assert [tuple(r) for r in rows] == [("log_contact", wang_id)]


async def test_saving_reports_it_and_puts_the_client_in_focus(db):
    wang_id, _ = _book(db)
    await _confirm(_draft(wang_id))
    messages, events = await run(
        ActionLogContactDone(), _form_tracker("确认", "affirm", slots=_draft(wang_id, contact_confirmed="saved"))
    )
    assert messages[0].startswith("已保存：王秀英｜电话｜已沟通｜用途：买房｜下次联系：11月25日（周三）。")
    assert slot(events, "focus_customer_id") == wang_id
    assert slot(events, "contact_customer_id") is None


async def test_a_stated_purchase_makes_the_playbook_treat_the_client_as_consumption_driven(db):
    wang_id, _ = _book(db)
    await _confirm(_draft(wang_id))
    messages, _ = await run(
        ActionAskNextSteps(),
        tracker("rm01", "她下一步怎么跟进", "ask_next_steps", slots={"focus_customer_id": wang_id}),
    )
    assert "消费导向型" in messages[0].splitlines()[0]
    assert "客户因买房用钱：介绍贷款或分期" in messages[0]


@pytest.mark.parametrize("earlier", ["下次联系改成周五", "不对，是微信联系的"])
async def test_the_form_resuming_after_another_action_does_not_reread_the_message(db, earlier):
    wang_id, _ = _book(db)
    trk = tracker("rm01", earlier, "log_contact", slots={"requested_slot": "contact_confirmed", **_draft(wang_id)})
    trk.events.append({"event": "action", "name": "action_query_maturing"})
    assert await run(ValidateLogContactForm(), trk) == ([], [])


async def _confirm_asked_at(slots, asked_at: float, text="确认"):
    """A "确认" answering the confirmation question the form asked at `asked_at` (its requested_slot event)."""
    trk = _form_tracker(text, "affirm", slots=slots, requested="contact_confirmed")
    asked = {"event": "slot", "name": "requested_slot", "value": "contact_confirmed", "timestamp": asked_at}
    trk.events[:0] = [asked]
    return await run(ValidateLogContactForm(), trk)


async def test_two_real_identical_reports_confirmed_separately_are_two_rows(db):
    """The RM called 王秀英 twice today and reported the same words twice: both calls are kept."""
    wang_id, _ = _book(db)
    _, first = await _confirm_asked_at(_draft(wang_id), 1795000000.25)
    _, second = await _confirm_asked_at(_draft(wang_id), 1795003600.5)  # a later form run, asked again
    assert _slots(first) == _slots(second) == {"contact_confirmed": "saved"}
    assert len(_contacts(db)) == 2


async def test_a_retried_delivery_of_one_confirmation_is_one_row(db):
    """The same confirmation question answered again (the answer retried, a double tap, "对，保存" after
    "确认"): the row already written stands."""
    wang_id, _ = _book(db)
    await _confirm_asked_at(_draft(wang_id), 1795000000.25)
    _, again = await _confirm_asked_at(_draft(wang_id), 1795000000.25)
    _, reworded = await _confirm_asked_at(_draft(wang_id), 1795000000.25, "对，保存")
    assert _slots(again) == _slots(reworded) == {"contact_confirmed": "already_saved"}
    assert len(_contacts(db)) == 1


async def test_request_keys_follow_the_content():
    from bot.answers.contact import ContactDraft, request_key

    draft = ContactDraft(7, "phone", "reached", "house", date(2026, 11, 25), "她说买房")
    today = date(2026, 11, 18)
    assert request_key("rm01", draft, today) == request_key(
        "rm01", ContactDraft(7, "phone", "reached", "house", date(2026, 11, 25), "她说买房"), today
    )
    assert request_key("rm01", draft, today) != request_key(
        "rm01", ContactDraft(7, "wechat", "reached", "house", date(2026, 11, 25), "她说买房"), today
    )
    assert request_key("rm01", draft, today) != request_key("rm01", draft, date(2026, 11, 19))
    assert len(request_key("rm01", draft, today)) <= 64
    assert request_key("rm01", draft, today, "1795000000.25") != request_key("rm01", draft, today, "1795003600.5")
    assert request_key("rm01", draft, today, "1795000000.25") == request_key("rm01", draft, today, "1795000000.25")


async def test_money_the_client_announced_is_saved_with_its_day(db, monkeypatch):
    monkeypatch.setenv("BOT_TODAY", "2026-11-18")
    wang_id, _ = _book(db)
    note = "刚给王秀英打了电话，她说明天要取50万买房"
    await _confirm(_draft(wang_id, contact_note=note, contact_next_on=None))
    saved = _contacts(db)
    assert len(saved) == 1
    assert saved[0].announced_fen == 50 * 10_000 * 100 and saved[0].announced_on == date(2026, 11, 19)
