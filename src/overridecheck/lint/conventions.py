"""Dispatch conventions: which base classes call which methods by a name prefix.

A framework that dispatches with ``getattr(self, prefix + suffix)`` (``render_GET``,
``irc_PRIVMSG``, ``visit_FunctionDef``) never defines most of the names it calls, so "the name
exists on the base" cannot tell a handler from a typo.  Each :class:`Convention` says, for a set
of base classes, which prefix is dispatched and which suffixes are valid.  The valid suffixes
come from an explicit list, from names read statically from the framework's source (IRC's
``symbolic_to_numeric``, libcst's node classes), from the node classes of the running Python's
:mod:`ast` module, and always from the prefixed names the base classes themselves define.

Nothing here imports the linted code or the framework: sources are read through the resolver.
"""

from __future__ import annotations

import ast
import weakref
from typing import TYPE_CHECKING

# The tables themselves are shared with the runtime audit (``check_class``).
from overridecheck._conventions_data import (
    CONVENTIONAL_ATTRIBUTES,
    CONVENTIONS,
    IRC_MODULE,
    PB_PREFIXES,
    SYMBOLIC,
    TEST_CASE_BASES,
    Convention,
)

if TYPE_CHECKING:
    from overridecheck.lint.resolve import Resolver

__all__ = [
    "CONVENTIONAL_ATTRIBUTES",
    "CONVENTIONS",
    "PB_PREFIXES",
    "TEST_CASE_BASES",
    "Convention",
    "known_suffixes",
]

_cache: weakref.WeakKeyDictionary[Resolver, dict[str, frozenset[str]]] = weakref.WeakKeyDictionary()


def _ast_nodes() -> frozenset[str]:
    # The tool's own standard library, not the linted code.
    return frozenset(
        name
        for name, obj in vars(ast).items()
        if isinstance(obj, type) and issubclass(obj, ast.AST)
    )


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def _irc_symbols(resolver: Resolver) -> frozenset[str]:
    mod = resolver.module(IRC_MODULE)
    if mod is None or not mod.path:
        return frozenset()
    return frozenset(SYMBOLIC.findall(_read(mod.path)))


def _libcst_nodes(resolver: Resolver) -> frozenset[str]:
    """Classes libcst re-exports from its node modules (``libcst._nodes.*``)."""
    mod = resolver.module("libcst")
    if mod is None:
        return frozenset()
    return frozenset(
        name
        for name, target in mod.imports.items()
        if target.module.startswith("libcst._nodes") and target.name is not None
    )


def known_suffixes(convention: Convention, resolver: Resolver) -> frozenset[str]:
    """All valid suffixes of ``convention`` (computed once per resolver)."""
    table = _cache.setdefault(resolver, {})
    got = table.get(convention.name)
    if got is None:
        extra: frozenset[str] = frozenset()
        if convention.source == "ast":
            extra = _ast_nodes()
        elif convention.source == "irc":
            extra = _irc_symbols(resolver)
        elif convention.source == "libcst":
            extra = _libcst_nodes(resolver)
        got = table[convention.name] = convention.known | extra
    return got
