"""OC108 interface-method-self (opt-in): zope.interface methods declared with ``self``.

zope.interface describes how an object is *called*, so its methods take no ``self``.  Legacy
interfaces declare it anyway; the other rules (OC103) and the runtime ``@override`` check then
take that ``self`` as implicit (``_names.INTERFACE_SELF``), and this rule reports the
declaration itself, once, on the ``def`` line inside the interface.  Only the exact name
``self`` counts, as for mypy-zope: ``cls`` or another name may be a real parameter.

A function the interface body deletes again (``del __init__``, as Twisted does for pydoctor)
is no member.  Decorated functions in an interface body are left alone (``@interfacemethod``
defines a method of the interface object itself, which does take ``self``; ``@invariant``
takes the object).

The fix removes the parameter, with its comma and the space up to the next parameter; it is
offered only when no comment follows ``self`` before the next parameter and ``self`` has no
default.
"""

from __future__ import annotations

import ast
import bisect
import re
from typing import TYPE_CHECKING, Optional

from overridecheck._names import INTERFACE_SELF
from overridecheck.lint.findings import finding, where
from overridecheck.lint.model import Edit, Fix, FunctionSummary, ModuleSummary
from overridecheck.lint.ruledef import Context, Example, Findings, Rule
from overridecheck.lint.rules._overrides import first_defs
from overridecheck.lint.summarise import parse

if TYPE_CHECKING:
    from overridecheck.lint.resolve import ClassInfo

__all__ = ["RULE"]

CODE = "OC108"
_TITLE = "Remove the `self` parameter"
# What may follow the parameter before the next one: spaces, line breaks, continuations.
_SPACE = re.compile(r"(?:[ \t\f\r\n]|\\(?:\r\n|\r|\n))*")
# Line breaks as Python (and the fix stage) count lines.
_NEWLINE = re.compile(r"\r\n|\r|\n")


def _defs(ctx: Context, mod: ModuleSummary) -> dict[tuple[int, str], ast.arguments]:
    """The parameters of every function of the module by (line of `def`, name), parsed once
    per module and run (only when a finding needs a fix)."""
    key = ("interface-method-self-defs", mod.path)
    got = ctx.memo.get(key)
    if got is None:
        got = {}
        text = ctx.text(mod)
        try:
            tree = parse(text) if text else None
        except (SyntaxError, ValueError):
            tree = None
        if tree is not None:
            for node in ast.walk(tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    got[(node.lineno, node.name)] = node.args
        ctx.memo[key] = got
    assert isinstance(got, dict)
    return got


def _offset(text: str, starts: list[int], line: int, byte_column: int) -> Optional[int]:
    """The index in ``text`` of an ast position (1-based line, UTF-8 byte column)."""
    if not 0 < line < len(starts):
        return None
    row = text[starts[line - 1] : starts[line]]
    if row.isascii():
        return starts[line - 1] + byte_column
    return starts[line - 1] + len(
        row.encode("utf-8", "surrogatepass")[:byte_column].decode("utf-8", "replace")
    )


def _position(text: str, starts: list[int], index: int) -> tuple[int, int]:
    """The 1-based (line, character column) of an index of ``text``."""
    line = bisect.bisect_right(starts, index)
    return line, index - starts[line - 1] + 1


def _skip(text: str, index: int) -> int:
    got = _SPACE.match(text, index)
    assert got is not None  # the pattern matches the empty string
    return got.end()


def _removal(ctx: Context, mod: ModuleSummary, fn: FunctionSummary) -> Optional[Edit]:
    """The edit removing ``self`` (and what separates it from what follows), or None."""
    args = _defs(ctx, mod).get((fn.line, fn.name))
    if args is None:
        return None
    positional = [*args.posonlyargs, *args.args]
    if not positional or positional[0].arg != INTERFACE_SELF:
        return None
    if len(args.defaults) == len(positional):
        return None  # `self=None`: every positional parameter has a default; leave it
    first = positional[0]
    if first.end_lineno is None or first.end_col_offset is None:
        return None
    text = ctx.text(mod)
    starts = [0, *(m.end() for m in _NEWLINE.finditer(text)), len(text) + 1]
    start = _offset(text, starts, first.lineno, first.col_offset)
    end = _offset(text, starts, first.end_lineno, first.end_col_offset)
    if start is None or end is None:
        return None
    # `self` alone (`def f(self)`), or `self,` and what separates it from the next parameter
    # (or from the `)` of `def f(self,)`); `self, /` too when it is the only positional-only one.
    after = _skip(text, end)
    if text.startswith(",", after):
        end = _skip(text, after + 1)
        if len(args.posonlyargs) == 1 and text.startswith("/", end):
            after = _skip(text, end + 1)
            if text.startswith(",", after):
                end = _skip(text, after + 1)
            elif text.startswith(")", after):
                end = after
            else:
                return None
    elif not text.startswith(")", after):
        return None
    if "#" in text[start:end] or text.startswith("#", end):
        return None  # a comment between `self` and what follows: left for a person
    return Edit(*_position(text, starts, start), *_position(text, starts, end), "")


def check(ctx: Context, mod: ModuleSummary, info: ClassInfo) -> Findings:
    """OC108 findings for one interface: its own methods declared with ``self``."""
    if not info.is_interface or info.cycle:
        return
    for fn in first_defs(info):
        if fn.first_param != INTERFACE_SELF or fn.decorators:
            continue
        edit = _removal(ctx, mod, fn)
        fix = None if edit is None else Fix(_TITLE, (edit,), safe=False)
        message = f"`{where(info, fn.name)}` declares `self`; zope.interface methods take no `self`"
        yield (
            fn.name,
            finding(mod, fn.line, fn.column, fn.name, CODE, message, fix=fix, advice=_TITLE),
        )


RULE = Rule(
    code=CODE,
    name="interface-method-self",
    summary="zope.interface method declared with `self`",
    default=False,
    doc="""\
## What it does
Checks for methods of a zope.interface interface (a class deriving from `Interface`) whose
first parameter is named `self`. An interface describes how an object is called, and callers
pass no `self`: `def get(server_name)`, not `def get(self, server_name)`.

Only the exact name `self` is reported (as by mypy-zope); `cls` or any other first parameter is
taken as a real parameter. Decorated functions in an interface body (`@interfacemethod`,
`@invariant`) are left alone, and so are functions the body deletes again (`del __init__`).
Whatever this rule's selection, OC103 and the runtime `@override` check compare
implementations with such a member as if its `self` were not there, so
`def get(self, server_name)` in the implementation is not reported against
`def get(self, server_name)` in the interface.

## Why is this bad?
zope.interface keeps the `self` as a parameter of the method description: `verifyObject` and
`verifyClass` (`zope.interface.verify`) then raise `BrokenMethodImplementation` ("doesn't allow
enough arguments") for a correct implementation, `def get(self, server_name)`, since it takes
one argument where the description asks for two. mypy-zope reports "Interface methods should
not have 'self' argument", and generated documentation shows a parameter callers never pass.

## Example
```python
from zope.interface import Interface

class ICertificateStore(Interface):
    def get(self, server_name):
        \"\"\"Retrieve the certificate for a server.\"\"\"
```

## Use instead
```python
from zope.interface import Interface

class ICertificateStore(Interface):
    def get(server_name):
        \"\"\"Retrieve the certificate for a server.\"\"\"
```

## Fix safety
The fix removes the `self` parameter (with its comma; with a lone `/` after it, the `/` too).
It does not change how implementations behave when called, but it changes what zope.interface
records for the member: `verifyObject`/`verifyClass` then accept implementations they rejected
and reject an implementation that requires one more argument than callers pass (one written to
match the declared `self`), and code or documentation reading the member's signature
(`getSignatureInfo`, `getSignatureString`) sees one parameter fewer. The fix is therefore
unsafe. No fix is offered when a comment follows `self` before the next parameter or when `self`
has a default.
""",
    valid=(
        Example(
            "from zope.interface import Interface, interfacemethod\n"
            "class ICertificateStore(Interface):\n"
            "    def get(server_name):\n"
            '        """Retrieve the certificate for a server."""\n'
            "    def register(cls):  # `cls` is a real parameter here\n"
            '        """Register an implementation."""\n'
            "    @interfacemethod\n"
            "    def __adapt__(self, obj):  # a method of the interface object itself\n"
            "        return obj\n"
            "class Store:  # not an interface\n"
            "    def get(self, server_name):\n"
            "        return None\n"
        ),
        Example(
            "from typing import TYPE_CHECKING\n"
            "from zope.interface import Interface\n"
            "class IAgent(Interface):  # as in twisted.web.iweb: deleted, not a member\n"
            "    if not TYPE_CHECKING:\n"
            "        def __init__(self):\n"
            '            """No requirement upon the constructor (for pydoctor)."""\n'
            "        del __init__\n"
        ),
    ),
    invalid=(
        Example(
            "from zope.interface import Interface\n"
            "class ICertificateStore(Interface):\n"
            "    def get(self, server_name):\n"
            '        """Retrieve the certificate for a server."""\n'
            "    def as_dict(self):\n"
            '        """All the certificates."""\n'
            "    def store(\n"
            "        self,\n"
            "        server_name,\n"
            "        pem_objects,\n"
            "    ):\n"
            '        """Store the certificate for a server."""\n',
            ((3, None, "unsafe"), (5, None, "unsafe"), (7, None, "unsafe")),
            fixed=(
                "from zope.interface import Interface\n"
                "class ICertificateStore(Interface):\n"
                "    def get(server_name):\n"
                '        """Retrieve the certificate for a server."""\n'
                "    def as_dict():\n"
                '        """All the certificates."""\n'
                "    def store(\n"
                "        server_name,\n"
                "        pem_objects,\n"
                "    ):\n"
                '        """Store the certificate for a server."""\n'
            ),
        ),
        Example(
            "from zope.interface import Interface\n"
            "class IBase(Interface):\n"
            "    pass\n"
            "class IStore(IBase):  # interface inheritance\n"
            "    def put(self, /, key, *values):\n"
            '        """Store values."""\n'
            "    def drop(self: 'IStore', *keys, **options):\n"
            '        """Drop keys."""\n',
            ((5, None, "unsafe"), (7, None, "unsafe")),
            fixed=(
                "from zope.interface import Interface\n"
                "class IBase(Interface):\n"
                "    pass\n"
                "class IStore(IBase):  # interface inheritance\n"
                "    def put(key, *values):\n"
                '        """Store values."""\n'
                "    def drop(*keys, **options):\n"
                '        """Drop keys."""\n'
            ),
        ),
    ),
    fix_safety="unsafe",
    check=check,
)
