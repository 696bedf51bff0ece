"""OC104-OC107 beyond their embedded examples: fixes, PB calls, stdlib bases, registration."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from overridecheck import cli
from overridecheck._conventions_data import CONVENTIONS
from overridecheck.lint.engine import check_files
from overridecheck.lint.fix import plan_fixes
from overridecheck.lint.model import Diagnostic
from overridecheck.lint.modules import ModuleFinder, default_search_path
from overridecheck.lint.resolve import Resolver
from overridecheck.lint.ruledef import Context
from overridecheck.lint.rules import DEFAULT_SELECT, RULES
from overridecheck.lint.rules.missing_override_decorator import ENV
from overridecheck.lint.rules.misspelled_handler import known_suffixes


def _write(tmp_path: Path, name: str, code: str) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    return str(path)


def _found(paths: list[str], *codes: str) -> list[tuple[str, int, str | None]]:
    result = check_files(paths, select=set(codes))
    assert result.errors == []
    return [(d.code, d.line, d.suggestion) for d in result.diagnostics]


def test_registered_with_defaults() -> None:
    assert {"OC104", "OC105", "OC106", "OC107"} <= set(RULES)
    assert {"OC104", "OC105", "OC106"} <= DEFAULT_SELECT
    assert "OC107" not in DEFAULT_SELECT


def test_conventions_read_statically() -> None:
    resolver = Resolver(ModuleFinder(default_search_path(None)))
    ctx = Context(resolver, DEFAULT_SELECT)
    by_name = {c.name: c for c in CONVENTIONS}
    irc = known_suffixes(by_name["twisted.words irc"], ctx)
    assert {"RPL_WELCOME", "ERR_NICKNAMEINUSE", "PRIVMSG"} <= irc
    assert {"FunctionDef", "Num", "match_case"} <= known_suffixes(by_name["ast"], ctx)
    assert {"FunctionDef", "Name"} <= known_suffixes(by_name["libcst"], ctx)
    assert known_suffixes(by_name["ast"], ctx) is known_suffixes(by_name["ast"], ctx)


STDLIB = """\
import asyncio
import json
import logging
import socketserver
import threading
import unittest


class T(unittest.TestCase):
    def setup(self):
        pass

    def teardown(self):
        pass

    @classmethod
    def setUpclass(cls):
        pass

    def tset_login(self):
        pass


class H(socketserver.BaseRequestHandler):
    def handel(self):
        pass


class Th(threading.Thread):
    def rnu(self):
        pass


class LH(logging.Handler):
    def emitt(self, record):
        pass


class Enc(json.JSONEncoder):
    def defualt(self, o):
        return o


class AP(asyncio.Protocol):
    def connectionMade(self, transport):
        pass
"""


def test_stdlib_bases(tmp_path: Path) -> None:
    path = _write(tmp_path, "stdlib_cases.py", STDLIB)
    assert _found([path], "OC101", "OC104") == [
        ("OC101", 10, "setUp"),
        ("OC101", 13, "tearDown"),
        ("OC101", 17, "setUpClass"),
        ("OC104", 20, "test_login"),
        ("OC101", 25, "handle"),
        ("OC101", 30, "run"),
        ("OC101", 35, "emit"),
        ("OC101", 40, "default"),
        ("OC101", 45, "connection_made"),
    ]


def test_no_duplicate_with_oc101(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "ftp_server.py",
        """\
        from twisted.protocols.ftp import FTP
        class Server(FTP):
            def ftp_retr(self, path):
                pass
        """,
    )
    assert _found([path], "OC101", "OC104") == [("OC101", 3, "ftp_RETR")]
    assert _found([path], "OC104") == [("OC104", 3, "ftp_RETR")]


def test_pb_call_remote_mismatch(tmp_path: Path) -> None:
    server = _write(
        tmp_path,
        "app/server.py",
        """\
        from twisted.spread import pb
        class Root(pb.Root):
            def remote_add_register(self, n):
                pass
            def remote_echo(self, s):
                return s
        """,
    )
    _write(tmp_path, "app/__init__.py", "")
    client = _write(
        tmp_path,
        "app/client.py",
        """\
        def go(root):
            root.callRemote("add_registers", 1)
            root.callRemote("echo", "x")
            root.callRemote("unrelated")
        """,
    )
    assert _found([server, client], "OC104") == [("OC104", 3, "remote_add_registers")]


def test_oc105_message_names_the_interface(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "proto.py",
        """\
        from twisted.internet.protocol import Protocol
        class P(Protocol):
            def writeConnectionLost(self):
                pass
        """,
    )
    (d,) = check_files([path], select={"OC105"}).diagnostics
    assert "`IHalfCloseableProtocol`" in d.message
    assert d.advice == "Add `@implementer(IHalfCloseableProtocol)` to the class"


OC107_SOURCE = '''\
"""Docstring."""

from __future__ import annotations

import json  # a comment


class Enc(json.JSONEncoder):
    def default(self, o):
        return o

    @staticmethod
    def encode(o):  # keep this comment
        return ""

    class Inner(json.JSONDecoder):
        async def decode(self, s):
            return s
'''

OC107_FIXED = '''\
"""Docstring."""

from __future__ import annotations

from {source} import override
import json  # a comment


class Enc(json.JSONEncoder):
    @override
    def default(self, o):
        return o

    @staticmethod
    @override
    def encode(o):  # keep this comment
        return ""

    class Inner(json.JSONDecoder):
        @override
        async def decode(self, s):
            return s
'''


def _apply(diagnostics: list[Diagnostic]) -> str:
    plan = plan_fixes(diagnostics, unsafe=True)
    assert plan.errors == [] and plan.skipped == []
    (f,) = plan.files
    return f.text


@pytest.mark.parametrize("source", ["typing_extensions", "overridecheck"])
def test_oc107_fix_adds_decorators_and_one_import(tmp_path: Path, source: str) -> None:
    path = _write(tmp_path, "enc.py", OC107_SOURCE)
    result = check_files([path], select={"OC107"}, override_import=source)
    assert [d.line for d in result.diagnostics] == [9, 13, 17]
    assert all(d.fix is not None and not d.fix.safe for d in result.diagnostics)
    text = _apply(result.diagnostics)
    assert text == OC107_FIXED.format(source=source)
    ast.parse(text)
    Path(path).write_text(text, encoding="utf-8")
    assert check_files([path], select={"OC107"}).diagnostics == []


def test_oc107_reuses_an_existing_import(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "t.py",
        """\
        #!/usr/bin/env python
        import threading
        from typing_extensions import override as ov
        class T(threading.Thread):
            def run(self):
                pass
        """,
    )
    (d,) = check_files([path], select={"OC107"}).diagnostics
    text = _apply([d])
    assert "    @ov\n    def run" in text
    assert text.count("import override") == 1


def test_oc107_no_fix_when_the_name_is_taken(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "t.py",
        """\
        import threading
        def override(f):
            return f
        class T(threading.Thread):
            def run(self):
                pass
        """,
    )
    (d,) = check_files([path], select={"OC107"}).diagnostics
    assert d.fix is None


def test_oc107_import_source_from_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The front end reads `override-import` (config first, then the environment variable)
    and hands it to the checks; the rule itself never reads either."""
    monkeypatch.delenv(ENV, raising=False)
    _write(tmp_path, "pyproject.toml", '[tool.overridecheck]\noverride-import = "typing"\n')
    _write(
        tmp_path,
        "pkg/t.py",
        "import threading\nclass T(threading.Thread):\n    def run(self):\n        pass\n",
    )
    monkeypatch.chdir(tmp_path)
    args = ["--select", "OC107", "--diff", "--unsafe-fixes", "--no-cache", "pkg/t.py"]

    def diff() -> str:
        assert cli.main(args) == 1
        return capsys.readouterr().out

    assert "+from typing import override\n" in diff()
    monkeypatch.setenv(ENV, "overridecheck")
    assert "+from typing import override\n" in diff()  # the config wins
    (tmp_path / "pyproject.toml").write_text("[tool.overridecheck]\n", encoding="utf-8")
    assert "+from overridecheck import override\n" in diff()


def test_config_rejects_an_unknown_import_source(tmp_path: Path) -> None:
    from overridecheck.lint.config import ConfigError, load_config

    path = _write(tmp_path, "pyproject.toml", '[tool.overridecheck]\noverride-import = "six"\n')
    with pytest.raises(ConfigError, match="override-import"):
        load_config(path, RULES)
    good = _write(
        tmp_path, "ok/pyproject.toml", '[tool.overridecheck]\noverride-import = "typing"\n'
    )
    assert load_config(good, RULES).override_import == "typing"
