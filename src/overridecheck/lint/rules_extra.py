"""Rules beyond method names (OC104-OC107): documentation and embedded examples.

Registered through :mod:`overridecheck.lint.extra`; ``tests/test_rules.py`` runs every example.
"""

from __future__ import annotations

from overridecheck.lint.rules import Example, RuleInfo

__all__ = ["OC104", "OC105", "OC106", "OC107", "RULES"]

OC104 = RuleInfo(
    code="OC104",
    name="misspelled-handler",
    summary="Method name is a near miss of a handler the base class dispatches by prefix",
    doc="""\
## What it does
Checks for methods of name-dispatching frameworks whose names are a near miss of a handler
name the framework calls: `render_get` or `render_GTE` on a Twisted `Resource` (for
`render_GET`), `irc_wallops` or `irc_RPL_WHOISUSR` on an `IRCClient`, `ftp_mlsd` on `FTP`,
`do_get` on `http.server.BaseHTTPRequestHandler`, `visit_Functiondef` on `ast.NodeVisitor`,
`visit_functiondef`/`leave_Functiondef` on libcst visitors and transformers, and test methods
whose `test` prefix is misspelled (`tset_login`, `Test_login`) in `unittest`/trial test cases.
A typo in the dispatch prefix itself is caught too when the handler's suffix is intact
(`rendr_GET`, `renderPOST`, `vist_Call`). For Perspective Broker, a `remote_`/`view_`/
`perspective_` method is compared with the `callRemote("name")` calls of the linted tree: a
method that no call reaches while a call with a near-miss name reaches no method is reported.

The rule only fires on classes whose resolved base classes include the framework's class, so a
`render_get` method of an unrelated (for example aiocoap) resource is fine. Names the base
class defines (`render_HEAD`, `irc_unknown`, `dcc_sessions`, `do_UNKNOWN`) and names the module
itself refers to (`self.render_page(...)`) are never reported. A misspelling of a handler the
base class defines itself (`ftp_retr` for `FTP.ftp_RETR`, and every libcst `visit_`/`leave_`
name, which libcst's typed visitor bases define) is reported once: by OC101 when it reports
it, by OC104 otherwise.

The valid names are data (`overridecheck.lint.conventions`): HTTP methods, IRC commands and the
reply names of Twisted's `symbolic_to_numeric` (read from its source), FTP, SMTP and POP3
commands, the node classes of Python's `ast` module (those of 3.10-3.13 and older names too,
whatever Python runs the tool) and libcst's node classes.

## Why is this bad?
These frameworks build the method name from the request (`"render_" + request.method`) and
look it up with `getattr`. A misspelled handler is never called: Twisted answers 405 or 501,
an IRC reply is silently dropped, a visitor skips the nodes, a test is never collected.

## Example
```python
from twisted.web.resource import Resource

class Page(Resource):
    def render_get(self, request):
        return b"hello"
```

## Use instead
```python
from twisted.web.resource import Resource

class Page(Resource):
    def render_GET(self, request):
        return b"hello"
```

## Fix safety
Renaming is offered when there is one best suggestion. A handler rename is safe when nothing
else in the linted tree refers to the old name. Renaming a test method is unsafe, since the
test starts to run. A `remote_` method that does not match a `callRemote` call gets no fix:
either side may be the misspelled one.
""",
    valid=(
        Example(
            "from twisted.web.resource import Resource\n"
            "class Page(Resource):\n"
            "    isLeaf = True\n"
            "    def render_GET(self, request):\n"
            "        return self.render_page(request)\n"
            "    def render_HEAD(self, request):\n"
            "        return b''\n"
            "    def render_PROPFIND(self, request):\n"
            "        return b''\n"
            "    def render_page(self, request):  # a helper the module calls\n"
            "        return b''\n"
        ),
        Example(
            "class CoapResource:\n"
            "    def render_get(self, request):  # aiocoap style: not a Twisted resource\n"
            "        pass\n"
            "class Site(CoapResource):\n"
            "    def render_put(self, request):\n"
            "        pass\n"
        ),
        Example(
            "from twisted.words.protocols import irc\n"
            "class Bot(irc.IRCClient):\n"
            "    dcc_destdir = '/tmp'\n"
            "    def irc_unknown(self, prefix, command, params):\n"
            "        pass\n"
            "    def irc_RPL_WHOISUSER(self, prefix, params):\n"
            "        pass\n"
            "    def irc_RPL_ADMINLOC2(self, prefix, params):\n"
            "        pass\n"
            "    def irc_330(self, prefix, params):\n"
            "        pass\n"
        ),
        Example(
            "from twisted.mail import smtp\n"
            "class Server(smtp.ESMTP):\n"
            "    def do_UNKNOWN(self, rest):\n"
            "        pass\n"
        ),
        Example(
            "import ast\n"
            "class V(ast.NodeVisitor):\n"
            "    def visit_FunctionDef(self, node):\n"
            "        pass\n"
            "    def visit_Num(self, node):  # Python < 3.8 nodes are still valid names\n"
            "        pass\n"
        ),
        Example(
            "import libcst as cst\n"
            "class T(cst.CSTTransformer):\n"
            "    def visit_FunctionDef_body(self, node):  # attribute visitor\n"
            "        pass\n"
            "    def leave_Name(self, original_node, updated_node):\n"
            "        return updated_node\n"
        ),
        Example(
            "import unittest\n"
            "class T(unittest.TestCase):\n"
            "    def test_login(self):\n"
            "        self.est_value(1)\n"
            "    def est_value(self, value):  # a helper the module calls\n"
            "        pass\n"
            "    def testLogout(self):\n"
            "        pass\n"
        ),
    ),
    invalid=(
        Example(
            "from twisted.web.resource import Resource\n"
            "class Page(Resource):\n"
            "    def render_get(self, request):\n"
            "        return b''\n"
            "    def render_GTE(self, request):\n"
            "        return b''\n"
            "    def render_Post(self, request):\n"
            "        return b''\n",
            ((3, "render_GET"), (5, "render_GET"), (7, "render_POST")),
        ),
        Example(
            "from twisted.web.resource import Resource\n"
            "class Page(Resource):\n"
            "    def rendr_GET(self, request):  # a typo in the prefix itself\n"
            "        return b''\n"
            "    def renderPOST(self, request):\n"
            "        return b''\n"
            "    def rendering(self):  # not a handler name: left alone\n"
            "        return b''\n",
            ((3, "render_GET"), (5, "render_POST")),
        ),
        Example(
            "from twisted.words.protocols import irc\n"
            "class Bot(irc.IRCClient):\n"
            "    def irc_wallops(self, prefix, params):\n"
            "        pass\n"
            "    def irc_RPL_WHOISUSR(self, prefix, params):\n"
            "        pass\n",
            ((3, "irc_WALLOPS"), (5, "irc_RPL_WHOISUSER")),
        ),
        Example(
            "from twisted.protocols.ftp import FTP\n"
            "class Server(FTP):\n"
            "    def ftp_mlsd(self, path):\n"
            "        pass\n"
            "    def ftp_ALLO(self, size):\n"
            "        pass\n",
            ((3, "ftp_MLSD"),),
        ),
        Example(
            "from http.server import BaseHTTPRequestHandler\n"
            "class Handler(BaseHTTPRequestHandler):\n"
            "    def do_get(self):\n"
            "        pass\n",
            ((3, "do_GET"),),
        ),
        Example(
            "import ast\n"
            "class V(ast.NodeTransformer):\n"
            "    def visit_Functiondef(self, node):\n"
            "        return node\n",
            ((3, "visit_FunctionDef"),),
        ),
        Example(
            "from twisted.trial import unittest\n"
            "class T(unittest.TestCase):\n"
            "    def tset_login(self):\n"
            "        pass\n"
            "    def Test_logout(self):\n"
            "        pass\n",
            ((3, "test_login"), (5, "test_logout")),
        ),
        Example(
            "from twisted.spread import pb\n"
            "class Registers(pb.Root):\n"
            "    def remote_add_register(self, n):\n"
            "        pass\n"
            "    def remote_reset(self):\n"
            "        pass\n"
            "def client(root):\n"
            "    root.callRemote('add_registers', 1)  # one side is misspelled\n"
            "    root.callRemote('reset')\n",
            ((3, "remote_add_registers"),),
        ),
    ),
)

OC105 = RuleInfo(
    code="OC105",
    name="ungated-hook",
    summary="Protocol hook that Twisted only calls for a class that provides an interface",
    doc="""\
## What it does
Checks for Twisted protocol hooks that are never called for the class that defines them:
`readConnectionLost` and `writeConnectionLost` without `IHalfCloseableProtocol`,
`handshakeCompleted` without `IHandshakeListener`, `fileDescriptorReceived` without
`IFileDescriptorReceiver`, and `rawDataReceived` on a protocol that does not derive from
`LineReceiver` (or another base that defines it), as in twisted/twisted#11792.

Only classes that derive from `twisted.internet.protocol.Protocol` (or provide `IProtocol`) are
checked. The rule does not fire when an ancestor already declares the interface or defines the
hook, when a subclass in the same module declares the interface, when the module calls the
method itself, or when it declares the interface at run time (`directlyProvides`).

## Why is this bad?
Twisted checks `IHalfCloseableProtocol.providedBy(protocol)` (and so on) before calling these
methods; without the declaration even a correctly spelled hook is silently unused. Only
`LineReceiver` switches to raw mode and calls `rawDataReceived`; a plain `Protocol` delivers
everything to `dataReceived`.

## Example
```python
from twisted.internet.protocol import Protocol

class Upload(Protocol):
    def readConnectionLost(self):
        self.finish()
```

## Use instead
```python
from zope.interface import implementer
from twisted.internet.interfaces import IHalfCloseableProtocol
from twisted.internet.protocol import Protocol

@implementer(IHalfCloseableProtocol)
class Upload(Protocol):
    def readConnectionLost(self):
        self.finish()
```

## Fix safety
No fix is offered: the message says which declaration is missing (or which base class to use).
""",
    valid=(
        Example(
            "from zope.interface import implementer\n"
            "from twisted.internet.interfaces import IHalfCloseableProtocol, IHandshakeListener\n"
            "from twisted.internet.protocol import Protocol\n"
            "from twisted.protocols.basic import LineReceiver\n"
            "@implementer(IHalfCloseableProtocol, IHandshakeListener)\n"
            "class Base(Protocol):\n"
            "    def readConnectionLost(self):\n"
            "        pass\n"
            "    def writeConnectionLost(self):\n"
            "        pass\n"
            "    def handshakeCompleted(self):\n"
            "        pass\n"
            "class Child(Base):  # an ancestor declares the interface\n"
            "    def readConnectionLost(self):\n"
            "        pass\n"
            "class Lines(LineReceiver):\n"
            "    def rawDataReceived(self, data):\n"
            "        pass\n"
            "class NotAProtocol:\n"
            "    def rawDataReceived(self, data):\n"
            "        pass\n"
        ),
        Example(
            "from twisted.protocols.amp import AMP\n"
            "class Box(AMP):  # AMP provides IFileDescriptorReceiver and defines the hook\n"
            "    def fileDescriptorReceived(self, descriptor):\n"
            "        pass\n"
        ),
        Example(
            "from zope.interface import implementer\n"
            "from twisted.internet.interfaces import IHalfCloseableProtocol\n"
            "from twisted.internet.protocol import Protocol\n"
            "class HalfCloseMixin(Protocol):\n"
            "    def readConnectionLost(self):\n"
            "        pass\n"
            "@implementer(IHalfCloseableProtocol)\n"
            "class Upload(HalfCloseMixin):  # the subclass declares it\n"
            "    pass\n"
        ),
    ),
    invalid=(
        Example(
            "from twisted.internet.protocol import Protocol\n"
            "class P(Protocol):\n"
            "    def readConnectionLost(self):\n"
            "        pass\n"
            "    def handshakeCompleted(self):\n"
            "        pass\n"
            "    def fileDescriptorReceived(self, descriptor):\n"
            "        pass\n"
            "    def rawDataReceived(self, data):\n"
            "        pass\n",
            ((3, None), (5, None), (7, None), (9, None)),
        ),
        Example(
            "from zope.interface import implementer\n"
            "from twisted.internet.interfaces import IHandshakeListener\n"
            "from twisted.internet import protocol\n"
            "@implementer(IHandshakeListener)\n"
            "class P(protocol.Protocol):\n"
            "    def handshakeCompleted(self):\n"
            "        pass\n"
            "    def writeConnectionLost(self):\n"
            "        pass\n",
            ((8, None),),
        ),
    ),
)

OC106 = RuleInfo(
    code="OC106",
    name="misspelled-attribute",
    summary="Class attribute is a near miss of an attribute a base class or interface defines",
    doc="""\
## What it does
Checks for class-level assignments in subclasses whose names are a near miss of a class
attribute the base classes define or an implemented interface declares: `isleaf = True` on a
Twisted `Resource` (for `isLeaf`), `delimeter` or `MAX_LENGHT` on a `LineReceiver`, `nickName`
on an `IRCClient`, and trial's `Skip`/`todo` variants (trial reads `skip`, `todo`, `suppress`
and `timeout` with `getattr`).

Only public attributes the bases define are candidates, so ordinary new attributes are never
reported, and neither is a name the module reads elsewhere (`self.isleaf`), which is in use, or
a name the base classes' modules read themselves (`usage.Options` reads `subCommands` beside
its `subCommand`).

## Why is this bad?
The base class reads its own attribute, so the misspelled one is silently ignored: the
resource is not a leaf, lines are split on the default delimiter, the test is not skipped.

## Example
```python
from twisted.web.resource import Resource

class Static(Resource):
    isleaf = True
```

## Use instead
```python
from twisted.web.resource import Resource

class Static(Resource):
    isLeaf = True
```

## Fix safety
Renaming is offered when there is one best suggestion. It is safe when nothing else in the
linted tree refers to the old name; otherwise it is unsafe.
""",
    valid=(
        Example(
            "from twisted.web.resource import Resource\n"
            "class Static(Resource):\n"
            "    isLeaf = True\n"
            "    leaf_count = 0\n"
            "    isleafy = False\n"
        ),
        Example(
            "from twisted.words.protocols import irc\n"
            "class Bot(irc.IRCClient):\n"
            "    nickname = 'bot'\n"
            "    nickName = 'display'  # read by this module: a real attribute\n"
            "    def signedOn(self):\n"
            "        print(self.nickName)\n"
        ),
        Example(
            "from twisted.protocols.basic import LineReceiver\n"
            "class Chat(LineReceiver):\n"
            "    delimiter = b'\\n'\n"
            "    MAX_LENGTH = 1024\n"
            "    for _name in ('a', 'b'):\n"
            "        pass\n"
        ),
        Example(
            "class Base:\n"
            "    _state = None\n"
            "class Child(Base):\n"
            "    _stat = None  # private attributes are not a contract\n"
        ),
        Example(
            "from twisted.python import usage\n"
            "class Options(usage.Options):\n"
            "    subCommands = []  # near `subCommand`, but the base reads `subCommands` too\n"
        ),
    ),
    invalid=(
        Example(
            "from twisted.web.resource import Resource\n"
            "class Static(Resource):\n"
            "    isleaf = True\n",
            ((3, "isLeaf"),),
        ),
        Example(
            "from twisted.protocols.basic import LineReceiver\n"
            "class Chat(LineReceiver):\n"
            "    delimeter = b'\\n'\n"
            "    MAX_LENGHT = 1024\n",
            ((3, "delimiter"), (4, "MAX_LENGTH")),
        ),
        Example(
            "from twisted.words.protocols import irc\n"
            "class Bot(irc.IRCClient):\n"
            "    nickName = 'bot'\n",
            ((3, "nickname"),),
        ),
        Example(
            "from twisted.trial import unittest\n"
            "class T(unittest.TestCase):\n"
            "    Skip = 'needs a network'\n"
            "    def test_it(self):\n"
            "        pass\n",
            ((3, "skip"),),
        ),
        Example(
            "from twisted.persisted.styles import Versioned\n"
            "class Account(Versioned):  # twisted.words.im.basesupport had this one\n"
            "    persistanceVersion = 2\n",
            ((3, "persistenceVersion"),),
        ),
    ),
)

OC107 = RuleInfo(
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
            ((3, None), (5, None)),
        ),
        Example(
            "from zope.interface import implementer\n"
            "from twisted.internet.interfaces import IHalfCloseableProtocol\n"
            "@implementer(IHalfCloseableProtocol)\n"
            "class Half:  # interface members count\n"
            "    def readConnectionLost(self):\n"
            "        pass\n",
            ((5, None),),
        ),
    ),
)

RULES = [OC104, OC105, OC106, OC107]
