"""The mypy plugin (`plugins = ["overridecheck.mypy"]`), run through the real `mypy.api`."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

api = pytest.importorskip("mypy.api")

NO_BASE = "is marked as an override, but no base method was found with this name"

PROTOCOLS = textwrap.dedent(
    """\
    from twisted.internet.interfaces import IProtocol
    from twisted.internet.protocol import Protocol
    from twisted.protocols.basic import LineReceiver
    from zope.interface import implementer

    from overridecheck import override


    @implementer(IProtocol)
    class OnlyInterface:
        @override
        def dataReceived(self, data: bytes) -> None:
            pass

        @override
        def connectionMade(self) -> None:
            pass

        @override
        def dataRecieved(self, data: bytes) -> None:
            pass

        def conectionLost(self, reason: object) -> None:
            pass


    class Sub(OnlyInterface):
        @override
        def makeConnection(self, transport: object) -> None:
            pass


    class Echo(Protocol):
        def conectionMade(self) -> None:
            pass

        def greet(self) -> None:
            self.dataRecieved(b"")

        def dataRecieved(self, data: bytes) -> None:
            pass


    class Chat(LineReceiver):
        def sendLines(self, lines: list[bytes]) -> None:
            pass

        def lineRecieved(self, line: bytes) -> None:
            pass
    """
)

PLAIN = textwrap.dedent(
    """\
    import unittest
    from typing import Any

    from unknown_module import Unknown


    class T(unittest.TestCase):
        def setup(self) -> None:
            pass

        def tearDwon(self) -> None:  # type: ignore[overridecheck-misspelled-override]
            pass

        def test_setup(self) -> None:
            pass


    class Base:
        def process_item(self, item: Any) -> None:
            pass


    class Child(Base):
        def proces_item(self, item: Any) -> None:
            pass

        def __init_(self) -> None:
            pass

        def __int__(self) -> int:
            return 1


    class Guess(Unknown):
        def conectionMade(self) -> None:
            pass


    class Looked(Base):
        def procesItem(self, item: Any) -> None:
            pass


    LOOKUP = getattr(Looked(), "procesItem")
    """
)


def _mypy(tmp_path: Path, source: str, *, plugin: bool = True, extra: tuple[str, ...] = ()) -> str:
    (tmp_path / "snippet.py").write_text(source)
    config = tmp_path / "mypy.ini"
    plugins = "plugins = overridecheck.mypy\n" if plugin else ""
    config.write_text(f"[mypy]\n{plugins}ignore_missing_imports = True\nmypy_path = {tmp_path}\n")
    stdout, stderr, _ = api.run(
        [
            "--config-file",
            str(config),
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "--no-error-summary",
            *extra,
            str(tmp_path / "snippet.py"),
        ]
    )
    assert "INTERNAL ERROR" not in stdout + stderr, stdout + stderr
    assert "Error importing plugin" not in stdout + stderr, stdout + stderr
    return stdout


def _line(source: str, text: str, nth: int = 1) -> int:
    """The line number of the ``nth`` line of ``source`` containing ``text``."""
    found = [i for i, line in enumerate(source.splitlines(), 1) if text in line]
    return found[nth - 1]


P = {  # where PROTOCOLS defines them
    "dataReceived": _line(PROTOCOLS, "def dataReceived"),
    "connectionMade": _line(PROTOCOLS, "def connectionMade"),
    "dataRecieved": _line(PROTOCOLS, "def dataRecieved"),
    "conectionLost": _line(PROTOCOLS, "def conectionLost"),
    "makeConnection": _line(PROTOCOLS, "def makeConnection"),
    "Echo.conectionMade": _line(PROTOCOLS, "def conectionMade"),
    "Echo.dataRecieved": _line(PROTOCOLS, "def dataRecieved", 2),
    "sendLines": _line(PROTOCOLS, "def sendLines"),
    "lineRecieved": _line(PROTOCOLS, "def lineRecieved"),
}


def _errors(stdout: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for line in stdout.splitlines():
        _, lineno, rest = line.split(":", 2)
        out[int(lineno)] = rest.strip()
    return out


@pytest.fixture(scope="module")
def protocols(tmp_path_factory: pytest.TempPathFactory) -> dict[int, str]:
    return _errors(_mypy(tmp_path_factory.mktemp("mypy"), PROTOCOLS))


def test_without_the_plugin_mypy_rejects_interface_overrides(tmp_path: Path) -> None:
    errors = _errors(_mypy(tmp_path, PROTOCOLS, plugin=False))
    for name in ("dataReceived", "connectionMade", "makeConnection", "dataRecieved"):
        assert NO_BASE in errors[P[name]], errors
    assert not any("overridecheck" in e for e in errors.values())


def test_override_of_a_declared_interface_member_is_accepted(protocols: dict[int, str]) -> None:
    assert P["dataReceived"] not in protocols
    assert P["connectionMade"] not in protocols
    assert P["makeConnection"] not in protocols  # an interface an ancestor declares


def test_misspelled_override_still_has_no_base(protocols: dict[int, str]) -> None:
    assert NO_BASE in protocols[P["dataRecieved"]], protocols  # dataRecieved is in no interface


def test_near_misses_of_undecorated_methods(protocols: dict[int, str]) -> None:
    assert protocols[P["conectionLost"]] == (
        'error: "OnlyInterface.conectionLost" overrides nothing; did you mean '
        '"connectionLost" from "IProtocol"? (OC101)  [overridecheck-misspelled-override]'
    )
    assert protocols[P["Echo.conectionMade"]] == (
        'error: "Echo.conectionMade" overrides nothing; did you mean "connectionMade" from '
        '"BaseProtocol"? (OC101)  [overridecheck-misspelled-override]'
    )
    assert '"lineReceived" from "LineReceiver"? (OC101)' in protocols[P["lineRecieved"]]
    # in use through self; a new method beside the concrete sendLine
    assert P["Echo.dataRecieved"] not in protocols and P["sendLines"] not in protocols
    assert len(protocols) == 4, protocols


def test_stdlib_bases_and_evidence(tmp_path: Path) -> None:
    errors = _errors(_mypy(tmp_path, PLAIN))
    setup, proces, init = (_line(PLAIN, f"def {n}(") for n in ("setup", "proces_item", "__init_"))
    assert '"T.setup" overrides nothing; did you mean "setUp" from "TestCase"?' in errors[setup]
    assert (
        '"Child.proces_item"' in errors[proces] and '"process_item" from "Base"' in errors[proces]
    )
    assert '"Child.__init_"' in errors[init] and '"__init__" from "object"' in errors[init]
    # tearDwon: ignored by its code; test_setup: a test; __int__: a special method; an unknown
    # base may define the name; a name looked up by string is in use
    assert sorted(errors) == [setup, proces, init], errors
    assert all(e.endswith("[overridecheck-misspelled-override]") for e in errors.values())


def test_the_error_code_can_be_disabled_and_the_cache_keeps_the_errors(tmp_path: Path) -> None:
    disabled = _mypy(
        tmp_path, PLAIN, extra=("--disable-error-code", "overridecheck-misspelled-override")
    )
    assert "overridecheck" not in disabled
    first = _mypy(tmp_path, PLAIN)
    assert _mypy(tmp_path, PLAIN) == first  # an incremental run from mypy's cache
    assert first.count("[overridecheck-misspelled-override]") == 3


@pytest.mark.parametrize("source", [PROTOCOLS, PLAIN], ids=["twisted", "stdlib"])
def test_the_plugin_and_the_linter_find_the_same_oc101(tmp_path: Path, source: str) -> None:
    plugin = {
        n for n, e in _errors(_mypy(tmp_path, source)).items() if "[overridecheck-misspelled" in e
    }
    run = subprocess.run(
        [
            *(sys.executable, "-m", "overridecheck", "--isolated", "--no-cache"),
            *("--select", "OC101", "-q", "--unresolved", "ignore", "snippet.py"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    linter = {int(line.split(":")[1]) for line in run.stdout.splitlines() if "OC101" in line}
    # the type: ignore silences mypy only
    ignored = {_line(source, "type: ignore[overridecheck")} if "type: ignore" in source else set()
    assert linter - ignored == plugin, run.stdout + run.stderr


def test_interfaces_of_a_base_in_mypys_cache(tmp_path: Path) -> None:
    """The interfaces a cached module's class declares are kept in mypy's cache."""
    (tmp_path / "base_mod.py").write_text(
        "from twisted.internet.interfaces import IProtocol\n"
        "from zope.interface import implementer\n\n\n"
        "@implementer(IProtocol)\nclass P:\n    pass\n"
    )
    sub = (
        "from base_mod import P\nfrom overridecheck import override\n\n\n"
        "class Q(P):\n    @override\n    def connectionLost(self, reason: object) -> None:\n"
        "        pass\n\n    def dataRecieved(self, data: bytes) -> None:\n        pass\n"
    )
    args = ("--follow-imports", "normal")
    first = _mypy(tmp_path, sub, extra=args)
    second = _mypy(tmp_path, sub + "\n\nX = 1\n", extra=args)  # base_mod comes from the cache
    for out in (first, second):
        assert NO_BASE not in out, out
        assert '"Q.dataRecieved" overrides nothing; did you mean "dataReceived" from' in out
