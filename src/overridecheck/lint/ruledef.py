"""What a rule is, and what its check receives.

A rule lives in one module of :mod:`overridecheck.lint.rules`: a :class:`Rule` holding its
code, short name, documentation, examples, the highest fix safety it may give, and its check.
A check is a function of a :class:`Context` (everything about the run), a module summary and
one resolved class; it yields ``(member name, Diagnostic)`` pairs.  It never reads files or
configuration: what it needs comes from the summaries (their names index included) and the
context.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Optional

from overridecheck.lint.cache import SummaryCache
from overridecheck.lint.model import Diagnostic, ModuleSummary, NamesIndex
from overridecheck.lint.summarise import SourceError, decode_source, index_of

if TYPE_CHECKING:
    from overridecheck.lint.resolve import ClassInfo, Resolver

__all__ = [
    "FIX_SAFETIES",
    "RENAME_SAFETY",
    "ClassCheck",
    "Context",
    "Example",
    "Fact",
    "Rule",
    "RuleInfo",
    "safety_of",
]

#: A fix's safety, from most to least applied: ``--fix``, ``--fix --unsafe-fixes``, never.
FIX_SAFETIES = ("safe", "unsafe", "none")

#: How safe a rename is, whichever rule offers it (OC101, OC102, OC104, OC106): the text of the
#: rename rules' "Fix safety" sections, and of the README's "Fixes" section.
RENAME_SAFETY = """\
A rename is **safe** (applied by `--fix`) only when all of these hold:
- the new name is not already defined by the class, its subclasses in the project or its
  other bases: the class binds no such name; no subclass in the project defines it, has a
  class before this one in its MRO that defines it, or gets it from another class than this
  one does; and what the class inherits under the name (from the first class of its MRO
  that defines it) is the hook itself, not a concrete method;
- the old name is referenced nowhere in the project (the checked files and, when files are
  given by name, the rest of the project): no attribute (`x.conectionMade`), no string
  literal equal to it (`getattr(x, "conectionMade")`), no other `def conectionMade` (a
  subclass, another class), no other use of the bare name; comments and longer strings do
  not count, nor does a `def` renamed the same way by another fix;
- the intended name is a hook: an interface member, a stub or documented-to-override base
  method whose body is a stub (`pass`, a docstring, `raise NotImplementedError`), a framework
  hook (`setUp`, `startService`, a handler the framework dispatches by name such as
  `render_GET`), a special method (`__init__`), or a class attribute a base assigns or an
  interface declares (`isLeaf`).

It is **unsafe** (applied with `--fix --unsafe-fixes`) when it renames onto a concrete base
method (the first class of the MRO that defines the name gives it a real body, even one
documented to be overridden, or binds it to another value such as `render_GET = render_POST`:
the rename replaces what the class ran), when it renames a test method (the test starts to
run), when it changes a subclass in the project (one that defines the new name, or has a
class before this one in its MRO that does, would reach the renamed method through its
`super()` call; one that gets the name from another class would run the renamed method
instead; one with a base that cannot be resolved may be either), and when the old name has
references in the same file only (the fix then also renames that file's attribute references
and exact string literals; other `def`s stay as they are). Renames of one old name to one new
name, in any files, are renamed together: when one of them is unsafe, all of them are (a plain
`--fix` would otherwise leave one `def` of the old name that the others count on being gone).

**No fix** is offered when a reference to the old name is in another file, when the suggestion
is ambiguous (two candidates equally close), when the class already binds the new name or two
renames of the class target the same name (the renamed method would replace the other), or
when the class body binds names dynamically (`exec`, `setattr`, `locals()[...]`), which may
bind the new name itself, and when the same file uses the old name in a way the fix cannot
rename: as a bare name (`handler = conectionMade`, a parameter or variable of that name) or
inside an f-string before Python 3.12. A finding dropped by `per-file-ignores` or `# noqa`
keeps its `def`, which then counts as another `def` of the old name.
"""

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


#: A fact :meth:`Context.across` draws from one module: two sets of names, sorted.
Fact = tuple[tuple[str, ...], tuple[str, ...]]
#: Stamps that do not tell a module's content (``stamps.Stamps.stamp``).
_NO_STAMP = frozenset(("", "missing", "namespace"))


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
    #: The user's cache and each module's current stamp (``stamps.Stamps.stamp``), with which
    #: :meth:`across` remembers facts between runs; None without a cache.
    cache: Optional[SummaryCache] = None
    stamp: Optional[Callable[[str], str]] = None

    def across(
        self, tag: str, modules: Sequence[str], fact: Callable[[ModuleSummary], Fact]
    ) -> list[Fact]:
        """``fact(summary)`` for each of the linted ``modules`` that has a summary.

        With a cache, each module's fact is remembered with the module's stamp and used
        again while the stamp holds, so that after one file is touched only its summary is
        loaded, not every module's (``fact`` must depend on the summary alone).  ``tag``
        names the fact; one entry per tag and folder of the modules, rewritten.
        """
        linted = self.resolver.linted
        key = ""
        then: dict[str, tuple[str, Fact]] = {}
        if self.cache is not None and self.stamp is not None and modules:
            paths = [linted[m][0] for m in modules if m in linted]
            if paths:
                where = os.path.commonpath(paths) if len(paths) > 1 else paths[0]
                text = f"{tag}\0{where}".encode("utf-8", "surrogateescape")
                key = "facts|" + hashlib.blake2b(text, digest_size=20).hexdigest()
                got = self.cache.get_facts(key)
                then = {m: (s, (a, b)) for m, s, a, b in got or ()}
        out: list[Fact] = []
        rows: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = []
        changed = False
        for m in modules:
            stamp = self.stamp(m) if key and self.stamp is not None else ""
            old = then.get(m)
            if old is not None and old[0] == stamp and stamp not in _NO_STAMP:
                got_fact = old[1]
            else:
                summary = self.resolver.module(m)
                if summary is None:
                    continue
                got_fact = fact(summary)
                changed = True
            out.append(got_fact)
            if stamp not in _NO_STAMP:
                rows.append((m, stamp, *got_fact))
        if key and self.cache is not None and (changed or len(rows) != len(then)):
            self.cache.put_facts(key, tuple(rows))
        return out

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
        """``mod``'s names index; for a module summarised without one (outside the linted
        files, or linted in a run without a cache) made now from its bytes, once per run."""
        if mod.indexed:
            return mod.names
        key = ("names", mod.path)
        got = self.memo.get(key)
        if got is None:
            data = self.source(mod.path) if mod.path else None
            if data is None and mod.path:
                try:
                    with open(mod.path, "rb") as f:
                        data = f.read()
                except OSError:
                    pass  # what it cannot read, it mentions nothing
            got = self.memo[key] = index_of(data) if data is not None else NamesIndex()
        assert isinstance(got, NamesIndex)
        return got

    def mentions(
        self, mod: ModuleSummary, name: str, *, through_self: bool = False, defined: bool = False
    ) -> bool:
        """``names(mod).mentions(name)``, without making the index of a linted module
        summarised without one when its bytes tell: ASCII text holds a mention of an ASCII
        ``name`` only if it holds the name more often than the module defines it
        (``defined``: once, by the definition being asked about).  Like the byte tests of
        the evidence pass and of fix safety, this takes a name in a string to be written as
        it is, without escapes."""
        if not mod.indexed and name.isascii():
            data = self.source(mod.path) if mod.path else None
            if data is not None and data.isascii():
                if data.count(name.encode("ascii")) <= (1 if defined else 0):
                    return False
        return self.names(mod).mentions(name, through_self=through_self)

    def in_use_remotely(self, mod: ModuleSummary, name: str) -> bool:
        """``names(mod).in_use_remotely(name)``, without making the index of a linted
        module summarised without one whose bytes hold no ``callRemote``."""
        if not mod.indexed:
            data = self.source(mod.path) if mod.path else None
            if data is not None and b"callRemote" not in data:
                return False
        return self.names(mod).in_use_remotely(name)
