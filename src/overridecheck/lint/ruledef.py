"""What a rule is, and what its check receives.

A rule lives in one module of :mod:`overridecheck.lint.rules`: a :class:`Rule` holding its
code, short name, documentation, examples, the highest fix safety it may give, and its check.
A check is a function of a :class:`Context` (everything about the run), a module summary and
one resolved class; it yields ``(member name, Diagnostic)`` pairs.  It never reads files or
configuration: what it needs comes from the summaries (their names index included) and the
context.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Optional

from overridecheck.lint.model import Diagnostic, ModuleSummary, NamesIndex
from overridecheck.lint.summarise import SourceError, decode_source, names_index

if TYPE_CHECKING:
    from overridecheck.lint.resolve import ClassInfo, Resolver

__all__ = [
    "FIX_SAFETIES",
    "ClassCheck",
    "Context",
    "Example",
    "Rule",
    "RuleInfo",
    "safety_of",
]

#: A fix's safety, from most to least applied: ``--fix``, ``--fix --unsafe-fixes``, never.
FIX_SAFETIES = ("safe", "unsafe", "none")

#: ``(member name, finding)`` pairs for one class.
Findings = Iterator[tuple[str, Diagnostic]]
ClassCheck = Callable[["Context", ModuleSummary, "ClassInfo"], Findings]


def safety_of(d: Diagnostic) -> str:
    """``"safe"``, ``"unsafe"`` or ``"none"`` (no fix) for a finding."""
    if d.fix is None:
        return "none"
    return "safe" if d.fix.safe else "unsafe"


@dataclass(frozen=True)
class Example:
    """A snippet for a rule.

    ``expect`` lists the findings it yields as ``(line, suggestion, fix safety)``, the
    safety being ``"safe"``, ``"unsafe"`` or ``"none"``; ``fixed`` is the snippet after
    ``--fix --unsafe-fixes`` (None for a valid example, or when nothing changes).
    """

    code: str
    expect: tuple[tuple[int, Optional[str], str], ...] = ()
    fixed: Optional[str] = None


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    doc: str
    default: bool = True
    valid: tuple[Example, ...] = ()
    invalid: tuple[Example, ...] = ()
    #: The highest safety its fixes may get; fix safety only ever lowers it.
    fix_safety: str = "safe"
    #: Codes whose finding on the same member of the same class replaces this rule's.
    yields_to: tuple[str, ...] = ()
    check: Optional[ClassCheck] = field(default=None, compare=False, repr=False)


#: The name the rules were first published under.
RuleInfo = Rule


@dataclass
class Context:
    """One run's state, shared by every check: what resolving knows, the options, and the
    per-run memo that replaces module-level caches (one context per resolver)."""

    resolver: Resolver
    select: frozenset[str]
    override_import: str = "typing_extensions"
    #: The bytes of a linted file as discovery read them, by path (never re-read).
    source: Callable[[str], Optional[bytes]] = field(default=lambda path: None)
    memo: dict[object, Any] = field(default_factory=dict)

    def text(self, mod: ModuleSummary) -> str:
        """The decoded text of a linted module ('' when it is not one)."""
        last = self.memo.get("text")
        if last is not None and last[0] == mod.path:
            return str(last[1])
        data = self.source(mod.path) if mod.path else None
        text = ""
        if data is not None:
            try:
                text = decode_source(data)
            except (SourceError, ValueError):
                text = data.decode("utf-8", "replace")
        self.memo["text"] = (mod.path, text)
        return text

    def names(self, mod: ModuleSummary) -> NamesIndex:
        """``mod``'s names index; for a module outside the linted files (summarised without
        one) made now from its file, once per run."""
        if mod.indexed:
            return mod.names
        key = ("names", mod.path)
        got = self.memo.get(key)
        if got is None:
            got = NamesIndex()
            try:
                with open(mod.path, "rb") as f:
                    got = names_index(ast.parse(decode_source(f.read())))
            except (OSError, SourceError, SyntaxError, ValueError, RecursionError, MemoryError):
                pass  # what it cannot read, it mentions nothing
            self.memo[key] = got
        assert isinstance(got, NamesIndex)
        return got
