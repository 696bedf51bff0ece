"""Plain data shared by every stage of the linter: parse -> summarise -> resolve -> check -> report.

Everything here is a frozen dataclass or a tuple of them, so summaries can be pickled (for a
process pool and an on-disk cache) and compared.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import Optional, TypeVar

from overridecheck._signature import Params

_PB_PREFIXES = frozenset({"remote", "view", "perspective"})  # Perspective Broker dispatch

_T = TypeVar("_T")


def _filled_at_once(cls: type[_T]) -> type[_T]:
    """Give a frozen dataclass an ``__init__`` that fills the instance's dict in one call
    instead of one ``object.__setattr__`` per field (three times faster, for the records made
    per function, class and import of every module); same signature, defaults and frozenness
    (fields with a default factory are not supported)."""
    params: list[str] = []
    defaults: dict[str, object] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        assert f.default_factory is MISSING and f.init, f.name
        if f.default is MISSING:
            params.append(f.name)
        else:
            defaults[f"_d_{f.name}"] = f.default
            params.append(f"{f.name}=_d_{f.name}")
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    source = (
        f"def __init__(self, {', '.join(params)}):\n"
        f"    self.__dict__.update({', '.join(f'{n}={n}' for n in names)})\n"
    )
    namespace: dict[str, object] = dict(defaults)
    exec(source, namespace)  # our own fixed text, as `dataclasses` makes its methods
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
    setattr(cls, "__init__", init)  # noqa: B010 (a class attribute mypy types as a method)
    return cls


__all__ = [
    "Binding",
    "ClassSummary",
    "Diagnostic",
    "Edit",
    "FileError",
    "Fix",
    "FunctionSummary",
    "ImportTarget",
    "ModuleSummary",
    "NamesIndex",
    "Params",
    "Unchecked",
]


@_filled_at_once
@dataclass(frozen=True)
class FunctionSummary:
    """A function defined directly in a class body (or an ``Interface`` body)."""

    name: str
    line: int  # 1-based line of the `def` keyword (decorators excluded)
    column: int  # 1-based column of the name on that line
    end_line: int
    end_column: int  # 1-based column just past the name
    decorators: tuple[str, ...]  # dotted names, calls reduced to their callee ("x.setter")
    params: Params  # as written, `self`/`cls` included
    kind: str = "method"  # "method", "staticmethod", "classmethod" or "property"
    is_async: bool = False
    stub: bool = False  # body is only a docstring, pass, ..., return or raise NotImplementedError
    documented_stub: bool = False  # a stub with a docstring: documents a hook, implements nothing
    overridable: bool = False  # its docstring invites overriding ("Override in subclasses")
    first_param: str = ""  # name of the first positional parameter ("" when there is none)


@_filled_at_once
@dataclass(frozen=True)
class ClassSummary:
    name: str
    qualname: str
    line: int
    column: int
    # dotted expressions as written; "?" and the callee ("?six.with_metaclass") for a call,
    # "?" alone for any other expression
    bases: tuple[str, ...]
    decorators: tuple[str, ...]
    implements: tuple[str, ...]  # interface expressions from @implementer(...)/implements(...)
    methods: tuple[FunctionSummary, ...]
    attributes: tuple[str, ...]  # other names bound in the class body
    dynamic: bool = False  # body does things we cannot follow (exec, locals()[...] = ...)
    has_metaclass: bool = False
    # the bases that are calls with positional arguments: (index in ``bases``, the arguments
    # as dotted expressions, "?" for any other expression, "*" before a starred one), so that
    # `six.with_metaclass(Meta, Base)` can be resolved to its bases
    base_calls: tuple[tuple[int, tuple[str, ...]], ...] = ()
    # (name, line, column) of the first class-level `name = ...` or `name: T` of each name
    # bound so (in the body or its `if`/`for`/`while`/`with`/`try` blocks): where OC106
    # reports a misspelt attribute and where its fix renames it
    assigned: tuple[tuple[str, int, int], ...] = ()


@_filled_at_once
@dataclass(frozen=True)
class ImportTarget:
    """What a module-level name refers to: ``module`` (absolute) and optionally ``name`` in it."""

    module: str
    name: Optional[str] = None


@_filled_at_once
@dataclass(frozen=True)
class Binding:
    """One statement binding a module-level name that is bound in exclusive branches
    (``if``/``else``, ``try``/``except``): an import, an alias or a class statement."""

    kind: str  # "import", "alias" or "class"
    target: str = ""  # import: the module (absolute); alias: the dotted expression
    name: Optional[str] = None  # import: the name imported from the module (None: the module)
    line: int = 0  # class: the line of its `class` statement


@dataclass(frozen=True)
class NamesIndex:
    """The identifiers a module uses, read from its syntax tree (comments never count).

    The evidence the checks and fix safety need ("is this name used anywhere?") as set
    look-ups, made while summarising and cached with the summary.
    """

    attributes: frozenset[str] = frozenset()  # `x.name`, loaded, stored or deleted
    self_attributes: frozenset[str] = frozenset()  # `self.name`, `cls.name`, `super().name`
    strings: frozenset[str] = frozenset()  # string literals that are identifiers: "name"
    names: frozenset[str] = frozenset()  # bare names, parameters, keywords, imported names
    defs: tuple[str, ...] = ()  # every `def`/`class` name, as often as it is defined
    remote: frozenset[str] = frozenset()  # names passed to `callRemote("name", ...)`

    def uses(self, name: str) -> bool:
        """Whether the module refers to ``name`` otherwise than by defining it."""
        return name in self.attributes or name in self.strings or name in self.names

    def mentions(self, name: str, *, through_self: bool = False) -> bool:
        """Whether the module looks ``name`` up: as an attribute (only through ``self``/
        ``cls``/``super()`` with ``through_self``) or as a string equal to it — the evidence
        that a method is in use, not a typo."""
        attributes = self.self_attributes if through_self else self.attributes
        return name in attributes or name in self.strings

    def in_use(self, name: str) -> bool:
        """Whether the module refers to a method ``name`` as one that exists: looked up on any
        object (``walker.setMonitor(...)``), as an equal string, or called remotely
        (``callRemote("name")``, and ``remote_name``/``view_name``/``perspective_name`` for
        ``callRemote("name")``)."""
        return self.mentions(name) or self.in_use_remotely(name)

    def holds(self, name: str) -> bool:
        """Whether any of the module's names is ``name`` (or, for a PB handler
        ``remote_name``, a ``callRemote("name")``): what every question above may find."""
        return (
            name in self.names
            or name in self.attributes
            or name in self.strings
            or name in self.defs
            or self.in_use_remotely(name)
        )

    def in_use_remotely(self, name: str) -> bool:
        """Whether ``callRemote`` reaches a method ``name``: ``callRemote("name")``, and for
        ``remote_name``/``view_name``/``perspective_name`` ``callRemote("name")``."""
        if name in self.remote:
            return True
        prefix, sep, rest = name.partition("_")
        return bool(sep) and prefix in _PB_PREFIXES and rest in self.remote


@dataclass(frozen=True)
class ModuleSummary:
    """Everything the later stages need to know about one module, from one fast parse."""

    module: str  # dotted name ("" when unknown)
    path: str
    is_package: bool
    imports: dict[str, ImportTarget] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # Name = dotted.expr at module level
    classes: tuple[ClassSummary, ...] = ()
    class_implements: tuple[tuple[str, tuple[str, ...]], ...] = ()  # classImplements(C, I...)
    star_imports: tuple[str, ...] = ()  # modules imported with `from m import *`
    all_names: Optional[tuple[str, ...]] = None  # __all__ when it is a literal list/tuple
    noqa: dict[int, Optional[frozenset[str]]] = field(default_factory=dict)  # None: all codes
    toplevel: frozenset[str] = frozenset()  # names bound at module level by other statements
    names: NamesIndex = NamesIndex()
    # False when no names index was made (`names` is empty): for a module outside the linted
    # files, and for most linted ones in a run without a cache; `Context.names` makes it
    # when a check needs it
    indexed: bool = True
    # where `from x import override` can go: the first statement after the docstring and
    # `__future__` imports (None: no such statement, or it shares the docstring's line)
    import_line: Optional[int] = None
    # names bound at module level by more than one import, alias or class statement, one of
    # them in a branch of an `if`, `try`, loop or `match`: every binding, in source order
    # (`imports`, `aliases` and `classes` hold one of each kind)
    alternatives: dict[str, tuple[Binding, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Edit:
    """Replace the text between two 1-based positions (end exclusive; columns in characters)."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str


@dataclass(frozen=True)
class Fix:
    """A fix for one diagnostic: ``safe`` fixes are applied by ``--fix``, others need
    ``--unsafe-fixes``."""

    title: str  # a command: "Rename to `connectionMade`"
    edits: tuple[Edit, ...]
    safe: bool = True


@dataclass(frozen=True)
class Diagnostic:
    """One finding, positioned on a method's name (1-based line and column)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    message: str
    suggestion: Optional[str] = None
    fix: Optional[Fix] = None
    advice: Optional[str] = None  # "Rename to `connectionMade`"


@dataclass(frozen=True)
class FileError:
    """A file that could not be checked (the others still are), or with ``checked`` an error
    in one place of a file that was otherwise checked."""

    path: str
    message: str
    line: Optional[int] = None
    column: Optional[int] = None
    checked: bool = False  # the rest of the file was still checked (e.g. an inheritance cycle)


@dataclass(frozen=True)
class Unchecked:
    """A class the checks skipped because what it inherits cannot be known, and why."""

    path: str
    line: int
    column: int
    qualname: str
    # "missing", "call", "dynamic" (a base or interface binds names dynamically),
    # "unresolved", "undefined", "local", "cycle" or "deep"
    cause: str
    detail: str  # the package, callee, module or name the cause is about
