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

The import source (``typing_extensions``, ``typing`` or ``overridecheck``) is the run's
``override_import`` option (``override-import`` in the config, or the
``OVERRIDECHECK_OVERRIDE_IMPORT`` environment variable, read by the front end).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional

from overridecheck._names import CONSTRUCTORS, OVERRIDE_DECORATORS, OVERRIDE_IMPORT_SOURCES
from overridecheck.lint.findings import finding, where
from overridecheck.lint.model import Edit, Fix, FunctionSummary, ModuleSummary
from overridecheck.lint.ruledef import Context, Example, Findings, Rule
from overridecheck.lint.rules._overrides import first_defs, override_decorated

if TYPE_CHECKING:
    from overridecheck.lint.resolve import ClassInfo

__all__ = ["ENV", "IMPORT_SOURCES", "RULE"]

CODE = "OC107"
ENV = "OVERRIDECHECK_OVERRIDE_IMPORT"
IMPORT_SOURCES = OVERRIDE_IMPORT_SOURCES

# Constructors (and dataclasses' `__post_init__`) are not marked: whoever knows the subclass
# calls them, and their signatures may differ freely.
_EXEMPT = CONSTRUCTORS | {"__post_init__"}
_DEF_INDENT = re.compile(r"[ \t]*(?=(?:async[ \t]+)?def\b)")


def _decorator_name(mod: ModuleSummary) -> tuple[Optional[str], bool]:
    """The name to decorate with, and whether an import must be added (None: no safe name)."""
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


def _decorator_edit(text: str, fn: FunctionSummary, name: str) -> Optional[Edit]:
    lines = text.splitlines()
    if not 0 < fn.line <= len(lines):
        return None
    line = lines[fn.line - 1]
    m = _DEF_INDENT.match(line)
    if m is None or not re.search(rf"\bdef\s+{re.escape(fn.name)}\b", line):
        return None
    return Edit(fn.line, 1, fn.line, 1, f"{m.group(0)}@{name}\n")


def check(ctx: Context, mod: ModuleSummary, info: ClassInfo) -> Findings:
    """OC107 findings for one class."""
    if info.is_interface or not info.complete or not info.summary.methods:
        return
    inherited = info.inherited()
    interface = info.interface_members()
    source = ctx.override_import if ctx.override_import in IMPORT_SOURCES else IMPORT_SOURCES[0]
    for fn in first_defs(info):
        name = fn.name
        if name in _EXEMPT or (name.startswith("__") and not name.endswith("__")):
            continue
        member = inherited.get(name) or interface.get(name)
        if member is None or override_decorated(mod, fn):
            continue
        decorator, needs_import = _decorator_name(mod)
        fix: Optional[Fix] = None
        text = ctx.text(mod)
        if decorator is not None and text:
            edit = _decorator_edit(text, fn, decorator)
            edits: list[Edit] = [] if edit is None else [edit]
            if edits and needs_import:
                # Every fix carries the import it needs (applying several shares the one edit):
                # a fix applied without it would leave `override` unbound.
                line = mod.import_line
                if line is None:
                    edits = []
                else:
                    edits.insert(0, Edit(line, 1, line, 1, f"from {source} import override\n"))
            if edits:
                fix = Fix("Add `@override`", tuple(edits), safe=False)
        message = f"`{where(info, name)}` overrides `{member.owner}.{name}` without `@override`"
        yield (
            name,
            finding(
                mod, fn.line, fn.column, name, CODE, message, fix=fix, advice="Add `@override`"
            ),
        )


RULE = Rule(
    code="OC107",
    name="missing-override-decorator",
    summary="Method overrides a base class or interface member without `@override`",
    default=False,
    doc="""\
## What it does
Checks for methods that override a method or attribute of a base class, or implement a member
of a zope.interface interface the class declares, without being decorated with `@override`
(`typing.override`, `typing_extensions.override`, `overridecheck.override` or the `overrides`
package's decorators). This rule is off by default, like mypy's `explicit-override` error code;
unlike mypy and pyright, interface members count as overridden.

As in mypy, constructors (`__init__`, `__new__`, `__init_subclass__`, `__post_init__`) and
name-mangled private methods (`__helper`) are exempt; other special methods such as `__repr__`
and `__eq__` are not, since they override `object`'s.

## Why is this bad?
Once every override is marked, a method that is *not* marked is known to be new, and a marked
method whose base method is renamed or removed is reported (OC102) instead of silently
becoming dead code.

## Example
```python
from twisted.internet.protocol import Protocol

class Echo(Protocol):
    def dataReceived(self, data):
        self.transport.write(data)
```

## Use instead
```python
from typing_extensions import override
from twisted.internet.protocol import Protocol

class Echo(Protocol):
    @override
    def dataReceived(self, data):
        self.transport.write(data)
```

## Fix safety
The fix inserts `@override` directly above the `def` (below any other decorator, where it also
works with `@staticmethod`, `@classmethod` and `@property`) and, when the module does not import
a recognised `override` yet, `from typing_extensions import override` before the first
statement after the module docstring and `__future__` imports. The import edit is attached to
the first finding in each file only, so applying every fix adds it once. The import source can
be `typing_extensions` (the default: works on every Python version and with every type
checker), `typing` (Python 3.12+) or `overridecheck` (also checks at class creation), chosen with
the `OVERRIDECHECK_OVERRIDE_IMPORT` environment variable. No fix is offered when the name
`override` is already bound to something else. The fix is unsafe: the imported module must be
installed, and `overridecheck.override` raises for a method that overrides nothing.
""",
    valid=(
        Example(
            "from typing_extensions import override\n"
            "from twisted.internet.protocol import Protocol\n"
            "class Echo(Protocol):\n"
            "    def __init__(self):\n"
            "        pass\n"
            "    @override\n"
            "    def dataReceived(self, data):\n"
            "        pass\n"
            "    def helper(self):\n"
            "        pass\n"
            "    def __private(self):\n"
            "        pass\n"
        ),
        Example(
            "import typing\n"
            "class Base:\n"
            "    def run(self):\n"
            "        pass\n"
            "class Child(Base):\n"
            "    @typing.override\n"
            "    def run(self):\n"
            "        pass\n"
        ),
    ),
    invalid=(
        Example(
            "from twisted.internet.protocol import Protocol\n"
            "class Echo(Protocol):\n"
            "    def dataReceived(self, data):\n"
            "        pass\n"
            "    def __repr__(self):\n"
            "        return 'Echo()'\n",
            ((3, None, "unsafe"), (5, None, "unsafe")),
            fixed=(
                "from typing_extensions import override\n"
                "from twisted.internet.protocol import Protocol\n"
                "class Echo(Protocol):\n"
                "    @override\n"
                "    def dataReceived(self, data):\n"
                "        pass\n"
                "    @override\n"
                "    def __repr__(self):\n"
                "        return 'Echo()'\n"
            ),
        ),
        Example(
            "from zope.interface import implementer\n"
            "from twisted.internet.interfaces import IHalfCloseableProtocol\n"
            "@implementer(IHalfCloseableProtocol)\n"
            "class Half:  # interface members count\n"
            "    def readConnectionLost(self):\n"
            "        pass\n",
            ((5, None, "unsafe"),),
            fixed=(
                "from typing_extensions import override\n"
                "from zope.interface import implementer\n"
                "from twisted.internet.interfaces import IHalfCloseableProtocol\n"
                "@implementer(IHalfCloseableProtocol)\n"
                "class Half:  # interface members count\n"
                "    @override\n"
                "    def readConnectionLost(self):\n"
                "        pass\n"
            ),
        ),
    ),
    fix_safety="unsafe",
    check=check,
)
