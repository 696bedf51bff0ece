"""OC107 missing-override-decorator (opt-in): overrides not marked ``@override``.

Like mypy's ``explicit-override`` error code, but members of implemented zope.interface
interfaces count as overridden too.  Constructors (``__init__``, ``__new__``,
``__init_subclass__``, ``__post_init__``) and name-mangled private methods are exempt, as in
mypy; other special methods (``__repr__``, ``__eq__``) are not.

The fix inserts ``@override`` directly above the ``def`` (below other decorators, where it also
works under ``@staticmethod``/``@classmethod``/``@property``) and, when the module does not
import a recognised ``override`` yet, ``from <source> import override`` after the module
docstring and ``__future__`` imports (before the first statement).  The import edit is attached
to the first finding reported in each file only, so applying all fixes adds it once.

The import source (``typing_extensions``, ``typing`` or ``overridecheck``) is, first found:
:data:`OVERRIDE_IMPORT` (set by a front end), the ``OVERRIDECHECK_OVERRIDE_IMPORT``
environment variable, ``override-import`` in the ``[tool.overridecheck]`` table of the
``pyproject.toml`` nearest to the linted file, else ``typing_extensions``.
"""

from __future__ import annotations

import ast
import os
import re
import weakref
from collections.abc import Collection, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Optional

from overridecheck.lint.findings import finding, module_text, where
from overridecheck.lint.model import Diagnostic, Edit, Fix, FunctionSummary, ModuleSummary

if TYPE_CHECKING:
    from overridecheck.lint.resolve import ClassInfo, Resolver

__all__ = ["IMPORT_SOURCES", "OVERRIDE_IMPORT", "check_explicit", "import_source"]

CODE = "OC107"
ENV = "OVERRIDECHECK_OVERRIDE_IMPORT"
IMPORT_SOURCES = ("typing_extensions", "typing", "overridecheck")
DEFAULT_SOURCE = "typing_extensions"
#: Set by a front end (for example from a config key) to choose the import source.
OVERRIDE_IMPORT: Optional[str] = None

_EXEMPT = frozenset({"__init__", "__new__", "__init_subclass__", "__post_init__"})
_DEF_INDENT = re.compile(r"[ \t]*(?=(?:async[ \t]+)?def\b)")
_import_done: weakref.WeakKeyDictionary[Resolver, set[str]] = weakref.WeakKeyDictionary()


@lru_cache(maxsize=256)
def _configured(folder: str) -> Optional[str]:
    """``override-import`` of the nearest ``pyproject.toml`` with ``[tool.overridecheck]``."""
    from overridecheck.lint.config import ConfigError, find_config, load_config
    from overridecheck.lint.rules import RULES

    try:
        found = find_config(folder)
        return load_config(found, RULES).override_import if found is not None else None
    except (ConfigError, OSError, ValueError):
        return None


def import_source(path: str = "") -> str:
    """Where the fix for a finding in ``path`` imports ``override`` from."""
    source = OVERRIDE_IMPORT or os.environ.get(ENV)
    if source is None and path:
        source = _configured(os.path.dirname(os.path.abspath(path)))
    source = source or DEFAULT_SOURCE
    return source if source in IMPORT_SOURCES else DEFAULT_SOURCE


def _decorator_name(mod: ModuleSummary) -> tuple[Optional[str], bool]:
    """The name to decorate with, and whether an import must be added (None: no safe name)."""
    from overridecheck._names import OVERRIDE_DECORATORS

    for local, target in sorted(mod.imports.items()):
        full = target.module if target.name is None else f"{target.module}.{target.name}"
        if target.name is not None and full in OVERRIDE_DECORATORS:
            return local, False
    for local, target in sorted(mod.imports.items()):
        if target.name is None and local == target.module:
            if f"{target.module}.override" in OVERRIDE_DECORATORS:
                return f"{local}.override", False
    bound = "override" in mod.imports or "override" in mod.aliases or "override" in mod.toplevel
    return (None, False) if bound else ("override", True)


def _import_edit(text: str, source: str) -> Optional[Edit]:
    """Insert ``from <source> import override`` before the module's first real statement."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
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
    if not body:
        return None
    first = body[0]
    line = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", []))])
    if first.col_offset != 0:
        return None  # a statement after `;` on the docstring's line
    return Edit(line, 1, line, 1, f"from {source} import override\n")


def _decorator_edit(text: str, fn: FunctionSummary, name: str) -> Optional[Edit]:
    lines = text.splitlines()
    if not 0 < fn.line <= len(lines):
        return None
    line = lines[fn.line - 1]
    m = _DEF_INDENT.match(line)
    if m is None or not re.search(rf"\bdef\s+{re.escape(fn.name)}\b", line):
        return None
    return Edit(fn.line, 1, fn.line, 1, f"{m.group(0)}@{name}\n")


def check_explicit(
    mod: ModuleSummary, info: ClassInfo, resolver: Resolver, select: Collection[str]
) -> Iterator[tuple[str, Diagnostic]]:
    """OC107 findings for one class."""
    if CODE not in select or info.is_interface or not info.complete or not info.summary.methods:
        return
    from overridecheck.lint.checks import _override_decorated

    inherited = info.inherited()
    interface = info.interface_members()
    seen: set[str] = set()
    for fn in info.summary.methods:
        name = fn.name
        if name in seen:
            continue
        seen.add(name)
        if name in _EXEMPT or (name.startswith("__") and not name.endswith("__")):
            continue
        member = inherited.get(name) or interface.get(name)
        if member is None or _override_decorated(mod, fn):
            continue
        decorator, needs_import = _decorator_name(mod)
        fix: Optional[Fix] = None
        text = module_text(mod.path)
        if decorator is not None and text:
            edit = _decorator_edit(text, fn, decorator)
            edits: list[Edit] = [] if edit is None else [edit]
            done = _import_done.setdefault(resolver, set())
            if edits and needs_import and mod.path not in done:
                imp = _import_edit(text, import_source(mod.path))
                if imp is None:
                    edits = []
                else:
                    edits.insert(0, imp)
                    done.add(mod.path)
            if edits:
                fix = Fix("Add `@override`", tuple(edits), safe=False)
        message = f"`{where(info, name)}` overrides `{member.owner}.{name}` without `@override`"
        yield (
            name,
            finding(
                mod, fn.line, fn.column, name, CODE, message, fix=fix, advice="Add `@override`"
            ),
        )
