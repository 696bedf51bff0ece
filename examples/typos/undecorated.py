#!/usr/bin/env python3
"""Typo, NOT caught at runtime: ``conectionMade`` without ``@override`` is silently ignored.

Twisted calls ``connectionMade`` when the connection is up; ``EchoClient`` below misspells it
``conectionMade`` (one ``n``) and nothing is decorated with ``@override``, so Python happily
creates the class and Twisted never calls the method.  Run it against the echo server::

    python examples/echo_server.py --port 0          # prints "listening on 127.0.0.1:PORT"
    python examples/typos/undecorated.py --port PORT --timeout 2

It connects, sends nothing, waits ``--timeout`` seconds for an echo that never comes, then
prints ``no echo received`` on stderr and exits 1; the server reports ``0 bytes echoed``.
Caught by the linter without running anything (``overridecheck examples/``), by ``check_class``
(``python examples/check_classes.py``), and at import under ``@override``: ``decorated.py``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, Optional

from twisted.internet import defer
from twisted.internet.interfaces import IAddress, IConnector
from twisted.internet.protocol import ClientFactory, Protocol
from twisted.internet.task import react
from twisted.python.failure import Failure


class EchoClient(Protocol):
    def conectionMade(self) -> None:  # typo: Twisted only ever calls connectionMade
        assert self.transport is not None
        self.transport.write(b"hello, world!\n")

    def dataReceived(self, data: bytes) -> None:
        print(f"server said: {data.decode(errors='replace').rstrip()}")
        assert isinstance(self.factory, EchoClientFactory) and self.transport is not None
        self.factory.echoed = True
        self.transport.loseConnection()


class EchoClientFactory(ClientFactory):
    def __init__(self) -> None:
        self.echoed = False
        self.done: defer.Deferred[str] = defer.Deferred()

    def buildProtocol(self, addr: Optional[IAddress]) -> Optional[Protocol]:
        protocol = EchoClient()
        protocol.factory = self
        return protocol

    def clientConnectionFailed(self, connector: IConnector, reason: Failure) -> None:
        self.finish(f"connection failed: {reason.getErrorMessage()}")

    def clientConnectionLost(self, connector: IConnector, reason: Failure) -> None:
        self.finish("" if self.echoed else "no echo received (connection lost)")

    def finish(self, problem: str) -> None:
        if not self.done.called:
            self.done.callback(problem)


def main(reactor: Any, argv: Sequence[str]) -> defer.Deferred[None]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for an echo")
    args = parser.parse_args(argv)

    factory = EchoClientFactory()
    connector = reactor.connectTCP(args.host, args.port, factory, timeout=args.timeout)
    # Bounded wait: with the typo nothing is ever sent, so without this it would hang forever.
    timer = reactor.callLater(args.timeout, factory.finish, "no echo received")

    def report(problem: str) -> None:
        if timer.active():
            timer.cancel()
        connector.disconnect()
        if problem:
            print(problem, file=sys.stderr)
            raise SystemExit(1)

    return factory.done.addCallback(report)


if __name__ == "__main__":
    react(main, [sys.argv[1:]])
