"""OC102 override-of-nothing: a method marked ``@override`` that overrides nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from overridecheck.lint.model import ModuleSummary
from overridecheck.lint.ruledef import RENAME_SAFETY, Context, Example, Findings, Rule
from overridecheck.lint.rules._overrides import near_misses

if TYPE_CHECKING:
    from overridecheck.lint.resolve import ClassInfo

__all__ = ["RULE"]

CODE = "OC102"


def check(ctx: Context, mod: ModuleSummary, info: ClassInfo) -> Findings:
    """Methods marked ``@override`` that no base class or interface defines."""
    for miss in near_misses(ctx, mod, info):
        if miss.decorated:
            yield miss.finding(mod, info, CODE, "is marked `@override` but overrides nothing")


RULE = Rule(
    code="OC102",
    name="override-of-nothing",
    summary="Method marked `@override` overrides nothing",
    doc="""\
## What it does
Checks for methods marked `@override` (from `overridecheck`, `typing`, `typing_extensions` or
the `overrides` package) that override nothing: no base class and no implemented zope.interface
interface defines the name. Suggests the name that was probably meant.

Unlike mypy and pyright, a method that implements a member of a declared or inherited zope
interface counts as an override, so `@override` is fine on an `@implementer(IProtocol)` class.

## Why is this bad?
`@override` states an intent that the code does not meet: the method is never called by the
framework, and the base class's default runs instead.

## Example
```python
from overridecheck import override
from twisted.internet.protocol import Protocol

class Echo(Protocol):
    @override
    def conectionMade(self):
        ...
```

## Use instead
```python
from overridecheck import override
from twisted.internet.protocol import Protocol

class Echo(Protocol):
    @override
    def connectionMade(self):
        ...
```

## Fix safety
Same as OC101: the fix renames the method to the suggestion.

"""
    + RENAME_SAFETY,
    valid=(
        Example(
            "from zope.interface import implementer\n"
            "from twisted.internet.interfaces import IProtocol\n"
            "from overridecheck import override\n"
            "@implementer(IProtocol)\n"
            "class Proto:\n"
            "    @override\n"
            "    def connectionMade(self):\n"
            "        pass\n"
            "    @override\n"
            "    def dataReceived(self, data):\n"
            "        pass\n"
        ),
        Example(
            "from typing_extensions import override\n"
            "class Base:\n"
            "    def run(self):\n"
            "        pass\n"
            "class Child(Base):\n"
            "    @override\n"
            "    def run(self):\n"
            "        pass\n"
        ),
    ),
    invalid=(
        Example(
            "from overridecheck import override\n"
            "from twisted.internet.protocol import Protocol\n"
            "class Echo(Protocol):\n"
            "    @override\n"
            "    def conectionMade(self):\n"
            "        pass\n",
            ((5, "connectionMade", "safe"),),
            fixed=(
                "from overridecheck import override\n"
                "from twisted.internet.protocol import Protocol\n"
                "class Echo(Protocol):\n"
                "    @override\n"
                "    def connectionMade(self):\n"
                "        pass\n"
            ),
        ),
        Example(
            "import typing\n"
            "class Base:\n"
            "    def run(self):\n"
            "        pass\n"
            "class Child(Base):\n"
            "    @typing.override\n"
            "    def walk(self):\n"
            "        pass\n",
            ((7, None, "none"),),
        ),
        Example(
            "from zope.interface import implementer\n"
            "from twisted.internet.interfaces import IProtocol\n"
            "from overrides import overrides\n"
            "@implementer(IProtocol)\n"
            "class Proto:\n"
            "    @overrides\n"
            "    def conectionLost(self, reason):\n"
            "        pass\n",
            ((7, "connectionLost", "safe"),),
            fixed=(
                "from zope.interface import implementer\n"
                "from twisted.internet.interfaces import IProtocol\n"
                "from overrides import overrides\n"
                "@implementer(IProtocol)\n"
                "class Proto:\n"
                "    @overrides\n"
                "    def connectionLost(self, reason):\n"
                "        pass\n"
            ),
        ),
    ),
    check=check,
)
