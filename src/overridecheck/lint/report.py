"""Output formats: text (for people), json (for tools), github (workflow annotations), sarif.

`report` writes a run's results in any format, with the coverage notes and the summary; it is
what the command line calls. Every formatter returns the text for stdout; file errors go to
stdout in ``text`` and ``github`` formats and to stderr (see `error_line`) in ``json``, so
stdout stays valid JSON.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, Optional

from overridecheck.lint.model import Diagnostic, FileError, Fix, Unchecked

if TYPE_CHECKING:
    from overridecheck.lint.rules import RuleInfo

__all__ = [
    "FORMATS",
    "UNRESOLVED_MODES",
    "cause_text",
    "coverage_groups",
    "coverage_lines",
    "coverage_messages",
    "diagnostic_dict",
    "diagnostic_line",
    "error_line",
    "fix_state",
    "fixable_line",
    "format_github",
    "format_json",
    "format_statistics",
    "format_text",
    "github_escape_data",
    "github_escape_property",
    "report",
    "shown_path",
    "statistics_json",
    "summary_line",
    "unchecked_line",
    "use_color",
]

FORMATS = ("text", "json", "github", "sarif")

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_RED = "\x1b[31m"
_CYAN = "\x1b[36m"


def use_color(stream: IO[str], environ: Optional[Mapping[str, str]] = None) -> bool:
    """Colour for ``stream``: ``FORCE_COLOR`` forces it, ``NO_COLOR`` turns it off, and
    otherwise only a terminal (not ``TERM=dumb``) gets it."""
    env = os.environ if environ is None else environ
    force = env.get("FORCE_COLOR", "")
    if force and force.lower() not in ("0", "false", "no"):
        return True
    if env.get("NO_COLOR", ""):
        return False
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        return False
    return tty and env.get("TERM", "") != "dumb"


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color else text


def fix_state(d: Diagnostic) -> Optional[str]:
    """``"safe"``, ``"unsafe"`` (applied only with ``--unsafe-fixes``) or None."""
    if not isinstance(d.fix, Fix):
        return None
    return "safe" if d.fix.safe else "unsafe"


def _applicable(d: Diagnostic, unsafe_fixes: bool) -> bool:
    state = fix_state(d)
    return state == "safe" or (state == "unsafe" and unsafe_fixes)


def shown_path(path: str) -> str:
    """A path as printed: bytes of a file name that are not UTF-8 (``caf\\xe9.py``, decoded by
    Python as lone surrogates) shown as backslash escapes, so any output encoding can carry it."""
    if path.isascii():
        return path
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word}es" if word.endswith("s") else f"{n} {word}s"


def diagnostic_line(d: Diagnostic, *, unsafe_fixes: bool = False, color: bool = False) -> str:
    """``path:line:col: CODE [*] message``; ``[*]``: ``--fix`` would fix it."""
    where = _paint(f"{shown_path(d.path)}:{d.line}:{d.column}:", _BOLD, color)
    code = _paint(d.code, _RED + _BOLD, color)
    mark = " " + _paint("[*]", _CYAN, color) if _applicable(d, unsafe_fixes) else ""
    return f"{where} {code}{mark} {d.message}"


def fixable_line(diagnostics: Sequence[Diagnostic], *, unsafe_fixes: bool = False) -> str:
    """``[*] 2 fixable with `--fix` (1 more with `--unsafe-fixes`)``, or "" when none."""
    safe = sum(1 for d in diagnostics if fix_state(d) == "safe")
    unsafe = sum(1 for d in diagnostics if fix_state(d) == "unsafe")
    if unsafe_fixes:
        safe, unsafe = safe + unsafe, 0
    more = f"{unsafe} more with `--unsafe-fixes`"
    if safe:
        return f"[*] {safe} fixable with `--fix`" + (f" ({more})" if unsafe else "")
    if unsafe:
        return f"No fixes available with `--fix` ({more})"
    return ""


def error_line(e: FileError) -> str:
    where = shown_path(e.path)
    if e.line is not None:
        where += f":{e.line}"
        if e.column is not None:
            where += f":{e.column}"
    return f"{where}: error: {e.message}"


# What keeps a class from being checked (``model.Unchecked.cause``): the message (``{}``: the
# package, callee or module it is about; otherwise examples follow it) and the advice
_CAUSES: dict[str, tuple[str, str]] = {
    "missing": (
        "bases from `{}` not found",
        "install it where overridecheck can see it, or set `python`",
    ),
    "call": ("base built by a call (`{}`)", ""),
    "unresolved": ("bases from `{}` cannot be followed statically", ""),
    "undefined": ("base not defined or imported", ""),
    "star": ("base not defined here, perhaps from a `*` import", ""),
    "own-name": ("base with the class's own name", ""),
    "local-binding": ("base bound by a statement that is not followed", ""),
    "local": ("base from the local names of the enclosing function", ""),
    "dynamic": ("base whose class body binds names dynamically", ""),
    "cycle": ("inherits from itself", ""),
    "deep": ("inheritance nested too deeply to follow", ""),
}
UNRESOLVED_MODES = ("warn", "error", "ignore")
_EXAMPLES = 3


def cause_text(
    cause: str, details: Sequence[str], *, more: bool = False, advice: bool = True
) -> str:
    """``bases from `twisted` not found (install it where ...)``, ``base not defined or
    imported (`Foo`, `Bar`)``."""
    message, hint = _CAUSES.get(cause, ("bases from `{}` cannot be followed statically", ""))
    if "{}" in message:
        text = message.format(details[0]) if details and details[0] else message.split(" (`")[0]
    else:
        named = ", ".join(f"`{d}`" for d in details if d) + (", ..." if more else "")
        text = f"{message} ({named})" if named else message
    return f"{text} ({hint})" if advice and hint else text


def coverage_groups(unchecked: Sequence[Unchecked]) -> list[tuple[int, str, tuple[str, ...], bool]]:
    """(count, cause, details, more) of the classes not checked, most frequent first: one group
    per package, callee or module for the causes about one (each missing package needs its own
    install), one per cause for the others, with a few of its names (``more``: there are
    others)."""
    counts: dict[tuple[str, str], int] = {}
    names: dict[str, dict[str, None]] = {}
    for u in unchecked:
        per_detail = "{}" in _CAUSES.get(u.cause, ("{}", ""))[0]
        key = (u.cause, u.detail if per_detail else "")
        counts[key] = counts.get(key, 0) + 1
        if not per_detail and u.detail:
            names.setdefault(u.cause, {})[u.detail] = None
    groups: list[tuple[int, str, tuple[str, ...], bool]] = []
    for (cause, detail), n in counts.items():
        if detail or cause not in names:
            groups.append((n, cause, (detail,) if detail else (), False))
        else:
            listed = list(names[cause])
            groups.append((n, cause, tuple(listed[:_EXAMPLES]), len(listed) > _EXAMPLES))
    return sorted(groups, key=lambda g: (-g[0], g[1], g[2]))


def coverage_messages(unchecked: Sequence[Unchecked]) -> list[str]:
    """``312 classes not checked: bases from `twisted` not found (...)``, one per group of
    ``coverage_groups``."""
    return [
        f"{_plural(n, 'class')} not checked: {cause_text(cause, details, more=more)}"
        for n, cause, details, more in coverage_groups(unchecked)
    ]


def coverage_lines(unchecked: Sequence[Unchecked], level: str = "warning") -> list[str]:
    """``overridecheck: warning: 312 classes not checked: ...``: the messages as stderr lines."""
    return [f"overridecheck: {level}: {m}" for m in coverage_messages(unchecked)]


def unchecked_line(u: Unchecked) -> str:
    """``app/p.py:4:1: note: `P` not checked: bases from `twisted` not found``."""
    where = f"{shown_path(u.path)}:{u.line}:{u.column}"
    why = cause_text(u.cause, (u.detail,), advice=False)
    return f"{where}: note: `{u.qualname}` not checked: {why}"


def summary_line(
    diagnostics: Sequence[Diagnostic],
    errors: Sequence[FileError],
    checked: int,
    classes: int = 0,
    unchecked: int = 0,
    unchecked_fail: bool = False,
) -> str:
    """``Found 3 problems in 2 files (checked 10 files, 41 classes)``, ``All checks passed
    (checked 10 files, 40 classes; 1 class not checked)``, ...; with ``unchecked_fail``
    (``unresolved = "error"``) classes not checked are a failure, not a pass."""
    parts = []
    if diagnostics:
        files = len({d.path for d in diagnostics})
        parts.append(f"Found {_plural(len(diagnostics), 'problem')} in {_plural(files, 'file')}")
    unreadable = [e for e in errors if not e.checked]
    if unreadable:
        n = len(unreadable)
        verb = "path" if n == 1 else "paths"
        parts.append(f"{n} {verb} could not be checked")
    if len(unreadable) < len(errors):
        parts.append(_plural(len(errors) - len(unreadable), "error"))
    coverage = ""
    if classes:  # "12 files, 340 classes" or "12 files, 28 classes; 312 classes not checked"
        coverage = f", {_plural(classes - unchecked, 'class')}"
        coverage += f"; {_plural(unchecked, 'class')} not checked" if unchecked else ""
    checked_text = f"(checked {_plural(checked, 'file')}{coverage})"
    if unchecked and unchecked_fail:
        parts.append(f"{_plural(unchecked, 'class')} could not be checked")
        checked_text = (
            f"(checked {_plural(checked, 'file')}, {_plural(classes - unchecked, 'class')})"
        )
    if not parts:
        return f"All checks passed {checked_text}"
    return f"{', '.join(parts)} {checked_text}"


def format_text(
    diagnostics: Sequence[Diagnostic],
    errors: Sequence[FileError],
    checked: int,
    *,
    quiet: bool = False,
    unsafe_fixes: bool = False,
    color: bool = False,
    fixed: int = 0,
    statistics: bool = False,
    classes: int = 0,
    unchecked: int = 0,
    unchecked_fail: bool = False,
    rules: Optional[Mapping[str, RuleInfo]] = None,
) -> str:
    """Findings (or their ``statistics``; ``rules`` names them, by default the registry's),
    file errors, then unless ``quiet`` the fixable count, ``Fixed N errors`` and the summary
    line, which is always last."""
    if statistics:
        lines = format_statistics(diagnostics, unsafe_fixes=unsafe_fixes, rules=rules).splitlines()
    else:
        lines = [diagnostic_line(d, unsafe_fixes=unsafe_fixes, color=color) for d in diagnostics]
    lines += [error_line(e) for e in errors]
    if not quiet:
        fixable = fixable_line(diagnostics, unsafe_fixes=unsafe_fixes)
        if fixable:
            lines.append(fixable)
        if fixed:
            lines.append(f"Fixed {_plural(fixed, 'error')}")
        lines.append(summary_line(diagnostics, errors, checked, classes, unchecked, unchecked_fail))
    return "".join(line + "\n" for line in lines)


def _rule_name(code: str, rules: Optional[Mapping[str, RuleInfo]]) -> str:
    info = rules.get(code) if rules is not None else None
    return info.name if info is not None else ""


def format_statistics(
    diagnostics: Sequence[Diagnostic],
    *,
    unsafe_fixes: bool = False,
    rules: Optional[Mapping[str, RuleInfo]] = None,
) -> str:
    """One line per code, most frequent first: ``count  CODE  [*] rule-name`` (``[*]``: all
    of them fixable)."""
    if rules is None:
        from overridecheck.lint.rules import RULES

        rules = RULES
    counts: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        counts.setdefault(d.code, []).append(d)
    rows = sorted(counts.items(), key=lambda item: (-len(item[1]), item[0]))
    width = max((len(str(len(ds))) for _, ds in rows), default=1)
    lines = []
    for code, ds in rows:
        fixable = all(_applicable(d, unsafe_fixes) for d in ds)
        mark = "[*]" if fixable else "[ ]"
        lines.append(f"{len(ds):>{width}}\t{code}\t{mark} {_rule_name(code, rules)}".rstrip())
    return "".join(line + "\n" for line in lines)


def statistics_json(
    diagnostics: Sequence[Diagnostic],
    *,
    unsafe_fixes: bool = False,
    rules: Optional[Mapping[str, RuleInfo]] = None,
) -> str:
    """``--statistics --format json``: a list of ``{code, name, count, fixable}``."""
    if rules is None:
        from overridecheck.lint.rules import RULES

        rules = RULES
    counts: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        counts.setdefault(d.code, []).append(d)
    rows = sorted(counts.items(), key=lambda item: (-len(item[1]), item[0]))
    data = [
        {
            "code": code,
            "name": _rule_name(code, rules),
            "count": len(ds),
            "fixable": sum(1 for d in ds if _applicable(d, unsafe_fixes)),
        }
        for code, ds in rows
    ]
    return json.dumps(data, indent=2) + "\n"


def diagnostic_dict(d: Diagnostic) -> dict[str, Any]:
    return {
        "path": shown_path(d.path),
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "code": d.code,
        "message": d.message,
        "suggestion": d.suggestion,
        "fix": None
        if d.fix is None
        else {
            "safety": "safe" if d.fix.safe else "unsafe",
            "message": d.fix.title,
            "edits": [
                {
                    "line": e.line,
                    "column": e.column,
                    "end_line": e.end_line,
                    "end_column": e.end_column,
                    "content": e.text,
                }
                for e in d.fix.edits
            ],
        },
        "fix_safety": fix_state(d),
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
            ("file", shown_path(d.path)),
            ("line", d.line),
            ("col", d.column),
            ("endLine", d.end_line),
            ("endColumn", d.end_column),
            ("title", d.code),
        ]
        lines.append(_github(props, f"{d.code} {d.message}"))
    for e in errors:
        props = [("file", shown_path(e.path))]
        if e.line is not None:
            props.append(("line", e.line))
            if e.column is not None:
                props.append(("col", e.column))
        props.append(("title", "overridecheck"))
        lines.append(_github(props, e.message))
    return "".join(line + "\n" for line in lines)


def _coverage_level(unresolved: str) -> str:
    return "error" if unresolved == "error" else "warning"


def report(
    out: IO[str],
    err: IO[str],
    diagnostics: Sequence[Diagnostic],
    errors: Sequence[FileError],
    *,
    format: str = "text",
    checked: int,
    fixed: int = 0,
    classes: int = 0,
    unchecked: Sequence[Unchecked] = (),
    unresolved: str = "warn",
    show_unchecked: bool = False,
    statistics: bool = False,
    unsafe_fixes: bool = False,
    quiet: bool = False,
    color: Optional[bool] = None,
    rules: Optional[Mapping[str, RuleInfo]] = None,
) -> None:
    """Write a run's results in ``format`` (one of `FORMATS`): findings (or with
    ``statistics`` their counts per rule) and file errors, the coverage notes, and unless
    ``quiet`` the fixable count, ``Fixed N errors`` and the summary line.

    ``checked`` files were read, ``classes`` classes found in them, of which ``unchecked``
    could not be checked: ``unresolved`` (one of `UNRESOLVED_MODES`) says whether that is a
    ``warn``-ing, an ``error`` or to be ``ignore``-d, ``show_unchecked`` lists each of them.
    ``fixed``: findings fixed by ``--fix``. ``color``: colour the text format (None: if ``out``
    wants it, see `use_color`). ``rules`` names the rules (default: the registry's).

    ``text`` writes everything to ``out`` but the coverage notes (to ``err``); the others
    write only their document to ``out``, so it stays parseable (``json`` file errors, the
    coverage notes and the listing go to ``err``; ``github`` and ``sarif`` carry the file
    errors and the coverage notes themselves).
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}")
    if unresolved not in UNRESOLVED_MODES:
        raise ValueError(f"unknown unresolved mode {unresolved!r}")
    level = _coverage_level(unresolved)
    notes = [] if unresolved == "ignore" else coverage_lines(unchecked, level)
    listing = [unchecked_line(u) for u in unchecked] if show_unchecked else []
    if format == "text":
        err.write("".join(line + "\n" for line in notes))
        out.write("".join(line + "\n" for line in listing))
        out.write(
            format_text(
                diagnostics,
                errors,
                checked,
                quiet=quiet,
                unsafe_fixes=unsafe_fixes,
                color=use_color(out) if color is None else color,
                fixed=fixed,
                statistics=statistics,
                classes=classes,
                unchecked=len(unchecked),
                unchecked_fail=unresolved == "error",
                rules=rules,
            )
        )
        return
    err.write("".join(line + "\n" for line in [*notes, *listing]))
    messages = [] if unresolved == "ignore" else coverage_messages(unchecked)
    if format == "json":
        if statistics:
            out.write(statistics_json(diagnostics, unsafe_fixes=unsafe_fixes, rules=rules))
        else:
            out.write(format_json(diagnostics))
        for e in errors:
            err.write(error_line(e) + "\n")
    elif format == "github":
        out.write(format_github(diagnostics, errors))
        for text in messages:
            out.write(f"::{level} title=overridecheck::{github_escape_data(text)}\n")
    else:
        from overridecheck.lint.sarif import format_sarif

        if rules is None:
            from overridecheck.lint.rules import RULES

            rules = RULES
        failed = unresolved == "error" and bool(unchecked)
        sarif_notes = [(level, text) for text in messages]
        out.write(format_sarif(diagnostics, errors, rules, sarif_notes, failed))
    if not quiet and fixed:
        err.write(f"Fixed {_plural(fixed, 'error')}\n")
