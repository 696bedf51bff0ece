"""End-to-end tests of the examples: the real echo server and clients, as subprocesses.

Everything runs on loopback with bounded waits; every process is killed in ``finally``.
"""

from __future__ import annotations

import ast
import os
import queue
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

import pytest
from twisted.internet.protocol import ClientFactory, Factory, Protocol

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SERVER = EXAMPLES / "echo_server.py"
CLIENT = EXAMPLES / "echo_client.py"
DECORATED = EXAMPLES / "typos" / "decorated.py"
UNDECORATED = EXAMPLES / "typos" / "undecorated.py"
CHECK_CLASSES = EXAMPLES / "check_classes.py"
README = EXAMPLES / "README.md"

HOST = "127.0.0.1"
START_TIMEOUT = 15.0  # seconds for the server to print its port
RUN_TIMEOUT = 20.0  # seconds for any one client run
STOP_TIMEOUT = 10.0  # seconds for the server to exit after SIGTERM


def child_env() -> dict[str, str]:
    """The current environment, with this checkout's ``src`` importable by the examples."""
    env = dict(os.environ)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join([*paths, str(ROOT / "src")])
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script.relative_to(ROOT)), *args],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )


class Server:
    """``echo_server.py --port 0`` in a subprocess; its output is collected by a thread."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(SERVER.relative_to(ROOT)), "--host", HOST, "--port", "0"],
            cwd=ROOT,
            env=child_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[Optional[str]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.port = self._wait_for_port()
        self.returncode: Optional[int] = None

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            self._queue.put(line)
        self._queue.put(None)

    def _wait_for_port(self) -> int:
        while True:
            try:
                line = self._queue.get(timeout=START_TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"server printed no port in {START_TIMEOUT}s") from None
            if line is None:
                raise AssertionError(f"server exited before listening: {self.output}")
            match = re.fullmatch(r"listening on (\S+):(\d+)\s*", line)
            if match:
                assert match.group(1) == HOST
                port = int(match.group(2))
                assert port > 0
                return port

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def stop(self) -> int:
        """Ask the server to shut down (SIGTERM) and wait for it and its output."""
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.returncode = self.proc.wait(timeout=STOP_TIMEOUT)
        finally:
            self.kill()
        self._reader.join(timeout=STOP_TIMEOUT)
        return self.returncode

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=STOP_TIMEOUT)


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    try:
        yield srv
    finally:
        srv.kill()


def assert_clean_stop(srv: Server) -> None:
    code = srv.stop()
    if sys.platform != "win32":  # there, terminate() is a hard kill
        assert code == 0, srv.output
        assert "server stopped" in srv.lines, srv.output


def message(number: int) -> str:
    return f"hello, world! #{number}"


@pytest.mark.parametrize(("count", "delay"), [(1, "0"), (5, "0.02")])
def test_echo_exchange(server: Server, count: int, delay: str) -> None:
    result = run(
        CLIENT, "--host", HOST, "--port", str(server.port), "--count", str(count), "--delay", delay
    )
    assert result.returncode == 0, result.stderr
    echoes = [line for line in result.stdout.splitlines() if line.startswith("echo ")]
    assert echoes == [f"echo {i}/{count}: {message(i)}" for i in range(1, count + 1)]
    assert f"summary: {count}/{count} echoes received from {HOST}:{server.port}" in result.stdout
    assert result.stderr == ""

    assert_clean_stop(server)
    sent = sum(len(message(i)) + 1 for i in range(1, count + 1))  # + 1: the newline
    assert re.search(rf"^connection from {HOST}:\d+$", server.output, re.M), server.output
    assert re.search(rf"closed: {sent} bytes echoed$", server.output, re.M), server.output


def test_client_fails_without_server() -> None:
    with socket.socket() as sock:  # a port that nothing listens on (bound, then released)
        sock.bind((HOST, 0))
        port = sock.getsockname()[1]
    result = run(CLIENT, "--host", HOST, "--port", str(port), "--count", "2", "--timeout", "5")
    assert result.returncode != 0
    assert f"connection to {HOST}:{port} failed" in result.stderr
    assert "echo 1/" not in result.stdout
    assert "summary: 0/2" in result.stdout


DECORATED_ERROR = (
    "EchoClient.conectionMade is marked @override but nothing in EchoClient's bases or"
    " interfaces defines it (examples/typos/decorated.py:34); did you mean `connectionMade`"
    " (BaseProtocol)?"
)
UNDECORATED_ERROR = (
    "EchoClient.conectionMade does not override anything in EchoClient's bases or interfaces"
    " (examples/typos/undecorated.py:32); did you mean `connectionMade` (BaseProtocol)?"
)
WRAPPER = (
    "Error calling __set_name__ on '_ClassChecks' instance '__overridecheck__' in 'EchoClient'"
)


def test_decorated_typo_fails_at_class_creation() -> None:
    source = DECORATED.read_text().splitlines()
    def_line = next(i for i, text in enumerate(source, 1) if "def conectionMade" in text)
    assert def_line == 34  # the line the docs and DECORATED_ERROR promise
    assert "(examples/typos/decorated.py:34)" in DECORATED.read_text()
    result = run(DECORATED, "--timeout", "1")
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert f"overridecheck.OverrideError: {DECORATED_ERROR}" in lines
    if sys.version_info < (3, 12):
        # What the user sees last: CPython's wrapper; the OverrideError is printed above it.
        assert lines[-1] == f"RuntimeError: {WRAPPER}"
        assert "The above exception was the direct cause of the following exception:" in lines
    else:
        assert lines[-2:] == [f"overridecheck.OverrideError: {DECORATED_ERROR}", WRAPPER]


def test_readme_shows_what_python_3_9_to_3_11_print_last() -> None:
    readme = README.read_text()
    assert f"overridecheck.OverrideError: {DECORATED_ERROR}" in readme
    assert f"RuntimeError: {WRAPPER}" in readme
    assert "__cause__" in readme and "except (OverrideError, RuntimeError)" in readme
    if sys.version_info < (3, 12):
        # The README's traceback ends as the real one does.
        tail = run(DECORATED).stderr.splitlines()[-4:]
        tail[1] = tail[1].replace(str(ROOT) + os.sep, "")
        block = readme.split("```\noverridecheck.OverrideError:", 1)[1].split("```", 1)[0]
        assert block.rstrip("\n").splitlines()[-4:] == tail


def test_check_class_finds_the_typo_the_runtime_accepts() -> None:
    result = run(CHECK_CLASSES)
    assert result.returncode == 1, result.stderr
    expected = [
        "examples/echo_server.py: Echo, EchoFactory: no problems",
        "examples/echo_client.py: EchoClient, EchoClientFactory: no problems",
        f"examples/typos/decorated.py: cannot be imported: {DECORATED_ERROR}",
        f"examples/typos/undecorated.py: {UNDECORATED_ERROR}",
    ]
    assert result.stdout.splitlines() == expected
    readme = README.read_text()
    assert all(line in readme for line in expected)
    clean = run(CHECK_CLASSES, "examples/echo_server.py", "examples/echo_client.py")
    assert clean.returncode == 0, clean.stdout


def test_linter_finds_both_typos_and_nothing_else() -> None:
    import json

    result = subprocess.run(
        [sys.executable, "-m", "overridecheck", "examples", "--format", "json", "--no-cache"],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    assert result.returncode == 1, result.stderr
    found = [(d["path"], d["line"], d["code"], d["suggestion"]) for d in json.loads(result.stdout)]
    assert found == [
        ("examples/typos/decorated.py", 34, "OC102", "connectionMade"),
        ("examples/typos/undecorated.py", 32, "OC101", "connectionMade"),
    ]
    readme = README.read_text()
    assert "examples/typos/decorated.py:34:9: OC102" in readme
    assert "examples/typos/undecorated.py:32:9: OC101" in readme


def test_undecorated_typo_sends_nothing(server: Server) -> None:
    result = run(UNDECORATED, "--host", HOST, "--port", str(server.port), "--timeout", "1")
    assert result.returncode == 1
    assert "no echo received" in result.stderr
    assert "server said" not in result.stdout

    assert_clean_stop(server)
    assert re.search(rf"^connection from {HOST}:\d+$", server.output, re.M), server.output
    assert re.search(r"closed: 0 bytes echoed$", server.output, re.M), server.output


TWISTED_BASES: dict[str, type] = {
    "Protocol": Protocol,
    "Factory": Factory,
    "ClientFactory": ClientFactory,
}


@pytest.mark.parametrize("path", [SERVER, CLIENT, DECORATED, UNDECORATED], ids=lambda p: p.name)
def test_override_marks_exactly_the_hooks(path: Path) -> None:
    """In the echo pair and ``decorated.py`` every Twisted hook, and nothing else, is marked
    ``@override`` (``conectionMade`` counts as a hook: that is the typo); ``undecorated.py``
    has no ``@override`` at all."""
    tree = ast.parse(path.read_text(), str(path))
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    assert classes
    marked_anything = False
    for cls in classes:
        (base_name,) = (base.id for base in cls.bases if isinstance(base, ast.Name))
        base = TWISTED_BASES[base_name]
        for node in cls.body:
            if not isinstance(node, ast.FunctionDef) or node.name == "__init__":
                continue
            marked = any(
                isinstance(dec, ast.Name) and dec.id == "override" for dec in node.decorator_list
            )
            marked_anything |= marked
            if path == UNDECORATED:
                assert not marked, f"{cls.name}.{node.name}"
            elif node.name == "conectionMade":
                assert marked
            else:
                is_hook = hasattr(base, node.name)
                assert marked == is_hook, f"{path.name}: {cls.name}.{node.name}"
    assert marked_anything == (path != UNDECORATED)
    assert ("from overridecheck import override" in path.read_text()) == (path != UNDECORATED)
