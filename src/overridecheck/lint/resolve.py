"""Resolve classes, their bases, MRO and zope.interface interfaces from module summaries.

Modules are located on a search path (the linted tree's roots first, then the ``sys.path`` of
the Python that runs the tool or of another interpreter given with ``--python``) and summarised
from source on first use.  Nothing is imported.  Whatever cannot be followed (a C extension, a
base computed by a call, a name bound dynamically) resolves to *unknown*; a class with an
unknown ancestor or interface is *incomplete* and the checks never guess about it.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Callable, Optional, Union

from overridecheck.lint.model import (
    Binding,
    ClassSummary,
    FileError,
    FunctionSummary,
    ImportTarget,
    ModuleSummary,
    Unchecked,
)
from overridecheck.lint.modules import ModuleFinder
from overridecheck.lint.summarise import SourceError, summarise

__all__ = [
    "BuiltinClass",
    "ClassInfo",
    "Member",
    "Resolver",
    "class_report",
]

# Names that resolve to the root of all zope interfaces (an instance, not a class statement).
_INTERFACE_ROOTS = frozenset(
    {
        ("zope.interface", "Interface"),
        ("zope.interface.interface", "Interface"),
    }
)
# Bases that add nothing a subclass could override by name, wherever they are implemented.
_TRANSPARENT = frozenset(
    {
        ("typing", "Generic"),
        ("typing_extensions", "Generic"),
        ("typing", "Protocol"),
        ("typing_extensions", "Protocol"),
        ("builtins", "object"),
    }
)
# typing's special forms that are functions making classes at run time, not class statements:
# never followed, so typing itself (a large module) is not read for them.
_SPECIAL_FORMS = frozenset(
    (module, name)
    for module in ("typing", "typing_extensions")
    for name in ("NamedTuple", "TypedDict")
)


@dataclass(frozen=True)
class BuiltinClass:
    """A class of the ``builtins`` module, described by introspecting the running interpreter."""

    name: str
    members: frozenset[str]
    _as_members: dict[str, Member] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def as_members(self) -> dict[str, Member]:
        """Its names as members (made once: not to be changed)."""
        if not self._as_members and self.members:
            self._as_members.update((n, Member(n, self.name, None)) for n in self.members)
        return self._as_members


@dataclass
class Member:
    """A name a class provides, with where it comes from."""

    name: str
    owner: str  # class or interface name, for messages
    function: Optional[FunctionSummary]  # None for attributes and builtin members
    from_interface: bool = False


@dataclass(eq=False)  # compared by identity: one object per resolved class
class ClassInfo:
    """A resolved class: its summary, its MRO and everything its ancestors/interfaces provide."""

    module: ModuleSummary
    summary: ClassSummary
    complete: bool = True
    is_interface: bool = False
    bases: list[Union[ClassInfo, BuiltinClass]] = field(default_factory=list)
    mro: list[Union[ClassInfo, BuiltinClass]] = field(default_factory=list)
    interfaces: list[ClassInfo] = field(default_factory=list)
    deps: frozenset[str] = frozenset()  # modules whose content this resolution depends on
    cycle: tuple[str, ...] = ()  # when it inherits from itself: the classes, from it to it
    why: Optional[tuple[str, str]] = None  # incomplete: (cause, detail), see model.Unchecked
    _resolving: bool = False
    _own_names: Optional[frozenset[str]] = None
    _own_members: Optional[dict[str, Member]] = None
    _inherited: Optional[dict[str, Member]] = None
    _members: Optional[dict[str, Member]] = None
    _iface_members: Optional[dict[str, Member]] = None

    @property
    def name(self) -> str:
        return self.summary.name

    @property
    def dynamic(self) -> bool:
        """Whether its body binds names that cannot be seen (``exec``, ``locals()[...]``):
        it is checked against what its bases define, but ``own_names()`` may miss some of
        its names, so nothing may rely on a name being free in it (no rename fix), and its
        subclasses and implementers are not checked."""
        return self.summary.dynamic

    def own_names(self) -> frozenset[str]:
        if self._own_names is None:
            self._own_names = frozenset(
                [*(m.name for m in self.summary.methods), *self.summary.attributes]
            )
        return self._own_names

    def own_members(self) -> dict[str, Member]:
        """The names this class binds itself; the first `def` of a name wins, and a method
        wins over an attribute of the same name (made once: not to be changed)."""
        own = self._own_members
        if own is None:
            own = self._own_members = {}
            for fn in self.summary.methods:
                own.setdefault(fn.name, Member(fn.name, self.name, fn))
            for a in self.summary.attributes:
                own.setdefault(a, Member(a, self.name, None))
        return own

    def members(self) -> dict[str, Member]:
        """Every name the class provides: its own over those it inherits (made once, shared
        with its single-inheritance subclasses: not to be changed)."""
        if self._members is None:
            own, inherited = self.own_members(), self.inherited()
            if own:
                merged = dict(inherited)
                merged.update(own)
                self._members = merged
            else:
                self._members = inherited
        return self._members

    def inherited(self) -> dict[str, Member]:
        """Names provided by the MRO after this class: the first definer wins (made once, and
        with a single base that base's :meth:`members` itself: not to be changed)."""
        if self._inherited is None:
            base = self.mro[1] if len(self.bases) == 1 and len(self.mro) > 1 else None
            if isinstance(base, ClassInfo) and base is self.bases[0]:
                # Single inheritance: the base's own names over what it inherits.
                self._inherited = base.members()
                return self._inherited
            result: dict[str, Member] = {}
            for cls in self.mro[1:]:
                for n, m in (
                    cls.as_members() if isinstance(cls, BuiltinClass) else cls.own_members()
                ).items():
                    result.setdefault(n, m)
            self._inherited = result
        return self._inherited

    def interface_members(self) -> dict[str, Member]:
        """Names declared by the interfaces this class or an ancestor implements."""
        if self._iface_members is None:
            result: dict[str, Member] = {}
            for iface in self.interfaces:
                for cls in iface.mro:
                    if isinstance(cls, BuiltinClass):
                        continue
                    for fn in cls.summary.methods:
                        result.setdefault(fn.name, Member(fn.name, cls.name, fn, True))
                    for a in cls.summary.attributes:
                        result.setdefault(a, Member(a, cls.name, None, True))
            self._iface_members = result
        return self._iface_members


#: Classes with more ancestors than this are not checked (only generated code has them).
MAX_ANCESTORS = 200
#: How many classes may be waiting for their bases to be resolved at once.
MAX_NESTING = 100

_Ref = Union[ClassInfo, BuiltinClass, str, None]  # str: a module name; None: unknown
_INTERFACE_ROOT = BuiltinClass("Interface", frozenset())


def _c3(
    seqs: list[list[Union[ClassInfo, BuiltinClass]]],
) -> Optional[list[Union[ClassInfo, BuiltinClass]]]:
    result: list[Union[ClassInfo, BuiltinClass]] = []
    seqs = [list(s) for s in seqs if s]
    while seqs:
        for seq in seqs:
            head = seq[0]
            if not any(head in s[1:] for s in seqs):
                break
        else:
            return None
        result.append(head)
        seqs = [s[1:] if s[0] is head else s for s in seqs]
        seqs = [s for s in seqs if s]
    return result


class Resolver:
    """Resolves names to classes across the linted tree and installed packages."""

    def __init__(
        self,
        finder: ModuleFinder,
        preloaded: Optional[dict[str, ModuleSummary]] = None,
        loader: Optional[Callable[[str, str, bool], Optional[ModuleSummary]]] = None,
        linted: Optional[dict[str, tuple[str, bool]]] = None,
    ) -> None:
        self.finder = finder
        self.modules: dict[str, Optional[ModuleSummary]] = dict(preloaded or {})
        # Linted files by module name: they win over the search path (first file per name).
        self.linted = linted or {}
        self._loader = loader
        self._classes: dict[tuple[str, str], ClassInfo] = {}
        self._stack: list[ClassInfo] = []  # classes being resolved, outermost first
        # id(module summary) -> (the summary, its classes by qualified name)
        self._class_index: dict[int, tuple[ModuleSummary, dict[str, ClassSummary]]] = {}
        self._builtins: dict[str, Optional[BuiltinClass]] = {}
        self._implements_index: dict[str, dict[str, list[str]]] = {}
        self._recorders: list[set[str]] = []
        # (id(module), name, binding) -> (the module, what it binds, modules that depended on)
        self._bound_memo: dict[
            tuple[int, str, Binding], tuple[ModuleSummary, _Ref, frozenset[str]]
        ] = {}

    # -- dependency recording (for caching results per module) ---------------------------
    def record(self) -> set[str]:
        """Start recording the modules that the following resolutions depend on."""
        deps: set[str] = set()
        self._recorders.append(deps)
        return deps

    def stop(self, deps: set[str]) -> None:
        popped = self._recorders.pop()
        assert popped is deps
        if self._recorders:
            self._recorders[-1].update(deps)

    def _find(self, name: str) -> Optional[tuple[str, bool]]:
        self._depend((name,))
        return self.finder.find(name)

    def depend(self, names: Iterable[str]) -> None:
        """Record that what is being checked depends on these modules' content too."""
        self._depend(names)

    def _depend(self, names: Iterable[str]) -> None:
        if self._recorders:
            self._recorders[-1].update(names)

    # -- modules -------------------------------------------------------------------------
    def module(self, name: str) -> Optional[ModuleSummary]:
        if self._recorders:
            self._recorders[-1].add(name)
        if name in self.modules:
            return self.modules[name]
        self.modules[name] = None  # guards against cycles while loading
        found = self.linted.get(name) or self.finder.find(name)
        summary: Optional[ModuleSummary] = None
        if found is not None:
            path, is_package = found
            if not path:
                summary = ModuleSummary(module=name, path="", is_package=True)
            elif self._loader is not None:
                summary = self._loader(path, name, is_package)
            else:
                try:
                    with open(path, "rb") as f:
                        data = f.read()
                    summary = summarise(data, path=path, module=name, is_package=is_package)
                except (OSError, SourceError):
                    summary = None
        self.modules[name] = summary
        return summary

    # -- names ---------------------------------------------------------------------------
    def lookup(self, mod: ModuleSummary, expr: str, scope: str = "", depth: int = 0) -> _Ref:
        """Resolve a dotted expression written in ``mod`` (inside ``scope``, a qualname prefix)."""
        if depth > 40 or expr.startswith("?"):
            return None
        head, _, rest = expr.partition(".")
        scoped = self._scoped(mod, head, scope)
        if scoped is not None:
            return self._walk(scoped, rest, depth)
        ref = self._walk(self._lookup_head(mod, head, "", depth), rest, depth)
        alternatives = mod.alternatives.get(head) if rest and ref is None else None
        if alternatives:
            # A name bound in exclusive branches: the first binding through which the whole
            # expression resolves (`session.ISession` with `session` imported or a stand-in).
            for binding in alternatives:
                ref = self._walk(self._bound(mod, head, binding, depth + 1), rest, depth)
                if ref is not None:
                    break
        return ref

    def _walk(self, ref: _Ref, rest: str, depth: int) -> _Ref:
        """The attributes ``rest`` (dotted, may be empty) of what ``ref`` is."""
        while rest and ref is not None:
            part, _, rest = rest.partition(".")
            ref = self._attribute(ref, part, depth)
        return ref

    def _attribute(self, ref: _Ref, name: str, depth: int) -> _Ref:
        if isinstance(ref, str):
            if (ref, name) in _TRANSPARENT:  # `typing.Protocol`, as `from typing import ...`
                return self._builtin("object")
            if (ref, name) in _SPECIAL_FORMS:
                return None
            mod = self.module(ref)
            found = self.export(mod, name, depth + 1) if mod is not None else None
            if found is None:
                sub = f"{ref}.{name}"
                if self._find(sub) is not None:
                    return sub
            return found
        if isinstance(ref, ClassInfo):
            c = self._class_named(ref.module, f"{ref.summary.qualname}.{name}")
            if c is not None:
                return self.class_info(ref.module, c)
        return None

    def _class_named(self, mod: ModuleSummary, qualname: str) -> Optional[ClassSummary]:
        """The first class of ``mod`` with this qualified name (indexed once per module)."""
        entry = self._class_index.get(id(mod))
        if entry is None or entry[0] is not mod:
            index: dict[str, ClassSummary] = {}
            for c in mod.classes:
                index.setdefault(c.qualname, c)
            entry = self._class_index[id(mod)] = (mod, index)
        return entry[1].get(qualname)

    def _scoped(self, mod: ModuleSummary, name: str, scope: str) -> Optional[ClassInfo]:
        """The class ``name`` of an enclosing function or class scope, innermost first."""
        prefix = scope
        while prefix:
            c = self._class_named(mod, prefix + name)
            if c is not None:
                return self.class_info(mod, c)
            cut = prefix[:-1].rfind(".")
            prefix = prefix[: cut + 1] if cut >= 0 else ""
        return None

    def _lookup_head(self, mod: ModuleSummary, name: str, scope: str, depth: int) -> _Ref:
        # Classes in enclosing function/class scopes, innermost first, then the module.
        scoped = self._scoped(mod, name, scope)
        if scoped is not None:
            return scoped
        found = self.export(mod, name, depth + 1)
        if found is not None:
            return found
        if not self._binds(mod, name) and hasattr(builtins, name):
            return self._builtin(name)
        return None

    def _binds(self, mod: ModuleSummary, name: str) -> bool:
        return (
            name in mod.imports
            or name in mod.aliases
            or name in mod.toplevel
            or self._class_named(mod, name) is not None
        )

    def export(
        self, mod: ModuleSummary, name: str, depth: int = 0, _stars: Optional[set[int]] = None
    ) -> _Ref:
        """What ``from <mod> import <name>`` gives, or None when unknown.

        ``_stars``: the modules this lookup already searched through star imports, so that
        star-import cycles cost one visit per module, not one per path through them.
        """
        if depth > 40:
            return None
        if (mod.module, name) in _INTERFACE_ROOTS:
            return _INTERFACE_ROOT
        alternatives = mod.alternatives.get(name)
        if alternatives:
            # Bound in exclusive branches (`if`/`else`, `try`/`except`): the first binding that
            # resolves, in the order they take effect (a later statement before an earlier
            # one, the `if` branch before the `else`, the `try` body before its handlers),
            # whichever way the condition goes at run time; when several resolve, the checks
            # use that first one.
            for binding in alternatives:
                got = self._bound(mod, name, binding, depth + 1)
                if got is not None:
                    return got
            return None
        c = self._class_named(mod, name)
        if c is not None:
            return self.class_info(mod, c)
        target = mod.imports.get(name)
        if target is not None:
            return self._imported(target, depth)
        alias = mod.aliases.get(name)
        if alias is not None and alias != name:
            return self.lookup(mod, alias, "", depth + 1)
        if name in mod.toplevel:
            return None
        if mod.star_imports:
            stars = _stars if _stars is not None else set()
            stars.add(id(mod))
            for star in mod.star_imports:
                imported = self.module(star)
                if imported is not None and id(imported) not in stars:
                    got = self.export(imported, name, depth + 1, stars)
                    if got is not None:
                        return got
        if mod.module == "builtins" and hasattr(builtins, name):
            return self._builtin(name)
        return None

    def _imported(self, target: ImportTarget, depth: int) -> _Ref:
        """What an import binds: a module (its name), or a name of a module."""
        if target.name is None:
            return target.module
        if (target.module, target.name) in _INTERFACE_ROOTS:
            return _INTERFACE_ROOT
        if (target.module, target.name) in _TRANSPARENT:
            return self._builtin("object")
        if (target.module, target.name) in _SPECIAL_FORMS:
            return None
        imported = self.module(target.module)
        if imported is not None:
            got = self.export(imported, target.name, depth + 1)
            if got is not None:
                return got
        sub = f"{target.module}.{target.name}"
        if self._find(sub) is not None:
            return sub
        if target.module == "builtins" and hasattr(builtins, target.name):
            return self._builtin(target.name)
        return None

    def _bound(self, mod: ModuleSummary, name: str, binding: Binding, depth: int) -> _Ref:
        """What one of the statements binding ``name`` in ``mod`` binds it to, found once per
        run (names bound in several branches to one another would otherwise cost the number
        of bindings to the power of the chain's length); while it is being found, nothing."""
        if depth > 40:
            return None
        key = (id(mod), name, binding)
        memo = self._bound_memo.get(key)
        if memo is not None and memo[0] is mod:
            self._depend(memo[2])
            return memo[1]
        self._bound_memo[key] = (mod, None, frozenset())
        deps = self.record()
        try:
            got = self._binding_value(mod, name, binding, depth)
        finally:
            self.stop(deps)
        self._bound_memo[key] = (mod, got, frozenset(deps))
        return got

    def _binding_value(self, mod: ModuleSummary, name: str, binding: Binding, depth: int) -> _Ref:
        if binding.kind == "import":
            return self._imported(ImportTarget(binding.target, binding.name), depth)
        if binding.kind == "alias":
            if binding.target == name:
                return None
            return self.lookup(mod, binding.target, "", depth + 1)
        if binding.kind == "class":
            for c in mod.classes:
                if c.qualname == name and c.line == binding.line:
                    return self.class_info(mod, c)
        return None

    def _builtin(self, name: str) -> Optional[BuiltinClass]:
        if name in self._builtins:
            return self._builtins[name]
        obj = getattr(builtins, name, None)
        got = BuiltinClass(name, frozenset(dir(obj))) if isinstance(obj, type) else None
        self._builtins[name] = got
        return got

    # -- classes -------------------------------------------------------------------------
    def class_info(self, mod: ModuleSummary, cls: ClassSummary) -> ClassInfo:
        key = (mod.path or mod.module, cls.qualname)
        info = self._classes.get(key)
        if info is not None:
            self._depend(info.deps)
            return info
        info = ClassInfo(mod, cls)
        self._classes[key] = info
        if len(self._stack) >= MAX_NESTING:
            # Bases naming classes defined further down, thousands deep: give up on this one
            # (unchecked) rather than recurse without bound.
            info.complete = False
            info.why = ("deep", "")
            info.mro = [info]
            return info
        info._resolving = True
        self._stack.append(info)
        deps = self.record()
        if mod.module:
            deps.add(mod.module)
        try:
            self._fill(info)
        finally:
            info._resolving = False
            self._stack.pop()
            info.deps = frozenset(deps)
            self.stop(deps)
        return info

    def _cycle(self, start: ClassInfo) -> None:
        """``start`` is being resolved and the class on top of the stack derives from it: mark
        every class of the loop (their bases cannot be known, so they are not checked)."""
        loop = self._stack[self._stack.index(start) :]
        names = [c.summary.qualname for c in loop]
        for k, c in enumerate(loop):
            c.cycle = (*names[k:], *names[:k], names[k])
            c.complete = False
            c.why = ("cycle", "")

    def _scope(self, cls: ClassSummary) -> str:
        cut = cls.qualname.rfind(".")
        return cls.qualname[: cut + 1] if cut >= 0 else ""

    def _fill(self, info: ClassInfo) -> None:
        mod, cls = info.module, info.summary
        scope = self._scope(cls)
        # A body binding names dynamically (`exec`, `locals()[...]`) leaves the class checked
        # against what its bases define, but its subclasses and implementers not (see
        # `ClassInfo.dynamic`).
        complete = True
        why: Optional[tuple[str, str]] = None
        is_interface = False
        bases: list[Union[ClassInfo, BuiltinClass]] = []
        for expr in self._base_exprs(mod, cls):
            ref = self.lookup(mod, expr, scope)
            if ref is _INTERFACE_ROOT:
                is_interface = True
                continue
            if isinstance(ref, ClassInfo):
                if ref is info:
                    complete = False
                    why = why or self._why_unknown(mod, cls, expr)
                    continue
                if ref._resolving:  # an inheritance cycle
                    self._cycle(ref)
                    complete = False
                    continue
                if not ref.complete:
                    complete = False
                    why = why or ref.why
                elif ref.dynamic:
                    complete = False
                    why = why or ("dynamic", ref.summary.qualname)
                is_interface = is_interface or ref.is_interface
                bases.append(ref)
            elif isinstance(ref, BuiltinClass):
                if ref.name != "object":
                    bases.append(ref)
            else:
                complete = False
                why = why or self._why_unknown(mod, cls, expr)
        info.bases = bases
        info.is_interface = is_interface
        obj = self._builtin("object")
        assert obj is not None
        if any(isinstance(b, ClassInfo) and len(b.mro) > MAX_ANCESTORS for b in bases):
            # A generated chain thousands of classes deep: not checked, and its MRO is not
            # copied down the chain (that would cost the square of its length).
            bases, complete, why = [], False, ("deep", "")
        seqs: list[list[Union[ClassInfo, BuiltinClass]]] = []
        for b in bases:
            seqs.append(b.mro if isinstance(b, ClassInfo) else self._builtin_mro(b))
        if len(bases) == 1:  # single inheritance: the base's MRO (what C3 gives, faster)
            mro = list(seqs[0])
        else:
            seqs.append(list(bases))
            got = _c3(seqs)
            if got is None:  # inconsistent MRO: Python would reject it; keep a depth-first order
                got = []
                for s in seqs:
                    for c in s:
                        if c not in got:
                            got.append(c)
            mro = got
        mro = [c for c in mro if not (isinstance(c, BuiltinClass) and c.name == "object")]
        info.mro = [info, *mro, obj]
        if is_interface:
            if cls.dynamic:  # the names it declares are not all known
                complete = False
                why = why or ("dynamic", cls.qualname)
            info.complete = complete and not info.cycle
            info.why = info.why or (None if info.complete else why)
            return
        interfaces: list[ClassInfo] = []
        for b in bases:
            if isinstance(b, ClassInfo):
                for i in b.interfaces:
                    if i not in interfaces:
                        interfaces.append(i)
        exprs = list(cls.implements) + self._class_implements(mod, cls)
        for expr in exprs:
            ref = self.lookup(mod, expr, scope)
            if isinstance(ref, ClassInfo) and ref.is_interface:
                if not ref.complete:
                    complete = False
                    why = why or ref.why
                if ref not in interfaces:
                    interfaces.append(ref)
            else:
                complete = False
                why = why or self._why_unknown(mod, cls, expr)
        info.interfaces = interfaces
        info.complete = complete and not info.cycle
        info.why = info.why or (None if info.complete else why)

    def _base_exprs(self, mod: ModuleSummary, cls: ClassSummary) -> list[str]:
        """The expressions of the class's bases, with ``with_metaclass(Meta, B1, B2)`` (six's,
        future's, or a module's own copy of it) standing for ``B1, B2``: the class it makes
        replaces itself by ``Meta(name, (B1, B2), namespace)`` when subclassed.  A starred or
        other argument that is not a name keeps the call, which is unknown."""
        if not cls.base_calls:
            return list(cls.bases)
        calls = dict(cls.base_calls)
        out: list[str] = []
        for i, expr in enumerate(cls.bases):
            args = calls.get(i)
            if args is None or not self._is_with_metaclass(mod, expr[1:]):
                out.append(expr)
                continue
            for arg in args[1:]:
                out.append(expr if arg.startswith(("*", "?")) else arg)
        return out

    def _is_with_metaclass(self, mod: ModuleSummary, callee: str, depth: int = 0) -> bool:
        """Whether ``callee`` (a dotted name written in ``mod``) is ``with_metaclass``: named
        so, or bound to it by an import or an alias, in ``mod`` or where it is imported from."""
        if not callee or depth > 40:
            return False
        owner, _, name = callee.rpartition(".")
        if name == "with_metaclass":
            return True
        if owner:  # `compat.wm`: what the module `compat` binds as `wm`
            ref = self.lookup(mod, owner, "", depth + 1)
            imported = self.module(ref) if isinstance(ref, str) else None
            return imported is not None and self._is_with_metaclass(imported, name, depth + 1)
        target = mod.imports.get(name)
        if target is not None:
            if target.name is None:
                return False
            if target.name == "with_metaclass":
                return True
            imported = self.module(target.module)
            return imported is not None and self._is_with_metaclass(
                imported, target.name, depth + 1
            )
        alias = mod.aliases.get(name)
        if alias is not None and alias != name:
            return self._is_with_metaclass(mod, alias, depth + 1)
        return False

    def _why_unknown(self, mod: ModuleSummary, cls: ClassSummary, expr: str) -> tuple[str, str]:
        """Why the base or interface ``expr`` of the class ``cls`` in ``mod`` is unknown."""
        if expr.startswith("?"):
            return ("call", expr[1:])
        head = expr.partition(".")[0]
        if ".<locals>." in cls.qualname and not self._binds(mod, head):
            return ("local", expr)  # a class made in a function, from its local names
        target = mod.imports.get(head)
        if target is not None:
            top = target.module.partition(".")[0]
            if top not in self.linted and self.finder.find(top) is None:
                return ("missing", top)
            return ("unresolved", target.module)
        if head == cls.name and self._class_named(mod, cls.qualname) is cls:
            return ("own-name", expr)  # `class S(S)`: the name is the class itself here
        if self._binds(mod, head):
            return ("local-binding", expr)  # bound by an assignment or a statement not followed
        if mod.star_imports:
            return ("star", expr)
        return ("undefined", expr)

    def _class_implements(self, mod: ModuleSummary, cls: ClassSummary) -> list[str]:
        key = mod.path or mod.module
        index = self._implements_index.get(key)
        if index is None:
            index = {}
            for target, ifaces in mod.class_implements:
                index.setdefault(target, []).extend(ifaces)
            self._implements_index[key] = index
        return index.get(cls.qualname, [])

    def _builtin_mro(self, b: BuiltinClass) -> list[Union[ClassInfo, BuiltinClass]]:
        obj = getattr(builtins, b.name, None)
        if not isinstance(obj, type):
            return [b]
        out: list[Union[ClassInfo, BuiltinClass]] = []
        for t in obj.__mro__:
            if t.__module__ == "builtins" and getattr(builtins, t.__name__, None) is t:
                got = self._builtin(t.__name__)
                if got is not None:
                    out.append(got)
        return out

    def classes(self, mod: ModuleSummary) -> Iterable[ClassInfo]:
        for c in mod.classes:
            yield self.class_info(mod, c)


def class_report(
    resolver: Resolver, mod: ModuleSummary
) -> tuple[list[FileError], int, list[Unchecked]]:
    """For the classes of ``mod``: one error per class that inherits from itself (on its
    line), how many classes there are (interfaces aside) and those that are not checked."""
    errors = list(_cycle_errors(resolver, mod))
    total = 0
    unchecked: list[Unchecked] = []
    for c in mod.classes:
        info = resolver.class_info(mod, c)
        if info.is_interface:
            continue
        total += 1
        if not info.complete:
            cause, detail = info.why or ("unresolved", mod.module)
            unchecked.append(Unchecked(mod.path, c.line, c.column, c.qualname, cause, detail))
    return errors, total, unchecked


def _cycle_errors(resolver: Resolver, mod: ModuleSummary) -> Iterator[FileError]:
    for c in mod.classes:
        info = resolver.class_info(mod, c)
        if info.cycle:
            loop = " -> ".join(f"`{n}`" for n in info.cycle)
            yield FileError(
                mod.path,
                f"class `{c.qualname}` inherits from itself: {loop}",
                c.line,
                c.column,
                checked=True,
            )
