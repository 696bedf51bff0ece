"""zope.interface members declared with `self` (legacy, txacme's `ICertificateStore`): OC103 and
the runtime `@override` take that `self` as implicit, OC108 reports the declaration."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from overridecheck.lint.engine import check_files
from overridecheck.lint.fix import plan_fixes
from overridecheck.lint.rules import DEFAULT_SELECT, RULES
from overridecheck.lint.summarise import summarise_source

zi = pytest.importorskip("zope.interface")

# As in txacme/src/txacme/interfaces.py: every member declared with `self`.
INTERFACES = '''\
from zope.interface import Interface


class ICertificateStore(Interface):
    def get(self, server_name):
        """Retrieve the current PEM objects for the given server name."""

    def store(self, server_name, pem_objects):
        """Store PEM objects for the given server name."""

    def as_dict(self):
        """Get all certificates in the store."""


class IRegistry(Interface):
    def register(cls):
        """`cls` is a real parameter: the class to register."""


class IDerivedStore(ICertificateStore):
    def prune(self, *, older_than):
        """Drop old certificates."""
'''

# As in txacme/src/txacme/testing.py and store.py: correct implementations, and real mismatches.
IMPLEMENTATIONS = """\
from zope.interface import implementer

from pkg.interfaces import ICertificateStore, IDerivedStore, IRegistry


@implementer(ICertificateStore)
class MemoryStore(object):
    def get(self, server_name):
        return None

    def store(self, server_name, pem_objects):
        return None

    def as_dict(self):
        return {}


@implementer(IDerivedStore)
class DirectoryStore(object):
    def get(self, server_name, default=None):
        return default

    def store(self, server_name, *pem_objects):
        return None

    def as_dict(self):
        return {}

    def prune(self, *, older_than):
        return None


@implementer(ICertificateStore)
class BrokenStore(object):
    def get(self):
        return None

    def store(self, server_name):
        return None

    def as_dict(self):
        return {}


@implementer(IRegistry)
class Registry(object):
    def register(self):
        return None
"""


def _tree(tmp_path: Path) -> list[str]:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "interfaces.py").write_text(INTERFACES, encoding="utf-8")
    (pkg / "impl.py").write_text(IMPLEMENTATIONS, encoding="utf-8")
    return [str(pkg / "__init__.py"), str(pkg / "interfaces.py"), str(pkg / "impl.py")]


def _found(paths: list[str], select: set[str]) -> list[tuple[str, str, int, str]]:
    result = check_files(paths, select=select)
    assert result.errors == []
    return [(Path(d.path).name, d.code, d.line, d.message) for d in result.diagnostics]


def test_self_declared_interface_no_false_oc103_but_real_mismatches_stay(tmp_path: Path) -> None:
    found = _found(_tree(tmp_path), set(DEFAULT_SELECT))
    assert found == [
        (
            "impl.py",
            "OC103",
            35,
            "`BrokenStore.get` accepts 0 positional arguments but is called with 1"
            " (`ICertificateStore.get`)",
        ),
        (
            "impl.py",
            "OC103",
            38,
            "`BrokenStore.store` accepts 1 positional argument but is called with 2"
            " (`ICertificateStore.store`)",
        ),
        (
            # only `self` is implicit: `cls` is a parameter callers pass
            "impl.py",
            "OC103",
            47,
            "`Registry.register` accepts 0 positional arguments but is called with 1"
            " (`IRegistry.register`)",
        ),
    ]


def test_oc108_reports_each_declaration_once(tmp_path: Path) -> None:
    assert "OC108" in RULES and "OC108" not in DEFAULT_SELECT
    assert RULES["OC108"].name == "interface-method-self"
    paths = _tree(tmp_path)
    assert [d for d in _found(paths, set(DEFAULT_SELECT)) if d[1] == "OC108"] == []
    found = _found(paths, {"OC108"})
    assert found == [
        (
            "interfaces.py",
            "OC108",
            line,
            f"`{name}` declares `self`; zope.interface methods take no `self`",
        )
        for line, name in (
            (5, "ICertificateStore.get"),
            (8, "ICertificateStore.store"),
            (11, "ICertificateStore.as_dict"),
            (21, "IDerivedStore.prune"),
        )
    ]


def test_oc108_fix_leaves_no_oc103_and_no_oc108(tmp_path: Path) -> None:
    paths = _tree(tmp_path)
    result = check_files(paths, select={"OC108"})
    assert plan_fixes(result.diagnostics).files == []  # unsafe: not applied by --fix
    plan = plan_fixes(result.diagnostics, unsafe=True)
    assert plan.errors == [] and plan.skipped == []
    (file,) = plan.files
    assert "def get(server_name):" in file.text
    assert "def as_dict():" in file.text
    assert "def prune(*, older_than):" in file.text
    Path(paths[1]).write_text(file.text, encoding="utf-8")
    again = _found(paths, set(DEFAULT_SELECT) | {"OC108"})
    assert [(name, code, line) for name, code, line, _ in again] == [
        ("impl.py", "OC103", 35),
        ("impl.py", "OC103", 38),
        ("impl.py", "OC103", 47),
    ]


def test_summary_first_param_and_names_deleted_in_the_class_body() -> None:
    source = textwrap.dedent("""\
        from typing import TYPE_CHECKING
        class C:
            def kept(self, /, x): pass
            def bare(): pass
            def star(*args): pass
            if not TYPE_CHECKING:
                def __init__(self): pass
                del __init__
            answer = 42
            del answer
            def gone(self): pass
            del gone
            def gone(this): pass  # bound again after the `del`
    """)
    (cls,) = summarise_source(source).classes
    assert [(fn.name, fn.first_param) for fn in cls.methods] == [
        ("kept", "self"),
        ("bare", ""),
        ("star", ""),
        ("gone", "this"),
    ]
    assert "answer" not in cls.attributes


def _interface(with_self: bool) -> Any:
    namespace: dict[str, Any] = {"Interface": zi.Interface}
    params = "self, server_name" if with_self else "server_name"
    exec(  # the runtime half needs real classes
        textwrap.dedent(f'''
        class ICertificateStore(Interface):
            def get({params}):
                """Retrieve the current PEM objects for the given server name."""
        '''),
        namespace,
    )
    return namespace["ICertificateStore"]


def test_verify_class_rejects_a_correct_implementation_of_a_self_declared_member() -> None:
    # What OC108's documentation says: zope keeps `self` as a parameter of the description.
    from zope.interface.exceptions import BrokenMethodImplementation
    from zope.interface.verify import verifyClass, verifyObject

    legacy, fixed = _interface(True), _interface(False)
    assert legacy["get"].getSignatureInfo()["positional"] == ("self", "server_name")

    class Store:
        def get(self, server_name: str) -> None:
            return None

    zi.classImplements(Store, legacy, fixed)
    with pytest.raises(BrokenMethodImplementation, match="doesn't allow enough arguments"):
        verifyClass(legacy, Store)
    with pytest.raises(BrokenMethodImplementation, match="doesn't allow enough arguments"):
        verifyObject(legacy, Store())
    assert verifyClass(fixed, Store) and verifyObject(fixed, Store())


def test_runtime_override_takes_self_as_implicit_like_the_linter() -> None:
    from overridecheck import OverrideError, check_class, override

    legacy = _interface(True)

    @zi.implementer(legacy)
    class Store:
        @override
        def get(self, server_name: str) -> None:
            return None

    assert check_class(Store) == []

    def broken() -> None:
        @zi.implementer(legacy)
        class Broken:
            @override
            def get(self) -> None:
                return None

    with pytest.raises(OverrideError, match="accepts 0 positional arguments but is called with 1"):
        broken()
