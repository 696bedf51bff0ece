#!/usr/bin/env python3
"""Typo, caught: ``conectionMade`` is marked ``@override``, so ``EchoClient`` cannot be created.

Run ``python examples/typos/decorated.py`` (from the repository root): before any connection
is attempted it fails, exit code 1, with (Python 3.9-3.11 then add a ``RuntimeError``)::

    overridecheck.OverrideError: EchoClient.conectionMade is marked @override but nothing in
    EchoClient's bases or interfaces defines it (examples/typos/decorated.py:34); did you mean
    `connectionMade` (BaseProtocol)?

Line 34 is the ``def`` of the misspelled method below: keep it there, the tests check it.
The RuntimeError wrapper, and the two other ways to catch this typo: ``examples/README.md``.
Compare ``undecorated.py``: the same typo without ``@override`` is silently ignored.
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

from overridecheck import override


class EchoClient(Protocol):
    @override
    def conectionMade(self) -> None:  # typo: Twisted only ever calls connectionMade
        assert self.transport is not None
        self.transport.write(b"hello, world!\n")

    @override
    def dataReceived(self, data: bytes) -> None:
        print(f"server said: {data.decode(errors='replace').rstrip()}")
        assert isinstance(self.factory, EchoClientFactory) and self.transport is not None
        self.factory.echoed = True
        self.transport.loseConnection()


class EchoClientFactory(ClientFactory):
    def __init__(self) -> None:
        self.echoed = False
        self.done: defer.Deferred[str] = defer.Deferred()

    @override
    def buildProtocol(self, addr: Optional[IAddress]) -> Optional[Protocol]:
        protocol = EchoClient()
        protocol.factory = self
        return protocol

    @override
    def clientConnectionFailed(self, connector: IConnector, reason: Failure) -> None:
        self.finish(f"connection failed: {reason.getErrorMessage()}")

    @override
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
