"""Evidence from the whole tree: a near miss that the project refers to is a name in use.

OC101 and OC106 report a method or class attribute whose name is a near miss of one a base
provides.  Each rule already asks its own module (and OC106 its ancestors' modules) whether
the name is used; this pass asks the other linted files, after checking, so that a
per-module result never depends on another file's content: in a file that imports the
finding's module (it knows the class), a name looked up on any object
(``walker.setMonitor(...)``, ``self.run_test()`` in a subclass), an equal string
(``getattr(x, "name")``) or a ``callRemote`` name means the method is in use, not a typo.
Files that do not import the module say nothing about the class: ``error.ConnectionLost``,
``parser.parse_args()`` or asyncio's ``data_received`` elsewhere in the project are other
objects' names.

Like fix safety, a byte test picks the files that may refer to a name; their names indexes
decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Callable, Optional, Protocol

from overridecheck.lint.model import Diagnostic, ModuleSummary

__all__ = [
    "EVIDENCE_CODES",
    "EveryFile",
    "Prefilter",
    "drop_in_use",
    "files_holding",
    "imports_module",
    "reported_name",
]


class Prefilter(Protocol):
    """Which files a byte test (this pass's, fix safety's) needs to look at for a set of names.

    :class:`EveryFile` looks at every file.  The engine's remembers, per set of names, the
    files whose bytes held one of them in the last run and each file's content key then, so
    that a run after a small change looks at those files and the changed ones only.
    """

    def candidates(self, names: frozenset[str], files: list[str]) -> list[str]:
        """The files, among ``files``, whose bytes may hold one of ``names``."""

    def found(self, names: frozenset[str], files: list[str], held: set[str]) -> None:
        """``held``: the files among the candidates whose bytes did hold one of ``names``."""


class EveryFile:
    """The prefilter that keeps every file (nothing remembered)."""

    def candidates(self, names: frozenset[str], files: list[str]) -> list[str]:
        return files

    def found(self, names: frozenset[str], files: list[str], held: set[str]) -> None:
        pass


#: The rules whose findings are dropped when the project uses the name.
EVIDENCE_CODES = frozenset({"OC101", "OC106"})

SummaryOf = Callable[[str], Optional[ModuleSummary]]


def files_holding(
    names: frozenset[str],
    files: list[str],
    contents: Mapping[str, bytes],
    prefilter: Optional[Prefilter] = None,
) -> dict[str, list[str]]:
    """The byte test of this pass and of fix safety: per file of ``files`` whose bytes may
    refer to one of ``names``, those names (the candidates ``prefilter`` leaves, and what it
    is told they held).

    Source is in an ASCII-compatible encoding: an ASCII name is in the text only if its
    bytes are in the file; a non-ASCII one may be encoded otherwise, so any file may hold it.
    """
    prefilter = prefilter or EveryFile()
    raw = {n: n.encode("ascii", "replace") for n in names}
    held: dict[str, list[str]] = {}
    for path in prefilter.candidates(names, files):
        data = contents.get(path)
        if data is None:
            continue
        present = [n for n in names if raw[n] in data or not n.isascii()]
        if present:
            held[path] = present
    prefilter.found(names, files, set(held))
    return held


def imports_module(summary: ModuleSummary, module: str) -> bool:
    """Whether ``summary``'s module imports ``module`` (or a name from it, or a submodule).

    ``import pkg.impl`` binds only ``pkg`` (the summary records the head): a package of
    ``module`` imported whole counts when the module uses the rest of the path as attributes
    (``pkg.impl.Impl``).
    """
    if not module:
        return False
    inside = module + "."
    for t in summary.imports.values():
        full = f"{t.module}.{t.name}" if t.name else t.module
        if t.module == module or full == module or full.startswith(inside):
            return True
        if t.name is None and module.startswith(t.module + "."):
            rest = module[len(t.module) + 1 :].split(".")
            if all(part in summary.names.attributes for part in rest):
                return True
    return module in summary.star_imports


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
    summary_of: SummaryOf,
    prefilter: Optional[Prefilter] = None,
) -> list[Diagnostic]:
    """``diagnostics`` without the OC101/OC106 findings whose name a linted file importing
    the finding's module uses."""
    wanted: dict[int, tuple[str, str]] = {}  # finding -> (name, module)
    for i, d in enumerate(diagnostics):
        if d.code in EVIDENCE_CODES:
            name = reported_name(d, contents.get(d.path))
            own = summary_of(d.path) if name is not None else None
            if name is not None and own is not None and own.module:
                wanted[i] = (name, own.module)
    if not wanted:
        return list(diagnostics)
    pending = set(wanted.values())
    names = frozenset(p[0] for p in pending)
    used: set[tuple[str, str]] = set()
    for path, here in files_holding(names, list(files), contents, prefilter).items():
        present = [p for p in pending if p[0] in here and p not in used]
        if not present:
            continue
        summary = summary_of(path)
        if summary is None:
            continue
        used.update(
            p for p in present if summary.names.in_use(p[0]) and imports_module(summary, p[1])
        )
    return [d for i, d in enumerate(diagnostics) if wanted.get(i) not in used]
