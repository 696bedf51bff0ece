"""The runtime @override on Twisted classes and zope.interface declarations."""

from __future__ import annotations

import gc
import importlib.util
import json
import sys
import weakref
from pathlib import Path
from typing import Any, Optional

import pytest

pytest.importorskip("twisted")

import zope.interface as zi
from conftest import RunCli
from runtime_helpers import RefusingMeta, creation_error
from twisted.internet.defer import inlineCallbacks
from twisted.internet.interfaces import (
    IHalfCloseableProtocol,
    IProtocol,
    IProtocolFactory,
)
from twisted.internet.protocol import ClientFactory, Protocol
from twisted.protocols.basic import LineReceiver
from twisted.trial import unittest
from zope.interface.verify import verifyClass

import overridecheck
from overridecheck import OverrideError, check_class, override
from overridecheck._runtime import pending

# ------------------------------------------------------------------ base classes


def test_protocol_hooks_pass_and_stay_plain_functions() -> None:
    class Echo(Protocol):
        @override
        def connectionMade(self) -> None:
            pass

        @override
        def dataReceived(self, data: bytes) -> None:
            pass

        @override
        def connectionLost(self, reason: Any) -> None:  # base: reason=connectionDone
            pass

        @override
        def logPrefix(self) -> str:
            return "Echo"

    function = Echo.__dict__["dataReceived"]
    assert type(function).__name__ == "function"
    assert function.__override__ is True
    assert check_class(Echo) == []


def test_protocol_typo_message() -> None:
    line = sys._getframe().f_lineno + 5

    def define() -> None:
        class EchoClient(Protocol):
            @override
            def conectionMade(self) -> None:
                pass

    error = creation_error(define)
    assert (error.cls.__name__, error.name) == ("EchoClient", "conectionMade")
    assert error.suggestions[0] == "connectionMade"
    # BaseProtocol is the first class of the MRO defining it (also in IProtocol): MRO wins.
    assert str(error) == (
        "EchoClient.conectionMade is marked @override but nothing in EchoClient's bases or"
        f" interfaces defines it (tests/test_runtime_twisted.py:{line});"
        " did you mean `connectionMade` (BaseProtocol)?"
    )


def test_protocol_signature_mismatch() -> None:
    def define() -> None:
        class EchoClient(Protocol):
            @override
            def dataReceived(self) -> None:
                pass

    error = creation_error(define)
    assert error.suggestions == []
    assert str(error).startswith(
        "EchoClient.dataReceived is marked @override but cannot be called like"
        " Protocol.dataReceived: it accepts 0 positional arguments but is called with 1"
        " (tests/test_runtime_twisted.py:"
    )


def test_client_factory() -> None:
    class Client(ClientFactory):
        @override
        def clientConnectionFailed(self, connector: Any, reason: Any) -> None:
            pass

        @override
        def startFactory(self) -> None:
            pass

        @override
        def buildProtocol(self, addr: Any) -> Protocol:
            return Protocol()

    def define() -> None:
        class Bad(ClientFactory):
            @override
            def clientConectionFailed(self, connector: Any, reason: Any) -> None:
                pass

    assert Client.__dict__["startFactory"].__override__ is True
    assert creation_error(define).suggestions[0] == "clientConnectionFailed"


def test_line_receiver() -> None:
    class Lines(LineReceiver):
        @override
        def lineReceived(self, line: bytes) -> None:
            pass

    def define() -> None:
        class Bad(LineReceiver):
            @override
            def lineRecieved(self, line: bytes) -> None:
                pass

    error = creation_error(define)
    assert error.suggestions[0] == "lineReceived"
    assert str(error).endswith("did you mean `lineReceived` (LineReceiver)?")
    assert Lines.__dict__["lineReceived"].__override__ is True


def test_trial_setup_typo() -> None:
    class Good(unittest.TestCase):
        @override
        def setUp(self) -> None:
            pass

    def define() -> None:
        class Bad(unittest.TestCase):
            @override
            def setup(self) -> None:
                pass

    assert Good.__dict__["setUp"].__override__ is True
    assert creation_error(define).suggestions[0] == "setUp"


def test_inline_callbacks_both_orders() -> None:
    class Proto(Protocol):
        @override
        @inlineCallbacks
        def connectionMade(self) -> Any:
            yield None

        @inlineCallbacks
        @override
        def dataReceived(self, data: bytes) -> Any:
            yield None

    assert Proto.__dict__["connectionMade"].__wrapped__.__override__ is True
    assert Proto.__dict__["dataReceived"].__wrapped__.__override__ is True

    def define() -> None:
        class Bad(Protocol):
            @inlineCallbacks
            @override
            def dataRecieved(self, data: bytes) -> Any:
                yield None

    assert creation_error(define).suggestions[0] == "dataReceived"


def test_check_class_on_undecorated_protocol() -> None:
    class Echo(Protocol):
        def dataRecieved(self, data: bytes) -> None:
            pass

        def connectionMade(self) -> None:
            pass

        def helper(self) -> None:
            pass

    (error,) = check_class(Echo)
    assert (error.name, error.suggestions[0]) == ("dataRecieved", "dataReceived")
    assert str(error).endswith("did you mean `dataReceived` (Protocol)?")


# ------------------------------------------------------------------ no decorator: no waiting


def test_zope_is_loaded_in_these_tests() -> None:
    assert "zope.interface" in sys.modules  # what makes the tests below meaningful


def test_protocol_unknown_name_raises_without_class_decorator() -> None:
    def define() -> None:
        class Frob(Protocol):
            @override
            def frobnicate(self) -> None:
                pass

    error = creation_error(define)
    assert (error.name, error.suggestions) == ("frobnicate", [])
    assert str(error) == (
        "Frob.frobnicate is marked @override but nothing in Frob's bases or interfaces"
        f" defines it ({error.location})"
    )


def test_resource_handler_marked_override_raises() -> None:
    from twisted.web.resource import Resource

    def define() -> None:
        class Page(Resource):
            @override
            def render_get(self, request: Any) -> bytes:
                return b""

    assert creation_error(define).name == "render_get"


def test_plain_class_unknown_name_raises_with_zope_loaded() -> None:
    def define() -> None:
        class Plain:
            @override
            def dataReceived(self, data: bytes) -> None:  # an IProtocol name, never declared
                pass

    error = creation_error(define)
    assert (error.name, error.suggestions) == ("dataReceived", [])


def test_type_call_unknown_name_raises_with_zope_loaded() -> None:
    def frobnicate(self: Any) -> None:
        pass

    def define() -> None:
        type("Frob", (Protocol,), {"frobnicate": override(frobnicate)})

    assert creation_error(define).name == "frobnicate"


def test_any_class_decorator_keeps_the_name_pending() -> None:
    def same(cls: type) -> type:
        return cls

    @same
    class Frob(Protocol):
        @override
        def frobnicate(self) -> None:
            pass

    assert pending(Frob) == ["frobnicate"]
    (error,) = check_class(Frob)
    assert (error.name, error.suggestions) == ("frobnicate", [])


def test_pending_name_provided_by_the_decorator_passes() -> None:
    class IFrob(zi.Interface):
        def frobnicate() -> None:  # type: ignore[misc]
            """A hook of our own."""

    @zi.implementer(IFrob)
    class Frob(Protocol):
        @override
        def frobnicate(self) -> None:
            pass

    assert pending(Frob) == []
    assert check_class(Frob) == []

    def define() -> None:
        class Undeclared(Protocol):  # no decorator: IFrob can never come
            @override
            def frobnicate(self) -> None:
                pass

    assert creation_error(define).name == "frobnicate"


def test_refusing_namespace_with_and_without_decorator() -> None:
    @zi.implementer(IProtocol)
    class Waits(metaclass=RefusingMeta):
        @override
        def somethingUnrelated(self) -> None:
            pass

    assert pending(Waits) == ["somethingUnrelated"]

    def define() -> None:
        class Raises(metaclass=RefusingMeta):
            @override
            def somethingUnrelated(self) -> None:
                pass

    assert creation_error(define).name == "somethingUnrelated"


# ------------------------------------------------------------------ zope interfaces


def test_zope_implementer_with_correct_names_passes() -> None:
    @zi.implementer(IProtocol)
    class Proto:
        @override
        def makeConnection(self, transport: Any) -> None:
            pass

        @override
        def connectionMade(self) -> None:
            pass

        @override
        def dataReceived(self, data: bytes) -> None:
            pass

        @override
        def connectionLost(self, reason: Any) -> None:
            pass

    assert pending(Proto) == []
    assert check_class(Proto) == []
    assert Proto.__dict__["dataReceived"].__override__ is True


def test_interface_inheritance() -> None:
    class IMyProtocol(IProtocol):
        def greet(name: str) -> None:  # type: ignore[misc]
            """A hook of our own."""

    @zi.implementer(IMyProtocol)
    class Proto:
        @override
        def greet(self, name: str) -> None:
            pass

        @override
        def dataReceived(self, data: bytes) -> None:  # from IProtocol, via IMyProtocol
            pass

    assert pending(Proto) == []
    assert check_class(Proto) == []


def test_inherited_declarations_are_seen_at_class_creation() -> None:
    @zi.implementer(IProtocol)
    class Base:
        pass

    class Sub(Base):
        @override
        def dataReceived(self, data: bytes) -> None:
            pass

    def define() -> None:
        class Bad(Base):
            @override
            def dataRecieved(self, data: bytes) -> None:
                pass

    error = creation_error(define)  # raised from __set_name__: IProtocol is already declared
    assert str(error).endswith("did you mean `dataReceived` (IProtocol)?")


def test_zope_implementer_far_typo_is_pending_and_reported_by_check_class() -> None:
    @zi.implementer(IProtocol)
    class Proto:
        @override
        def dataReceived(self, data: bytes) -> None:
            pass

        @override
        def somethingUnrelated(self) -> None:
            pass

    assert pending(Proto) == ["somethingUnrelated"]
    (error,) = check_class(Proto)
    assert isinstance(error, OverrideError)
    assert (error.cls, error.name, error.suggestions) == (Proto, "somethingUnrelated", [])
    assert "is marked @override but nothing in Proto's bases or interfaces defines it" in str(error)


def test_zope_implementer_near_typo_raises_at_class_creation() -> None:
    def define() -> None:
        @zi.implementer(IProtocol)
        class EchoClient:
            @override
            def conectionMade(self) -> None:
                pass

    # Raised by zope's own implementer (our listener on the class's declaration), not wrapped.
    with pytest.raises(OverrideError) as info:
        define()
    assert info.value.suggestions[0] == "connectionMade"
    assert str(info.value).endswith("did you mean `connectionMade` (IProtocol)?")


def test_zope_implementer_interface_signature_mismatch() -> None:
    def define() -> None:
        @zi.implementer(IProtocol)
        class EchoClient:
            @override
            def dataReceived(self) -> None:
                pass

    with pytest.raises(OverrideError, match=r"cannot be called like IProtocol\.dataReceived"):
        define()


def test_overridecheck_implementer_typo_raises_at_import() -> None:
    def near() -> None:
        @overridecheck.implementer(IProtocol)
        class EchoClient:
            @override
            def conectionMade(self) -> None:
                pass

    def far() -> None:
        @overridecheck.implementer(IProtocol)
        class EchoClient:
            @override
            def somethingUnrelated(self) -> None:
                pass

    with pytest.raises(OverrideError) as info:
        near()
    assert str(info.value).endswith("did you mean `connectionMade` (IProtocol)?")
    with pytest.raises(OverrideError) as info:
        far()
    assert info.value.suggestions == []
    assert str(info.value).endswith(")")


def test_overridecheck_implementer_correct_names_and_factories() -> None:
    @overridecheck.implementer(IProtocolFactory)
    class MyFactory:
        @override
        def buildProtocol(self, addr: Any) -> Protocol:
            return Protocol()

        @override
        def doStart(self) -> None:
            pass

        @override
        def doStop(self) -> None:
            pass

    assert pending(MyFactory) == []
    assert verifyClass(IProtocolFactory, MyFactory)


def test_typo_near_base_name_raises_immediately_even_with_implementer() -> None:
    def define() -> None:
        @zi.implementer(IHalfCloseableProtocol)
        class Proto(Protocol):
            @override
            def dataRecieved(self, data: bytes) -> None:  # near Protocol.dataReceived
                pass

    error = creation_error(define)  # from __set_name__, before the decorator runs
    assert str(error).endswith("did you mean `dataReceived` (Protocol)?")


def test_interface_gated_hooks_on_protocol() -> None:
    @zi.implementer(IHalfCloseableProtocol)
    class Proto(Protocol):
        @override
        def readConnectionLost(self) -> None:
            pass

        @override
        def writeConnectionLost(self) -> None:
            pass

    def define() -> None:
        @zi.implementer(IHalfCloseableProtocol)
        class Bad(Protocol):
            @override
            def readConectionLost(self) -> None:
                pass

    assert pending(Proto) == []
    with pytest.raises(OverrideError, match="readConnectionLost` \\(IHalfCloseableProtocol\\)"):
        define()


def test_stacked_zope_implementers() -> None:
    @zi.implementer(IHalfCloseableProtocol)
    @zi.implementer(IProtocol)
    class Proto:
        @override
        def dataReceived(self, data: bytes) -> None:
            pass

        @override
        def readConnectionLost(self) -> None:  # provided only by the outer decorator
            pass

    assert pending(Proto) == []


def test_later_declaration_on_a_base_does_not_raise() -> None:
    class Base:
        pass

    @zi.implementer(IProtocol)
    class Sub(Base):
        @override
        def unrelatedHook(self) -> None:
            pass

    class SubSub(Sub):
        pass

    zi.classImplements(Base, IHalfCloseableProtocol)  # propagates to Sub: resolved quietly
    assert pending(Sub) == ["unrelatedHook"]
    assert [e.name for e in check_class(Sub)] == ["unrelatedHook"]
    assert SubSub is not None


def test_pending_record_does_not_keep_the_class_alive() -> None:
    def define() -> type:
        @zi.implementer(IProtocol)
        class Proto:
            @override
            def somethingUnrelated(self) -> None:
                super().__init__()

        return Proto

    ref = weakref.ref(define())
    gc.collect()
    assert ref() is None


def test_without_zope_loaded_a_far_typo_raises_at_once() -> None:
    # In a fresh interpreter without zope.interface imported, no class can get interfaces
    # later, so even a name with no suggestion raises at class creation.
    import subprocess

    code = (
        "import sys\n"
        "from overridecheck import override\n"
        "class A:\n"
        "    @override\n"
        "    def brandNew(self): pass\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 1
    assert "A.brandNew is marked @override but nothing in A's bases or interfaces" in run.stderr


# ------------------------------------------------------------------ check_class and the linter

ONE_MODULE = """\
from twisted.trial import unittest
from twisted.web.resource import Resource


class Page(Resource):
    isleaf = True

    def render_get(self, request):
        return b"hello"

    def render_HEAD(self, request):
        return b""


class PageTest(unittest.TestCase):
    skipp = "not yet"

    def tset_login(self):
        pass

    def test_logout(self):
        pass
"""


def _import_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, path.stem, module)
    spec.loader.exec_module(module)
    return module


def _runtime_findings(module: Any) -> list[tuple[int, Optional[str]]]:
    found = []
    for value in vars(module).values():
        if isinstance(value, type) and value.__module__ == module.__name__:
            for error in check_class(value):
                assert error.location is not None
                line = int(error.location.rsplit(":", 1)[1])
                found.append((line, error.suggestions[0] if error.suggestions else None))
    return sorted(found)


def _linter_findings(path: Path, code: str = "") -> list[tuple[int, Optional[str]]]:
    from overridecheck.lint.engine import check_files
    from overridecheck.lint.rules import DEFAULT_SELECT

    result = check_files([str(path)], select=DEFAULT_SELECT | ({code} if code else set()))
    assert result.errors == []
    return sorted((d.line, d.suggestion) for d in result.diagnostics)


def test_check_class_reports_what_the_linter_reports_on_one_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "pages.py"
    path.write_text(ONE_MODULE, encoding="utf-8")
    module = _import_file(monkeypatch, path)

    page = {e.name: e for e in check_class(module.Page)}
    assert str(page["render_get"]) == (
        "Page.render_get is never dispatched by Resource (pages.py:8); did you mean `render_GET`?"
    )
    assert str(page["isleaf"]) == (
        "Page.isleaf does not override anything in Page's bases or interfaces (pages.py:6);"
        " did you mean `isLeaf` (Resource)?"
    )
    assert list(page) == ["isleaf", "render_get"]  # definition order
    tests = {e.name: e for e in check_class(module.PageTest)}
    assert str(tests["tset_login"]) == (
        "PageTest.tset_login is never collected as a test (pages.py:18); did you mean `test_login`?"
    )
    assert tests["skipp"].suggestions == ["skip"]  # trial reads `skip` with getattr()
    assert (
        _runtime_findings(module)
        == _linter_findings(path)
        == [
            (6, "isLeaf"),
            (8, "render_GET"),
            (16, "skip"),
            (18, "test_login"),
        ]
    )


ATTRIBUTE_PLACES = """\
from twisted.web.resource import Resource


class Page(Resource):
    \"\"\"A page.

    Write it so:

        isleaf = False
    \"\"\"

    def render(self, request,
               isleaf=None):
        isleaf = request.args
        return b""

    class Inner:
        isleaf = 0

    if True:
        isleaf = True  # the attribute
"""


@pytest.mark.parametrize("noqa", [False, True])
def test_a_misspelt_attribute_is_found_where_the_class_binds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli, noqa: bool
) -> None:
    """OC106 and ``check_class`` looked for the first indented ``isleaf =`` after the class
    line in the text: a docstring's line won, and the safe fix renamed the docstring's word
    and left the attribute; a method's variable, a keyword parameter of a ``def`` split over
    lines and a nested class's attribute won too.  Now the class body's own statement is
    found (from the syntax tree), its ``# noqa`` holds, and only it is renamed."""
    monkeypatch.chdir(tmp_path)
    source = ATTRIBUTE_PLACES.replace("# the attribute", "# noqa: OC106" if noqa else "")
    path = tmp_path / "places.py"
    path.write_text(source, encoding="utf-8")
    assert _linter_findings(path) == ([] if noqa else [(21, "isLeaf")])
    module = _import_file(monkeypatch, path)
    assert _runtime_findings(module) == [(21, "isLeaf")]  # the runtime reads no `noqa`
    # no fix: the file uses the bare name too (a parameter, a variable), which a rename of
    # the attribute cannot tell apart from a use of it
    fixed = run_cli("--fix", "--unsafe-fixes", "places.py", cwd=tmp_path)
    assert fixed.returncode == (0 if noqa else 1), fixed.stdout + fixed.stderr
    assert path.read_text(encoding="utf-8") == source


def test_the_safe_fix_of_a_misspelt_attribute_leaves_the_docstring(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """The safe fix renamed a word of the docstring (its line came first) and said so."""
    source = (
        "from twisted.web.resource import Resource\n\n\nclass Page(Resource):\n"
        '    """Write:\n\n    isleaf = False\n    """\n\n    isleaf = True\n'
    )
    (tmp_path / "p.py").write_text(source, encoding="utf-8")
    got = run_cli("--fix", "p.py", cwd=tmp_path)
    assert got.returncode == 0, got.stdout + got.stderr
    assert (tmp_path / "p.py").read_text(encoding="utf-8") == source.replace(
        "    isleaf = True", "    isLeaf = True"
    )


def test_check_class_reads_a_module_with_a_bom_and_parses_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file starting with a BOM did not parse (its text kept the BOM): the misspelt
    attribute went unreported; and each finding parsed the whole module again."""
    from overridecheck import _conventions_data

    monkeypatch.chdir(tmp_path)
    classes = "".join(f"\n\nclass Page{i}(Resource):\n    isleaf = True\n" for i in range(3))
    path = tmp_path / "bompage.py"
    path.write_bytes(
        b"\xef\xbb\xbf" + ("from twisted.web.resource import Resource\n" + classes).encode()
    )
    module = _import_file(monkeypatch, path)
    _conventions_data._class_assignments.cache_clear()
    assert _runtime_findings(module) == [(5, "isLeaf"), (9, "isLeaf"), (13, "isLeaf")]
    assert _conventions_data._class_assignments.cache_info().misses == 1


def test_a_misspelt_attribute_after_other_letters_has_its_column(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """The column is counted in characters when other letters come first on the line."""
    source = (
        "from twisted.web.resource import Resource\n\n\nclass Page(Resource):\n"
        "    \u00e9t\u00e9 = isleaf = True\n"
    )
    (tmp_path / "p.py").write_text(source, encoding="utf-8")
    got = run_cli("--format", "json", "p.py", cwd=tmp_path)
    [d] = json.loads(got.stdout)
    assert (d["line"], d["column"], d["suggestion"]) == (5, 11, "isLeaf")
    assert run_cli("--fix", "p.py", cwd=tmp_path).returncode == 0
    assert (tmp_path / "p.py").read_text(encoding="utf-8") == source.replace(
        "= isleaf =", "= isLeaf ="
    )


def _rule_examples() -> list[Any]:
    from overridecheck.lint.rules import RULES

    return [
        pytest.param(code, example, id=f"{code}-{kind}-{index}")
        for code in ("OC104", "OC106")
        for kind, examples in (("valid", RULES[code].valid), ("invalid", RULES[code].invalid))
        for index, example in enumerate(examples)
    ]


@pytest.mark.parametrize(("code", "example"), _rule_examples())
def test_check_class_agrees_with_the_linter_on_its_rule_examples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str, example: Any
) -> None:
    if "libcst" in example.code:
        pytest.importorskip("libcst")
    path = tmp_path / f"example_{code.lower()}.py"
    path.write_text(example.code, encoding="utf-8")
    module = _import_file(monkeypatch, path)
    expected = _linter_findings(path, code)
    promised = {(line, suggestion) for line, suggestion, _ in example.expect}
    assert promised <= set(expected)  # the linter reports what the rule promises
    assert _runtime_findings(module) == expected


def test_conventions_data_is_what_the_linter_uses() -> None:
    # One set of tables for both: the linter's are the very objects of _conventions_data.
    from overridecheck import _conventions_data as data
    from overridecheck.lint.rules import misspelled_attribute, misspelled_handler

    assert misspelled_handler.CONVENTIONS is data.CONVENTIONS
    assert misspelled_handler.PB_PREFIXES is data.PB_PREFIXES
    assert misspelled_handler.TEST_CASE_BASES is data.TEST_CASE_BASES
    assert misspelled_attribute.CONVENTIONAL_ATTRIBUTES is data.CONVENTIONAL_ATTRIBUTES
    assert misspelled_handler.TEST_TYPO is data.TEST_TYPO
