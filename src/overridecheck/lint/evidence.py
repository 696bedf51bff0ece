"""Evidence from the whole tree: a near miss that the project refers to is a name in use.

OC101 and OC106 report a method or class attribute whose name is a near miss of one a base
provides.  Each rule already asks its own module (and OC106 its ancestors' modules) whether
the name is used; this pass asks every linted file, after checking, so that a per-module
result never depends on another file's content: a name looked up on any object
(``walker.setMonitor(...)``), an equal string (``getattr(x, "name")``) or a ``callRemote``
name anywhere in the linted files means the method is in use, not a typo.

Like fix safety, a byte test picks the files that may refer to a name; their names indexes
decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Callable, Optional

from overridecheck.lint.model import Diagnostic, NamesIndex

__all__ = ["EVIDENCE_CODES", "drop_in_use", "reported_name"]

#: The rules whose findings are dropped when the project uses the name.
EVIDENCE_CODES = frozenset({"OC101", "OC106"})

NamesOf = Callable[[str], Optional[NamesIndex]]


def reported_name(d: Diagnostic, data: Optional[bytes]) -> Optional[str]:
    """The name a finding is positioned on, read from its file's bytes (None if unknown)."""
    if data is None or d.end_line != d.line:
        return None
    lines = data.split(b"\n")
    if not 0 < d.line <= len(lines):
        return None
    try:
        text = lines[d.line - 1].decode("utf-8")
    except UnicodeDecodeError:
        return None
    name = text[d.column - 1 : d.end_column - 1]
    return name if name.isidentifier() else None


def drop_in_use(
    diagnostics: Sequence[Diagnostic],
    files: Iterable[str],
    contents: Mapping[str, bytes],
    names_of: NamesOf,
) -> list[Diagnostic]:
    """``diagnostics`` without the OC101/OC106 findings whose name a linted file uses."""
    wanted: dict[int, str] = {}
    for i, d in enumerate(diagnostics):
        if d.code in EVIDENCE_CODES:
            name = reported_name(d, contents.get(d.path))
            if name is not None:
                wanted[i] = name
    if not wanted:
        return list(diagnostics)
    names = set(wanted.values())
    used: set[str] = set()
    for path in files:
        data = contents.get(path)
        if data is None:
            continue
        present = [n for n in names - used if n.encode("utf-8") in data]
        if not present:
            continue
        index = names_of(path)
        if index is None:
            continue
        used.update(n for n in present if index.in_use(n))
        if used == names:
            break
    return [d for i, d in enumerate(diagnostics) if wanted.get(i) not in used]
