"""What OC101, OC102, OC103, OC107 and OC108 share: what a class's ancestors and interfaces provide,
which methods are marked ``@override``, and the near misses of a method's name.

Not a rule: the rule modules import it.  Results are memoised in the run's context, so the
rules that look at the same class do the work once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Union

from overridecheck._conventions_data import FRAMEWORK_HOOKS
from overridecheck._names import INTERFACE_SELF, OVERRIDE_DECORATORS, SPECIAL_METHODS
from overridecheck._signature import Params
from overridecheck._suggest import Candidates, Match, Role, dual_naming, is_ambiguous, variant_key
from overridecheck.lint.findings import finding, where
from overridecheck.lint.model import Diagnostic, FunctionSummary, ModuleSummary
from overridecheck.lint.resolve import BuiltinClass, ClassInfo, Member

if TYPE_CHECKING:
    from overridecheck.lint.ruledef import Context

__all__ = [
    "INTERFACE_SELF",
    "NearMiss",
    "as_called",
    "first_defs",
    "near_misses",
    "override_decorated",
    "provided",
    "roles",
]


def override_decorated(mod: ModuleSummary, fn: FunctionSummary) -> bool:
    """Whether ``fn`` carries a recognised ``@override`` decorator (resolved by imports)."""
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


def first_defs(info: ClassInfo) -> list[FunctionSummary]:
    """The class's methods, the first ``def`` of each name only (property setters and
    redefinitions: the first is the one to report)."""
    seen: set[str] = set()
    out: list[FunctionSummary] = []
    for fn in info.summary.methods:
        if fn.name not in seen:
            seen.add(fn.name)
            out.append(fn)
    return out


_SPECIAL_INDEX = Candidates(SPECIAL_METHODS)


def provided(ctx: Context, info: ClassInfo) -> dict[str, Member]:
    """Everything the ancestors and interfaces provide; a base class is the better source
    (made once per ancestry: not to be changed)."""
    interface = info.interface_members()
    if not interface:
        return info.inherited()
    key = ("provided", _ancestry(ctx, info)[1])
    got = ctx.memo.get(key)
    if got is None:
        got = ctx.memo[key] = dict(interface)
        got.update(info.inherited())
    return got


def _qualifies(name: str, member: Member) -> bool:
    """Near-miss candidates: methods, dunders and interface members (not plain attributes)."""
    return member.function is not None or name.startswith("__") or member.from_interface


def _own_names(cls: Union[ClassInfo, BuiltinClass]) -> list[str]:
    """The near-miss candidates one ancestor (or interface) defines itself."""
    if isinstance(cls, BuiltinClass):
        return [n for n in cls.members if n.startswith("__")]
    names = [fn.name for fn in cls.summary.methods]
    names.extend(a for a in cls.summary.attributes if a.startswith("__"))
    if cls.is_interface:
        names.extend(cls.summary.attributes)
    return names


def _ancestry(
    ctx: Context, info: ClassInfo
) -> tuple[list[Union[ClassInfo, BuiltinClass]], tuple[int, ...]]:
    """The class's ancestors and interfaces (with theirs), and a key naming that ancestry:
    what it inherits, its index of near misses and its roles are the same for every class
    with the same key (most of a project's test cases or protocols)."""
    key = ("ancestry", id(info))
    got = ctx.memo.get(key)
    if got is None:
        sources: list[Union[ClassInfo, BuiltinClass]] = list(info.mro[1:])
        for iface in info.interfaces:
            sources.extend(iface.mro)
        got = ctx.memo[key] = (sources, tuple(map(id, sources)))
    return got


def _ancestors_index(ctx: Context, info: ClassInfo) -> Candidates:
    """The names the class's ancestors and interfaces define themselves, in one index (shared
    by the classes with the same ancestry)."""
    sources, ancestry = _ancestry(ctx, info)
    key = ("ancestors-index", ancestry)
    index = ctx.memo.get(key)
    if index is None:
        names: list[str] = []
        for cls in sources:
            names.extend(_own_names(cls))
        index = ctx.memo[key] = Candidates(names)
    assert isinstance(index, Candidates)
    return index


def _is_hook(fn: FunctionSummary) -> bool:
    """A base method meant to be overridden: a stub, or documented to be overridden."""
    return fn.stub or fn.documented_stub or fn.overridable


def roles(ctx: Context, info: ClassInfo) -> Role:
    """Which names the ancestors provide are hooks (interface members, stubs, methods
    documented to be overridden, a framework's callbacks: `FRAMEWORK_HOOKS`) and which are
    concrete methods (a real body, not documented to be overridden)."""
    key = ("roles", _ancestry(ctx, info)[1])  # the same for the same ancestry
    got = ctx.memo.get(key)
    if isinstance(got, Role):
        return got
    hooks: set[str] = set(info.interface_members())
    concrete: set[str] = set()
    for name, member in info.inherited().items():
        fn = member.function
        if fn is None:
            continue
        if _is_hook(fn):
            hooks.add(name)
        if not (fn.stub or name.startswith("__")):
            concrete.add(name)  # a real default: `buildProtocols` beside it is a new method
    for cls in info.mro[1:]:
        if isinstance(cls, ClassInfo):
            hooks.update(FRAMEWORK_HOOKS.get((cls.module.module, cls.summary.qualname), ()))
    role = Role(frozenset(hooks), frozenset(concrete))
    ctx.memo[key] = role
    return role


def _suggestion(
    ctx: Context, info: ClassInfo, fn: FunctionSummary, provides: dict[str, Member]
) -> tuple[list[Match], Optional[Member]]:
    """Names ``fn`` may have been meant to be, best first, and who provides the best one."""
    if fn.name in SPECIAL_METHODS or variant_key(fn.name)[1].startswith("test"):
        return [], None  # test methods are new names by convention (see OC104 for `tset_`)
    own = info.own_names()
    role = roles(ctx, info)
    matches = [
        m
        for m in _ancestors_index(ctx, info).rank(fn.name, role)
        if m.name not in own
        and (member := provides.get(m.name)) is not None
        and _qualifies(m.name, member)
    ]
    if fn.name.startswith("_") and fn.name.endswith("_"):
        matches.extend(
            m for m in _SPECIAL_INDEX.rank(fn.name) if m.name not in own and m.name not in provides
        )
        matches.sort(key=lambda m: m.key)
    if not matches:
        return [], None
    return matches, provides.get(matches[0].name)


@dataclass(frozen=True)
class NearMiss:
    """A method that overrides nothing, with what it may have been meant to be."""

    fn: FunctionSummary
    decorated: bool  # marked `@override`
    matches: tuple[Match, ...]  # best first; empty when nothing is close
    member: Optional[Member]  # who provides the best match

    def finding(
        self, mod: ModuleSummary, info: ClassInfo, code: str, says: str
    ) -> tuple[str, Diagnostic]:
        """The finding on the method: "`C.m` <says>; did you mean `best` from `Owner`?", with
        a rename to the best match when it is the only best one and the class's own names are
        all known (a dynamic class body may bind the suggested name itself).  How safe the
        rename is, the check stage and fix safety decide (a rename onto a concrete base method
        is unsafe: see `lint.checks`)."""
        name = self.fn.name
        best = self.matches[0].name if self.matches else None
        hint = ""
        if best is not None:
            source = f" from `{self.member.owner}`" if self.member is not None else ""
            hint = f"; did you mean `{best}`{source}?"
        return (
            name,
            finding(
                mod,
                self.fn.line,
                self.fn.column,
                name,
                code,
                f"`{where(info, name)}` {says}{hint}",
                suggestion=best,
                rename=best is not None
                and not is_ambiguous(list(self.matches))
                and not info.dynamic,
            ),
        )


def near_misses(ctx: Context, mod: ModuleSummary, info: ClassInfo) -> list[NearMiss]:
    """The methods of a complete, non-interface class that override nothing (computed once
    per class and run, for OC101 and OC102 alike)."""
    key = ("near-misses", id(info))
    got = ctx.memo.get(key)
    if got is not None:
        return got  # type: ignore[no-any-return]
    out: list[NearMiss] = []
    if not info.is_interface and info.complete:
        provides = provided(ctx, info)
        for fn in first_defs(info):
            if fn.name in provides:
                continue
            matches, member = _suggestion(ctx, info, fn, provides)
            decorated = override_decorated(mod, fn)
            if (
                matches
                and matches[0].exact_variant
                and not decorated
                and dual_naming(provides, fn.name, matches[0].name)
            ):
                continue  # `on_welcome` beside `onWelcome` on purpose: both spellings are API
            out.append(NearMiss(fn, decorated, tuple(matches), member))
    ctx.memo[key] = out
    return out


def as_called(fn: FunctionSummary, interface: bool = False) -> Optional[Params]:
    """``fn``'s parameters as callers pass arguments: without the bound ``self``/``cls``.

    zope.interface methods are declared without ``self`` and staticmethods have none.  An
    interface method whose first parameter is named ``self`` (legacy code, reported by OC108)
    is taken as if that ``self`` were implicit, as its implementations are called; ``cls`` or
    any other name is a real parameter of an interface method.
    """
    p = fn.params
    if interface and fn.first_param != INTERFACE_SELF:
        return p
    if fn.kind == "staticmethod" and not interface:
        return p
    if p.positional == 0:
        return p if p.varargs else None
    return Params(
        p.positional - 1, max(p.required - 1, 0), p.varargs, p.kwonly_required, p.varkw, p.kwonly
    )
