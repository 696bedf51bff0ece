"""Output formats: text (for people), json (for tools), github (workflow annotations).

Every formatter returns the text for stdout; file errors go to stdout in ``text`` and
``github`` formats and to stderr (see `error_lines`) in ``json``, so stdout stays valid JSON.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from overridecheck.lint.model import Diagnostic, FileError

__all__ = [
    "FORMATS",
    "diagnostic_dict",
    "error_line",
    "format_github",
    "format_json",
    "format_text",
    "github_escape_data",
    "github_escape_property",
    "summary_line",
]

FORMATS = ("text", "json", "github")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def diagnostic_line(d: Diagnostic) -> str:
    return f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}"


def error_line(e: FileError) -> str:
    where = e.path
    if e.line is not None:
        where += f":{e.line}"
        if e.column is not None:
            where += f":{e.column}"
    return f"{where}: error: {e.message}"


def summary_line(
    diagnostics: Sequence[Diagnostic], errors: Sequence[FileError], checked: int
) -> str:
    """``Found 3 problems in 2 files (checked 10 files)``, ``All checks passed (...)``, ..."""
    parts = []
    if diagnostics:
        files = len({d.path for d in diagnostics})
        parts.append(f"Found {_plural(len(diagnostics), 'problem')} in {_plural(files, 'file')}")
    if errors:
        n = len(errors)
        verb = "path" if n == 1 else "paths"
        parts.append(f"{n} {verb} could not be checked")
    checked_text = f"(checked {_plural(checked, 'file')})"
    if not parts:
        return f"All checks passed {checked_text}"
    return f"{', '.join(parts)} {checked_text}"


def format_text(
    diagnostics: Sequence[Diagnostic],
    errors: Sequence[FileError],
    checked: int,
    *,
    quiet: bool = False,
) -> str:
    lines = [diagnostic_line(d) for d in diagnostics]
    lines += [error_line(e) for e in errors]
    if not quiet:
        lines.append(summary_line(diagnostics, errors, checked))
    return "".join(line + "\n" for line in lines)


def diagnostic_dict(d: Diagnostic) -> dict[str, Any]:
    return {
        "path": d.path,
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "code": d.code,
        "message": d.message,
        "suggestion": d.suggestion,
        "fix": d.fix is not None,
        "advice": d.advice,
    }


def format_json(diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps([diagnostic_dict(d) for d in diagnostics], indent=2) + "\n"


def github_escape_data(text: str) -> str:
    """Escape a workflow command's message (``%``, CR and LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_escape_property(text: str) -> str:
    """Escape a workflow command property value (also ``:`` and ``,``)."""
    return github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(props: Sequence[tuple[str, object]], message: str) -> str:
    rendered = ",".join(f"{k}={github_escape_property(str(v))}" for k, v in props)
    return f"::error {rendered}::{github_escape_data(message)}"


def format_github(diagnostics: Sequence[Diagnostic], errors: Sequence[FileError]) -> str:
    lines = []
    for d in diagnostics:
        props: list[tuple[str, object]] = [
            ("file", d.path),
            ("line", d.line),
            ("col", d.column),
            ("endLine", d.end_line),
            ("endColumn", d.end_column),
            ("title", d.code),
        ]
        lines.append(_github(props, f"{d.code} {d.message}"))
    for e in errors:
        props = [("file", e.path)]
        if e.line is not None:
            props.append(("line", e.line))
            if e.column is not None:
                props.append(("col", e.column))
        props.append(("title", "overridecheck"))
        lines.append(_github(props, e.message))
    return "".join(line + "\n" for line in lines)
