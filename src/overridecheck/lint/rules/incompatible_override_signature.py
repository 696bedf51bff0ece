"""OC103 incompatible-override-signature: an override that cannot take its hook's arguments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from overridecheck._names import CONSTRUCTORS
from overridecheck._signature import incompatibility
from overridecheck.lint.findings import finding, where
from overridecheck.lint.model import ModuleSummary
from overridecheck.lint.ruledef import Context, Example, Findings, Rule
from overridecheck.lint.rules._overrides import as_called, first_defs

if TYPE_CHECKING:
    from overridecheck.lint.resolve import ClassInfo

__all__ = ["RULE"]

CODE = "OC103"


def check(ctx: Context, mod: ModuleSummary, info: ClassInfo) -> Findings:
    """Overrides of hooks (interface members, stub base methods) whose parameters cannot
    accept the positional arguments the hook is called with."""
    del ctx
    if info.is_interface or not info.complete:
        return
    inherited = info.inherited()
    interface = info.interface_members()
    for fn in first_defs(info):
        mine = as_called(fn)
        if mine is None or fn.kind == "property" or fn.name in CONSTRUCTORS:
            continue
        if fn.documented_stub:
            continue  # a documented stub redefines the hook's contract, implements nothing
        for member in (inherited.get(fn.name), interface.get(fn.name)):
            if member is None or member.function is None:
                continue
            base = member.function
            if not (member.from_interface or base.stub):
                continue  # only hooks: interface members and base methods meant to be overridden
            if member.from_interface:
                if fn.kind != "method":
                    continue
            elif base.kind != fn.kind:
                continue
            theirs = as_called(base, member.from_interface)
            if theirs is None:
                continue
            reason = incompatibility(mine, theirs, strict=False)
            if reason is not None:
                message = f"`{where(info, fn.name)}` {reason} (`{member.owner}.{fn.name}`)"
                yield fn.name, finding(mod, fn.line, fn.column, fn.name, CODE, message)
                break


RULE = Rule(
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
code: they redefine a hook rather than implement it) are skipped. An interface member declared
with `self` (`def get(self, server_name)`, legacy code; see OC108) is compared as if that
`self` were not there, as its implementations are called; only the exact name `self` is
dropped.

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
            "from zope.interface import Interface, implementer\n"
            "class IStore(Interface):\n"
            "    def get(self, server_name):  # legacy: declared with `self` (OC108)\n"
            '        """The certificate of a server."""\n'
            "@implementer(IStore)\n"
            "class MemoryStore:\n"
            "    def get(self, server_name):\n"
            "        return None\n"
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
            ((3, None, "none"),),
        ),
        Example(
            "from zope.interface import implementer\n"
            "from twisted.internet.interfaces import IProtocol\n"
            "@implementer(IProtocol)\n"
            "class Proto:\n"
            "    def connectionLost(self):\n"
            "        pass\n",
            ((5, None, "none"),),
        ),
        Example(
            "from twisted.internet.protocol import ProcessProtocol\n"
            "class Proc(ProcessProtocol):\n"
            "    def outReceived(self):\n"
            "        print('got output')\n"
            "    def processEnded(self):\n"
            "        print('done')\n",
            ((3, None, "none"), (5, None, "none")),
        ),
    ),
    fix_safety="none",
    check=check,
)
