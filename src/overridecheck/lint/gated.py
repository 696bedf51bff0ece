"""OC105 ungated-hook: Twisted protocol hooks that are only called for some classes.

``readConnectionLost``/``writeConnectionLost``, ``handshakeCompleted`` and
``fileDescriptorReceived`` are called only when the protocol provides an interface; Twisted
calls ``rawDataReceived`` only from ``LineReceiver`` (and other bases that define it).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING

from overridecheck.lint.findings import finding, module_text, referenced, where
from overridecheck.lint.handlers import ancestor_keys
from overridecheck.lint.model import Diagnostic, ModuleSummary

if TYPE_CHECKING:
    from overridecheck.lint.resolve import ClassInfo, Resolver

__all__ = ["check_gated"]

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
_PROVIDES = re.compile(r"\b(?:directlyProvides|alsoProvides|provider|classProvides)\b")


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


def _subclass_provides(
    mod: ModuleSummary, info: ClassInfo, resolver: Resolver, interface: str
) -> bool:
    """A subclass in the same module declares the interface (the hook lives in a mixin)."""
    return any(
        c is not info and info in c.mro and _provides(c, interface) for c in resolver.classes(mod)
    )


def check_gated(
    mod: ModuleSummary, info: ClassInfo, resolver: Resolver, select: Collection[str]
) -> Iterator[tuple[str, Diagnostic]]:
    """OC105 findings for one class."""
    if CODE not in select or info.is_interface or not info.complete:
        return
    names = {fn.name for fn in info.summary.methods}
    if names.isdisjoint(GATED) and "rawDataReceived" not in names:
        return
    keys = ancestor_keys(info)
    if not _is_protocol(info, keys):
        return
    inherited = info.inherited()
    found: list[tuple[str, Diagnostic, str]] = []
    seen: set[str] = set()
    for fn in info.summary.methods:
        if fn.name in seen or fn.name in inherited:
            continue  # an ancestor defines the hook: it knows how it gets called
        seen.add(fn.name)
        message = advice = ""
        interface = GATED.get(fn.name)
        if interface is not None:
            if _provides(info, interface) or _subclass_provides(mod, info, resolver, interface):
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
    if not found:
        return
    # The class calls the hook itself, or declares what it provides at run time.
    used = referenced(mod.path, {name for name, _, _ in found})
    text = module_text(mod.path)
    dynamic = _PROVIDES.search(text) is not None
    for name, d, interface in found:
        if name in used or (dynamic and interface and interface in text):
            continue
        yield name, d
