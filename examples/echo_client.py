#!/usr/bin/env python3
"""Echo client: Twisted's classic echo example in Python 3, with ``@override`` on every hook.

Connects to an echo server (see ``echo_server.py``), sends ``--count`` newline-terminated
messages (``--delay`` seconds apart, scheduled with ``reactor.callLater``, never a blocking
sleep), prints every echo that comes back and a final summary, then stops by itself.

Run it from the repository root, next to a running server::

    python examples/echo_client.py --port PORT --count 3 --delay 0.1

Output::

    echo 1/3: hello, world! #1
    echo 2/3: hello, world! #2
    echo 3/3: hello, world! #3
    summary: 3/3 echoes received from 127.0.0.1:PORT

Exit code 0 when every message came back; 1 if the connection failed, was lost early, or
``--timeout`` seconds passed first.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, Optional

from twisted.internet import defer
from twisted.internet.base import DelayedCall
from twisted.internet.interfaces import IAddress, IConnector
from twisted.internet.protocol import ClientFactory, Protocol, connectionDone
from twisted.internet.task import react
from twisted.python.failure import Failure

from overridecheck import override


def message(number: int) -> bytes:
    """The payload of message ``number`` (1-based), without its line terminator."""
    return f"hello, world! #{number}".encode()


class EchoClient(Protocol):
    """Sends the factory's messages one by one and checks each echo as it arrives.

    TCP is a byte stream, so echoes may arrive split or coalesced; messages are therefore
    newline-terminated and reassembled from a buffer.
    """

    factory: EchoClientFactory

    def __init__(self) -> None:
        self.buffer = b""
        self.sent = 0
        self.pending: Optional[DelayedCall] = None

    @override
    def connectionMade(self) -> None:
        self.send_next()

    def send_next(self) -> None:
        self.pending = None
        assert self.transport is not None
        self.sent += 1
        self.transport.write(message(self.sent) + b"\n")
        if self.sent < self.factory.count:
            self.pending = self.factory.reactor.callLater(self.factory.delay, self.send_next)

    @override
    def dataReceived(self, data: bytes) -> None:
        self.buffer += data
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            self.factory.echo_received(line)
        if self.factory.received >= self.factory.count:
            assert self.transport is not None
            self.transport.loseConnection()

    @override
    def connectionLost(self, reason: Failure = connectionDone) -> None:
        if self.pending is not None and self.pending.active():
            self.pending.cancel()
        self.pending = None


class EchoClientFactory(ClientFactory):
    """Holds the run's settings and result; ``done`` fires with the process exit code."""

    def __init__(self, reactor: Any, server: str, count: int, delay: float) -> None:
        self.reactor = reactor
        self.server = server
        self.count = count
        self.delay = delay
        self.received = 0
        self.done: defer.Deferred[int] = defer.Deferred()

    @override
    def buildProtocol(self, addr: Optional[IAddress]) -> Optional[Protocol]:
        protocol = EchoClient()
        protocol.factory = self
        return protocol

    def echo_received(self, line: bytes) -> None:
        self.received += 1
        expected = message(self.received)
        mark = "" if line == expected else f" (expected {expected.decode()!r})"
        print(f"echo {self.received}/{self.count}: {line.decode(errors='replace')}{mark}")

    @override
    def clientConnectionFailed(self, connector: IConnector, reason: Failure) -> None:
        self.finish(f"connection to {self.server} failed: {reason.getErrorMessage()}")

    @override
    def clientConnectionLost(self, connector: IConnector, reason: Failure) -> None:
        self.finish(f"connection to {self.server} lost early: {reason.getErrorMessage()}")

    def finish(self, problem: str) -> None:
        """Print the summary once and fire ``done`` (0 if every echo came back, else 1)."""
        if self.done.called:
            return
        print(f"summary: {self.received}/{self.count} echoes received from {self.server}")
        complete = self.received >= self.count
        if not complete:
            print(problem, file=sys.stderr)
        self.done.callback(0 if complete else 1)


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Twisted echo client (Python 3).")
    parser.add_argument("--host", default="127.0.0.1", help="server host (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="server port (default: %(default)s)")
    parser.add_argument(
        "--count", type=positive_int, default=3, help="messages to send (default: %(default)s)"
    )
    parser.add_argument(
        "--delay", type=float, default=0.0, help="seconds between messages (default: %(default)s)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        help="give up after this many seconds (default: %(default)s)",
    )
    return parser.parse_args(argv)


def main(reactor: Any, argv: Sequence[str]) -> defer.Deferred[None]:
    """Connect, run the exchange, and fail with ``SystemExit(code)`` unless it all came back."""
    args = parse_args(argv)
    factory = EchoClientFactory(reactor, f"{args.host}:{args.port}", args.count, args.delay)
    connector = reactor.connectTCP(args.host, args.port, factory, timeout=args.timeout)

    def give_up() -> None:
        factory.finish(f"timed out after {args.timeout}s")
        connector.disconnect()

    timer = reactor.callLater(args.timeout, give_up)

    def exit_with(code: int) -> None:
        if timer.active():
            timer.cancel()
        if code:
            raise SystemExit(code)

    return factory.done.addCallback(exit_with)


if __name__ == "__main__":
    react(main, [sys.argv[1:]])
