"""Idioms through which a class gets its bases (issue 12): each fixture project under
``tests/fixtures/idioms`` holds classes whose base comes through one idiom, with a misspelled
hook the linter must report as OC101 with the right suggestion, and classes it must still
leave unchecked (never a guess).  Nothing is imported or run.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from overridecheck.lint.engine import LintResult, check_files
from overridecheck.lint.model import Binding
from overridecheck.lint.modules import namespace_portions
from overridecheck.lint.summarise import summarise_source

IDIOMS = Path(__file__).parent / "fixtures" / "idioms"


def lint(case: str, *only: str) -> LintResult:
    folder = IDIOMS / case
    paths = sorted(str(p) for p in folder.rglob("*.py"))
    if only:
        paths = [p for p in paths if Path(p).relative_to(folder).as_posix() in only]
    result = check_files(paths)
    assert result.errors == []
    return result


def findings(result: LintResult, case: str) -> list[tuple[str, int, str, object]]:
    folder = IDIOMS / case
    return [
        (Path(d.path).relative_to(folder).as_posix(), d.line, d.code, d.suggestion)
        for d in result.diagnostics
    ]


def unchecked(result: LintResult) -> list[tuple[str, str, str]]:
    return [(u.qualname, u.cause, u.detail) for u in result.unchecked]


def test_with_metaclass_bases_are_the_arguments_after_the_metaclass() -> None:
    """six's and future's ``with_metaclass``, under another name, re-exported, or a module's
    own copy of it: the class's bases are the call's arguments after the metaclass."""
    result = lint("with_metaclass")
    assert findings(result, "with_metaclass") == [
        ("copied.py", 19, "OC101", "connectionMade"),
        ("receivers.py", 17, "OC101", "connectionMade"),
        ("receivers.py", 22, "OC101", "lineReceived"),
        ("receivers.py", 27, "OC101", "dataReceived"),
        ("receivers.py", 32, "OC101", "buildProtocol"),
        ("receivers.py", 37, "OC101", "connectionLost"),
        ("receivers.py", 42, "OC101", "connectionLost"),
        ("receivers.py", 48, "OC101", "connectionMade"),
    ]
    assert unchecked(result) == [
        ("with_metaclass.<locals>.metaclass", "local", "meta"),
        ("Starred", "call", "six.with_metaclass"),
        ("NotTheIdiom", "call", "other_call"),
    ]


def test_module_level_aliases_chains_pairs_and_reexports() -> None:
    """``StringTransport = testing.StringTransport`` (as in ``twisted.test.proto_helpers``),
    chains of aliases, aliases imported under another name, re-exported by a ``*`` import or
    reached as a module attribute, ``A, B = m.A, m.B`` and generic aliases (``UserDict[K, V]``)."""
    result = lint("aliases")
    assert findings(result, "aliases") == [
        ("use.py", 9, "OC101", "write"),
        ("use.py", 14, "OC101", "loseConnection"),
        ("use.py", 19, "OC101", "write"),
        ("use.py", 24, "OC101", "write"),
        ("use.py", 29, "OC101", "write"),
        ("use.py", 34, "OC101", "write"),
        ("use.py", 39, "OC101", "listenTCP"),
        ("use.py", 44, "OC101", "callLater"),
        ("use.py", 49, "OC101", "__contains__"),
        ("use.py", 54, "OC101", "write"),
    ]
    assert unchecked(result) == []


def test_names_bound_in_exclusive_branches_use_the_first_binding_that_resolves() -> None:
    """``if sys.platform == "win32": from a import X`` / ``else: from b import X`` and
    ``try``/``except ImportError`` imports: the first binding that resolves, in source order,
    is used (also over a stand-in class of the other branch); a class is not checked only
    when no branch resolves."""
    result = lint("conditional")
    assert findings(result, "conditional") == [
        ("use.py", 8, "OC101", "connectionMade"),
        ("use.py", 13, "OC101", "dataReceived"),
        ("use.py", 18, "OC101", "feedData"),  # fast.Parser: the `try` body's binding
        ("use.py", 24, "OC101", "greetEveryone"),
        ("use.py", 29, "OC101", "loseConnection"),  # twisted.internet.stdio.StandardIO
        ("use.py", 39, "OC101", "connectionLost"),  # the import, not the default before it
    ]
    assert unchecked(result) == [("NeitherResolves", "unresolved", "picks")]


def test_only_names_bound_in_a_branch_have_alternatives() -> None:
    """The bindings of a name bound in a branch, the one in effect first: a later statement
    before an earlier one, a compound statement's first branch before its others."""
    summary = summarise_source(
        "import sys\n"
        "from a import X\n"
        "class X(X):\n"  # sequential rebinding: the tables as before, no alternatives
        "    pass\n"
        "try:\n"
        "    from b import Y\n"
        "except ImportError:\n"
        "    Y = None\n"  # one binding that can be followed: the tables suffice
        "try:\n"
        "    from c import Z\n"
        "except ImportError:\n"
        "    class Z:\n"
        "        pass\n"
        "if sys.platform == 'win32':\n"
        "    W = c.W\n"
        "else:\n"
        "    from d import W\n"
        "V = object\n"  # a default, replaced when the condition holds
        "if not skip:\n"
        "    from e import V\n"
        "try:\n"
        "    from f import U\n"
        "except ImportError:\n"
        "    from g import U\n"
        "else:\n"
        "    U = f.U2\n",  # after the body, when it raised nothing
        module="m",
    )
    assert summary.alternatives == {
        "Z": (Binding("import", "c", "Z"), Binding("class", line=12)),
        "W": (Binding("alias", "c.W"), Binding("import", "d", "W")),
        "V": (Binding("import", "e", "V"), Binding("alias", "object")),
        "U": (Binding("alias", "f.U2"), Binding("import", "f", "U"), Binding("import", "g", "U")),
    }


def test_namespace_packages_of_the_linted_tree() -> None:
    """Folders without ``__init__.py`` (PEP 420) holding linted modules: absolute imports
    through them (``acme.protocols.base``) and ``from . import base`` inside one resolve,
    whatever is on the interpreter's path."""
    result = lint("namespace")
    assert findings(result, "namespace") == [
        ("src/acme/client.py", 9, "OC101", "connectionMade"),
        ("src/acme/client.py", 14, "OC101", "dataReceived"),
        ("src/acme/client.py", 19, "OC101", "connectionLost"),
        ("src/acme/plugins/child.py", 11, "OC101", "buildProtocol"),
        ("src/acme/plugins/child.py", 16, "OC101", "buildProtocol"),
        ("src/acme/plugins/child.py", 21, "OC101", "buildProtocol"),
        ("src/acme/plugins/child.py", 26, "OC101", "buildProtocol"),
    ]
    assert unchecked(result) == []


def test_namespace_portions_on_the_search_path() -> None:
    """On the search path, a module beside a folder of its name without ``__init__.py`` is
    the module (as Python's path finder has it), and a namespace package may be spread over
    several folders."""
    folder = IDIOMS / "namespace_site"
    result = check_files(
        [str(folder / "lint" / "use_site.py")],
        search_path=[str(folder / "site"), str(folder / "other"), *(p for p in sys.path if p)],
    )
    assert result.errors == []
    assert findings(result, "namespace_site") == [
        ("lint/use_site.py", 6, "OC101", "connectionMade"),
        ("lint/use_site.py", 11, "OC101", "connectionMade"),
    ]
    assert unchecked(result) == []


def test_namespace_portions_stop_at_a_project_top(tmp_path: Path) -> None:
    (tmp_path / "proj" / "src" / "acme" / "plugins").mkdir(parents=True)
    (tmp_path / "proj" / "pyproject.toml").write_text("")
    (tmp_path / "proj" / "src" / "pkg").mkdir()
    (tmp_path / "proj" / "src" / "pkg" / "__init__.py").write_text("")
    (tmp_path / "proj" / "src" / "pkg" / "sub").mkdir()
    roots = [
        str(tmp_path / "proj" / "src" / "acme" / "plugins"),
        str(tmp_path / "proj" / "src" / "acme"),  # met again: climbed once
        str(tmp_path / "proj" / "src" / "pkg" / "sub"),  # inside a regular package
        str(tmp_path / "proj"),  # a project's top is where code runs from, not a portion
    ]
    assert namespace_portions(roots) == [
        (str(tmp_path / "proj" / "src" / "acme"), "plugins"),
        (str(tmp_path / "proj" / "src"), "acme"),
        (str(tmp_path / "proj"), "src"),
    ]


def test_dynamic_class_body_is_checked_against_its_bases() -> None:
    """What a body binds with ``exec``/``locals()[...]`` cannot change what its bases define:
    the class is checked for near misses of their names, without a rename (it may bind the
    suggested name itself); its subclasses and implementers, whose bases' names are not all
    known, are not checked."""
    result = lint("dynamic")
    got = [(d.line, d.code, d.suggestion, d.fix is not None) for d in result.diagnostics]
    assert got == [
        (14, "OC101", "connectionMade", False),
        (20, "OC106", "delimiter", False),
        (22, "OC101", "lineReceived", False),
        (27, "OC101", "rawDataReceived", True),  # Plain: its names are all known
    ]
    assert unchecked(result) == [
        ("FromDynamic", "dynamic", "KeyBuffer"),
        ("FromFromDynamic", "dynamic", "KeyBuffer"),
        ("Greeter", "dynamic", "IDynamic"),
    ]
    assert result.classes == 6


def test_names_bound_to_one_another_in_branches_are_fast(tmp_path: Path) -> None:
    """Thirty names each bound three ways to the next one: each binding is followed once."""
    lines = ["import sys"]
    for i in range(30):
        lines += [
            "if sys.argv:",
            f"    A{i} = A{i + 1}.x",
            "elif sys.path:",
            f"    A{i} = A{i + 1}.y",
            "else:",
            f"    A{i} = A{i + 1}",
        ]
    lines += ["class C(A0):", "    def conectionMade(self):", "        pass"]
    (tmp_path / "m.py").write_text("\n".join(lines) + "\n")
    start = time.perf_counter()
    result = check_files([str(tmp_path / "m.py")])
    assert time.perf_counter() - start < 10
    assert result.diagnostics == [] and result.errors == []
    assert unchecked(result) == [("C", "local-binding", "A0")]


def test_repeated_signatures_and_imports_are_one_object_each() -> None:
    """Summaries share one object per distinct signature and import target: `--jobs` pickles
    a repeated object once per batch, and memory holds it once."""
    import pickle

    from overridecheck.lint.summarise import summarise

    source = (
        "from twisted.internet.protocol import Protocol\n"
        "class P(Protocol):\n"
        "    def dataReceived(self, data): pass\n"
        "    def lineReceived(self, line): pass\n"
    )
    a = summarise(source.encode(), path="a.py", module="a", is_package=False)
    b = summarise(source.encode(), path="b.py", module="b", is_package=False)
    fa, fa2 = a.classes[0].methods
    (fb, _) = b.classes[0].methods
    assert fa.params == fa2.params == fb.params
    assert fa.params is fa2.params is fb.params
    assert a.imports["Protocol"] is b.imports["Protocol"]
    # unpickled, they are equal (and shared again within one pickle)
    c, d = pickle.loads(pickle.dumps([a, b]))
    assert (c, d) == (a, b)
    assert c.classes[0].methods[0].params is d.classes[0].methods[0].params
