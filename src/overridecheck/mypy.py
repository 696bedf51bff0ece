"""mypy plugin: ``plugins = ["overridecheck.mypy"]``.

Two things, on mypy's own view of the classes (the linter is not run):

* ``@override`` on a method that implements a member of a zope.interface interface the class
  declares (``@implementer(IProtocol)``, on the class or an ancestor) is accepted.  mypy knows
  PEP 698 only through the MRO, where an interface never is, so it reports "marked as an
  override, but no base method was found".  mypy has no hook to drop one error; the plugin
  instead takes the ``@override`` marker off exactly those methods (mypy reports that error
  only for methods carrying it), after the class body is analysed.  A misspelled name that no
  interface or base provides keeps the marker, and mypy's error.  The interfaces are not made
  bases (as mypy-zope does), so mypy does not compare the methods with the interface's
  ``self``-less declarations.
* An undecorated method that overrides nothing and whose name is a near miss of a method a
  base class or a declared interface provides is reported with the error code
  ``overridecheck-misspelled-override`` (the linter's OC101), using the linter's suggestion
  engine (``overridecheck._suggest``) with the same roles where mypy knows them: interface
  members, stubs (a trivial body in a ``.py`` file) and a framework's known callbacks are
  hooks, other methods with a body are concrete; a name the module looks up through
  ``self``/``cls`` or as a string equal to it is in use, not a typo.

This module is the only one of the package that imports mypy.
"""

from __future__ import annotations

import ast
import tokenize
import warnings
from typing import Callable, Optional, Union

from mypy.errorcodes import ErrorCode
from mypy.nodes import (
    CallExpr,
    Decorator,
    Expression,
    FuncDef,
    ImportFrom,
    MypyFile,
    NameExpr,
    OverloadedFuncDef,
    PlaceholderNode,
    RefExpr,
    TypeInfo,
    Var,
)
from mypy.plugin import ClassDefContext, Plugin, SemanticAnalyzerPluginInterface

from overridecheck._conventions_data import FRAMEWORK_HOOKS
from overridecheck._names import SPECIAL_METHODS
from overridecheck._suggest import Candidates, Match, Role, dual_naming, variant_key

__all__ = ["MISSPELLED_OVERRIDE", "OverridecheckPlugin", "plugin"]

MISSPELLED_OVERRIDE = ErrorCode(
    "overridecheck-misspelled-override",
    "Method name is a near miss of a method a base class or interface provides (OC101)",
    "overridecheck",
)

IMPLEMENTERS = frozenset(
    {
        "zope.interface.implementer",
        "zope.interface.declarations.implementer",
        "overridecheck.implementer",
        "overridecheck._runtime.implementer",
    }
)
_ZOPE_MODULES = frozenset({"zope.interface", "zope.interface.declarations", "overridecheck"})
_INTERFACE_BASES = frozenset({"zope.interface.Interface", "zope.interface.interface.Interface"})
_KEY = "overridecheck"
_Method = Union[FuncDef, Decorator, OverloadedFuncDef]
_SPECIAL_INDEX = Candidates(SPECIAL_METHODS)


def _func(node: object) -> Optional[FuncDef]:
    """The function of a method node (the implementation of an overload, if any)."""
    if isinstance(node, FuncDef):
        return node
    if isinstance(node, Decorator):
        return node.func
    if isinstance(node, OverloadedFuncDef):
        impl = node.impl or (node.items[0] if node.items else None)
        return _func(impl)
    return None


def _is_implementer(deco: Expression, tree: Optional[MypyFile]) -> bool:
    """Whether a class decorator is ``implementer(...)`` of zope.interface or this package.

    When zope.interface has no type information (no stubs, ``ignore_missing_imports``), mypy
    names the imported ``implementer`` after the importing module; the module's
    ``from zope.interface import implementer`` says what it is.
    """
    if not isinstance(deco, CallExpr) or not isinstance(deco.callee, RefExpr):
        return False
    callee = deco.callee
    if callee.fullname in IMPLEMENTERS:
        return True
    if not (
        isinstance(callee, NameExpr)
        and isinstance(callee.node, Var)
        and callee.node.is_suppressed_import
        and tree is not None
    ):
        return False
    for imp in tree.imports:
        if isinstance(imp, ImportFrom) and not imp.relative and imp.id in _ZOPE_MODULES:
            if any(
                orig == "implementer" and (alias or orig) == callee.name
                for orig, alias in imp.names
            ):
                return True
    return False


def _interfaces_of_decorators(info: TypeInfo, tree: Optional[MypyFile]) -> Optional[list[TypeInfo]]:
    """The interfaces the class's own ``@implementer(...)`` decorators name (``None`` while one
    is not analysed yet)."""
    out: list[TypeInfo] = []
    for deco in info.defn.decorators:
        if not isinstance(deco, CallExpr) or not _is_implementer(deco, tree):
            continue
        for arg in deco.args:
            node = arg.node if isinstance(arg, RefExpr) else None
            if isinstance(node, PlaceholderNode):
                return None
            if isinstance(node, TypeInfo):
                out.append(node)
    return out


def _record(info: TypeInfo, interfaces: list[TypeInfo]) -> None:
    """Keep the declared interfaces in the class's metadata (which mypy's cache keeps)."""
    info.metadata.setdefault(_KEY, {})["interfaces"] = [i.fullname for i in interfaces]


def declared_interfaces(info: TypeInfo, api: SemanticAnalyzerPluginInterface) -> list[TypeInfo]:
    """The interfaces the class and its ancestors declare, with the interfaces they extend."""
    out: dict[str, TypeInfo] = {}
    for cls in info.mro:
        own = cls.metadata.get(_KEY, {}).get("interfaces")
        if own is None:
            tree = api.modules.get(cls.module_name)
            found = _interfaces_of_decorators(cls, tree) if cls.defn.decorators else []
            names = [i.fullname for i in found or ()]
        else:
            names = list(own)
        for name in names:
            sym = api.lookup_fully_qualified_or_none(name)
            if sym is not None and isinstance(sym.node, TypeInfo):
                for iface in sym.node.mro:
                    if not _is_builtin(iface):
                        out.setdefault(iface.fullname, iface)
    return list(out.values())


def _is_builtin(cls: TypeInfo) -> bool:
    return cls.module_name == "builtins" or cls.fullname in _INTERFACE_BASES


def _interface_members(interfaces: list[TypeInfo]) -> set[str]:
    return {n for iface in interfaces for n in iface.names if not n.startswith("__")}


def _own_methods(info: TypeInfo) -> list[tuple[str, _Method]]:
    return [
        (name, sym.node)
        for name, sym in info.names.items()
        if isinstance(sym.node, (FuncDef, Decorator, OverloadedFuncDef))
        and not sym.plugin_generated
    ]


def accept_interface_overrides(info: TypeInfo, members: set[str]) -> None:
    """Take the ``@override`` marker off the methods that implement a member of a declared
    interface and that no base class provides (mypy would report "no base method")."""
    inherited = {n for cls in info.mro[1:] for n in cls.names}
    for name, node in _own_methods(info):
        if name not in members or name in inherited:
            continue
        if isinstance(node, Decorator):
            node.func.is_explicit_override = False
        elif isinstance(node, OverloadedFuncDef):
            node.is_explicit_override = False
            for item in node.items:
                if isinstance(item, Decorator):
                    item.func.is_explicit_override = False
        else:
            node.is_explicit_override = False


def _explicit_override(node: _Method) -> bool:
    if isinstance(node, Decorator):
        return node.func.is_explicit_override
    return node.is_explicit_override


def _mentions(path: str) -> set[str]:
    """Names a module looks up through ``self``/``cls``/``super()`` and its string literals: the
    evidence that a method is in use (the linter's ``Names.mentions(through_self=True)``).
    Read from the module's source (mypy's compiled visitors cannot be subclassed here)."""
    try:
        with tokenize.open(path) as f, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the module's, mypy reports what it should
            tree = ast.parse(f.read())
    except (OSError, SyntaxError, ValueError):
        return set()
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            target = node.value
            if (isinstance(target, ast.Name) and target.id in ("self", "cls")) or (
                isinstance(target, ast.Call)
                and isinstance(target.func, ast.Name)
                and target.func.id == "super"
            ):
                out.add(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.add(node.value)
    return out


class _Near:
    """A near miss found in one class: the method, the best names and who provides the best."""

    def __init__(self, node: _Method, matches: list[Match], owner: Optional[str]) -> None:
        self.node = node
        self.matches = matches
        self.owner = owner


def near_misses(info: TypeInfo, api: SemanticAnalyzerPluginInterface) -> list[_Near]:
    """The class's undecorated methods that override nothing and are a near miss of a method
    (or dunder, or interface member) its ancestors or declared interfaces provide."""
    if (
        info.fallback_to_any
        or info.is_protocol
        or any(c.fullname in _INTERFACE_BASES for c in info.mro)
    ):
        return []  # an unknown base may define the name: no guess
    interfaces = declared_interfaces(info, api)
    members = _interface_members(interfaces)
    provides: dict[str, str] = {n: i.name for i in interfaces for n in i.names}
    candidates: list[str] = list(members)
    qualifying: set[str] = set(members)
    hooks: set[str] = set(members)
    concrete: set[str] = set()
    for cls in reversed(info.mro[1:]):
        stub_module = _is_stub(cls, api)
        hooks.update(
            FRAMEWORK_HOOKS.get((cls.module_name, cls.fullname[len(cls.module_name) + 1 :]), ())
        )
        for name, sym in cls.names.items():
            provides[name] = cls.name
            fn = _func(sym.node)
            dunder = name.startswith("__")
            if _is_builtin(cls) and not dunder:
                continue
            if fn is None and not dunder:
                continue
            candidates.append(name)
            qualifying.add(name)
            if fn is None or stub_module:
                continue
            if fn.is_trivial_body:
                hooks.add(name)
            elif not dunder:
                concrete.add(name)
    index = Candidates(candidates)
    role = Role(frozenset(hooks), frozenset(concrete))
    own = set(info.names)
    out: list[_Near] = []
    for name, node in _own_methods(info):
        if name in provides or name in SPECIAL_METHODS or _explicit_override(node):
            continue
        if variant_key(name)[1].startswith("test"):
            continue  # test methods are new names by convention
        matches = [m for m in index.rank(name, role) if m.name not in own and m.name in qualifying]
        if name.startswith("_") and name.endswith("_"):
            matches.extend(
                m for m in _SPECIAL_INDEX.rank(name) if m.name not in own and m.name not in provides
            )
            matches.sort(key=lambda m: m.key)
        if not matches:
            continue
        if matches[0].exact_variant and dual_naming(provides, name, matches[0].name):
            continue
        out.append(_Near(node, matches, provides.get(matches[0].name)))
    return out


def _is_stub(cls: TypeInfo, api: SemanticAnalyzerPluginInterface) -> bool:
    """Whether the class comes from a ``.pyi`` stub (where every body is ``...``)."""
    mod = api.modules.get(cls.module_name)
    return mod is None or mod.is_stub


class OverridecheckPlugin(Plugin):
    """See the module's documentation."""

    def __init__(self, options: object) -> None:
        super().__init__(options)  # type: ignore[arg-type]
        self._mentions: dict[str, tuple[MypyFile, set[str]]] = {}

    def get_class_decorator_hook_2(
        self, fullname: str
    ) -> Optional[Callable[[ClassDefContext], bool]]:
        if fullname in IMPLEMENTERS or fullname.rpartition(".")[2] == "implementer":
            return self._implementer
        return None

    def get_base_class_hook(self, fullname: str) -> Optional[Callable[[ClassDefContext], None]]:
        return self._subclass

    def _implementer(self, ctx: ClassDefContext) -> bool:
        info = ctx.cls.info
        found = _interfaces_of_decorators(info, ctx.api.modules.get(ctx.api.cur_mod_id))
        if found is None:
            return False  # analysed again later
        _record(info, found)
        self._check(info, ctx.api)
        return True

    def _subclass(self, ctx: ClassDefContext) -> None:
        self._check(ctx.cls.info, ctx.api)

    def _module_mentions(self, api: SemanticAnalyzerPluginInterface) -> set[str]:
        tree = api.modules.get(api.cur_mod_id)
        if tree is None or not tree.path:
            return set()
        got = self._mentions.get(api.cur_mod_id)
        if got is None or got[0] is not tree:
            got = self._mentions[api.cur_mod_id] = (tree, _mentions(tree.path))
        return got[1]

    def _check(self, info: TypeInfo, api: SemanticAnalyzerPluginInterface) -> None:
        interfaces = declared_interfaces(info, api)
        if interfaces:
            accept_interface_overrides(info, _interface_members(interfaces))
        tree = api.modules.get(api.cur_mod_id)
        if tree is None or tree.is_stub:
            return  # a stub's `...` bodies say nothing of typos
        misses = near_misses(info, api)
        if not misses:
            return
        mentions = self._module_mentions(api)
        for miss in misses:
            fn = _func(miss.node)
            if fn is None:
                continue
            if fn.name in mentions:
                continue  # in use (`self.conectionMade()`, `getattr(x, "conectionMade")`)
            best = miss.matches[0].name
            source = f' from "{miss.owner}"' if miss.owner else ""
            where = f"{info.name}.{fn.name}"
            api.fail(
                f'"{where}" overrides nothing; did you mean "{best}"{source}? (OC101)',
                fn,
                code=MISSPELLED_OVERRIDE,
            )


def plugin(version: str) -> type[OverridecheckPlugin]:
    """mypy's entry point."""
    return OverridecheckPlugin
