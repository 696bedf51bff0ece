"""Fix safety across the project's class hierarchy: a rename must not change what the
project's subclasses of the class run, beyond what it changes for the class itself.

Renaming ``P.conectionMade`` to ``connectionMade`` is meant to change one thing: ``P``, and
every subclass that gets ``connectionMade`` from where ``P`` gets it, now runs the renamed
method. A subclass ``Q`` of ``P`` in the project is changed otherwise, and the rename is
**unsafe** (it stays offered with ``--unsafe-fixes``: it is still what the typo meant), when

* ``Q``, or a class before ``P`` in ``Q``'s MRO, defines ``connectionMade``: what ``Q`` runs
  stays the same, but its ``super().connectionMade()`` now reaches ``P``'s renamed method
  instead of the base's;
* ``Q`` gets ``connectionMade`` from another class than ``P`` does (``class Q(P, Mixin)`` with
  ``Mixin.connectionMade``): ``Q`` now runs ``P``'s method instead of ``Mixin``'s;
* what ``Q`` gets cannot be known: a base of ``Q`` cannot be resolved, or a class body binds
  names dynamically.

A subclass that refers to the old name (``def conectionMade``, ``super().conectionMade()``)
is a reference: `lint.fix` sees it.

This pass runs after checking, over every file of the project (checked files and context
files), so that a module's cached findings never depend on who subclasses it. Subclasses are
found through their base expressions: the files whose bytes hold the class's name as a word
(then also the names of the subclasses found, and the names that import or alias one of them)
are read from their summaries, and a class there whose bases name one of them is resolved
and kept when the class is in its MRO. A subclass reached only through a name that spells none
of them (a base computed by a call) is not found, as it is not checked either.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Callable, Optional, Union

from overridecheck.lint.evidence import Prefilter, files_holding
from overridecheck.lint.model import ClassSummary, Diagnostic, ModuleSummary
from overridecheck.lint.resolve import BuiltinClass, ClassInfo, Resolver

__all__ = ["lower_for_subclasses", "subclass_words"]

SummaryOf = Callable[[str], Optional[ModuleSummary]]
_Cls = Union[ClassInfo, BuiltinClass]


def _safe_rename(d: Diagnostic) -> bool:
    fix = d.fix
    return (
        fix is not None
        and fix.safe
        and len(fix.edits) == 1
        and fix.edits[0].text == d.suggestion
        and fix.edits[0].text.isidentifier()
    )


def _owner(mod: ModuleSummary, d: Diagnostic) -> Optional[ClassSummary]:
    """The class whose member the finding ``d`` is on: the one with a method defined there,
    else the one whose first class-level assignment of the name is there (OC106)."""
    for c in mod.classes:
        if any((fn.line, fn.column) == (d.line, d.column) for fn in c.methods):
            return c
    for c in mod.classes:
        if any((line, column) == (d.line, d.column) for _, line, column in c.assigned):
            return c
    return None


def _names_one_of(cls: ClassSummary, names: set[str]) -> bool:
    """Whether one of the class's base expressions names one of ``names`` (any dotted part,
    also inside a ``with_metaclass(Meta, Base)`` call)."""
    exprs = [*cls.bases, *(arg for _, args in cls.base_calls for arg in args)]
    return any(part in names for e in exprs for part in e.lstrip("?*").split("."))


def subclass_words(mod: ModuleSummary) -> frozenset[str]:
    """Every name through which a class of ``mod`` may be a subclass of a class named so:
    the names it imports, the last part of its aliases, every dotted part of its classes'
    base expressions.  The subclass search looks at a module only if one of the names it
    searches for is among them."""
    words = {t.name for t in mod.imports.values() if t.name is not None}
    words.update(expr.rpartition(".")[2] for expr in mod.aliases.values())
    for c in mod.classes:
        exprs = [*c.bases, *(arg for _, args in c.base_calls for arg in args)]
        words.update(part for e in exprs for part in e.lstrip("?*").split("."))
    return frozenset(words)


def _word(name: str) -> re.Pattern[bytes]:
    return re.compile(rb"(?<![\w])" + re.escape(name.encode()) + rb"(?![\w])")


def _defines(cls: _Cls, name: str) -> bool:
    if isinstance(cls, BuiltinClass):
        return name in cls.members
    return name in cls.own_names()


def _first_definer(mro: Sequence[_Cls], name: str) -> Optional[_Cls]:
    return next((c for c in mro if _defines(c, name)), None)


def _changes(sub: ClassInfo, cls: ClassInfo, new: str) -> bool:
    """Whether defining ``new`` in ``cls`` changes what its subclass ``sub`` runs otherwise
    than it changes ``cls`` (see the module's documentation)."""
    if not sub.complete or sub.dynamic:
        return True  # a base that cannot be seen may define it
    at = next(i for i, c in enumerate(sub.mro) if c is cls)
    if any(_defines(c, new) for c in sub.mro[:at]):
        return True
    return _first_definer(sub.mro[at + 1 :], new) is not _first_definer(cls.mro[1:], new)


class _Subclasses:
    """The project's subclasses of a class, found once per class and run.  Nothing is resolved
    until a class whose bases name the class (or a subclass) is found: a rename in a class no
    other class derives from costs a byte test, not the resolution of its bases."""

    def __init__(
        self,
        files: list[str],
        contents: Mapping[str, bytes],
        summary_of: SummaryOf,
        resolver: Callable[[], Resolver],
        prefilter: Optional[Prefilter],
    ) -> None:
        self.files = files
        self.contents = contents
        self.summary_of = summary_of
        self.resolver = resolver
        self.prefilter = prefilter
        self._found: dict[tuple[str, str], tuple[Optional[ClassInfo], list[ClassInfo]]] = {}

    def of(
        self, mod: ModuleSummary, owner: ClassSummary
    ) -> tuple[Optional[ClassInfo], list[ClassInfo]]:
        """The class ``owner`` of ``mod`` resolved (None when nothing needed it) and its
        subclasses in the project."""
        key = (mod.path, owner.qualname)
        got = self._found.get(key)
        if got is None:
            got = self._found[key] = self._search(mod, owner)
        return got

    def _search(
        self, home: ModuleSummary, owner: ClassSummary
    ) -> tuple[Optional[ClassInfo], list[ClassInfo]]:
        cls: Optional[ClassInfo] = None
        names = {owner.name}
        frontier = set(names)
        looked: set[tuple[str, str]] = {(home.path, owner.qualname)}  # the classes resolved
        found: list[ClassInfo] = []
        while frontier:
            # as a word: `C` is in the bytes of nearly every file, `C` as a name is not
            words = [_word(n) for n in frontier if n.isascii()]
            anywhere = len(words) < len(frontier)  # a non-ASCII name may be encoded otherwise
            held = files_holding(frozenset(frontier), self.files, self.contents, self.prefilter)
            frontier = set()
            for path in held:
                data = self.contents.get(path)
                if data is None or not (anywhere or any(w.search(data) for w in words)):
                    continue
                mod = self.summary_of(path)
                if mod is None:
                    continue
                more = {
                    local
                    for local, t in mod.imports.items()
                    if t.name is not None and t.name in names
                }
                more.update(
                    local for local, expr in mod.aliases.items() if expr.rpartition(".")[2] in names
                )
                known = names | more
                for c in mod.classes:
                    if (path, c.qualname) in looked or not _names_one_of(c, known):
                        continue
                    looked.add((path, c.qualname))
                    if cls is None:
                        cls = self.resolver().class_info(home, owner)
                    info = self.resolver().class_info(mod, c)
                    if any(k is cls for k in info.mro[1:]):
                        found.append(info)
                        more.add(info.name)
                frontier.update(more - names)
            names |= frontier
        return cls, found


def lower_for_subclasses(
    diagnostics: Sequence[Diagnostic],
    files: Sequence[str],
    contents: Mapping[str, bytes],
    summary_of: SummaryOf,
    resolver: Callable[[], Resolver],
    prefilter: Optional[Prefilter] = None,
) -> list[Diagnostic]:
    """``diagnostics`` with every safe rename made unsafe when it changes what a subclass in
    ``files`` (every file of the project) runs otherwise than it changes its own class.

    ``summary_of(path)`` gives a project file's summary, ``resolver()`` the resolver to resolve
    the classes with (made on first use: a run without a safe rename needs none).
    """
    result = list(diagnostics)
    subclasses = _Subclasses(list(files), contents, summary_of, resolver, prefilter)
    for i, d in enumerate(result):
        if not _safe_rename(d):
            continue
        assert d.fix is not None
        new = d.fix.edits[0].text
        mod = summary_of(d.path)
        # a file whose text is not at hand is not fixed: nothing to judge
        owner = _owner(mod, d) if mod is not None and d.path in contents else None
        if mod is None or owner is None:
            unsafe = True  # the class is not known: nothing says its subclasses keep working
        else:
            cls, subs = subclasses.of(mod, owner)
            unsafe = cls is not None and any(_changes(sub, cls, new) for sub in subs)
        if unsafe:
            result[i] = replace(d, fix=replace(d.fix, safe=False))
    return result
