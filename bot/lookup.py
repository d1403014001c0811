"""Finding the client a staff member means, only ever inside what they may see."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.formatting import form_of_address
from bot.nlu.names import ClientRef, NameIndex
from bot.store.models import Customer
from bot.store.scope import clients_in_scope, name_exists_outside_scope
from bot.store.staff_directory import StaffMember

_PHONE_TAIL = re.compile(r"(?<!\d)(\d{4})(?!\d)")


@dataclass(frozen=True)
class Candidate:
    ref: ClientRef
    phone_tail: str
    birth_year: int


@dataclass(frozen=True)
class ClientLookup:
    """Outcome of resolving a name: exactly one of found / candidates / not_visible / unknown applies."""

    said: str | None
    found: ClientRef | None = None
    candidates: tuple[Candidate, ...] = ()  # more than one fits: ask which
    not_visible: bool = False  # the name exists, but not in the asker's book
    how: str = ""  # exact | title | pinyin | phone_tail | focus

    @property
    def unknown(self) -> bool:
        return self.found is None and not self.candidates and not self.not_visible


def find_client(
    session: Session, staff: StaffMember, said: str | None, text: str, focus_id: int | None = None
) -> ClientLookup:
    """Resolve the name the NLU extracted (or spot one in the text); fall back to the client in focus.

    When several clients fit, a phone-number tail in the text ("尾号5678的那位") picks one.
    """
    refs = [ClientRef(cid, name, gender) for cid, name, gender in clients_in_scope(session, staff)]
    index = NameIndex(refs)
    match = index.resolve(said) if said else index.find_in_text(text)
    if said and not match.matches:
        # The extracted span can be off by a character or two ("客户王秀英", "王秀英要"), above all in
        # voice transcripts: a client of this staff member named in the text still counts.
        in_text = index.find_in_text(text)
        if in_text.matches:
            match = in_text
    if match.kind == "ambiguous":
        candidates, addressed = _candidates(session, match.matches, said)
        tails = set(_PHONE_TAIL.findall(text))
        chosen = [c for c in candidates if c.phone_tail in tails]
        if len(chosen) == 1:
            return ClientLookup(said, found=chosen[0].ref, how="phone_tail")
        if len(addressed) == 1:
            # "陈总" means the client the bank itself addresses as 陈总 (same rule as the scripts use).
            return ClientLookup(said, found=addressed[0].ref, how="title")
        return ClientLookup(said, candidates=addressed or candidates)
    if match.matches:
        return ClientLookup(said, found=match.matches[0], how=match.kind)
    if said:
        return ClientLookup(said, not_visible=name_exists_outside_scope(session, staff, said))
    if focus_id is not None:
        ref = next((r for r in refs if r.customer_id == focus_id), None)
        if ref is not None:
            return ClientLookup(None, found=ref, how="focus")
    return ClientLookup(None)


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
        )
        .where(Customer.id.in_(by_id))
        .order_by(Customer.aum_fen.desc(), Customer.id)
    ).all()
    candidates = tuple(Candidate(by_id[r.id], r.phone[-4:], r.birth_date.year) for r in rows)
    addressed = tuple(
        c for c, r in zip(candidates, rows) if said and form_of_address(r.name, r.gender, r.tier, r.occupation) == said
    )
    return candidates, addressed
