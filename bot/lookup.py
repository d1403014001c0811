"""Finding the client a staff member means, only ever inside what they may see."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import today
from bot.formatting import form_of_address
from bot.nlu.attributes import describe, fits, singles_out
from bot.nlu.names import (
    PINYIN,
    RESOLVE_THRESHOLD,
    SURE_READING,
    ClientRef,
    NameIndex,
    clean_span,
    name_similarity,
    syllables,
)
from bot.store.models import Branch, Customer
from bot.store.scope import clients_in_scope, names_outside_scope
from bot.store.staff_directory import StaffMember

MAX_SCAN_CHARS = 200  # messages are capped long before this (bot/message_guard.py); bounds the IN list


@dataclass(frozen=True)
class Candidate:
    ref: ClientRef
    phone_tail: str
    birth_year: int
    birth_date: date | None = None
    gender: str = ""
    occupation: str = ""
    tier: str = ""
    branch_name: str = ""


@dataclass(frozen=True)
class ClientLookup:
    """Outcome of resolving a name: exactly one of found / candidates / not_visible / unknown applies."""

    said: str | None
    found: ClientRef | None = None
    candidates: tuple[Candidate, ...] = ()  # more than one fits: ask which
    not_visible: bool = False  # the name exists, but not in the asker's book
    how: str = ""  # exact | title | pinyin | phone_tail | focus
    suggested: ClientRef | None = None  # a guess by sound, offered as a question, never answered about
    chosen: Candidate | None = None  # the namesake a description picked ("尾号3009的", "63岁的那个")

    @property
    def unknown(self) -> bool:
        return self.found is None and not self.candidates and not self.not_visible and self.suggested is None

    @property
    def by_exact_name(self) -> bool:
        """Resolved by the name itself: anything else (a title, a sound, a phone tail, 他/她) is confirmed before a write."""
        return self.found is not None and self.how == "exact"


def find_client(
    session: Session, staff: StaffMember, said: str | None, text: str, focus_id: int | None = None
) -> ClientLookup:
    """Resolve the name the NLU extracted (or spot one in the text); fall back to the client in focus.

    When several clients fit, what the text says of them picks one: a phone-number tail ("尾号5678的那位"),
    an age, a birth year, a job, the gender, the tier or the branch (bot/nlu/attributes.py).
    """
    refs = [ClientRef(cid, name, gender) for cid, name, gender in clients_in_scope(session, staff)]
    index = NameIndex(refs)
    heard = clean_span(said) if said else ""
    # The exact name of a client the asker may not see is refused first, never swapped for a
    # similar-sounding client of their own (刘晓萍 of another branch is not 刘晓晶) — whether the
    # extractor marked it or it only appears in the text.
    mine = {r.name for r in refs}
    if heard and heard not in mine and names_outside_scope(session, staff, [heard]):
        return ClientLookup(said, not_visible=True)
    match = index.resolve(said) if said else index.find_in_text(text)
    if said and not match.matches:
        # The extracted span can be off by a character or two ("客户王秀英", "王秀英要"), above all in
        # voice transcripts: a client named in the text still counts when the name overlaps the span.
        in_text = index.find_in_text(text)
        if in_text.matches and all(_overlaps(ref.name, heard) for ref in in_text.matches):
            match = in_text
    if match.kind == PINYIN and _sounds_like_someone_outside(session, staff, text, match.matches, mine):
        return ClientLookup(said, not_visible=bool(said))
    if match.kind == "ambiguous":
        candidates, addressed = _candidates(session, match.matches, said)
        desc = describe(text)
        chosen = fits(desc, list(candidates), today(), singles_out(text)) if not desc.empty else []
        if len(chosen) == 1:
            how = "phone_tail" if desc.phone_tails else "attribute"
            return ClientLookup(said, found=chosen[0].ref, how=how, chosen=chosen[0])
        if len(addressed) == 1:
            # "陈总" means the client the bank itself addresses as 陈总 (same rule as the scripts use).
            return ClientLookup(said, found=addressed[0].ref, how="title")
        return ClientLookup(said, candidates=addressed or candidates)
    if match.kind == PINYIN and match.score < SURE_READING:
        return ClientLookup(said, suggested=match.matches[0], how=PINYIN)  # "您是说王秀英吗？"
    if match.matches:
        return ClientLookup(said, found=match.matches[0], how=match.kind)
    if said:
        return ClientLookup(said, not_visible=bool(names_outside_scope(session, staff, [heard or said])))
    if focus_id is not None:
        ref = next((r for r in refs if r.customer_id == focus_id), None)
        if ref is not None:
            return ClientLookup(None, found=ref, how="focus")
    return ClientLookup(None)


def _sounds_like_someone_outside(
    session: Session, staff: StaffMember, text: str, matched: tuple[ClientRef, ...], mine: set[str]
) -> bool:
    """A client matched by sound while the text holds the exact name of a client outside the asker's
    scope who sounds the same: that is the other client, not a mishearing of this one."""
    pieces = [p for p in _name_like_pieces(text) if p not in mine]
    for name in names_outside_scope(session, staff, pieces):
        if any(name_similarity(syllables(name), syllables(ref.name)) >= RESOLVE_THRESHOLD for ref in matched):
            return True
    return False


def _name_like_pieces(text: str) -> set[str]:
    """Every run of 2–4 Chinese characters in the text: the pieces that could be somebody's name."""
    pieces = set()
    for run in re.findall(r"[\u4e00-\u9fff]+", text[:MAX_SCAN_CHARS]):
        for length in (2, 3, 4):
            pieces.update(run[i : i + length] for i in range(len(run) - length + 1))
    return pieces


def _overlaps(name: str, span: str) -> bool:
    """The two share two characters in a row (王秀英 / 客户王秀英, 秀英), so the scan found the same name."""
    return any(name[i : i + 2] in span for i in range(len(name) - 1))


def _candidates(
    session: Session, refs: tuple[ClientRef, ...], said: str | None
) -> tuple[tuple[Candidate, ...], tuple[Candidate, ...]]:
    """All candidates, and those whom the bank addresses exactly as `said` (陈总 / 王女士)."""
    by_id = {r.customer_id: r for r in refs}
    rows = session.execute(
        select(
            Customer.id,
            Customer.name,
            Customer.gender,
            Customer.tier,
            Customer.occupation,
            Customer.phone,
            Customer.birth_date,
            Branch.name.label("branch_name"),
        )
        .join(Branch, Branch.id == Customer.branch_id)
        .where(Customer.id.in_(by_id))
        .order_by(Customer.aum_fen.desc(), Customer.id)
    ).all()
    candidates = tuple(
        Candidate(
            by_id[r.id], r.phone[-4:], r.birth_date.year, r.birth_date, r.gender, r.occupation, r.tier, r.branch_name
        )
        for r in rows
    )
    addressed = tuple(
        c for c, r in zip(candidates, rows) if said and form_of_address(r.name, r.gender, r.tier, r.occupation) == said
    )
    return candidates, addressed
