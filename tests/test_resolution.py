"""Static resolution of bases and interfaces across files and installed packages.

Every case runs the real engine on files written to a temporary tree; nothing is imported.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from overridecheck.lint.engine import check_files

TYPO_BODY = """
    def conectionMade(self):
        pass
"""


def write(root: Path, files: dict[str, str]) -> list[str]:
    out = []
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
        out.append(str(path))
    return sorted(out)


def found(paths: list[str], **kwargs: object) -> list[tuple[str, int, str, object]]:
    result = check_files(paths, **kwargs)  # type: ignore[arg-type]
    assert result.errors == []
    return [(Path(d.path).name, d.line, d.code, d.suggestion) for d in result.diagnostics]


def test_decorator_free_protocol_subclass_with_typo_is_flagged(tmp_path: Path) -> None:
    paths = write(
        tmp_path,
        {
            "client.py": """\
            from twisted.internet.protocol import Protocol

            class EchoClient(Protocol):
                def conectionMade(self):
                    self.transport.write(b"hello")
            """
        },
    )
    assert found(paths) == [("client.py", 4, "OC101", "connectionMade")]


def test_implementer_only_class_with_correct_override_methods_is_clean(tmp_path: Path) -> None:
    paths = write(
        tmp_path,
        {
            "proto.py": """\
            from zope.interface import implementer
            from twisted.internet.interfaces import IProtocol
            from overridecheck import override

            @implementer(IProtocol)
            class Proto:
                @override
                def makeConnection(self, transport):
                    pass

                @override
                def connectionMade(self):
                    pass

                @override
                def dataReceived(self, data):
                    pass

                @override
                def connectionLost(self, reason):
                    pass
            """
        },
    )
    assert found(paths) == []


def test_bases_across_modules_relative_absolute_reexport_and_alias(tmp_path: Path) -> None:
    paths = write(
        tmp_path,
        {
            "app/__init__.py": "from .protocols.base import Base as ExportedBase\n",
            "app/protocols/__init__.py": "",
            "app/protocols/base.py": """\
            from twisted.internet import protocol

            class Base(protocol.Protocol):
                pass

            Alias = Base
            """,
            "app/protocols/rel.py": "from .base import Base\nclass A(Base):" + TYPO_BODY,
            "app/protocols/parent.py": "from ..protocols import base\nclass B(base.Base):"
            + TYPO_BODY,
            "app/absolute.py": "from app.protocols.base import Base\nclass C(Base):" + TYPO_BODY,
            "app/reexport.py": "from app import ExportedBase\nclass D(ExportedBase):" + TYPO_BODY,
            "app/dotted.py": "import app.protocols.base as b\nclass E(b.Base):" + TYPO_BODY,
            "app/plain.py": "import app.protocols.base\nclass F(app.protocols.base.Base):"
            + TYPO_BODY,
            "app/alias.py": "from app.protocols.base import Alias\nclass G(Alias):" + TYPO_BODY,
            "app/module_alias.py": """\
            from app.protocols import base
            Local = base.Base
            class H(Local):
                def conectionMade(self):
                    pass
            """,
        },
    )
    got = found(paths)
    assert {name for name, *_ in got} == {
        "rel.py",
        "parent.py",
        "absolute.py",
        "reexport.py",
        "dotted.py",
        "plain.py",
        "alias.py",
        "module_alias.py",
    }
    assert {(code, suggestion) for _, _, code, suggestion in got} == {("OC101", "connectionMade")}


def test_linting_one_file_still_resolves_its_siblings(tmp_path: Path) -> None:
    paths = write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/base.py": "from twisted.internet.protocol import Protocol\n"
            "class Base(Protocol):\n    pass\n",
            "pkg/child.py": "from .base import Base\nclass C(Base):" + TYPO_BODY,
        },
    )
    child = [p for p in paths if p.endswith("child.py")]
    assert found(child) == [("child.py", 3, "OC101", "connectionMade")]


def test_unresolvable_base_never_causes_a_guess(tmp_path: Path) -> None:
    paths = write(
        tmp_path,
        {
            "m.py": """\
            from twisted.internet.protocol import Protocol
            from not_installed_anywhere import Mixin
            import six

            def make_base():
                return Protocol

            class A(Mixin, Protocol):
                def conectionMade(self):
                    pass

            class B(make_base()):
                def conectionMade(self):
                    pass

            class C(six.with_metaclass(type, *[Protocol])):
                def conectionMade(self):
                    pass

            Dynamic = make_base()

            class D(Dynamic):
                def conectionMade(self):
                    pass

            class E(Protocol):
                locals()["conectionMade"] = lambda self: None

            class F(E):  # E may bind any name: its subclasses are not checked
                def dataRecieved(self, data):
                    pass
            """
        },
    )
    assert found(paths) == []


def test_interfaces_from_class_implements_and_inheritance(tmp_path: Path) -> None:
    paths = write(
        tmp_path,
        {
            "ifaces.py": """\
            from zope.interface import Interface, Attribute

            class IGreeter(Interface):
                name = Attribute("who")
                def greetEveryone(greeting):
                    pass

            class ILoudGreeter(IGreeter):
                def shoutEveryone(volume):
                    pass
            """,
            "impl.py": """\
            from zope.interface import implementer, classImplements
            from ifaces import IGreeter, ILoudGreeter
            from overridecheck import override

            class Plain:
                @override
                def greetEveryone(self, greeting):
                    pass

                @override
                def shoutEveryon(self, volume):
                    pass

            classImplements(Plain, ILoudGreeter)

            @implementer(IGreeter)
            class Base:
                pass

            class Child(Base):
                def greetEveryon(self, greeting):
                    pass
            """,
        },
    )
    assert found(paths) == [
        ("impl.py", 11, "OC102", "shoutEveryone"),
        ("impl.py", 21, "OC101", "greetEveryone"),
    ]


def test_standard_library_bases_resolve_from_source(tmp_path: Path) -> None:
    paths = write(
        tmp_path,
        {
            "std.py": """\
            import unittest
            import socketserver
            import threading
            import logging
            from http.server import BaseHTTPRequestHandler

            class T(unittest.TestCase):
                def tearDwon(self):
                    pass

            class H(socketserver.BaseRequestHandler):
                def handel(self):
                    pass

            class W(threading.Thread):
                def rnu(self):
                    pass

            class L(logging.Handler):
                def emitt(self, record):
                    pass

            class R(BaseHTTPRequestHandler):
                def log_mesage(self, format, *args):
                    pass
            """
        },
    )
    assert [(line, s) for _, line, _, s in found(paths)] == [
        (8, "tearDown"),
        (12, "handle"),
        (16, "run"),
        (20, "emit"),
        (24, "log_message"),
    ]


def test_linted_and_installed_code_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    side_effect = f"open({str(marker)!r}, 'w').write('ran')\n"
    site = tmp_path / "site"
    paths = write(
        tmp_path,
        {
            "site/sidepkg/__init__.py": side_effect
            + "from twisted.internet.protocol import Protocol\nclass Base(Protocol):\n    pass\n",
            "lint/m.py": side_effect + "from sidepkg import Base\nclass C(Base):" + TYPO_BODY,
        },
    )
    linted = [p for p in paths if "/lint/" in p]
    search = [str(site), *[p for p in sys.path if p]]
    result = check_files(linted, search_path=search)
    assert [(d.code, d.suggestion) for d in result.diagnostics] == [("OC101", "connectionMade")]
    assert not marker.exists()


def test_python_option_uses_another_environment(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    out = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    purelib = Path(out.stdout.strip())
    (purelib / "onlythere").mkdir(parents=True)
    (purelib / "onlythere" / "__init__.py").write_text(
        "class Handler:\n    def handleRequest(self, request):\n        pass\n"
    )
    paths = write(
        tmp_path,
        {
            "m.py": "from onlythere import Handler\nclass H(Handler):\n"
            "    def handleRequst(self, request):\n        pass\n"
        },
    )
    assert found(paths) == []  # not installed for this interpreter: unknown, no guess
    got = found(paths, python=str(venv / "bin" / "python"))
    assert got == [("m.py", 3, "OC101", "handleRequest")]


def test_same_named_scripts_in_different_folders_stay_apart(tmp_path: Path) -> None:
    paths = write(
        tmp_path,
        {
            "one/backend.py": "from twisted.internet.protocol import Protocol\n"
            "class Backend(Protocol):\n    def conectionMade(self):\n        pass\n",
            "two/backend.py": "from twisted.internet.protocol import Protocol\n\n\n"
            "class Backend(Protocol):\n    def dataRecieved(self, data):\n        pass\n",
        },
    )
    result = check_files(paths)
    got = [(Path(d.path).parent.name, d.line, d.suggestion) for d in result.diagnostics]
    assert got == [("one", 3, "connectionMade"), ("two", 5, "dataReceived")]


@pytest.mark.parametrize(
    ("line", "silenced"),
    [
        ("        # self.conectionMade is the old name", False),
        ('        """Calls self.conectionMade() later."""', False),
        ("        log('see conectionMade')", False),
        ("        return getattr(self, 'conectionMade')", True),
        ("        return self.conectionMade", True),
        ('        return f"{self.conectionMade}"', True),
    ],
)
def test_only_code_counts_as_a_reference(tmp_path: Path, line: str, silenced: bool) -> None:
    """A name the class uses is in use, not a typo; a comment or a longer string mentioning it
    is not a use (a comment used to silence OC101)."""
    paths = write(
        tmp_path,
        {
            "m.py": "from twisted.internet.protocol import Protocol\n\n\n"
            "class C(Protocol):\n    def conectionMade(self):\n        pass\n\n"
            f"    def other(self):\n{line}\n        pass\n"
        },
    )
    got = found(paths)
    assert got == ([] if silenced else [("m.py", 5, "OC101", "connectionMade")])


def test_typing_special_forms_are_known_without_reading_typing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `typing.Protocol` is `from typing import Protocol` (nothing a subclass overrides by name);
    # NamedTuple and TypedDict are functions making classes at run time: not followed.  Neither
    # needs typing's source, a large module.
    from overridecheck.lint import session

    read: list[str] = []
    installed = session.installed_summary

    def spy(path: str, name: str, is_package: bool, cache: object) -> object:
        read.append(name)
        return installed(path, name, is_package, cache)  # type: ignore[arg-type]

    monkeypatch.setattr(session, "installed_summary", spy)
    paths = write(
        tmp_path,
        {
            "shapes.py": """\
            import typing
            from typing import NamedTuple, Protocol
            import typing_extensions

            class A(typing.Protocol):
                def __init_subclas__(cls):
                    pass

            class B(Protocol):
                def __init_subclas__(cls):
                    pass

            class P(NamedTuple):
                x: int

            class T(typing_extensions.TypedDict):
                y: int
            """
        },
    )
    result = check_files(paths)
    assert [(d.line, d.code, d.suggestion) for d in result.diagnostics] == [
        (6, "OC101", "__init_subclass__"),
        (10, "OC101", "__init_subclass__"),
    ]
    assert sorted((u.qualname, u.cause, u.detail) for u in result.unchecked) == [
        ("P", "unresolved", "typing"),
        ("T", "unresolved", "typing_extensions"),
    ]
    assert "typing" not in read and "typing_extensions" not in read


def test_an_installed_ancestor_module_reading_the_name_is_evidence(tmp_path: Path) -> None:
    # Modules outside the linted files are summarised without a names index; the one check
    # that asks what an ancestor's module reads (OC106) makes it from the file when needed.
    site = tmp_path / "site"
    (site / "optlib").mkdir(parents=True)
    (site / "optlib" / "__init__.py").write_text(
        "class Options:\n"
        "    optParameters = []\n"
        "    def parse(self):\n"
        "        return self.optParameters, getattr(self, 'optParamters', None)\n"
    )
    (site / "plainlib").mkdir()
    (site / "plainlib" / "__init__.py").write_text(
        "class Options:\n    optParameters = []\n    def parse(self):\n"
        "        return self.optParameters\n"
    )
    paths = write(
        tmp_path / "project",
        {
            "a.py": "from optlib import Options\nclass O(Options):\n    optParamters = [1]\n",
            "b.py": "from plainlib import Options\nclass O(Options):\n    optParamters = [1]\n",
        },
    )
    got = found(paths, select={"OC106"}, search_path=[str(site)])
    assert [(f, code, s) for f, _, code, s in got] == [("b.py", "OC106", "optParameters")]
