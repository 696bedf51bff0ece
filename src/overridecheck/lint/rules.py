"""The rules: code, short name, ruff-style documentation and embedded examples.

Every ``INVALID`` example must produce exactly the listed findings and every ``VALID`` example
none; ``tests/test_rules.py`` turns them into tests automatically.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

__all__ = ["DEFAULT_SELECT", "RULES", "Example", "RuleInfo"]


@dataclass(frozen=True)
class Example:
    """A snippet for a rule; ``expect`` lists ``(line, suggestion)`` of the findings it yields."""

    code: str
    expect: tuple[tuple[int, Optional[str]], ...] = ()


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    summary: str
    doc: str
    default: bool = True
    valid: tuple[Example, ...] = ()
    invalid: tuple[Example, ...] = ()


OC101 = RuleInfo(
    code="OC101",
    name="misspelled-override",
    summary="Method name is a near miss of a name a base class or interface provides",
    doc="""\
## What it does
Checks for methods that override nothing but whose names are a near miss of a method a base
class or an implemented zope.interface interface provides: `conectionMade` on a Twisted
`Protocol`, `lineRecieved` on a `LineReceiver`, `setup` on a `TestCase`, `__init_` anywhere.
No decorator is needed.

## Why is this bad?
Frameworks call hooks by name. A misspelled hook is never called and the base class's default
runs instead, usually silently: no error, no log, the connection just does nothing.

## Example
```python
from twisted.internet.protocol import Protocol

class Echo(Protocol):
    def conectionMade(self):
        self.transport.write(b"hello")
```

## Use instead
```python
from twisted.internet.protocol import Protocol

class Echo(Protocol):
    def connectionMade(self):
        self.transport.write(b"hello")
```

## Fix safety
Renaming the method to the suggestion is offered when there is one best suggestion (no fix
when two candidates are equally close). It is *safe* (applied by `--fix`) when the old name
appears nowhere else in the linted files: not as an attribute (`x.conectionMade`), not as a
string literal equal to it (`getattr(x, "conectionMade")`), not as another `def` or any other
use of the bare name. When every other reference is in the same file it is *unsafe* (applied
with `--fix --unsafe-fixes`) and also renames that file's attribute references and string
literals. When another file refers to the old name, no fix is offered.

A method the class itself calls (`self.conectionMade()`) or looks up by string is in use, not
a silent typo, and is not reported by this rule.
""",
    valid=(
        Example(
            "from twisted.internet.protocol import Protocol\n"
            "class Echo(Protocol):\n"
            "    def connectionMade(self):\n"
            "        pass\n"
            "    def _connectionMade(self):\n"
            "        pass\n"
        ),
        Example(
            "import unittest\n"
            "class T(unittest.TestCase):\n"
            "    def setUp(self):\n"
            "        pass\n"
            "    def setup(self):  # the real hook is also defined: a deliberate helper\n"
            "        pass\n"
        ),
        Example(
            "class Base(object):\n"
            "    def start(self):\n"
            "        pass\n"
            "class Child(Base):\n"
            "    def __int__(self):  # a real special method, not a typo of __init__\n"
            "        return 1\n"
            "    def restart(self):\n"
            "        pass\n"
        ),
        Example(
            "from somewhere_unknown import Base\n"
            "class Child(Base):\n"
            "    def conectionMade(self):  # the unknown base may define it: no guess\n"
            "        pass\n"
        ),
        Example(
            "from twisted.internet.protocol import Protocol\n"
            "class Echo(Protocol):\n"
            "    def conectionMade(self):  # noqa: OC101\n"
            "        pass\n"
        ),
    ),
    invalid=(
        Example(
            "from twisted.internet.protocol import Protocol\n"
            "class Echo(Protocol):\n"
            "    def conectionMade(self):\n"
            "        pass\n",
            ((3, "connectionMade"),),
        ),
        Example(
            "from twisted.internet import protocol\n"
            "class EchoFactory(protocol.ClientFactory):\n"
            "    def clientConnectionFail(self, connector, reason):\n"
            "        pass\n"
            "    def startedConecting(self, connector):\n"
            "        pass\n",
            ((3, "clientConnectionFailed"), (5, "startedConnecting")),
        ),
        Example(
            "from twisted.protocols.basic import LineReceiver\n"
            "class Chat(LineReceiver):\n"
            "    def lineRecieved(self, line):\n"
            "        pass\n"
            "    def __init_(self):\n"
            "        pass\n",
            ((3, "lineReceived"), (5, "__init__")),
        ),
        Example(
            "from twisted.trial import unittest\n"
            "class T(unittest.TestCase):\n"
            "    def setup(self):\n"
            "        pass\n"
            "    def tearDwon(self):\n"
            "        pass\n",
            ((3, "setUp"), (5, "tearDown")),
        ),
        Example(
            "from zope.interface import implementer\n"
            "from twisted.internet.interfaces import IHandshakeListener\n"
            "from twisted.internet.protocol import Protocol\n"
            "@implementer(IHandshakeListener)\n"
            "class TLSProto(Protocol):\n"
            "    def handshakeComplete(self):\n"
            "        pass\n",
            ((6, "handshakeCompleted"),),
        ),
        Example(
            "class Base:\n"
            "    def process_item(self, item):\n"
            "        pass\n"
            "class Child(Base):\n"
            "    def proces_item(self, item):\n"
            "        pass\n",
            ((5, "process_item"),),
        ),
    ),
)

OC102 = RuleInfo(
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
Same as OC101: a rename to the suggestion, safe only when nothing else in the linted files
refers to the old name, unsafe when only the same file does (those references are renamed
too), and not offered when another file does or when the suggestion is ambiguous.
""",
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
            ((5, "connectionMade"),),
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
            ((7, None),),
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
            ((7, "connectionLost"),),
        ),
    ),
)

OC103 = RuleInfo(
    code="OC103",
    name="incompatible-override-signature",
    summary="Override cannot accept the arguments its base or interface method is called with",
    doc="""\
## What it does
Checks for overrides whose parameters cannot take the positional arguments the overridden
method (or the interface member it implements) is called with: `def dataReceived(self)` on a
`Protocol`, which Twisted calls with the received bytes.

Only hooks are compared: members of implemented zope interfaces and base methods whose body
is a stub (a docstring, `pass`, `...`, `return` or `raise NotImplementedError`), since those are
the methods a framework calls. Constructors and documented stub overrides (a docstring and no
code: they redefine a hook rather than implement it) are skipped.

It is lenient where that is harmless or common on purpose: an override may make an optional
base parameter required (`def connectionLost(self, reason)` for
`connectionLost(self, reason=connectionDone)`), may add parameters, and may take
`*args`/`**kwargs`. Requiring *more* arguments than the hook is given is not reported by the
linter (`usage.Options.parseArgs` receives the leftover command-line arguments, whatever their
number); the runtime `@override` check, which the author asks for explicitly, does report it.

## Why is this bad?
The framework calls the method and it raises `TypeError`, often far from the definition and
often swallowed into a log line.

## Example
```python
from twisted.internet.protocol import Protocol

class Echo(Protocol):
    def dataReceived(self):
        ...
```

## Use instead
```python
from twisted.internet.protocol import Protocol

class Echo(Protocol):
    def dataReceived(self, data):
        ...
```

## Fix safety
No fix is offered: the body may need the missing argument.
""",
    valid=(
        Example(
            "from twisted.internet.protocol import Protocol\n"
            "class Echo(Protocol):\n"
            "    def connectionLost(self, reason):\n"
            "        pass\n"
            "    def dataReceived(self, data, *rest):\n"
            "        pass\n"
            "    def makeConnection(self, transport, extra=None):\n"
            "        pass\n"
        ),
        Example(
            "class Base:\n"
            "    def handle(self, *args):\n"
            "        pass\n"
            "class Child(Base):\n"
            "    def handle(self, a, b=1):\n"
            "        return a\n"
        ),
        Example(
            "from twisted.python import usage\n"
            "class Options(usage.Options):\n"
            "    def parseArgs(self, host, port):  # gets the leftover arguments: may narrow\n"
            "        self['host'] = host\n"
            "class Base:\n"
            "    def run(self, job):\n"
            "        pass\n"
            "class Redefined(Base):\n"
            "    def run(self):\n"
            '        """A documented stub redefines the hook: called with no argument."""\n'
        ),
    ),
    invalid=(
        Example(
            "from twisted.internet.protocol import Protocol\n"
            "class Echo(Protocol):\n"
            "    def dataReceived(self):\n"
            "        pass\n",
            ((3, None),),
        ),
        Example(
            "from zope.interface import implementer\n"
            "from twisted.internet.interfaces import IProtocol\n"
            "@implementer(IProtocol)\n"
            "class Proto:\n"
            "    def connectionLost(self):\n"
            "        pass\n",
            ((5, None),),
        ),
        Example(
            "from twisted.internet.protocol import ProcessProtocol\n"
            "class Proc(ProcessProtocol):\n"
            "    def outReceived(self):\n"
            "        print('got output')\n"
            "    def processEnded(self):\n"
            "        print('done')\n",
            ((3, None), (5, None)),
        ),
    ),
)

RULES: dict[str, RuleInfo] = {r.code: r for r in (OC101, OC102, OC103)}


def _merge_builtin_extra() -> None:
    # Import here, not at the top: rules_extra builds its RuleInfo objects from this module.
    from overridecheck.lint.rules_extra import RULES as builtin_extra

    for rule in builtin_extra:
        RULES[rule.code] = rule


_merge_builtin_extra()
DEFAULT_SELECT = frozenset(code for code, rule in RULES.items() if rule.default)
