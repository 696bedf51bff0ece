"""Fixes: how safe each rename is by the references to its old name, then planning and
writing edits.

The whole rule a rename follows is `ruledef.RENAME_SAFETY`; its safety is lowered, never
raised, stage by stage: by its rule (the highest its fixes may get, `Rule.fix_safety`), by
what the class binds and inherits (`checks`), by the project's subclasses (`hierarchy`), and
last here by the references (`classify_fixes`): a rename of a method from ``old`` to ``new``
keeps the safety it has when ``old`` appears nowhere else in the project's files as a
reference: an attribute (``x.old``), a string literal equal to it (``getattr(x, "old")``), a
``def old`` elsewhere (another class, a subclass), or any other use of the bare name.
Otherwise it is **unsafe**: when every reference is in the same file, the fix also renames
that file's attribute references and exact string literals; when some reference is in another
file, no fix is offered. Comments and text inside longer strings are not references. The
references come from each file's names index (made while summarising, cached with the
summary).

Applying (`plan_fixes`, `write_fixes`) edits the decoded text exactly (formatting, comments,
line endings, BOM and encoding kept), refuses a result that does not parse, and replaces each
file atomically.
"""

from __future__ import annotations

import bisect
import contextlib
import errno
import io
import keyword
import os
import re
import stat
import tempfile
import tokenize
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Callable, Optional

from overridecheck.lint.discover import TEMP_MARK, TEMPORARY, is_temporary
from overridecheck.lint.evidence import Prefilter, files_holding
from overridecheck.lint.model import Diagnostic, Edit, FileError, Fix, NamesIndex
from overridecheck.lint.summarise import parse

__all__ = [
    "FilePlan",
    "FixPlan",
    "Source",
    "classify_fixes",
    "decode_source",
    "plan_fixes",
    "read_source",
    "unified_diff",
    "write_fixes",
]

_NEWLINE = re.compile(r"\r\n|\r|\n")
_STRING = re.compile(r"(?s)([rRuU]?)('''|\"\"\"|'|\")(.*)\2")


@dataclass(frozen=True)
class Source:
    """A file's decoded text; ``encoding`` is ``utf-8-sig`` when the file starts with a BOM."""

    path: str
    text: str
    encoding: str

    def encode(self, text: str) -> bytes:
        return text.encode(self.encoding)


def read_source(path: str) -> Source:
    """Read and decode ``path`` as Python would (BOM, coding cookie); raises on failure."""
    with open(path, "rb") as f:
        data = f.read()
    return decode_source(path, data)


def decode_source(path: str, data: bytes) -> Source:
    """Decode a file's bytes as Python would (BOM, coding cookie); raises on failure."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(encoding)
    if text.startswith("\ufeff"):  # `utf-8` cookie and a BOM: keep the BOM as it was
        text, encoding = text[1:], "utf-8-sig"
    return Source(path, text, encoding)


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in _NEWLINE.finditer(text))]


def _offset(starts: Sequence[int], text: str, line: int, column: int) -> Optional[int]:
    """The index of a 1-based (line, column) in ``text``, or None when it is outside."""
    if not 0 < line <= len(starts) or column < 1:
        return None
    offset = starts[line - 1] + column - 1
    end = starts[line] if line < len(starts) else len(text)
    return offset if offset <= end else None


def _span(src: Source, starts: Sequence[int], edit: Edit) -> Optional[tuple[int, int]]:
    start = _offset(starts, src.text, edit.line, edit.column)
    end = _offset(starts, src.text, edit.end_line, edit.end_column)
    if start is None or end is None or end < start:
        return None
    return start, end


# -- safety -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Ref:
    name: str
    path: str
    line: int
    column: int  # 1-based, in characters
    kind: str  # "attribute", "string", "def", "name" or "other"


def _is_rename(fix: Fix) -> bool:
    return len(fix.edits) == 1 and fix.edits[0].text.isidentifier()


def _scan(src: Source, names: frozenset[str], pattern: re.Pattern[str]) -> Iterable[_Ref]:
    """References to ``names`` in one file, found with the tokenizer."""
    previous = ""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(src.text, newline="").readline))
    except (tokenize.TokenError, SyntaxError):
        # not expected for a file that parsed; fall back to the regex, all unsafe
        starts = _line_starts(src.text)
        for found in pattern.finditer(src.text):
            line = bisect.bisect_right(starts, found.start())
            column = found.start() - starts[line - 1] + 1
            yield _Ref(found.group(0), src.path, line, column, "other")
        return
    for tok in tokens:
        if tok.type == tokenize.NAME and tok.string in names:
            kind = {".": "attribute", "def": "def"}.get(previous, "name")
            yield _Ref(tok.string, src.path, tok.start[0], tok.start[1] + 1, kind)
        elif tok.type == tokenize.STRING and pattern.search(tok.string):
            m = _STRING.fullmatch(tok.string)
            if m is not None and m.group(3) in names:
                column = tok.start[1] + len(m.group(1)) + len(m.group(2)) + 1
                yield _Ref(m.group(3), src.path, tok.start[0], column, "string")
            elif "f" in tok.string[:3].lower():
                # an f-string on Python < 3.12 is one token: a name inside may be an expression
                for found in set(pattern.findall(tok.string)):
                    yield _Ref(found, src.path, tok.start[0], tok.start[1] + 1, "other")
        if tok.type not in (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT):
            previous = tok.string


NamesOf = Callable[[str], Optional[NamesIndex]]


def _referenced(users: Mapping[str, int]) -> bool:
    """Whether any file refers to the name otherwise than by defining it."""
    return any(defs < 0 for defs in users.values())


def _new_name(d: Diagnostic) -> str:
    assert d.fix is not None
    return d.fix.edits[0].text


def classify_fixes(
    diagnostics: Sequence[Diagnostic],
    files: Iterable[str],
    contents: Mapping[str, bytes],
    names_of: NamesOf,
    prefilter: Optional[Prefilter] = None,
) -> list[Diagnostic]:
    """Mark rename fixes safe or unsafe by the references to the old name in ``files``.

    ``contents`` are the files' bytes as read; ``names_of(path)`` gives a file's names index
    (None when the file has none, e.g. it does not parse).  A byte test picks the files that
    may refer to an old name; their indexes decide, without reading or tokenizing them.  Only
    a finding's own file is tokenized, and only when the fix must rename references there.
    """
    result = list(diagnostics)
    wanted = [i for i, d in enumerate(result) if d.fix is not None and _is_rename(d.fix)]
    if not wanted:
        return result
    sources: dict[str, Optional[Source]] = {}

    def load(path: str) -> Optional[Source]:
        if path not in sources:
            try:
                data = contents.get(path)
                sources[path] = decode_source(path, data) if data is not None else None
            except (SyntaxError, UnicodeError, LookupError):
                sources[path] = None
        return sources[path]

    old: dict[int, str] = {}
    starts_of: dict[str, list[int]] = {}
    for i in wanted:
        d = result[i]
        assert d.fix is not None
        edit = d.fix.edits[0]
        src = load(d.path)
        if src is not None and d.path not in starts_of:
            starts_of[d.path] = _line_starts(src.text)
        span = _span(src, starts_of[d.path], edit) if src is not None else None
        name = src.text[span[0] : span[1]] if src is not None and span is not None else ""
        if not name.isidentifier() or keyword.iskeyword(name) or name == edit.text:
            result[i] = replace(d, fix=None)  # the position is not the method's name
            continue
        old[i] = name
    if not old:
        return result
    # Per old name, the files that refer to it otherwise than by a def being renamed.
    names = set(old.values())
    users: dict[str, dict[str, int]] = {n: {} for n in names}  # name -> path -> defs there
    every = list(dict.fromkeys([*files, *(result[i].path for i in old)]))
    for path, present in files_holding(frozenset(names), every, contents, prefilter).items():
        index = names_of(path)
        for n in present:
            if index is None:  # cannot tell what the file does with the name: it may use it
                users[n][path] = -1
            elif index.uses(n) or n in index.defs:
                users[n][path] = -1 if index.uses(n) else index.defs.count(n)
    # The defs being renamed the same way are no obstacle to each other, but only while each
    # still gets its rename: a def whose own rename is blocked stays, and then blocks the
    # others (else a second `--fix` would rename it once the first had renamed its caller).
    alive = set(old)
    while True:
        blocking = _block(result, old, users, alive)
        # A fix that must rename references in its own file: those it can rename (attributes,
        # strings equal to the name) are renamed with it, unsafe; a bare name or one inside
        # an f-string (one token before Python 3.12) it cannot tell apart nor rename: no fix.
        final: dict[int, Optional[Fix]] = {}
        for i in alive:
            n, d = old[i], result[i]
            assert d.fix is not None
            where = blocking[(n, _new_name(d))]
            if not where:  # no reference stands in the way: the rule's own safety stays
                final[i] = d.fix
                continue
            final[i] = _with_references(d.fix, n, load(d.path))
        dropped = {i for i, f in final.items() if f is None}
        for i, f in final.items():
            result[i] = replace(result[i], fix=f)
        if not dropped:
            break
        alive -= dropped  # their defs stay: the others are judged again with them
        for i in alive:
            d = result[i]
            assert d.fix is not None
            result[i] = replace(d, fix=diagnostics[i].fix)
    # Renamed the same way, renamed together: a plain `--fix` applies none of them unless it
    # applies all (else one def keeps the old name the others lost, which the rule counts as
    # another def of it).
    groups: dict[tuple[str, str], list[int]] = {}
    for i in alive:
        groups.setdefault((old[i], _new_name(result[i])), []).append(i)
    for members in groups.values():
        fixes = [(i, result[i].fix) for i in members]
        if any(f is not None and not f.safe for _, f in fixes):
            for i, f in fixes:
                if f is not None and f.safe:
                    result[i] = replace(result[i], fix=replace(f, safe=False))
    return result


def _block(
    result: list[Diagnostic],
    old: Mapping[int, str],
    users: Mapping[str, Mapping[str, int]],
    alive: set[int],
) -> dict[tuple[str, str], set[str]]:
    """Leave in ``alive`` the renames no other file's reference blocks (the others lose
    their fix, in ``result`` too), and give per (old, new) name the files referring to the
    old name otherwise than by a def being renamed so."""
    while True:
        targets: dict[tuple[str, str], dict[str, int]] = {}  # per file, how many
        for i in alive:
            per_file = targets.setdefault((old[i], _new_name(result[i])), {})
            per_file[result[i].path] = per_file.get(result[i].path, 0) + 1
        blocking: dict[tuple[str, str], set[str]] = {}
        renamings: dict[str, set[str]] = {}  # old name -> the new names its fixes give
        for (n, new), same in targets.items():
            renamings.setdefault(n, set()).add(new)
            blocking[(n, new)] = {
                path for path, defs in users[n].items() if defs < 0 or defs > same.get(path, 0)
            }
        # An old name renamed two ways with references to it: which way a reference goes
        # cannot be told (the fixes would both claim it), so neither is offered.
        torn = {n for n, news in renamings.items() if len(news) > 1 and _referenced(users[n])}
        blocked = {
            i
            for i in alive
            if old[i] in torn or blocking[(old[i], _new_name(result[i]))] - {result[i].path}
        }
        if not blocked:
            return blocking
        alive -= blocked
        for i in blocked:
            result[i] = replace(result[i], fix=None)


def _with_references(fix: Fix, old: str, src: Optional[Source]) -> Optional[Fix]:
    """``fix`` renaming the references to ``old`` in its own file too, unsafe; None when one
    of them is one it cannot rename (a bare name, a name inside an f-string)."""
    new = fix.edits[0].text
    edits = [fix.edits[0]]
    if src is not None:
        pattern = re.compile(rf"(?<!\w){re.escape(old)}(?!\w)")
        for r in _scan(src, frozenset((old,)), pattern):
            if r.kind in ("attribute", "string"):
                edits.append(Edit(r.line, r.column, r.line, r.column + len(old), new))
            elif r.kind != "def":
                return None
    edits.sort(key=lambda e: (e.line, e.column))
    return Fix(fix.title, tuple(edits), safe=False)


# -- applying ---------------------------------------------------------------------------------


@dataclass
class FilePlan:
    """The new text of one file and the diagnostics whose fixes it contains."""

    source: Source
    text: str
    fixed: list[Diagnostic] = field(default_factory=list)


@dataclass
class FixPlan:
    files: list[FilePlan] = field(default_factory=list)
    skipped: list[Diagnostic] = field(default_factory=list)  # overlapping or not applicable
    errors: list[FileError] = field(default_factory=list)

    @property
    def fixed(self) -> list[Diagnostic]:
        return [d for f in self.files for d in f.fixed]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a == b or (a[0] < b[1] and b[0] < a[1])


def _newline(text: str) -> str:
    """The file's line ending, from its first line (``\n`` when it has none)."""
    end = text.find("\n")
    if end > 0 and text[end - 1] == "\r":
        return "\r\n"
    cr = text.find("\r")
    return "\r" if cr >= 0 and (end < 0 or cr < end) else "\n"


def _lines(text: str, newline: str) -> str:
    """An edit's inserted lines with the file's own line endings (CRLF files stay CRLF)."""
    return text.replace("\n", newline) if newline != "\n" and "\n" in text else text


def plan_fixes(
    diagnostics: Sequence[Diagnostic],
    *,
    unsafe: bool = False,
    contents: Optional[Mapping[str, bytes]] = None,
) -> FixPlan:
    """Compute the new text of every file with applicable fixes (safe ones, or all).

    ``contents`` gives the bytes of files by path (stdin), instead of reading them."""
    plan = FixPlan()
    by_path: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.fix is not None and (d.fix.safe or unsafe):
            by_path.setdefault(d.path, []).append(d)
    for path, diags in by_path.items():
        try:
            given = contents.get(path) if contents is not None else None
            src = read_source(path) if given is None else decode_source(path, given)
        except (OSError, SyntaxError, UnicodeError, LookupError) as exc:
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            plan.errors.append(FileError(path, f"fixes not applied: cannot read file: {detail}"))
            plan.skipped.extend(diags)
            continue
        starts = _line_starts(src.text)
        newline = _newline(src.text)
        taken: list[tuple[int, int, str]] = []
        fixed: list[Diagnostic] = []
        for d in sorted(diags, key=lambda d: (d.line, d.column, d.code)):
            assert d.fix is not None
            spans = [(_span(src, starts, e), _lines(e.text, newline)) for e in d.fix.edits]
            chosen: list[tuple[int, int, str]] = []
            ok = True
            for span, text in spans:
                if span is None:
                    ok = False
                    break
                edit = (span[0], span[1], text)
                if edit in taken or edit in chosen:
                    continue  # another fix's very edit (the import several fixes need): shared
                if any(_overlaps(span, (s, e)) for s, e, _ in [*taken, *chosen]):
                    ok = False
                    break
                chosen.append(edit)
            if not ok:
                plan.skipped.append(d)
                continue
            taken.extend(chosen)
            fixed.append(d)
        if not fixed:
            continue
        text = src.text
        for start, end, new in sorted(taken, reverse=True):
            text = text[:start] + new + text[end:]
        if text == src.text:
            continue
        try:
            parse(text)
        except (SyntaxError, ValueError):
            plan.errors.append(FileError(path, "fixes not applied: the result would not parse"))
            plan.skipped.extend(fixed)
            continue
        plan.files.append(FilePlan(src, text, fixed))
    return plan


_STALE_AFTER = 3600.0  # seconds: no fix takes that long, whatever its process


def _siblings(target: str) -> list[str]:
    folder, base = os.path.split(target)
    try:
        names = os.listdir(folder or os.curdir)
    except OSError:
        return []
    prefix = f".{base}.{TEMP_MARK}-"
    return [os.path.join(folder, n) for n in names if n.startswith(prefix) and is_temporary(n)]


def remove_stale_temporaries(paths: Iterable[str]) -> int:
    """Delete temporary files that a ``--fix`` killed before it could rename them left behind:
    their process is gone (or they are an hour old).  Returns how many were removed."""
    import time

    removed = 0
    for path in paths:
        m = TEMPORARY.match(os.path.basename(path))
        if m is None:
            continue
        pid = int(m.group(1))
        try:
            alive = pid == os.getpid() or _running(pid)
            if alive and time.time() - os.lstat(path).st_mtime < _STALE_AFTER:
                continue
            os.unlink(path)
            removed += 1
        except OSError:
            continue
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # someone else's process, or cannot tell: leave it to the age rule
    return True


def _write_atomic(path: str, data: bytes) -> None:
    """Replace ``path``'s content with ``data`` through a temporary file in its directory."""
    target = os.path.realpath(path)
    st = os.stat(target)
    if not os.access(target, os.W_OK) or not st.st_mode & 0o222:
        raise PermissionError(errno.EACCES, "file is read-only")
    remove_stale_temporaries(_siblings(target))
    fd, tmp = tempfile.mkstemp(
        dir=os.path.dirname(target),
        prefix=f".{os.path.basename(target)}.{TEMP_MARK}-{os.getpid()}-",
        suffix=".tmp",
    )
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_fixes(plan: FixPlan) -> tuple[list[Diagnostic], list[FileError]]:
    """Write the planned files; returns the diagnostics fixed and the files not written."""
    fixed: list[Diagnostic] = []
    errors: list[FileError] = []
    for f in plan.files:
        path = f.source.path
        try:
            _write_atomic(path, f.source.encode(f.text))
        except OSError as exc:
            errors.append(FileError(path, f"cannot write fixes: {exc.strerror or exc}"))
        except UnicodeError as exc:
            errors.append(FileError(path, f"cannot write fixes: {exc}"))
        else:
            fixed.extend(f.fixed)
    return fixed, errors


def _diff_lines(text: str) -> list[str]:
    return [m.group(0) for m in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)]


def unified_diff(f: FilePlan) -> str:
    """A unified diff of one planned file (``--- path`` / ``+++ path``)."""
    import difflib

    old, new = _diff_lines(f.source.text), _diff_lines(f.text)
    out: list[str] = []
    from overridecheck.lint.report import shown_path

    path = shown_path(f.source.path)
    for line in difflib.unified_diff(old, new, fromfile=path, tofile=path):
        if line.endswith(("\n", "\r")):
            out.append(line if line.endswith("\n") else line + "\n")
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)
