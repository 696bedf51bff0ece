"""OC104 misspelled-handler: methods a framework dispatches by a name prefix.

Three kinds of name dispatch are checked, all only on classes whose resolved MRO contains the
framework's base class:

* the conventions of :mod:`overridecheck.lint.conventions` (``render_GET`` on a Twisted
  ``Resource``, ``irc_PRIVMSG``, ``ftp_RETR``, ``do_GET``, ``visit_FunctionDef`` ...): a method
  with the prefix whose suffix is not valid but is a near miss of a valid one;
* the ``test`` prefix of ``unittest``/trial test cases (``tset_foo``, ``Test_foo``);
* Perspective Broker's ``remote_``/``view_``/``perspective_`` methods, compared with the
  ``callRemote("name")`` string literals of the linted tree.

A name the module itself refers to (``self.render_post(...)``) is a helper, not a typo.
"""

from __future__ import annotations

import weakref
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Optional

from overridecheck._conventions_data import CALL_REMOTE, PB_DEF, TEST_TYPO, valid_suffix
from overridecheck._suggest import Candidates, is_ambiguous, rank
from overridecheck.lint.conventions import (
    CONVENTIONS,
    PB_PREFIXES,
    TEST_CASE_BASES,
    Convention,
    known_suffixes,
)
from overridecheck.lint.findings import finding, module_text, referenced, where
from overridecheck.lint.model import Diagnostic, FunctionSummary, ModuleSummary

if TYPE_CHECKING:
    from overridecheck.lint.resolve import ClassInfo, Resolver

__all__ = ["ancestor_keys", "check_handlers", "module_text", "referenced", "where"]

CODE = "OC104"


# Every base class some check of this module is about, for a fast "nothing to do" test.
_WATCHED = frozenset(
    {b for c in CONVENTIONS for b in c.bases} | set(TEST_CASE_BASES) | set(PB_PREFIXES)
)


def ancestor_keys(info: ClassInfo) -> set[tuple[str, str]]:
    """``(module, qualname)`` of every ancestor (the class itself excluded)."""
    keys: set[tuple[str, str]] = set()
    for cls in info.mro[1:]:
        summary = getattr(cls, "summary", None)
        if summary is not None:
            keys.add((cls.module.module, summary.qualname))  # type: ignore[union-attr]
    return keys


def _diag(
    mod: ModuleSummary,
    fn: FunctionSummary,
    message: str,
    suggestion: Optional[str],
    ambiguous: bool = False,
    safe: bool = True,
) -> Diagnostic:
    return finding(
        mod,
        fn.line,
        fn.column,
        fn.name,
        CODE,
        message,
        suggestion=suggestion,
        rename=not ambiguous,
        safe=safe,
    )


def _base_name(info: ClassInfo, bases: Collection[tuple[str, str]]) -> str:
    for cls in info.mro[1:]:
        summary = getattr(cls, "summary", None)
        if summary is not None and (cls.module.module, summary.qualname) in bases:  # type: ignore[union-attr]
            return str(summary.name)
    return "the base class"


def _dispatch(
    mod: ModuleSummary,
    info: ClassInfo,
    resolver: Resolver,
    methods: list[FunctionSummary],
    conventions: list[Convention],
) -> Iterator[tuple[str, Diagnostic]]:
    inherited = info.inherited()
    for convention in conventions:
        known = known_suffixes(convention, resolver)
        base = _base_name(info, convention.bases)
        for prefix in convention.prefixes:
            mine = [fn for fn in methods if fn.name.startswith(prefix) and fn.name != prefix]
            # A typo in the prefix itself (`rendr_GET`, `renderGET`): a name that is not a
            # handler, not inherited, and ends with a valid suffix after a near miss of it.
            slipped = [
                fn
                for fn in methods
                if not fn.name.startswith(prefix)
                and fn.name not in inherited
                and fn.name[:1].lower() == prefix[:1].lower()
            ]
            if not mine and not slipped:
                continue
            defined = {n[len(prefix) :] for n in inherited if n.startswith(prefix)}
            valid = known | defined
            candidates: Optional[Candidates] = None
            for fn in [*mine, *slipped]:
                if fn.name in inherited or fn.name in convention.ignore:
                    continue
                in_prefix = not fn.name.startswith(prefix)
                suffix = fn.name[len(prefix) :]
                if not in_prefix and valid_suffix(suffix, valid, convention):
                    continue
                if candidates is None:
                    candidates = Candidates(sorted(prefix + s for s in valid))
                matches = candidates.rank(fn.name)
                if in_prefix:
                    # Only the prefix may differ: the handler's own suffix must be intact.
                    matches = [m for m in matches if fn.name.endswith(m.name[len(prefix) :])]
                if not matches:
                    continue
                best = matches[0].name
                yield (
                    fn.name,
                    _diag(
                        mod,
                        fn,
                        f"`{where(info, fn.name)}` is never dispatched by `{base}`; "
                        f"did you mean `{best}`?",
                        best,
                        is_ambiguous(matches),
                    ),
                )


def _tests(
    mod: ModuleSummary, info: ClassInfo, methods: list[FunctionSummary]
) -> Iterator[tuple[str, Diagnostic]]:
    inherited = info.inherited()
    own = {fn.name for fn in methods}
    for fn in methods:
        m = TEST_TYPO.match(fn.name)
        if m is None or fn.name in inherited or fn.kind != "method":
            continue
        rest = fn.name[m.end() :]
        if not rest.strip("_"):
            continue
        suggestion = "test" + rest
        if suggestion in own:
            continue
        yield (
            fn.name,
            _diag(
                mod,
                fn,
                f"`{where(info, fn.name)}` is never collected as a test; "
                f"did you mean `{suggestion}`?",
                suggestion,
                safe=False,  # the test starts to run
            ),
        )


# Per resolver: package -> (callRemote names, PB handler names, the linted modules scanned)
_tree_cache: weakref.WeakKeyDictionary[
    Resolver, dict[str, tuple[set[str], set[str], tuple[str, ...]]]
] = weakref.WeakKeyDictionary()


def _tree_modules(resolver: Resolver, mod: ModuleSummary) -> tuple[str, ...]:
    """The linted modules of ``mod``'s top-level package (none when the resolver knows no
    linted tree: then ``mod``'s own file is the tree)."""
    top = mod.module.split(".", 1)[0] if mod.module else ""
    if not top or not resolver.linted:
        return ()
    return tuple(n for n in resolver.linted if n == top or n.startswith(top + "."))


def _remote_names(resolver: Resolver, mod: ModuleSummary) -> tuple[set[str], set[str]]:
    """(names passed to ``callRemote``, names defined as PB handlers) in ``mod``'s package,
    read from the bytes discovery read (never other files).  Every module scanned becomes a
    dependency of the result being checked, so a cached finding goes stale with any of them."""
    top = mod.module.split(".", 1)[0] if mod.module and resolver.linted else mod.path
    table = _tree_cache.setdefault(resolver, {})
    got = table.get(top)
    if got is None:
        modules = _tree_modules(resolver, mod)
        sources = [resolver.source(n) for n in modules] if modules else [_read(mod.path)]
        called: set[str] = set()
        defined: set[str] = set()
        for data in sources:
            if data is None:
                continue
            if b"callRemote" in data:
                called.update(CALL_REMOTE.findall(data.decode("utf-8", "replace")))
            if b"remote_" in data or b"view_" in data or b"perspective_" in data:
                defined.update(PB_DEF.findall(data.decode("utf-8", "replace")))
        got = table[top] = (called, defined, modules)
    resolver.depend(got[2])
    return got[0], got[1]


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


def _pb(
    mod: ModuleSummary,
    info: ClassInfo,
    resolver: Resolver,
    methods: list[FunctionSummary],
    prefixes: list[str],
) -> Iterator[tuple[str, Diagnostic]]:
    mine = [(p, fn) for fn in methods for p in prefixes if fn.name.startswith(p)]
    if not mine:
        return
    called, defined = _remote_names(resolver, mod)
    orphans = sorted(called - defined)
    if not orphans:
        return
    for prefix, fn in mine:
        suffix = fn.name[len(prefix) :]
        if not suffix or suffix in called:
            continue
        matches = rank(suffix, orphans)
        if not matches:
            continue
        best = matches[0].name
        yield (
            fn.name,
            _diag(
                mod,
                fn,
                f'`{where(info, fn.name)}` does not match `callRemote("{best}")`',
                prefix + best,
                ambiguous=True,  # the call may be the misspelled side: no fix
            ),
        )


def _first_defs(info: ClassInfo) -> list[FunctionSummary]:
    seen: set[str] = set()
    out: list[FunctionSummary] = []
    for fn in info.summary.methods:
        if fn.name not in seen:
            seen.add(fn.name)
            out.append(fn)
    return out


def check_handlers(
    mod: ModuleSummary, info: ClassInfo, resolver: Resolver, select: Collection[str]
) -> Iterator[tuple[str, Diagnostic]]:
    """OC104 findings for one class."""
    # Incomplete classes are checked too: what matters is that the framework's base is known
    # (an unknown mixin defining a near miss of a handler name is not a realistic case).
    if CODE not in select or info.is_interface or not info.summary.methods:
        return
    keys = ancestor_keys(info)
    if keys.isdisjoint(_WATCHED):
        return
    conventions = [c for c in CONVENTIONS if not keys.isdisjoint(c.bases)]
    tests = not keys.isdisjoint(TEST_CASE_BASES)
    pb = [p for k, p in PB_PREFIXES.items() if k in keys]
    methods = _first_defs(info)
    found: list[tuple[str, Diagnostic]] = []
    if conventions:
        found.extend(_dispatch(mod, info, resolver, methods, conventions))
    if tests:
        found.extend(_tests(mod, info, methods))
    if pb:
        found.extend(_pb(mod, info, resolver, methods, pb))
    if not found:
        return
    used = referenced(mod.path, {name for name, _ in found})
    if "OC101" in select:  # one finding per method: OC101 reports names the bases define
        from overridecheck.lint.checks import check_class

        used |= {name for name, _ in check_class(mod, info, {"OC101"})}
    for name, d in found:
        if name not in used:
            yield name, d
