"""The runtime @override on plain classes: marking, checks, messages, decorators, audit."""

from __future__ import annotations

import functools
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Callable

import pytest
from runtime_helpers import RefusingMeta, creation_error

import overridecheck
from overridecheck import OverrideError, check_class, override
from overridecheck._runtime import KNOWN_DUNDERS

ROOT = Path(__file__).resolve().parent.parent


class Base:
    def dataReceived(self, data: bytes) -> None:
        pass

    def connectionLost(self, reason: object = None) -> None:
        pass

    def flexible(self, *args: Any, **kwargs: Any) -> None:
        pass

    @staticmethod
    def staticTransform(x: int) -> int:
        return x

    @classmethod
    def classFactory(cls, x: int) -> int:
        return x

    @property
    def currentValue(self) -> int:
        return 1

    attribute = 1


def test_public_api() -> None:
    assert set(overridecheck.__all__) >= {"override", "OverrideError", "check_class"}
    assert isinstance(overridecheck.__version__, str)
    assert issubclass(OverrideError, TypeError)


def test_class_attribute_is_the_original_function() -> None:
    def implementation(self: Any, data: bytes) -> None:
        pass

    class Sub(Base):
        dataReceived = override(implementation)  # found by identity although named differently

    assert Sub.__dict__["dataReceived"] is implementation
    assert implementation.__override__ is True  # type: ignore[attr-defined]
    assert "__overridecheck__" not in Sub.__dict__


def test_correct_overrides_pass() -> None:
    class Sub(Base):
        @override
        def dataReceived(self, data: bytes) -> None:
            pass

        @override
        def __init__(self) -> None:
            pass

        @override
        def __repr__(self) -> str:
            return "Sub"

        @override
        def __eq__(self, other: object) -> bool:
            return True

        __hash__ = None  # type: ignore[assignment]

    assert Sub.__dict__["dataReceived"].__override__ is True
    assert repr(Sub()) == "Sub"


def test_typo_raises_with_suggestion_and_location() -> None:
    line = sys._getframe().f_lineno + 5

    def define() -> None:
        class Sub(Base):
            @override
            def dataRecieved(self, data: bytes) -> None:
                pass

    error = creation_error(define)
    assert error.cls.__name__ == "Sub"
    assert error.name == "dataRecieved"
    assert error.suggestions == ["dataReceived"]
    assert error.location == f"tests/test_runtime.py:{line}"
    assert str(error) == (
        "Sub.dataRecieved is marked @override but nothing in Sub's bases or interfaces defines it"
        f" (tests/test_runtime.py:{line}); did you mean `dataReceived` (Base)?"
    )


@pytest.mark.parametrize("zope_loaded", [False, True], ids=["without-zope", "with-zope"])
def test_no_suggestion_message_ends_after_location(
    monkeypatch: pytest.MonkeyPatch, zope_loaded: bool
) -> None:
    # No class decorator follows, so nothing can declare an interface later: whether
    # zope.interface is imported or not, the name is an error at once.
    if zope_loaded:
        pytest.importorskip("zope.interface")
    else:
        monkeypatch.delitem(sys.modules, "zope.interface", raising=False)

    def define() -> None:
        class Sub(Base):
            @override
            def completely_new(self) -> None:
                pass

    error = creation_error(define)
    assert error.suggestions == []
    assert error.location is not None
    assert str(error).endswith(f"defines it ({error.location})")


def test_error_shows_on_stderr_when_uncaught(tmp_path: Path) -> None:
    script = tmp_path / "typo_script.py"
    script.write_text(
        textwrap.dedent(
            """
            from overridecheck import override

            class Base:
                def connectionMade(self):
                    pass

            class EchoClient(Base):
                @override
                def conectionMade(self):
                    pass
            """
        )
    )
    run = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path
    )
    assert run.returncode == 1
    assert (
        "EchoClient.conectionMade is marked @override but nothing in EchoClient's bases or"
        " interfaces defines it (typo_script.py:10); did you mean `connectionMade` (Base)?"
    ) in run.stderr
    assert "OverrideError" in run.stderr


def test_dunder_typo() -> None:
    def define() -> None:
        class Sub(Base):
            @override
            def __init_(self) -> None:
                pass

    error = creation_error(define)
    assert error.name == "__init_"  # as written (the attribute is the mangled `_Sub__init_`)
    assert error.suggestions == ["__init__"]
    assert str(error).startswith("Sub.__init_ is marked @override")


# ------------------------------------------------------------------ decorator orders


def test_staticmethod_classmethod_property_both_orders() -> None:
    class Below(Base):
        @staticmethod
        @override
        def staticTransform(x: int) -> int:
            return x + 1

        @classmethod
        @override
        def classFactory(cls, x: int) -> int:
            return x + 1

        @property
        @override
        def currentValue(self) -> int:
            return 2

    class Above(Base):
        @override
        @staticmethod
        def staticTransform(x: int) -> int:
            return x + 2

        @override
        @classmethod
        def classFactory(cls, x: int) -> int:
            return x + 2

        @override
        @property
        def currentValue(self) -> int:
            return 3

    assert (Below.staticTransform(1), Below.classFactory(1), Below().currentValue) == (2, 2, 2)
    assert (Above.staticTransform(1), Above.classFactory(1), Above().currentValue) == (3, 3, 3)
    for cls in (Below, Above):
        assert cls.__dict__["staticTransform"].__func__.__override__ is True
        assert cls.__dict__["classFactory"].__func__.__override__ is True
        assert cls.__dict__["currentValue"].fget.__override__ is True
    assert type(Below.__dict__["staticTransform"]) is staticmethod

    def typo_below() -> None:
        class Sub(Base):
            @staticmethod
            @override
            def staticTransfrom(x: int) -> int:
                return x

    def typo_above() -> None:
        class Sub(Base):
            @override
            @classmethod
            def classFactroy(cls, x: int) -> int:
                return x

    def typo_property() -> None:
        class Sub(Base):
            @property
            @override
            def currentVaule(self) -> int:
                return 1

    assert creation_error(typo_below).suggestions == ["staticTransform"]
    assert creation_error(typo_above).suggestions == ["classFactory"]
    assert creation_error(typo_property).suggestions == ["currentValue"]


def test_property_setter_both_orders() -> None:
    class Base2:
        @property
        def value(self) -> int:
            return 1

        @value.setter
        def value(self, new: int) -> None:
            pass

    class Sub(Base2):
        @property
        @override
        def value(self) -> int:
            return 2

        @value.setter
        @override
        def value(self, new: int) -> None:
            self.stored = new

    class Sub2(Base2):
        @property
        def value(self) -> int:
            return 2

        @override
        @value.setter
        def value(self, new: int) -> None:
            self.stored = new

    s = Sub()
    s.value = 5
    assert s.stored == 5
    assert Sub.__dict__["value"].fset.__override__ is True
    assert Sub2.__dict__["value"].fget.__override__ is True


def test_attribute_may_be_overridden_by_property() -> None:
    class Sub(Base):
        @property
        @override
        def attribute(self) -> int:
            return 2

    assert Sub().attribute == 2


def test_async_def() -> None:
    class Async:
        async def fetchPage(self, url: str) -> str:
            return url

    class Sub(Async):
        @override
        async def fetchPage(self, url: str) -> str:
            return url * 2

    def define() -> None:
        class Bad(Async):
            @override
            async def fetchPgae(self, url: str) -> str:
                return url

    assert Sub.__dict__["fetchPage"].__override__ is True
    assert creation_error(define).suggestions == ["fetchPage"]


def logged(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return wrapper


def test_wraps_based_decorator_both_orders() -> None:
    class Sub(Base):
        @override
        @logged
        def dataReceived(self, data: bytes) -> None:
            pass

        @logged
        @override
        def connectionLost(self, reason: object = None) -> None:
            pass

    assert Sub.__dict__["dataReceived"].__override__ is True
    assert Sub.__dict__["dataReceived"].__wrapped__.__override__ is True
    assert Sub.__dict__["connectionLost"].__wrapped__.__override__ is True

    def below() -> None:
        class Bad(Base):
            @logged
            @override
            def dataRecieved(self, data: bytes) -> None:
                pass

    error = creation_error(below)
    assert error.name == "dataRecieved" and error.suggestions == ["dataReceived"]


def test_decorator_without_wraps_is_still_checked_by_name() -> None:
    def opaque(func: Callable[..., Any]) -> Callable[..., Any]:
        def replacement(*args: Any) -> Any:
            return func(*args)

        replacement.__name__ = func.__name__
        return replacement

    def define() -> None:
        class Bad(Base):
            @opaque
            @override
            def dataRecieved(self, data: bytes) -> None:
                pass

    assert creation_error(define).name == "dataRecieved"


def test_dynamic_class_with_type() -> None:
    def dataReceived(self: Any, data: bytes) -> None:
        pass

    wrapper = override(dataReceived)  # outside a class body: a wrapper that checks via __set_name__
    Sub = type("Sub", (Base,), {"dataReceived": wrapper})
    assert Sub.__dict__["dataReceived"] is dataReceived

    def define() -> None:
        type("Bad", (Base,), {"dataRecieved": override(dataReceived)})

    error = creation_error(define)
    assert (error.name, error.suggestions) == ("dataRecieved", ["dataReceived"])


def test_dynamic_class_hidden_attribute_refused_by_namespace() -> None:
    class Sub(Base, metaclass=RefusingMeta):
        @override
        def dataReceived(self, data: bytes) -> None:  # checked through the wrapper instead
            pass

    assert type(Sub.__dict__["dataReceived"]).__name__ == "function"

    def define() -> None:
        class Bad(Base, metaclass=RefusingMeta):
            @override
            def dataRecieved(self, data: bytes) -> None:
                pass

    assert creation_error(define).suggestions == ["dataReceived"]


def test_class_body_frame_is_released() -> None:
    from overridecheck import _runtime

    class Sub(Base):
        @override
        def dataReceived(self, data: bytes) -> None:
            pass

        @override
        def connectionLost(self, reason: object = None) -> None:
            pass

    assert _runtime._last is _runtime._NO_BODY  # no class body frame kept alive
    assert Sub.__dict__["connectionLost"].__override__ is True


def test_every_method_of_every_class_is_checked_with_threads() -> None:
    # The cache of the latest class body is per frame and read as one tuple: threads running
    # the same class statements at the same time never mix up their classes' methods.
    import threading
    import time

    errors: list[str] = []
    failures: list[BaseException] = []
    created: list[type] = []

    def work(index: int) -> None:
        try:
            for i in range(100):
                if (i + index) % 7 == 0:
                    try:

                        class Bad(Base):
                            @override
                            def dataReceived(self, data: bytes) -> None:
                                pass

                            time.sleep(0)  # let the other threads run in between

                            @override
                            def connectionLsot(self, reason: object = None) -> None:
                                pass

                    except (OverrideError, RuntimeError) as error:
                        errors.append(str(error.__cause__ or error))
                        continue
                    raise AssertionError("a typo was not caught")

                class Good(Base):
                    @override
                    def dataReceived(self, data: bytes) -> None:
                        pass

                    time.sleep(0)

                    @override
                    def connectionLost(self, reason: object = None) -> None:
                        pass

                assert "__overridecheck__" not in Good.__dict__
                created.append(Good)
        except BaseException as failure:  # reported by the main thread
            failures.append(failure)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    expected_bad = sum(1 for n in range(4) for i in range(100) if (i + n) % 7 == 0)
    assert len(errors) == expected_bad
    assert all(e.startswith("Bad.connectionLsot is marked @override") for e in errors)
    assert len(created) == 4 * 100 - expected_bad


# ------------------------------------------------------------------ is a decorator following?


class _Probe:
    """Records, while a subclass is being created, whether a class decorator follows."""

    decorated: bool

    def __init_subclass__(cls, **kwargs: Any) -> None:
        from overridecheck._runtime import _decorated

        super().__init_subclass__(**kwargs)
        cls.decorated = _decorated(cls.__dict__["body"])


class _ProbeMeta(type):
    pass


def _same(cls: type) -> type:
    return cls


def _factory(*args: object) -> Callable[[type], type]:
    return _same


def test_decorator_detection() -> None:
    class Plain(_Probe):
        body = sys._getframe().f_code

    @_same
    class One(_Probe):
        body = sys._getframe().f_code

    @_same
    # a comment between the decorators and the class
    @_factory(
        1,
        2,
    )
    class Several(
        _Probe,
        metaclass=_ProbeMeta,
    ):
        body = sys._getframe().f_code

    class Header(
        _Probe,
    ):  # a header over several lines, without decorators
        body = sys._getframe().f_code

    class OneLine(_Probe): body = sys._getframe().f_code  # noqa: E701  # fmt: skip

    @_same
    class Outer(_Probe):
        body = sys._getframe().f_code

        class Inner(_Probe):
            body = sys._getframe().f_code

    def in_a_function() -> tuple[type, type]:
        @_same
        class Decorated(_Probe):
            body = sys._getframe().f_code

        class Undecorated(_Probe):
            body = sys._getframe().f_code

        return Decorated, Undecorated

    decorated, undecorated = in_a_function()
    assert [c.decorated for c in (One, Several, Outer, decorated)] == [True] * 4  # type: ignore[attr-defined]
    assert [c.decorated for c in (Plain, Header, OneLine, Outer.Inner, undecorated)] == [False] * 5  # type: ignore[attr-defined]


def test_decorator_detection_type_call_and_exec() -> None:
    from overridecheck._runtime import _decorated

    assert _decorated(None) is False  # type(name, bases, ns): nothing can decorate it
    namespace: dict[str, Any] = {"_Probe": _Probe, "_same": _same, "sys": sys}
    exec(
        compile(
            "@_same\nclass A(_Probe):\n    body = sys._getframe().f_code\n"
            "class B(_Probe):\n    body = sys._getframe().f_code\n",
            "<exec>",
            "exec",
        ),
        namespace,
    )
    assert (namespace["A"].decorated, namespace["B"].decorated) == (True, False)


# ------------------------------------------------------------------ signatures


def test_signature_missing_argument() -> None:
    def define() -> None:
        class Sub(Base):
            @override
            def dataReceived(self) -> None:
                pass

    error = creation_error(define)
    assert error.suggestions == []
    assert str(error).startswith(
        "Sub.dataReceived is marked @override but cannot be called like Base.dataReceived:"
        " it accepts 0 positional arguments but is called with 1 (tests/test_runtime.py:"
    )


def test_signature_too_many_required() -> None:
    def define() -> None:
        class Sub(Base):
            @override
            def dataReceived(self, data: bytes, extra: int) -> None:
                pass

    assert "requires 2 positional arguments but is called with at most 1" in str(
        creation_error(define)
    )


def test_signature_lenient_cases_pass() -> None:
    class Sub(Base):
        @override
        def connectionLost(self, reason: object) -> None:  # base has a default: harmless
            pass

        @override
        def dataReceived(self, *args: Any, **kwargs: Any) -> None:
            pass

        @override
        def flexible(self, a: int = 0, *rest: Any, **kw: Any) -> None:
            pass

        @override
        @staticmethod
        def staticTransform(x: int, y: int = 0) -> int:
            return x

        @override
        @classmethod
        def classFactory(cls, x: int, *, flag: bool = False) -> int:
            return x

    assert Sub.__dict__["connectionLost"].__override__ is True


def test_constructors_may_change_their_signature(tmp_path: Path) -> None:
    """As OC103 has it (`_names.CONSTRUCTORS`): whoever knows the subclass calls its
    constructor.  The runtime raised at class creation where the linter passed."""

    class Plain:
        def __init__(self) -> None:
            pass

    class Sub(Plain):
        @override
        def __init__(self, x: int) -> None:
            self.x = x

        @override
        def __init_subclass__(cls, flag: bool, **kw: Any) -> None:
            pass

    assert Sub(1).x == 1
    assert overridecheck.check_class(Sub) == []
    from overridecheck.lint.engine import check_files

    source = (
        "from typing_extensions import override\n"
        "class Plain:\n    def __init__(self):\n        pass\n"
        "class Sub(Plain):\n    @override\n    def __init__(self, x):\n        self.x = x\n"
    )
    (tmp_path / "c.py").write_text(source)
    assert check_files([str(tmp_path / "c.py")], select={"OC103"}).diagnostics == []


def test_signature_static_and_classmethod_failures() -> None:
    def staticTransform() -> None:
        class Sub(Base):
            @staticmethod
            @override
            def staticTransform() -> int:
                return 1

    def classFactory() -> None:
        class Sub(Base):
            @classmethod
            @override
            def classFactory(cls, x: int, *, must: bool) -> int:
                return x

    assert "accepts 0 positional arguments but is called with 1" in str(
        creation_error(staticTransform)
    )
    assert "requires keyword-only argument `must`" in str(creation_error(classFactory))


def test_builtin_bases_are_not_signature_checked() -> None:
    class Sub:
        @override
        def __init__(self, a: int, b: int, c: int) -> None:
            pass

        @override
        def __repr__(self) -> str:
            return "x"

    class MyDict(dict):  # type: ignore[type-arg]
        @override
        def get(self, *a: Any) -> Any:
            return 1

    assert Sub(1, 2, 3) is not None and MyDict().get(1) == 1


# ------------------------------------------------------------------ check_class


def test_check_class_reports_near_misses_only() -> None:
    class Sub(Base):
        def dataRecieved(self, data: bytes) -> None:  # typo of Base.dataReceived
            pass

        def dataReceived(self, data: bytes) -> None:  # a real override
            pass

        def connectionLsot(self) -> None:  # near `connectionLost`, reported
            pass

        def brand_new(self) -> None:  # nothing near: fine
            pass

        def __int__(self) -> int:  # valid special method, not a typo of __init__
            return 1

        def __init_(self) -> None:  # dunder typo
            pass

    found = {e.name: e for e in check_class(Sub)}
    assert set(found) == {
        "connectionLsot",
        "__init_",
    }  # not dataRecieved: Sub defines `dataReceived` itself
    assert all(isinstance(e, OverrideError) and e.cls is Sub for e in found.values())
    assert found["connectionLsot"].suggestions == ["connectionLost"]
    assert str(found["connectionLsot"]).startswith(
        "Sub.connectionLsot does not override anything in Sub's bases or interfaces"
        " (tests/test_runtime.py:"
    )
    assert str(found["connectionLsot"]).endswith("; did you mean `connectionLost` (Base)?")
    assert found["__init_"].suggestions == ["__init__"]


def test_check_class_skips_names_the_class_defines_itself() -> None:
    class Sub(Base):
        def dataReceived(self, data: bytes) -> None:
            pass

        def dataRecieved(self, data: bytes) -> None:  # `dataReceived` is defined right here
            pass

    assert check_class(Sub) == []


def test_check_class_clean_and_typing_extensions_marks() -> None:
    typing_extensions = pytest.importorskip("typing_extensions")

    class Sub(Base):
        @typing_extensions.override
        def dataRecieved(self, data: bytes) -> None:
            pass

        @typing_extensions.override
        def dataReceived(self) -> None:
            pass

    found = {e.name: e for e in check_class(Sub)}
    assert found["dataRecieved"].suggestions == ["dataReceived"]
    assert "is marked @override but nothing" in str(found["dataRecieved"])
    assert "cannot be called like Base.dataReceived" in str(found["dataReceived"])
    assert check_class(Base) == []


def _load(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, source: str) -> Any:
    """Import ``source`` as module ``name`` from a file (so that its text can be read), in
    ``sys.modules`` until the end of the test."""
    import importlib.util

    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    return module


def test_check_class_reports_stdlib_handlers_and_test_prefixes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    module = _load(
        monkeypatch,
        tmp_path,
        "stdlib_handlers",
        """
        import ast
        import unittest
        from http.server import BaseHTTPRequestHandler

        class V(ast.NodeVisitor):
            def visit_Functiondef(self, node):
                pass
            def visit_Num(self, node):  # an old node name: still valid
                pass

        class T(unittest.TestCase):
            def tset_login(self):
                self.est_value(1)
            def est_value(self, value):  # a helper the module calls: in use
                pass
            def testLogout(self):
                pass

        class H(BaseHTTPRequestHandler):
            def do_get(self):
                pass
            def do_GET(self):
                pass
        """,
    )
    (visitor,) = check_class(module.V)
    assert (visitor.name, visitor.suggestions) == ("visit_Functiondef", ["visit_FunctionDef"])
    assert str(visitor) == (
        "V.visit_Functiondef is never dispatched by NodeVisitor (stdlib_handlers.py:7);"
        " did you mean `visit_FunctionDef`?"
    )
    (test,) = check_class(module.T)
    assert str(test) == (
        "T.tset_login is never collected as a test (stdlib_handlers.py:13);"
        " did you mean `test_login`?"
    )
    assert [(e.name, e.suggestions) for e in check_class(module.H)] == [("do_get", ["do_GET"])]


def test_check_class_without_source_still_reports_handlers() -> None:
    namespace: dict[str, Any] = {}
    exec(
        "import unittest\nclass T(unittest.TestCase):\n    def tset_login(self): pass\n"
        "    maxDif = None\n",
        namespace,
    )
    found = {e.name: e for e in check_class(namespace["T"])}
    assert found["tset_login"].suggestions == ["test_login"]
    assert found["tset_login"].location == "<string>:3"
    # no source text to read: no line, and no reference can be seen, still reported
    assert (found["maxDif"].suggestions[0], found["maxDif"].location) == ("maxDiff", None)


def test_known_dunders_are_valid_names() -> None:
    assert {"__int__", "__init__", "__iter__", "__aenter__"} <= KNOWN_DUNDERS


# ------------------------------------------------------------------ import budget


def test_import_pulls_in_nothing_heavy() -> None:
    code = (
        "import sys, overridecheck\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('libcst', 'twisted', 'zope',"
        " 'typing_extensions')]\n"
        "print(heavy)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_import_leaves_the_audit_tables_for_check_class() -> None:
    code = (
        "import sys, overridecheck\n"
        "print(sorted(m for m in sys.modules if m.startswith('overridecheck')))\n"
        "overridecheck.check_class(int)\n"
        "print('overridecheck._audit' in sys.modules, 'overridecheck.lint' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after = run.stdout.splitlines()
    assert "overridecheck._audit" not in before and "overridecheck._conventions_data" not in before
    assert after == "True False"  # check_class loads the tables, never the linter
