"""Typo or new method, decided from evidence (issue 12): the project's references, and whether
the intended name is a hook or a concrete base method.

Each listed false alarm is a new method beside a concrete base method (or a name the project
uses); each listed missed typo is a keyboard slip beside a hook.  No spelling special case.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from conftest import write_tree
from runtime_helpers import creation_error

from overridecheck import check_class, override
from overridecheck.lint.engine import check_files
from overridecheck.lint.model import Diagnostic
from overridecheck.lint.ruledef import safety_of

TRIAL = "from twisted.trial import unittest\nclass T(unittest.TestCase):\n"
PROTOCOL = "from twisted.internet.protocol import Protocol\nclass T(Protocol):\n"
FACTORY = "from twisted.internet.protocol import Factory\nclass T(Factory):\n"
RESOURCE = "from twisted.web.resource import Resource\nclass T(Resource):\n"
DATAGRAM = "from twisted.internet.protocol import DatagramProtocol\nclass T(DatagramProtocol):\n"
SERVICE = "from twisted.application.service import Service\nclass T(Service):\n"
OPTIONS = "from twisted.python import usage\nclass T(usage.Options):\n"
LINES = "from twisted.protocols.basic import LineReceiver\nclass T(LineReceiver):\n"
TIMEOUT = "from twisted.protocols.policies import TimeoutMixin\nclass T(TimeoutMixin):\n"
ARGPARSE = "import argparse\nclass T(argparse.ArgumentParser):\n"
LOCAL = (
    "class Base:\n"
    "    def getConnector(self):\n        return self.connector\n"
    "    def get_error_codes(self):\n        return self.codes\n"
    "    def add_non_tls_websocket_service(self, service):\n        self.services.append(service)\n"
    "    def get_state(self):\n        return self.state\n"
    "class T(Base):\n"
)


def _lint(tmp_path: Path, files: dict[str, str], *names: str) -> list[Diagnostic]:
    write_tree(tmp_path, files)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = check_files(list(names or files))
    finally:
        os.chdir(cwd)
    assert result.errors == [] and result.unchecked == [], (result.errors, result.unchecked)
    return result.diagnostics


def _method(name: str) -> str:
    return f"    def {name}(self, *args):\n        pass\n"


MISSED_TYPOS = [
    (TRIAL, "setUo", "setUp"), (TRIAL, "serUp", "setUp"), (TRIAL, "setYp", "setUp"),
    (TRIAL, "swtUp", "setUp"), (TRIAL, "tearFown", "tearDown"),
    (PROTOCOL, "logOrefix", "logPrefix"), (FACTORY, "buildOrotocol", "buildProtocol"),
    (PROTOCOL, "connectiobMade", "connectionMade"), (RESOURCE, "getVhild", "getChild"),
    (DATAGRAM, "datagramTeceived", "datagramReceived"),
    (SERVICE, "startServicr", "startService"), (OPTIONS, "postIptions", "postOptions"),
]  # fmt: skip


@pytest.mark.parametrize(("head", "typo", "intended"), MISSED_TYPOS)
def test_keyboard_slip_beside_a_hook_is_reported(
    tmp_path: Path, head: str, typo: str, intended: str
) -> None:
    [d] = _lint(tmp_path, {"m.py": head + _method(typo)})
    assert (d.code, d.line, d.suggestion) == ("OC101", 3, intended)


FALSE_ALARMS = [
    (LINES, "sendLines"), (FACTORY, "buildProtocols"), (TIMEOUT, "resetTimeouts"),
    (ARGPARSE, "parse_known_ui_args"), (LOCAL, "getConnectors"), (LOCAL, "get_error_code"),
    (LOCAL, "add_tls_websocket_service"), (LOCAL, "get_status"),
]  # fmt: skip


@pytest.mark.parametrize(("head", "name"), FALSE_ALARMS)
def test_new_method_beside_a_concrete_base_method_is_not_reported(
    tmp_path: Path, head: str, name: str
) -> None:
    assert _lint(tmp_path, {"m.py": head + _method(name)}) == []


def test_run_test_called_elsewhere_is_a_method_in_use(tmp_path: Path) -> None:
    """trial's `runTest` is a documented stub, so a lone `run_test` is reported; a subclass
    in another module that calls it shows a helper in use."""
    base = TRIAL.replace("class T", "class Base") + _method("run_test")
    [d] = _lint(tmp_path, {"base.py": base})
    assert d.suggestion == "runTest"
    user = (
        "from base import Base\nclass Tests(Base):\n"
        "    def test_a(self):\n        self.run_test(1)\n"
    )
    assert _lint(tmp_path, {"base.py": base, "tests.py": user}) == []


def test_set_monitor_called_on_another_object_is_in_use(tmp_path: Path) -> None:
    base = (
        "class Walker:\n"
        "    def setMonitors(self, monitors):\n"
        '        """Override to watch the walk."""\n'
        "class Mine(Walker):\n" + _method("setMonitor")
    )
    [d] = _lint(tmp_path, {"walk.py": base})
    assert d.suggestion == "setMonitors"  # a hook: the inflection is a typo until used
    user = "from walk import Mine\ndef run(m):\n    Mine().setMonitor(m)\n"
    assert _lint(tmp_path, {"walk.py": base, "run.py": user}) == []
    # a file that does not know the class says nothing about it (`error.ConnectionLost`)
    other = "def run(walker, m):\n    walker.setMonitor(m)\n"
    assert len(_lint(tmp_path, {"walk.py": base, "other.py": other})) == 1


def test_call_remote_name_is_in_use(tmp_path: Path) -> None:
    src = PROTOCOL + _method("conectionMade")
    user = "import m\ndef go(ref):\n    return ref.callRemote('conectionMade')\n"
    assert _lint(tmp_path, {"m.py": src, "u.py": user}) == []


def test_field_beside_a_type_attribute_is_in_use(tmp_path: Path) -> None:
    files = {
        "base.py": "class Base:\n    class Value:\n        pass\n",
        "sub.py": "from base import Base\nclass Field(Base):\n    value = None\n",
    }
    [d] = _lint(tmp_path, files)
    assert (d.code, d.suggestion) == ("OC106", "Value")
    files["user.py"] = "from sub import Field\ndef show(f: Field):\n    return f.value\n"
    assert _lint(tmp_path, files) == []


def test_rename_onto_a_concrete_base_method_is_never_safe(tmp_path: Path) -> None:
    [concrete] = _lint(tmp_path, {"m.py": LINES + _method("sendLien")})
    assert concrete.suggestion == "sendLine" and safety_of(concrete) == "unsafe"
    [hook] = _lint(tmp_path, {"m.py": PROTOCOL + _method("conectionMade")})
    assert hook.suggestion == "connectionMade" and safety_of(hook) == "safe"


def test_true_positives_of_the_corpus_stay(tmp_path: Path) -> None:
    """Twisted's `__init___` and `persistanceVersion`, buildbot-worker's `requireArgs`."""
    files = {
        "cache.py": "class SimpleCache(object):\n    def __init___(self, *args):\n        pass\n",
        "account.py": "from twisted.persisted import styles\n"
        "class AbstractAccount(styles.Versioned):\n    persistanceVersion = 2\n",
        "command.py": "class Command:\n    requiredArgs = []\n"
        "    def setup(self, args):\n        for a in self.requiredArgs:\n            pass\n",
        "fs.py": "from command import Command\nclass StatFile(Command):\n"
        "    requireArgs = ['path']\n",
    }
    got = {(d.path, d.code, d.suggestion) for d in _lint(tmp_path, files)}
    assert got == {
        ("cache.py", "OC101", "__init__"),
        ("account.py", "OC106", "persistenceVersion"),
        ("fs.py", "OC106", "requiredArgs"),
    }


# -- the runtime shares the roles ---------------------------------------------------------------


def _runtime_class(base: type, name: str) -> type:
    ns: dict[str, Any] = {name: lambda self: None}
    return type("C", (base,), ns)


def test_runtime_check_class_agrees_on_hooks_and_concrete_methods() -> None:
    from twisted.internet.protocol import Factory, Protocol
    from twisted.protocols.basic import LineReceiver
    from twisted.trial import unittest

    def found(cls: type) -> list[list[str]]:
        return [e.suggestions for e in check_class(cls)]

    assert found(_runtime_class(unittest.TestCase, "swtUp")) == [["setUp"]]
    assert found(_runtime_class(Protocol, "logOrefix")) == [["logPrefix"]]
    assert found(_runtime_class(Factory, "buildOrotocol")) == [["buildProtocol"]]
    assert found(_runtime_class(LineReceiver, "sendLines")) == []
    assert found(_runtime_class(Factory, "buildProtocols")) == []
    assert found(_runtime_class(LineReceiver, "sendLien")) == [["sendLine"]]


def test_runtime_override_takes_every_candidate_for_a_hook() -> None:
    """`@override` says the method is meant to override: inflections and keyboard slips in
    short words are suggested whatever the base's body."""
    from twisted.protocols.basic import LineReceiver

    def lines() -> object:
        class Chat(LineReceiver):
            @override
            def sendLines(self, line: bytes) -> None:
                pass

        return Chat

    def mode() -> object:
        class Chat(LineReceiver):
            @override
            def setLineNode(self) -> None:
                pass

        return Chat

    def raw() -> object:
        class Chat(LineReceiver):
            @override
            def setRawNode(self) -> None:
                pass

        return Chat

    assert creation_error(lines).suggestions == ["sendLine"]
    assert creation_error(mode).suggestions == ["setLineMode"]
    assert creation_error(raw).suggestions == ["setRawMode"]


def test_dotted_import_of_the_module_is_evidence(tmp_path: Path) -> None:
    """`import pkg.impl` binds `pkg` only; `pkg.impl.Impl().conectionMade()` still uses the
    name through the finding's module (as `from pkg import impl` does)."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "impl.py").write_text(
        "from twisted.internet.protocol import Protocol\n\n\n"
        "class Impl(Protocol):\n"
        "    def conectionMade(self):\n"
        "        pass\n"
    )
    user = pkg / "user.py"
    user.write_text("import pkg.impl\n\npkg.impl.Impl().conectionMade()\n")
    files = sorted(str(p) for p in pkg.glob("*.py"))
    assert [d.code for d in check_files(files).diagnostics] == []
    user.write_text("import pkg\n\npkg.other.conectionMade()\n")  # another module's name
    assert [d.code for d in check_files(files).diagnostics] == ["OC101"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (b"class A:\n    def remote_echo(self): pass\n", True),
        (b"d.callRemote('echo')\n", True),
        (b"x = self.view_page\n", True),
        (b"perspective_join = 1\n", True),
        (b"def preview_page(): pass\nxremote_y = _view_z = 2\n", False),
        (b"remote_", True),  # at the very start
        (b"class A:\n    def remote(self): pass\n", False),
    ],
)
def test_which_bytes_may_hold_pb_names(source: bytes, expected: bool) -> None:
    """The byte test that decides whether a module's names index is made when summarising
    without a cache: never False for a module whose index holds a PB name."""
    from overridecheck.lint.summarise import index_of, may_hold_pb_names

    assert may_hold_pb_names(source) is expected
    index = index_of(source)
    holds = bool(index.remote) or any(
        n.startswith(("remote_", "view_", "perspective_"))
        for n in (*index.defs, *index.attributes, *index.names)
    )
    assert holds <= may_hold_pb_names(source)


MENTION_CASES = [
    ("class A:\n    def conectionMade(self): pass\n", "conectionMade", True, False),
    ("class A:\n    def go(self):\n        self.conectionMade()\n", "conectionMade", False, True),
    (
        "class A:\n    def conectionMade(self): pass\n    x = 'conectionMade'\n",
        "conectionMade",
        True,
        True,
    ),
    (
        "class A:\n    def conectionMade(self): pass  # conectionMade\n",
        "conectionMade",
        True,
        False,
    ),
    ("def f(conectionMade): return conectionMade\n", "conectionMade", False, False),
    ("class A:\n    def timeout(self): pass\n    t = other.timeout\n", "timeout", True, True),
    ("t = 'é'\nclass A:\n    def conectionMade(self): pass\n", "conectionMade", True, False),
]


@pytest.mark.parametrize(("source", "name", "defined", "expected"), MENTION_CASES)
@pytest.mark.parametrize("through_self", [False, True])
def test_mentions_answers_as_the_names_index_does(
    tmp_path: Path, source: str, name: str, defined: bool, expected: bool, through_self: bool
) -> None:
    """`Context.mentions` on a module summarised without its index (a run without a cache)
    answers from a byte test when it can, and always as the index would."""
    from overridecheck.lint.modules import ModuleFinder
    from overridecheck.lint.resolve import Resolver
    from overridecheck.lint.ruledef import Context
    from overridecheck.lint.summarise import index_of, summarise

    data = source.encode("utf-8")
    path = str(tmp_path / "m.py")
    bare = summarise(data, path=path, module="m", index=False)
    assert not bare.indexed
    ctx = Context(Resolver(ModuleFinder([])), frozenset(), source=lambda p: data)
    want = index_of(data).mentions(name, through_self=through_self)
    got = ctx.mentions(bare, name, through_self=through_self, defined=defined)
    assert got is want
    assert want is (expected and not (through_self and "other." in source))
