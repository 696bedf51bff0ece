"""OC101 misspelled-override: a method whose name is a near miss of one a base provides."""

from __future__ import annotations

from typing import TYPE_CHECKING

from overridecheck.lint.model import ModuleSummary
from overridecheck.lint.ruledef import RENAME_SAFETY, Context, Example, Findings, Rule
from overridecheck.lint.rules._overrides import near_misses

if TYPE_CHECKING:
    from overridecheck.lint.resolve import ClassInfo

__all__ = ["RULE"]

CODE = "OC101"


def check(ctx: Context, mod: ModuleSummary, info: ClassInfo) -> Findings:
    """Undecorated methods that override nothing and are a near miss of a provided name.

    A misspelled hook is dead code: a name the module itself calls or looks up
    (`self.setupBuild()`, `getattr(self, "on_welcome")`, a `callRemote` name) is a method in
    use, not a typo; `socket.gethostbyname` or `error.ConnectionLost` say nothing about the
    class.  The other linted files that import this module are asked by `lint.evidence`
    once every module is checked (there any `x.name` counts: `walker.setMonitor()`).
    """
    for miss in near_misses(ctx, mod, info):
        if miss.decorated or not miss.matches:
            continue
        name = miss.fn.name
        if ctx.mentions(mod, name, through_self=True, defined=True) or ctx.in_use_remotely(
            mod, name
        ):
            continue
        yield miss.finding(mod, info, CODE, "overrides nothing")


RULE = Rule(
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

Typo or new method is decided from evidence, not from the spelling alone:
- a method in use is not a silent typo and is not reported: its module calls it through
  `self` (`self.conectionMade()`), looks it up by string (`getattr(x, "conectionMade")`) or
  calls it remotely (`callRemote`), or another linted file that imports the module refers to
  it in any of these ways or on any object (`echo.conectionMade()`);
- a near miss of a *hook* (an interface member, a stub or a method documented to be
  overridden, a framework callback such as `setUp`, `tearDown`, `startService`,
  `parseArgs`) is reported, keyboard slips included (`setUo`, `swtUp`, `tearFown`);
- a name that differs from a *concrete* base method by an inflection or a whole word
  (`sendLines` beside `sendLine`, `parse_known_ui_args` beside `parse_known_args`) is a new
  method, not a typo.

## Fix safety
The fix renames the method to the suggestion.

"""
    + RENAME_SAFETY
    + """
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
        Example(
            "from twisted.internet.protocol import Protocol\n"
            "class Echo(Protocol):\n"
            "    def conectionMade(self):\n"
            "        pass\n"
            "    def greet(self):  # called: a method in use, not a typo\n"
            "        self.conectionMade()\n"
        ),
        Example(
            "from twisted.protocols.basic import LineReceiver\n"
            "class Chat(LineReceiver):\n"
            "    def sendLines(self, lines):  # a new method beside the concrete sendLine\n"
            "        pass\n"
        ),
    ),
    invalid=(
        Example(
            "from twisted.internet.protocol import Protocol\n"
            "class Echo(Protocol):\n"
            "    # self.conectionMade was the old name: comments are never references\n"
            "    def conectionMade(self):\n"
            "        pass\n",
            ((4, "connectionMade", "safe"),),
            fixed=(
                "from twisted.internet.protocol import Protocol\n"
                "class Echo(Protocol):\n"
                "    # self.conectionMade was the old name: comments are never references\n"
                "    def connectionMade(self):\n"
                "        pass\n"
            ),
        ),
        Example(
            "from twisted.protocols.basic import LineReceiver\n"
            "class Chat(LineReceiver):\n"
            "    def sendLien(self, line):  # sendLine is concrete: the rename changes it\n"
            "        pass\n",
            ((3, "sendLine", "unsafe"),),
            fixed=(
                "from twisted.protocols.basic import LineReceiver\n"
                "class Chat(LineReceiver):\n"
                "    def sendLine(self, line):  # sendLine is concrete: the rename changes it\n"
                "        pass\n"
            ),
        ),
        Example(
            "from twisted.internet.protocol import Protocol\n"
            "class Echo(Protocol):\n"
            "    def conectionMade(self):\n"
            "        pass\n",
            ((3, "connectionMade", "safe"),),
            fixed=(
                "from twisted.internet.protocol import Protocol\n"
                "class Echo(Protocol):\n"
                "    def connectionMade(self):\n"
                "        pass\n"
            ),
        ),
        Example(
            "from twisted.internet.protocol import Protocol\n"
            "class Echo(Protocol):\n"
            "    def conectionMade(self):\n"
            "        pass\n"
            "class Loud(Echo):  # its super() call would reach the renamed method\n"
            "    def connectionMade(self):\n"
            "        super().connectionMade()\n",
            ((3, "connectionMade", "unsafe"),),
            fixed=(
                "from twisted.internet.protocol import Protocol\n"
                "class Echo(Protocol):\n"
                "    def connectionMade(self):\n"
                "        pass\n"
                "class Loud(Echo):  # its super() call would reach the renamed method\n"
                "    def connectionMade(self):\n"
                "        super().connectionMade()\n"
            ),
        ),
        Example(
            "from twisted.internet import protocol\n"
            "class EchoFactory(protocol.ClientFactory):\n"
            "    def clientConnectionFail(self, connector, reason):\n"
            "        pass\n"
            "    def startedConecting(self, connector):\n"
            "        pass\n",
            ((3, "clientConnectionFailed", "safe"), (5, "startedConnecting", "safe")),
            fixed=(
                "from twisted.internet import protocol\n"
                "class EchoFactory(protocol.ClientFactory):\n"
                "    def clientConnectionFailed(self, connector, reason):\n"
                "        pass\n"
                "    def startedConnecting(self, connector):\n"
                "        pass\n"
            ),
        ),
        Example(
            "from twisted.protocols.basic import LineReceiver\n"
            "class Chat(LineReceiver):\n"
            "    def lineRecieved(self, line):\n"
            "        pass\n"
            "    def __init_(self):\n"
            "        pass\n",
            ((3, "lineReceived", "safe"), (5, "__init__", "safe")),
            fixed=(
                "from twisted.protocols.basic import LineReceiver\n"
                "class Chat(LineReceiver):\n"
                "    def lineReceived(self, line):\n"
                "        pass\n"
                "    def __init__(self):\n"
                "        pass\n"
            ),
        ),
        Example(
            "from twisted.trial import unittest\n"
            "class T(unittest.TestCase):\n"
            "    def setup(self):\n"
            "        pass\n"
            "    def tearDwon(self):\n"
            "        pass\n",
            ((3, "setUp", "safe"), (5, "tearDown", "safe")),
            fixed=(
                "from twisted.trial import unittest\n"
                "class T(unittest.TestCase):\n"
                "    def setUp(self):\n"
                "        pass\n"
                "    def tearDown(self):\n"
                "        pass\n"
            ),
        ),
        Example(
            "from zope.interface import implementer\n"
            "from twisted.internet.interfaces import IHandshakeListener\n"
            "from twisted.internet.protocol import Protocol\n"
            "@implementer(IHandshakeListener)\n"
            "class TLSProto(Protocol):\n"
            "    def handshakeComplete(self):\n"
            "        pass\n",
            ((6, "handshakeCompleted", "safe"),),
            fixed=(
                "from zope.interface import implementer\n"
                "from twisted.internet.interfaces import IHandshakeListener\n"
                "from twisted.internet.protocol import Protocol\n"
                "@implementer(IHandshakeListener)\n"
                "class TLSProto(Protocol):\n"
                "    def handshakeCompleted(self):\n"
                "        pass\n"
            ),
        ),
        Example(
            "class Base:\n"
            "    def process_item(self, item):\n"
            "        pass\n"
            "class Child(Base):\n"
            "    def proces_item(self, item):\n"
            "        pass\n",
            ((5, "process_item", "safe"),),
            fixed=(
                "class Base:\n"
                "    def process_item(self, item):\n"
                "        pass\n"
                "class Child(Base):\n"
                "    def process_item(self, item):\n"
                "        pass\n"
            ),
        ),
    ),
    check=check,
)
