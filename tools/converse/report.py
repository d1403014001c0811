"""Readable results per turn for people, JUnit XML for CI systems."""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from tools.converse.runner import ConversationResult, TurnResult
from tools.converse.script import ScriptError

PASS, FAIL, ERROR = "✓", "✗", "!"


def _reply_lines(replies: list[str], indent: str) -> list[str]:
    if not replies:
        return [f"{indent}│ (no reply)"]
    lines = []
    for i, reply in enumerate(replies):
        if i:
            lines.append(f"{indent}├─")
        lines.extend(f"{indent}│ {line}" for line in reply.splitlines() or [""])
    return lines


def render_turn(t: TurnResult, verbose: bool = False) -> list[str]:
    took = f"{t.elapsed_ms} ms" if t.elapsed_ms is not None else "no reply"
    intent = f", {t.intent}" if t.intent else ""
    lines = [f"  {PASS if t.passed else FAIL} {t.number}. {t.turn.user}  ({took}{intent})"]
    if t.failures or verbose:
        lines.extend(_reply_lines(t.replies, "       "))
    for f in t.failures:
        lines.append(f"       {FAIL} {f.check}: {f.summary}")
        lines.extend(f"         {d}" for d in f.detail)
    return lines


def render_conversation(r: ConversationResult, verbose: bool = False) -> str:
    c = r.conversation
    mark = {"passed": PASS, "failed": FAIL, "error": ERROR}[r.status]
    lines = [f"{mark} {c.name}  [{c.where} · {c.staff} · {c.channel} · {r.seconds:.1f} s]"]
    for t in r.turns:
        lines.extend(render_turn(t, verbose))
    if r.error:
        at = f"turn {len(r.turns) + 1}" if len(r.turns) < len(c.turns) else "after the last turn"
        lines.append(f"  {ERROR} stopped at {at}: {r.error}")
    return "\n".join(lines)


def counts(results: Iterable[ConversationResult]) -> dict[str, int]:
    out = {"passed": 0, "failed": 0, "error": 0}
    for r in results:
        out[r.status] += 1
    return out


def render_summary(results: list[ConversationResult], seconds: float) -> str:
    n = counts(results)
    lines = []
    bad = [r for r in results if not r.passed]
    if bad:
        lines.append("")
        lines.append("not passed:")
        for r in bad:
            first = r.error or next(
                (
                    f"turn {t.number}: {', '.join(dict.fromkeys(f.check for f in t.failures))}"
                    for t in r.turns
                    if not t.passed
                ),
                "",
            )
            lines.append(
                f"  {FAIL if r.status == 'failed' else ERROR} {r.conversation.name} ({r.conversation.where}) — {first}"
            )
    errors = f", {n['error']} error" if n["error"] else ""
    lines.append(f"conversations: {n['passed']} passed, {n['failed']} failed{errors} in {seconds:.1f} s")
    return "\n".join(lines)


def render_script_errors(errors: list[ScriptError]) -> str:
    lines = [f"{len(errors)} problem(s) in the conversation scripts; nothing was run:"]
    lines.extend(f"  {e}" for e in errors)
    return "\n".join(lines)


# --- JUnit XML ----------------------------------------------------------------------------------------


def _case_text(r: ConversationResult) -> str:
    lines = []
    for t in r.turns:
        lines.extend(render_turn(t, verbose=True))
    return "\n".join(lines)


def junit_xml(
    results: list[ConversationResult],
    seconds: float = 0.0,
    script_errors: list[ScriptError] = (),
    stack_error: str | None = None,
    suite: str = "converse",
) -> ET.ElementTree:
    """One test case per conversation (classname: the script file), one per invalid script, and one for a
    stack that could not be started."""
    n = counts(results)
    extra = len(script_errors) + (1 if stack_error else 0)
    root = ET.Element("testsuites")
    ts = ET.SubElement(
        root,
        "testsuite",
        name=suite,
        tests=str(len(results) + extra),
        failures=str(n["failed"]),
        errors=str(n["error"] + extra),
        skipped="0",
        time=f"{seconds:.3f}",
        timestamp=datetime.now().isoformat(timespec="seconds"),
        hostname=socket.gethostname(),
    )
    for e in script_errors:
        case = ET.SubElement(
            ts, "testcase", classname=_classname(e.path), name=f"script {e.path}", file=e.path, time="0"
        )
        ET.SubElement(case, "error", message=str(e), type="ScriptError").text = str(e)
    if stack_error:
        case = ET.SubElement(ts, "testcase", classname="converse", name="stack", time=f"{seconds:.3f}")
        ET.SubElement(case, "error", message=stack_error.splitlines()[0][:1000], type="StackError").text = stack_error
    for r in results:
        c = r.conversation
        case = ET.SubElement(
            ts, "testcase", classname=_classname(c.path), name=c.name, file=c.path, time=f"{r.seconds:.3f}"
        )
        if c.line:
            case.set("line", str(c.line))
        props = ET.SubElement(case, "properties")
        for key, value in (
            ("staff", c.staff),
            ("channel", c.channel),
            ("today", c.today.isoformat()),
            ("tags", ",".join(c.tags)),
        ):
            ET.SubElement(props, "property", name=key, value=value)
        if r.error:
            ET.SubElement(case, "error", message=r.error, type="ConversationError").text = (
                _case_text(r) + "\n" + r.error
            )
        elif not r.passed:
            bad = [t for t in r.turns if not t.passed]
            message = "; ".join(f"turn {t.number}: {f.summary}" for t in bad for f in t.failures)
            ET.SubElement(case, "failure", message=message[:1000], type="ConversationFailure").text = _case_text(r)
        ET.SubElement(case, "system-out").text = _case_text(r)
    ts_totals = ts.attrib
    root.set("tests", ts_totals["tests"])
    root.set("failures", ts_totals["failures"])
    root.set("errors", ts_totals["errors"])
    root.set("time", ts_totals["time"])
    ET.indent(root)
    return ET.ElementTree(root)


def _classname(path: str) -> str:
    p = Path(path)
    return ".".join([*p.parent.parts[-2:], p.stem]).replace(" ", "_") if p.parts else "converse"


def write_junit(
    path: str | Path,
    results: list[ConversationResult],
    seconds: float = 0.0,
    script_errors: list[ScriptError] = (),
    stack_error: str | None = None,
) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    junit_xml(results, seconds, script_errors, stack_error).write(path, encoding="utf-8", xml_declaration=True)
