#!/usr/bin/env python3
"""Echo server: Twisted's classic echo example in Python 3, with ``@override`` on every hook.

Every byte a client sends is written straight back to it.  Each Twisted hook the classes
implement is decorated with :func:`overridecheck.override`, so a misspelled hook name
(``conectionMade``) fails loudly when the class is created instead of being silently ignored.

Run it from the repository root::

    python examples/echo_server.py --port 0          # 0: pick a free port
    python examples/echo_server.py --host 0.0.0.0 --port 8000

Once it listens it prints one line ``listening on HOST:PORT`` (the actual port) on stdout.
Per connection it reports ``connection from HOST:PORT`` and, when the peer goes away,
``connection from HOST:PORT closed: N bytes echoed``.  Stop it with Ctrl-C or SIGTERM; it
then prints ``server stopped`` and exits 0.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, Optional

from twisted.internet import defer
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IAddress
from twisted.internet.protocol import Factory, Protocol, connectionDone
from twisted.internet.task import react
from twisted.python.failure import Failure

from overridecheck import override


def say(text: str) -> None:
    """Print one line on stdout and flush it at once (a parent process may be reading)."""
    print(text, flush=True)


def describe(address: IAddress) -> str:
    """``HOST:PORT`` for TCP addresses, ``repr`` for anything else."""
    if isinstance(address, (IPv4Address, IPv6Address)):
        return f"{address.host}:{address.port}"
    return repr(address)


class Echo(Protocol):
    """Writes back whatever it receives, and counts the bytes for the closing report."""

    def __init__(self) -> None:
        self.peer = "?"
        self.echoed = 0

    @override
    def connectionMade(self) -> None:
        assert self.transport is not None
        self.peer = describe(self.transport.getPeer())
        say(f"connection from {self.peer}")

    @override
    def dataReceived(self, data: bytes) -> None:
        assert self.transport is not None
        self.echoed += len(data)
        self.transport.write(data)

    @override
    def connectionLost(self, reason: Failure = connectionDone) -> None:
        say(f"connection from {self.peer} closed: {self.echoed} bytes echoed")


class EchoFactory(Factory):
    """Builds one :class:`Echo` per connection."""

    @override
    def buildProtocol(self, addr: Optional[IAddress]) -> Optional[Protocol]:
        protocol = Echo()
        protocol.factory = self
        return protocol

    @override
    def stopFactory(self) -> None:
        # Called when the listening port closes, e.g. on reactor shutdown (Ctrl-C, SIGTERM).
        say("server stopped")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Twisted echo server (Python 3).")
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="TCP port; 0 picks a free one (default: %(default)s)"
    )
    return parser.parse_args(argv)


def main(reactor: Any, argv: Sequence[str]) -> defer.Deferred[None]:
    """Start listening; the returned Deferred never fires, the server runs until stopped."""
    args = parse_args(argv)
    port = reactor.listenTCP(args.port, EchoFactory(), interface=args.host)
    say(f"listening on {describe(port.getHost())}")
    return defer.Deferred()


if __name__ == "__main__":
    react(main, [sys.argv[1:]])
