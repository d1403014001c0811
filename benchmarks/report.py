"""The benchmarks' results files: Markdown, one section per run, newest last."""

from __future__ import annotations

from pathlib import Path


def append_section(path: Path, title: str, script: str, section: str) -> None:
    """Append `section` to `path`, starting the file with `title` when it is new."""
    new = not path.exists()
    with path.open("a", encoding="utf-8") as out:
        if new:
            out.write(f"# {title}\n\nWritten by `{script}`; newest last.\n\n")
        out.write(section + "\n")
