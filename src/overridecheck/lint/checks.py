"""The checks: resolved classes in, diagnostics out (OC101, OC102, OC103)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any, Optional, Union

from overridecheck._names import CONSTRUCTORS, OVERRIDE_DECORATORS, SPECIAL_METHODS
from overridecheck._signature import Params, incompatibility
from overridecheck._suggest import Candidates, Match, is_ambiguous, variant_key
from overridecheck.lint import extra as extra_checks
from overridecheck.lint.findings import finding, referenced, where
from overridecheck.lint.model import Diagnostic, FunctionSummary, ModuleSummary
from overridecheck.lint.resolve import BuiltinClass, ClassInfo, Member, Resolver
from overridecheck.lint.rules import DEFAULT_SELECT

__all__ = ["OVERRIDE_DECORATORS", "SPECIAL_METHODS", "check_module"]


def _override_decorated(mod: ModuleSummary, fn: FunctionSummary) -> bool:
    for d in fn.decorators:
        head, _, rest = d.partition(".")
        target = mod.imports.get(head)
        if target is None:
            continue
        full = target.module if target.name is None else f"{target.module}.{target.name}"
        if rest:
            full = f"{full}.{rest}"
        if full in OVERRIDE_DECORATORS:
            return True
    return False


_SPECIAL_INDEX = Candidates(SPECIAL_METHODS)


def _provided(info: ClassInfo) -> dict[str, Member]:
    """Everything the ancestors and interfaces provide; a base class is the better source."""
    provided: dict[str, Member] = dict(info.interface_members())
    provided.update(info.inherited())
    return provided


def _qualifies(name: str, member: Member) -> bool:
    """Near-miss candidates: methods, dunders and interface members (not plain attributes)."""
    return member.function is not None or name.startswith("__") or member.from_interface


def _own_index(cls: Union[ClassInfo, BuiltinClass], cache: dict[object, Any]) -> Candidates:
    """The names one ancestor (or interface) defines itself, indexed once per run."""
    key = ("own-index", id(cls))
    index = cache.get(key)
    if index is None:
        if isinstance(cls, BuiltinClass):
            names: list[str] = [n for n in cls.members if n.startswith("__")]
        else:
            names = [fn.name for fn in cls.summary.methods]
            names.extend(a for a in cls.summary.attributes if a.startswith("__"))
            if cls.is_interface:
                names.extend(cls.summary.attributes)
        index = cache[key] = Candidates(names)
    return index


def _suggestion(
    info: ClassInfo, fn: FunctionSummary, provided: dict[str, Member], cache: dict[object, Any]
) -> tuple[list[Match], Optional[Member]]:
    """Names ``fn`` may have been meant to be, best first, and who provides the best one."""
    if fn.name in SPECIAL_METHODS or variant_key(fn.name)[1].startswith("test"):
        return [], None  # test methods are new names by convention (see OC104 for `tset_`)
    own = info.own_names()
    sources: list[Union[ClassInfo, BuiltinClass]] = list(info.mro[1:])
    for iface in info.interfaces:
        sources.extend(iface.mro)
    found: dict[str, Match] = {}
    for cls in sources:
        for m in _own_index(cls, cache).rank(fn.name):
            member = provided.get(m.name)
            if m.name not in own and member is not None and _qualifies(m.name, member):
                found.setdefault(m.name, m)
    matches = sorted(found.values(), key=lambda m: m.key)
    if fn.name.startswith("_") and fn.name.endswith("_"):
        matches.extend(
            m for m in _SPECIAL_INDEX.rank(fn.name) if m.name not in own and m.name not in provided
        )
        matches.sort(key=lambda m: m.key)
    if not matches:
        return [], None
    return matches, provided.get(matches[0].name)


def as_called(fn: FunctionSummary, interface: bool = False) -> Optional[Params]:
    """``fn``'s parameters as callers pass arguments: without the bound ``self``/``cls``.

    zope.interface methods are declared without ``self`` and staticmethods have none.
    """
    p = fn.params
    if interface or fn.kind == "staticmethod":
        return p
    if p.positional == 0:
        return p if p.varargs else None
    return p._replace(positional=p.positional - 1, required=max(p.required - 1, 0))


def _signature_diags(
    mod: ModuleSummary,
    info: ClassInfo,
    fn: FunctionSummary,
    inherited: dict[str, Member],
    interface: dict[str, Member],
) -> Iterator[Diagnostic]:
    mine = as_called(fn)
    if mine is None or fn.kind == "property" or fn.name in CONSTRUCTORS:
        return
    if fn.documented_stub:
        return  # a documented stub redefines the hook's contract rather than implementing it
    for member in (inherited.get(fn.name), interface.get(fn.name)):
        if member is None or member.function is None:
            continue
        base = member.function
        if not (member.from_interface or base.stub):
            continue  # only hooks: interface members and base methods meant to be overridden
        if member.from_interface:
            if fn.kind != "method":
                continue
        elif base.kind != fn.kind:
            continue
        theirs = as_called(base, member.from_interface)
        if theirs is None:
            continue
        reason = incompatibility(mine, theirs, strict=False)
        if reason is not None:
            message = f"`{where(info, fn.name)}` {reason} (`{member.owner}.{fn.name}`)"
            yield finding(mod, fn.line, fn.column, fn.name, "OC103", message)
            return


def _shape(name: str) -> tuple[bool, bool, bool, bool]:
    """How a name is spelled: snake_case, all lower case, an upper-case run, capitalised."""
    core = name.strip("_")
    letters = [c for c in core if c.isalpha()]
    return (
        "_" in core,
        all(c.islower() for c in letters),
        any(a.isupper() and b.isupper() for a, b in zip(core, core[1:])),
        bool(core) and core[0].isupper(),
    )


def _dual_naming(provided: dict[str, Member], typed: str, intended: str) -> bool:
    """Whether the hierarchy itself spells other names the way ``typed`` relates to ``intended``.

    Autobahn's sessions define both `onJoin` and `on_join`, so `on_welcome` beside
    `onWelcome` is deliberate; IRCClient's `dcc_SEND`/`dccSend` says nothing about
    `connection_made`.
    """
    relation = (_shape(typed), _shape(intended))
    seen: dict[tuple[int, str], str] = {}
    for name in provided:
        if name.startswith("__"):
            continue
        other = seen.setdefault(variant_key(name), name)
        if other != name and relation in (
            (_shape(name), _shape(other)),
            (_shape(other), _shape(name)),
        ):
            return True
    return False


def check_class(
    mod: ModuleSummary,
    info: ClassInfo,
    select: Collection[str] = DEFAULT_SELECT,
    cache: Optional[dict[object, Any]] = None,
) -> Iterator[tuple[str, Diagnostic]]:
    """Findings for one class, each with the name of the method it is about."""
    if cache is None:
        cache = {}
    if info.is_interface or not info.complete:
        return
    inherited = info.inherited()
    interface = info.interface_members()
    provided = _provided(info)
    seen: set[str] = set()
    for fn in info.summary.methods:
        if fn.name in seen:
            continue  # property setters and redefinitions: the first def is the one to report
        seen.add(fn.name)
        if fn.name in provided:
            if "OC103" in select:
                for d in _signature_diags(mod, info, fn, inherited, interface):
                    yield fn.name, d
            continue
        decorated = _override_decorated(mod, fn)
        if decorated and "OC102" not in select:
            continue
        if not decorated and "OC101" not in select:
            continue
        matches, member = _suggestion(info, fn, provided, cache)
        if (
            matches
            and matches[0].exact_variant
            and not decorated
            and _dual_naming(provided, fn.name, matches[0].name)
        ):
            continue  # `on_welcome` beside `onWelcome` on purpose: both spellings are API
        suggestion = matches[0].name if matches else None
        hint = ""
        if suggestion is not None:
            source = f" from `{member.owner}`" if member is not None else ""
            hint = f"; did you mean `{suggestion}`{source}?"
        if decorated:
            code = "OC102"
            message = f"`{where(info, fn.name)}` is marked `@override` but overrides nothing{hint}"
        elif suggestion is not None:
            code = "OC101"
            message = f"`{where(info, fn.name)}` overrides nothing{hint}"
        else:
            continue
        rename = suggestion is not None and not is_ambiguous(matches)
        yield (
            fn.name,
            finding(
                mod,
                fn.line,
                fn.column,
                fn.name,
                code,
                message,
                suggestion=suggestion,
                rename=rename,
            ),
        )


def check_module(
    resolver: Resolver, mod: ModuleSummary, select: Collection[str] = DEFAULT_SELECT
) -> list[Diagnostic]:
    found: list[tuple[str, Diagnostic]] = []
    for info in resolver.classes(mod):
        found.extend(check_class(mod, info, select, resolver.scratch))
        for extra in extra_checks.CHECKS:
            found.extend(extra(mod, info, resolver, select))
    # A misspelled hook is dead code: a name the module itself calls or looks up
    # (`self.setupBuild()`, `getattr(self, "on_welcome")`) is a method in use, not a typo;
    # `socket.gethostbyname` or `error.ConnectionLost` say nothing about the class.
    typos = {name for name, d in found if d.code == "OC101"}
    used = referenced(mod.path, typos, through_self=True) if typos else set()
    return [d for name, d in found if not (d.code == "OC101" and name in used)]
