"""Parse a module once with :mod:`ast` and reduce it to a small :class:`ModuleSummary`.

Statements are walked for the summary proper; one flat pass over every node then makes the
module's :class:`NamesIndex` (the names it uses), which keeps this close to the cost of
``ast.parse`` itself.  Nothing here imports or executes the code being summarised.
"""

from __future__ import annotations

import ast
import bisect
import codecs
import io
import re
import tokenize
import warnings
from typing import Optional, Union

from overridecheck._conventions_data import OVERRIDABLE, PB_PREFIXES, class_body
from overridecheck._signature import Params
from overridecheck.lint.model import (
    Binding,
    ClassSummary,
    FunctionSummary,
    ImportTarget,
    ModuleSummary,
    NamesIndex,
)

__all__ = [
    "SourceError",
    "decode_source",
    "dotted",
    "index_of",
    "may_hold_pb_names",
    "names_index",
    "parse",
    "summarise",
    "summarise_source",
]

_FuncDef = Union[ast.FunctionDef, ast.AsyncFunctionDef]
_NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.I)
_LINE_SPLIT = re.compile(r"\r\n|\r|\n")
# `def`/`async` followed by anything but one space and a name (`def  f`, `def\tf`, `def \`
# and a newline): a function's name column must then be read off its line.
_ODD_DEF = re.compile(r"def(?: [ \t\f\\]|[\t\f\\])")
_ODD_ASYNC = re.compile(r"async(?: [ \t\f\\]|[\t\f\\])")
_NOQA_START = re.compile(r"#\s*(?i:noqa)")  # where any `_NOQA` match must start
_PROPERTY_DECORATORS = frozenset(
    {"property", "cached_property", "functools.cached_property", "abc.abstractproperty"}
)


def _unknown_base(node: ast.expr) -> str:
    """A base that is not a dotted name: ``?callee`` for a call (``?six.with_metaclass``)."""
    if isinstance(node, ast.Call):
        return "?" + (dotted(node.func) or "")
    return "?"


def _argument(node: ast.expr) -> str:
    """A call's positional argument read as a base is: dotted (``Generic[T]`` as ``Generic``),
    ``?`` for any other expression, ``*`` before a starred one (``*bases``)."""
    if isinstance(node, ast.Starred):
        return "*" + (dotted(node.value) or "?")
    return dotted(node) or "?"


class SourceError(Exception):
    """The file cannot be summarised; ``line``/``column`` are 1-based when known."""

    def __init__(self, message: str, line: Optional[int] = None, column: Optional[int] = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _line_of(data: bytes, offset: int) -> int:
    """The 1-based line of byte ``offset``, lines ending as Python ends them (CRLF, CR, LF)."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


#: A coding cookie (PEP 263) on one of the first two lines.
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+", re.M)


def decode_source(data: bytes) -> str:
    """Decode Python source bytes as the interpreter would (BOM, coding cookie, UTF-8)."""
    first = data.find(b"\n")
    second = data.find(b"\n", first + 1) if first >= 0 else -1
    head = data if second < 0 else data[:second]  # the lines a cookie may be on
    if b"coding" not in head and not head.startswith(codecs.BOM_UTF8) and head.isascii():
        encoding = "utf-8"  # no cookie, no BOM: what Python reads (nothing to check)
    else:
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError as exc:
            # Without a cookie, "invalid or missing encoding declaration" means a first or
            # second line that is not UTF-8: say so, with its line, as for any other line.
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as bad:
                line = _line_of(data, bad.start)
                if _COOKIE.search(head) is None:
                    raise SourceError(f"cannot decode file as utf-8: {bad.reason}", line) from None
            raise SourceError(str(exc.msg if hasattr(exc, "msg") else exc)) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        raise SourceError(f"cannot decode file as {encoding}: {exc.reason}", line) from None
    except LookupError:
        raise SourceError(f"unknown encoding: {encoding}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def dotted(node: ast.expr) -> Optional[str]:
    """``a.b.c`` for a Name/Attribute chain; subscripts and calls reduce to what they apply to."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            return ".".join(reversed(parts))
        elif isinstance(node, ast.Subscript) and not parts:
            node = node.value
        else:
            return None


#: One object per distinct value, for the values that repeat across functions and modules
#: (a few hundred signatures for 40,000 methods; the same imports in many modules): less
#: memory, and `--jobs` pickles a repeated object once per batch instead of once per use
#: (a third of the transfer's cost). Both kinds are immutable.
_PARAMS: dict[Params, Params] = {}
_INTERNED_AT_MOST = 50_000  # each table is emptied beyond this (the objects stay valid)
_TARGETS: dict[tuple[str, Optional[str]], ImportTarget] = {}


def _params(fn: _FuncDef) -> Params:
    """The parameters as written (``self`` included); see ``rules._overrides.as_called``."""
    a = fn.args
    positional = len(a.posonlyargs) + len(a.args)
    kwonly = a.kwonlyargs
    params = Params(
        positional,
        positional - len(a.defaults),
        a.vararg is not None,
        tuple(arg.arg for arg, default in zip(kwonly, a.kw_defaults) if default is None)
        if kwonly
        else (),
        a.kwarg is not None,
        tuple(arg.arg for arg in kwonly) if kwonly else (),
    )
    if len(_PARAMS) > _INTERNED_AT_MOST:  # a long-lived process (the language server)
        _PARAMS.clear()
    return _PARAMS.setdefault(params, params)


def _target(module: str, name: Optional[str] = None) -> ImportTarget:
    """``ImportTarget(module, name)``, one object per distinct pair."""
    got = _TARGETS.get((module, name))
    if got is None:
        if len(_TARGETS) > _INTERNED_AT_MOST:
            _TARGETS.clear()
        got = _TARGETS[(module, name)] = ImportTarget(module, name)
    return got


def _first_param(fn: _FuncDef) -> str:
    """The name of the first positional parameter, '' when there is none."""
    a = fn.args
    first = a.posonlyargs or a.args
    return first[0].arg if first else ""


def _kind(decorators: tuple[str, ...]) -> str:
    for d in decorators:
        last = d.rsplit(".", 1)[-1]
        if d == "staticmethod" or last == "staticmethod":
            return "staticmethod"
        if d == "classmethod" or last == "classmethod":
            return "classmethod"
        if d in _PROPERTY_DECORATORS or last in ("setter", "getter", "deleter", "cached_property"):
            return "property"
    return "method"


class _Summariser:
    def __init__(self, source: str, path: str, module: str, is_package: bool) -> None:
        self.path = path
        self.lines: Optional[list[str]] = None
        # Lines of `class` statements (from the names index's pass): function bodies that
        # hold none are not walked.
        self.class_lines: list[int] = []
        self.source = source
        # In ASCII text where every `def` is followed by one space and no line says `noqa`,
        # a function's name column follows from its node: no line is read.
        self.plain_defs = (
            source.isascii()
            and _ODD_DEF.search(source) is None
            and ("async" not in source or _ODD_ASYNC.search(source) is None)
            and _NOQA_START.search(source) is None
        )
        self.module = module
        self.is_package = is_package
        self.imports: dict[str, ImportTarget] = {}
        self.local_imports: dict[str, ImportTarget] = {}
        self.aliases: dict[str, str] = {}
        self.classes: list[ClassSummary] = []
        self.class_implements: list[tuple[str, tuple[str, ...]]] = []
        self.star_imports: list[str] = []
        self.all_names: Optional[tuple[str, ...]] = None
        self.noqa: dict[int, Optional[frozenset[str]]] = {}
        self.toplevel: set[str] = set()
        # The import, alias and class statements binding each module-level name, the one in
        # effect first: per block being walked (the module, then a branch of an `if`, `try`,
        # loop or `match` in it), a later statement before an earlier one, and the bindings of
        # a compound statement's branches (first branch first) before those it follows.
        self.frames: list[dict[str, list[Binding]]] = [{}]
        self.conditional: set[str] = set()  # names bound in a branch

    # -- helpers -------------------------------------------------------------------------
    def _line(self, lineno: int) -> str:
        if self.lines is None:
            # str.splitlines is far faster, and agrees with Python's line numbers unless the
            # source holds a character it also breaks on (form feed, U+2028...): then it
            # makes more lines than there are line ends (counting is cheaper than a search)
            source = self.source
            lines = source.splitlines()
            ends = source.count("\n") + source.count("\r") - source.count("\r\n")
            if len(lines) != ends + (not source.endswith(("\n", "\r"))):
                lines = _LINE_SPLIT.split(source)
            self.lines = lines
        return self.lines[lineno - 1] if 0 < lineno <= len(self.lines) else ""

    def _has_nested_class(self, fn: _FuncDef) -> bool:
        """Whether a `class` statement lies within the function's lines (so in its body)."""
        lines = self.class_lines
        i = bisect.bisect_left(lines, fn.lineno)
        return i < len(lines) and lines[i] <= (fn.end_lineno or fn.lineno)

    def _absolute(self, module: Optional[str], level: int) -> Optional[str]:
        if level == 0:
            return module
        parts = self.module.split(".") if self.module else []
        if not self.is_package:
            parts = parts[:-1]
        if level - 1 > len(parts):
            return None
        if level > 1:
            parts = parts[: len(parts) - (level - 1)]
        base = ".".join(parts)
        if module:
            return f"{base}.{module}" if base else module
        return base  # "": the folder the known packages start from (see `from . import x`)

    def _bind_import(self, name: str, target: ImportTarget, top: bool) -> None:
        table = self.imports if top else self.local_imports
        table.setdefault(name, target)
        if top:
            self._binding(name, Binding("import", target.module, target.name))

    def _binding(self, name: str, binding: Optional[Binding]) -> None:
        """Record a module-level binding of ``name`` (None: one that is not followed)."""
        if len(self.frames) > 1:
            self.conditional.add(name)
        if binding is not None:
            frame = self.frames[-1]
            frame[name] = [binding, *frame.get(name, ())]

    def _branches(self, branches: list[list[ast.stmt]], scope: str, top: bool) -> None:
        """Walk the exclusive branches of a compound statement (see ``_merge``)."""
        self._merge([self._walk_branch(body, scope, top) for body in branches])

    def _walk_branch(self, body: list[ast.stmt], scope: str, top: bool) -> dict[str, list[Binding]]:
        """Walk one branch; at module level, return what it binds."""
        if not top:
            self._stmts(body, scope, top)
            return {}
        self.frames.append({})
        self._stmts(body, scope, top)
        return self.frames.pop()

    def _merge(self, branches: list[dict[str, list[Binding]]]) -> None:
        """What exclusive branches bind comes before what the enclosing block bound earlier,
        the first branch first."""
        merged: dict[str, list[Binding]] = {}
        for found in branches:
            for name, bindings in found.items():
                merged.setdefault(name, []).extend(bindings)
        frame = self.frames[-1]
        for name, bindings in merged.items():
            frame[name] = [*bindings, *frame.get(name, ())]

    def _alternatives(self) -> dict[str, tuple[Binding, ...]]:
        """The bindings of the names bound in a branch by more than one statement we follow."""
        out: dict[str, tuple[Binding, ...]] = {}
        frame = self.frames[0]
        for name in self.conditional:
            found = tuple(dict.fromkeys(frame.get(name, ())))
            if len(found) > 1:
                out[name] = found
        return out

    # -- walking -------------------------------------------------------------------------
    def run(self, tree: ast.Module, index: bool = True) -> ModuleSummary:
        if index:
            names, self.class_lines = _index(tree)
        else:
            names, self.class_lines = NamesIndex(), _class_lines(tree)
        self._stmts(tree.body, scope="", top=True)
        imports = dict(self.local_imports)
        imports.update(self.imports)
        return ModuleSummary(
            module=self.module,
            path=self.path,
            is_package=self.is_package,
            imports=imports,
            aliases=self.aliases,
            classes=tuple(self.classes),
            class_implements=tuple(self.class_implements),
            star_imports=tuple(self.star_imports),
            all_names=self.all_names,
            noqa=self.noqa,
            toplevel=frozenset(self.toplevel),
            names=names,
            indexed=index,
            import_line=_import_line(tree),
            alternatives=self._alternatives(),
        )

    def _stmts(self, body: list[ast.stmt], scope: str, top: bool) -> None:
        for node in body:
            self._stmt(node, scope, top)

    def _stmt(self, node: ast.stmt, scope: str, top: bool) -> None:
        if isinstance(node, ast.ClassDef):
            self._class(node, scope, top)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if top:
                self.toplevel.add(node.name)
                self._binding(node.name, None)
            if self._has_nested_class(node):
                self._stmts(node.body, f"{scope}{node.name}.<locals>.", top=False)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self._bind_import(alias.asname, _target(alias.name), top)
                else:
                    head = alias.name.split(".", 1)[0]
                    self._bind_import(head, _target(head), top)
        elif isinstance(node, ast.ImportFrom):
            module = self._absolute(node.module, node.level)
            if module is None:
                return
            for alias in node.names:
                if alias.name == "*":
                    if top and module:
                        self.star_imports.append(module)
                    continue
                # `from . import x` in the folder the known packages start from, which is then a
                # namespace package (no `__init__.py`): x can only be its module
                target = _target(module, alias.name) if module else _target(alias.name)
                self._bind_import(alias.asname or alias.name, target, top)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            if top:
                self._toplevel_assign(node)
        elif isinstance(node, ast.Expr):
            if top and isinstance(node.value, ast.Call):
                self._toplevel_call(node.value)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            self._stmts(node.body, scope, top)
        elif isinstance(node, (ast.If, ast.For, ast.AsyncFor, ast.While)):
            self._branches([node.body, node.orelse], scope, top)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            body = self._walk_branch(node.body, scope, top)  # type: ignore[attr-defined]
            handlers = [
                self._walk_branch(handler.body, scope, top)
                for handler in node.handlers  # type: ignore[attr-defined]
            ]
            orelse = self._walk_branch(node.orelse, scope, top)  # type: ignore[attr-defined]
            # the body then its `else` when nothing is raised, or one of the handlers
            for name, bindings in body.items():
                orelse[name] = [*orelse.get(name, ()), *bindings]
            self._merge([orelse, *handlers])
            self._stmts(node.finalbody, scope, top)  # type: ignore[attr-defined]
        elif type(node).__name__ == "Match":
            self._branches([case.body for case in node.cases], scope, top)  # type: ignore[attr-defined]

    def _toplevel_assign(self, node: Union[ast.Assign, ast.AnnAssign]) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        for target in targets:
            if (
                isinstance(target, ast.Name)
                and target.id == "__all__"
                and isinstance(value, (ast.List, ast.Tuple))
            ):
                names = [
                    e.value
                    for e in value.elts
                    if isinstance(e, ast.Constant) and isinstance(e.value, str)
                ]
                self.all_names = tuple(names)
            self._bind_target(target, value)

    def _bind_target(self, target: ast.expr, value: Optional[ast.expr]) -> None:
        """``Name = a.b`` (or ``Name = a.B[T]``, a generic alias) is an alias of the dotted
        name; ``A, B = a.A, a.B`` binds each name to its own value; any other value binds the
        names to something not followed."""
        if isinstance(target, ast.Name):
            expr = dotted(value) if value is not None else None
            if expr is not None:
                self.aliases.setdefault(target.id, expr)
                self._binding(target.id, Binding("alias", expr))
            else:
                self.toplevel.add(target.id)
                self._binding(target.id, None)
        elif isinstance(target, (ast.Tuple, ast.List)):
            elts = target.elts
            if (
                isinstance(value, (ast.Tuple, ast.List))
                and len(value.elts) == len(elts)
                and not any(isinstance(e, ast.Starred) for e in (*elts, *value.elts))
            ):
                for t, v in zip(elts, value.elts):
                    self._bind_target(t, v)
            else:
                for name in _target_names(target):
                    self.toplevel.add(name)
                    self._binding(name, None)

    def _toplevel_call(self, call: ast.Call) -> None:
        func = dotted(call.func)
        if func is None or not call.args:
            return
        if func.rsplit(".", 1)[-1] in ("classImplements", "classImplementsOnly"):
            target = dotted(call.args[0])
            ifaces = tuple(d for a in call.args[1:] if (d := dotted(a)) is not None)
            if target is not None and len(ifaces) == len(call.args) - 1:
                self.class_implements.append((target, ifaces))

    def _class(self, node: ast.ClassDef, scope: str, top: bool) -> None:
        if top and not scope:
            self.toplevel.add(node.name)
            self._binding(node.name, Binding("class", line=node.lineno))
        qualname = f"{scope}{node.name}"
        bases = tuple(dotted(b) or _unknown_base(b) for b in node.bases)
        base_calls = tuple(
            (i, tuple(_argument(a) for a in b.args))
            for i, b in enumerate(node.bases)
            if isinstance(b, ast.Call) and b.args
        )
        if any(isinstance(b, ast.Starred) for b in node.bases):
            bases = (*bases, "?")
        decorators: list[str] = []
        implements: list[str] = []
        for d in node.decorator_list:
            name = dotted(d.func if isinstance(d, ast.Call) else d)
            decorators.append(name or "?")
            if (
                isinstance(d, ast.Call)
                and name is not None
                and name.rsplit(".", 1)[-1] in ("implementer", "implementer_only")
            ):
                for arg in d.args:
                    implements.append(dotted(arg) or "?")
        methods: list[FunctionSummary] = []
        attributes: list[str] = []
        assigned: dict[str, tuple[int, int]] = {}
        dynamic = False
        has_metaclass = any(k.arg == "metaclass" for k in node.keywords)
        for stmt in class_body(node.body):
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                methods.append(self._function(stmt))
                if self._has_nested_class(stmt):
                    self._stmts(stmt.body, f"{qualname}.{stmt.name}.<locals>.", top=False)
            elif isinstance(stmt, ast.ClassDef):
                attributes.append(stmt.name)
                self._class(stmt, f"{qualname}.", top=False)
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                for t in targets:
                    attributes.extend(_target_names(t))
                    if (
                        isinstance(t, ast.Name)
                        and t.id not in assigned
                        and not isinstance(stmt, ast.AugAssign)
                    ):
                        assigned[t.id] = (t.lineno, self._column(t.lineno, t.col_offset))
                    if (
                        isinstance(t, ast.Subscript)
                        and isinstance(t.value, ast.Call)
                        and dotted(t.value.func) in ("locals", "vars")
                    ):
                        dynamic = True  # locals()[name] = ... binds names we cannot see
            elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
                for alias in stmt.names:
                    attributes.append((alias.asname or alias.name).split(".", 1)[0])
            elif isinstance(stmt, ast.Delete):
                # `del name` in the body: the class never has what was bound before (Twisted's
                # interfaces define a documenting `__init__` for pydoctor, then delete it)
                gone = {t.id for t in stmt.targets if isinstance(t, ast.Name)}
                if gone:
                    methods = [fn for fn in methods if fn.name not in gone]
                    attributes = [a for a in attributes if a not in gone]
                    for name in gone:
                        assigned.pop(name, None)
            elif isinstance(stmt, (ast.For, ast.AsyncFor)):  # its blocks come next
                attributes.extend(_target_names(stmt.target))
            elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                func = dotted(stmt.value.func)
                if func is not None:
                    last = func.rsplit(".", 1)[-1]
                    if last in ("implements", "implementsOnly", "classProvides"):
                        if last != "classProvides":
                            implements.extend(dotted(a) or "?" for a in stmt.value.args)
                    elif last in ("exec", "setattr", "update"):
                        dynamic = True
        self.classes.append(
            ClassSummary(
                name=node.name,
                qualname=qualname,
                line=node.lineno,
                column=node.col_offset + 1,
                bases=bases,
                decorators=tuple(decorators),
                implements=tuple(implements),
                methods=tuple(methods),
                attributes=tuple(attributes),
                dynamic=dynamic,
                has_metaclass=has_metaclass,
                base_calls=base_calls,
                assigned=tuple((n, line, col) for n, (line, col) in assigned.items()),
            )
        )

    def _column(self, lineno: int, col_offset: int) -> int:
        """The 1-based column (in characters) of a node at ``col_offset`` (in UTF-8 bytes) on
        line ``lineno``, recording the line's ``# noqa``."""
        if self.plain_defs:  # ASCII, and no line says `noqa`
            return col_offset + 1
        line = self._line(lineno)
        if not line.isascii():
            col_offset = len(line.encode("utf-8")[:col_offset].decode("utf-8", "replace"))
        self._noqa(lineno, line)
        return col_offset + 1

    def _noqa(self, lineno: int, line: str) -> None:
        noqa = _NOQA.search(line) if "#" in line else None
        if noqa is not None:
            codes = noqa.group("codes")
            self.noqa[lineno] = (
                frozenset(c.upper() for c in re.split(r"[,\s]+", codes) if c) if codes else None
            )

    def _name_column(self, fn: _FuncDef, is_async: bool) -> int:
        """The 1-based column of ``fn``'s name, read off its line (and its ``# noqa``)."""
        line = self._line(fn.lineno)
        start = fn.col_offset
        if not line.isascii():
            start = len(line.encode("utf-8")[:start].decode("utf-8", "replace"))
        after = start + 3  # past `def`, or past `async` and then `def`
        if is_async:
            keyword = line.find("def", start + 5)
            after = keyword + 3 if keyword >= 0 else len(line)
        found = line.find(fn.name, after)
        self._noqa(fn.lineno, line)
        # `def` and the name on different lines: point at the `def`
        return (found if found >= 0 else start) + 1

    def _function(self, fn: _FuncDef) -> FunctionSummary:
        decorators: tuple[str, ...] = ()
        kind = "method"
        if fn.decorator_list:
            decorators = tuple(
                dotted(d.func if isinstance(d, ast.Call) else d) or "?" for d in fn.decorator_list
            )
            kind = _kind(decorators)
        is_async = type(fn) is ast.AsyncFunctionDef
        if self.plain_defs:  # `def name` or `async def name`
            column = fn.col_offset + (11 if is_async else 5)
        else:
            column = self._name_column(fn, is_async)
        body = fn.body
        stub = True
        for stmt in body:
            if not _trivial(stmt):
                stub = False
                break
        first = body[0] if body else None
        doc = (
            first.value.value
            if type(first) is ast.Expr
            and type(first.value) is ast.Constant
            and type(first.value.value) is str
            else None
        )
        return FunctionSummary(
            name=fn.name,
            line=fn.lineno,
            column=column,
            end_line=fn.lineno,
            end_column=column + len(fn.name),
            decorators=decorators,
            params=_params(fn),
            is_async=is_async,
            stub=stub,
            documented_stub=stub and doc is not None,
            overridable=doc is not None and _invites_overriding(doc),
            kind=kind,
            first_param=_first_param(fn),
        )


# Per node type: the fields that may hold a node (or None), and those holding lists (names,
# numbers and flags left out).
_NODE_FIELDS: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {}
_LEAF_FIELDS = frozenset(
    {"ctx", "id", "attr", "arg", "name", "module", "asname", "level", "conversion", "kind"}
    | {"type_comment", "is_async", "simple", "lineno", "tag"}
)


def _fields(kind: type, node: object) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``kind``'s fields that may hold nodes, as (single, list) fields: a field of a node
    type always holds a list or never does, so one node tells."""
    singles: list[str] = []
    lists: list[str] = []
    for f in getattr(kind, "_fields", ()):
        if f not in _LEAF_FIELDS:
            (lists if type(getattr(node, f, None)) is list else singles).append(f)
    got = _NODE_FIELDS[kind] = (tuple(singles), tuple(lists))
    return got


_OWNERS = frozenset({"self", "cls"})


def names_index(tree: ast.AST) -> NamesIndex:
    """Every name ``tree`` uses, by how it is used, in one pass over its nodes."""
    return _index(tree)[0]


# A PB handler's name starts with one of these prefixes (`remote_`...).
_PB_STARTS = tuple(sorted({p.encode("ascii") for p in PB_PREFIXES.values()}))


def may_hold_pb_names(data: bytes) -> bool:
    """Whether a module's names index may hold a Perspective Broker handler's name (a
    prefix such as ``remote_`` at the start of an identifier) or a ``callRemote`` name,
    from a test of its bytes: a module that does not is left out of the search for them
    without making its index.  (Substring searches: a regular expression with a look-behind
    scans every byte, at twenty times the cost.)"""
    if b"callRemote" in data:
        return True
    for prefix in _PB_STARTS:
        at = data.find(prefix)
        while at >= 0:
            before = data[at - 1 : at]
            if at == 0 or not (before.isalnum() or before == b"_"):
                return True
            at = data.find(prefix, at + 1)
    return False


def parse(source: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse`` without the warnings of the code parsed (an invalid escape sequence is a
    ``SyntaxWarning`` shown by default since Python 3.12: the checked code's, not ours)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(source, filename=filename)


def index_of(data: bytes) -> NamesIndex:
    """The names index of a file's bytes, made apart from its summary (a summary made
    without one, see ``ModuleSummary.indexed``); empty for what does not parse."""
    try:
        return names_index(parse(decode_source(data)))
    except (SourceError, SyntaxError, ValueError, TypeError, RecursionError, MemoryError):
        return NamesIndex()


def _index(tree: ast.AST) -> tuple[NamesIndex, list[int]]:
    """:func:`names_index`, and the lines of the ``class`` statements (sorted).

    The literal text of f-strings is not a string literal here; what their braces hold is
    code and counts.  Written as one loop over a stack (not ``ast.walk``), at about a quarter
    of ``ast.parse``'s cost.
    """
    attributes: list[str] = []
    owned: list[str] = []
    strings: list[str] = []
    names: list[str] = []
    defs: list[str] = []
    remote: list[str] = []
    stack: list[object] = [tree]
    pop, push, extend = stack.pop, stack.append, stack.extend
    attribute, name, constant, call = ast.Attribute, ast.Name, ast.Constant, ast.Call
    joined, arg, keyword, alias, expr = ast.JoinedStr, ast.arg, ast.keyword, ast.alias, ast.Expr
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    class_def, assign, ann_assign, aug_assign = (
        ast.ClassDef,
        ast.Assign,
        ast.AnnAssign,
        ast.AugAssign,
    )
    declarations = (ast.Global, ast.Nonlocal)
    match_class = getattr(ast, "MatchClass", None)  # Python 3.10+
    binders = tuple(
        k
        for k in (
            ast.ExceptHandler,
            getattr(ast, "MatchAs", None),
            getattr(ast, "MatchStar", None),
            getattr(ast, "MatchMapping", None),
        )
        if k is not None
    )
    node_fields = _NODE_FIELDS
    class_lines: list[int] = []
    while stack:
        node = pop()
        kind = type(node)
        if kind is name:
            names.append(node.id)  # type: ignore[attr-defined]
            continue
        if kind is attribute:
            attributes.append(node.attr)  # type: ignore[attr-defined]
            owner = node.value  # type: ignore[attr-defined]
            owner_kind = type(owner)
            if (owner_kind is name and owner.id in _OWNERS) or (
                owner_kind is call and type(owner.func) is name and owner.func.id == "super"
            ):
                owned.append(node.attr)  # type: ignore[attr-defined]
            push(owner)
            continue
        if kind is constant:
            value = node.value  # type: ignore[attr-defined]
            if type(value) is str:
                strings.append(value)
            continue
        if kind is call:
            func = node.func  # type: ignore[attr-defined]
            args = node.args  # type: ignore[attr-defined]
            if (
                args
                and type(func) is attribute
                and func.attr == "callRemote"
                and type(args[0]) is constant
                and type(args[0].value) is str
            ):
                remote.append(args[0].value)
            push(func)
            extend(args)
            extend(node.keywords)  # type: ignore[attr-defined]
            continue
        if kind is expr:
            push(node.value)  # type: ignore[attr-defined]
            continue
        if kind is assign:
            extend(node.targets)  # type: ignore[attr-defined]
            push(node.value)  # type: ignore[attr-defined]
            continue
        if kind is arg:
            names.append(node.arg)  # type: ignore[attr-defined]
            if node.annotation is not None:  # type: ignore[attr-defined]
                push(node.annotation)  # type: ignore[attr-defined]
            continue
        if kind is joined:  # only the expressions in braces, not the literal text
            extend(v for v in node.values if type(v) is not constant)  # type: ignore[attr-defined]
            continue
        if kind is keyword:
            if node.arg is not None:  # type: ignore[attr-defined]
                names.append(node.arg)  # type: ignore[attr-defined]
            push(node.value)  # type: ignore[attr-defined]
            continue
        if kind is alias:
            names.append(node.name.split(".", 1)[0])  # type: ignore[attr-defined]
            if node.asname is not None:  # type: ignore[attr-defined]
                names.append(node.asname)  # type: ignore[attr-defined]
            continue
        if kind is class_def:
            # The names its body binds are members it defines, like its methods.
            defs.append(node.name)  # type: ignore[attr-defined]
            class_lines.append(node.lineno)  # type: ignore[attr-defined]
            extend(node.bases)  # type: ignore[attr-defined]
            extend(node.keywords)  # type: ignore[attr-defined]
            extend(node.decorator_list)  # type: ignore[attr-defined]
            for stmt in node.body:  # type: ignore[attr-defined]
                stmt_kind = type(stmt)
                if stmt_kind is assign or stmt_kind is ann_assign or stmt_kind is aug_assign:
                    targets = stmt.targets if stmt_kind is assign else [stmt.target]
                    for target in targets:
                        if type(target) is name:
                            defs.append(target.id)
                        else:
                            push(target)
                    if stmt.value is not None:
                        push(stmt.value)
                    if stmt_kind is ann_assign:
                        push(stmt.annotation)
                else:
                    push(stmt)
            continue
        if kind in functions:
            defs.append(node.name)  # type: ignore[attr-defined]
        elif kind in declarations:
            names.extend(node.names)  # type: ignore[attr-defined]
            continue
        elif kind is match_class:  # `case C(setup=s)` reads the attribute `setup`
            attributes.extend(node.kwd_attrs)  # type: ignore[attr-defined]
        elif kind in binders:  # `except E as n`, `case n`, `case [*n]`, `case {**n}`
            bound = getattr(node, "name", None) or getattr(node, "rest", None)
            if type(bound) is str:
                names.append(bound)
        fields = node_fields.get(kind)
        if fields is None:
            fields = _fields(kind, node)
        singles, lists = fields
        for f in singles:
            value = getattr(node, f)
            if value is not None:
                push(value)
        for f in lists:
            extend(getattr(node, f))
    index = NamesIndex(
        attributes=frozenset(attributes),
        self_attributes=frozenset(owned),
        strings=frozenset(s for s in set(strings) if s.isidentifier()),
        names=frozenset(names),
        defs=tuple(defs),
        remote=frozenset(s for s in remote if s.isidentifier()),
    )
    class_lines.sort()
    return index, class_lines


_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def _class_lines(tree: ast.Module) -> list[int]:
    """The lines of the ``class`` statements (sorted), when no names index is made: a class
    is a statement, so only statements are walked, not expressions."""
    lines: list[int] = []
    stack: list[object] = list(tree.body)
    class_def = ast.ClassDef
    while stack:
        node = stack.pop()
        if type(node) is class_def:
            lines.append(node.lineno)
        for f in _BODIES:
            more = getattr(node, f, None)
            if more:
                stack.extend(more)
    lines.sort()
    return lines


def _import_line(tree: ast.Module) -> Optional[int]:
    """The line of the first statement after the docstring and ``__future__`` imports."""
    body = list(tree.body)
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        body.pop(0)
    while body and isinstance(body[0], ast.ImportFrom) and body[0].module == "__future__":
        body.pop(0)
    if not body or body[0].col_offset != 0:
        return None  # nothing follows, or a statement after `;` on the docstring's line
    first = body[0]
    lines: list[int] = [first.lineno]
    lines.extend(d.lineno for d in getattr(first, "decorator_list", []))
    return min(lines)


def _invites_overriding(doc: str) -> bool:
    """Whether a docstring documents a method to be overridden (see ``OVERRIDABLE``); every
    phrasing it accepts holds one of these words, which a plain test finds faster."""
    low = doc.lower()
    return ("overrid" in low or "implement" in low or "subclass" in low) and OVERRIDABLE.search(
        doc
    ) is not None


def _trivial(stmt: ast.stmt) -> bool:
    """A statement of a hook meant to be overridden: docstring, pass, ..., bare return, raise."""
    if isinstance(stmt, ast.Pass):
        return True
    if isinstance(stmt, ast.Expr):
        return isinstance(stmt.value, ast.Constant)
    if isinstance(stmt, ast.Return):
        return stmt.value is None or (
            isinstance(stmt.value, ast.Constant) and stmt.value.value is None
        )
    if isinstance(stmt, ast.Raise):
        exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
        return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"
    return False


def _target_names(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, (ast.Tuple, ast.List)):
        return [n for e in node.elts for n in _target_names(e)]
    if isinstance(node, ast.Starred):
        return _target_names(node.value)
    return []


def summarise_source(
    source: str,
    *,
    path: str = "",
    module: str = "",
    is_package: bool = False,
    index: bool = True,
) -> ModuleSummary:
    """Summarise decoded source text; raises :class:`SourceError` for invalid source.
    ``index=False`` makes no names index (for modules outside the linted files)."""
    try:
        tree = parse(source, filename=path or "<unknown>")
    except SyntaxError as exc:
        msg = exc.msg or "invalid syntax"
        col = exc.offset if exc.offset and exc.offset > 0 else None
        raise SourceError(f"syntax error: {msg}", exc.lineno, col) from None
    except (ValueError, TypeError) as exc:  # e.g. null bytes
        raise SourceError(f"cannot parse: {exc}") from None
    except (RecursionError, MemoryError):
        raise SourceError("cannot parse: too deeply nested") from None
    try:
        return _Summariser(source, path, module, is_package).run(tree, index)
    except RecursionError:
        raise SourceError("cannot summarise: too deeply nested") from None


def summarise(
    data: bytes,
    *,
    path: str = "",
    module: str = "",
    is_package: bool = False,
    index: bool = True,
) -> ModuleSummary:
    """Decode and summarise the bytes of a ``.py`` file."""
    return summarise_source(
        decode_source(data), path=path, module=module, is_package=is_package, index=index
    )
