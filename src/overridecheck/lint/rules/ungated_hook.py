"""OC105 ungated-hook: Twisted protocol hooks that are only called for some classes.

``readConnectionLost``/``writeConnectionLost``, ``handshakeCompleted`` and
``fileDescriptorReceived`` are called only when the protocol provides an interface; Twisted
calls ``rawDataReceived`` only from ``LineReceiver`` (and other bases that define it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from overridecheck.lint.findings import ancestor_keys, finding, where
from overridecheck.lint.model import Diagnostic, ModuleSummary
from overridecheck.lint.ruledef import Context, Example, Findings, Rule
from overridecheck.lint.rules._overrides import first_defs

if TYPE_CHECKING:
    from overridecheck.lint.resolve import ClassInfo

__all__ = ["GATED", "RULE"]

CODE = "OC105"
_INTERFACES = "twisted.internet.interfaces"
# hook -> the interface a protocol must provide for Twisted to call it
GATED: dict[str, str] = {
    "readConnectionLost": "IHalfCloseableProtocol",
    "writeConnectionLost": "IHalfCloseableProtocol",
    "handshakeCompleted": "IHandshakeListener",
    "fileDescriptorReceived": "IFileDescriptorReceiver",
}
_PROTOCOL_BASES = frozenset(
    {
        ("twisted.internet.protocol", "BaseProtocol"),
        ("twisted.internet.protocol", "Protocol"),
    }
)
# Declaring what an object provides at run time: the module may declare the interface so.
_PROVIDES = frozenset({"directlyProvides", "alsoProvides", "provider", "classProvides"})


def _is_protocol(info: ClassInfo, keys: set[tuple[str, str]]) -> bool:
    if not keys.isdisjoint(_PROTOCOL_BASES):
        return True
    return any(
        (i.module.module, i.summary.qualname) == (_INTERFACES, "IProtocol") for i in info.interfaces
    )


def _provides(info: ClassInfo, interface: str) -> bool:
    for iface in info.interfaces:
        for cls in iface.mro:
            summary = getattr(cls, "summary", None)
            if summary is not None and summary.qualname == interface:
                return True
    return False


def _subclass_provides(ctx: Context, mod: ModuleSummary, info: ClassInfo, interface: str) -> bool:
    """A subclass in the same module declares the interface (the hook lives in a mixin)."""
    return any(
        c is not info and info in c.mro and _provides(c, interface)
        for c in ctx.resolver.classes(mod)
    )


def check(ctx: Context, mod: ModuleSummary, info: ClassInfo) -> Findings:
    """OC105 findings for one class."""
    if info.is_interface or not info.complete:
        return
    names = {fn.name for fn in info.summary.methods}
    if names.isdisjoint(GATED) and "rawDataReceived" not in names:
        return
    keys = ancestor_keys(info)
    if not _is_protocol(info, keys):
        return
    inherited = info.inherited()
    found: list[tuple[str, Diagnostic, str]] = []
    for fn in first_defs(info):
        if fn.name in inherited:
            continue  # an ancestor defines the hook: it knows how it gets called
        message = advice = ""
        interface = GATED.get(fn.name)
        if interface is not None:
            if _provides(info, interface) or _subclass_provides(ctx, mod, info, interface):
                continue
            message = f"`{where(info, fn.name)}` is never called without `{interface}`"
            advice = f"Add `@implementer({interface})` to the class"
        elif fn.name == "rawDataReceived":
            message = f"`{where(info, fn.name)}` is never called: only `LineReceiver` dispatches it"
            advice = "Derive from `LineReceiver`, or rename to `dataReceived`"
        else:
            continue
        d = finding(mod, fn.line, fn.column, fn.name, CODE, message, advice=advice)
        found.append((fn.name, d, interface or ""))
    # The class calls the hook itself, or declares what it provides at run time.
    for name, d, interface in found:
        if ctx.mentions(mod, name, defined=True):
            continue
        if interface:
            used = ctx.names(mod)
            spoken = used.names | used.attributes
            if not spoken.isdisjoint(_PROVIDES) and (
                interface in spoken or interface in used.strings
            ):
                continue
        yield name, d


RULE = Rule(
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
            ((3, None, "none"), (5, None, "none"), (7, None, "none"), (9, None, "none")),
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
            ((8, None, "none"),),
        ),
    ),
    fix_safety="none",
    check=check,
)
