"""The fix safety rule of a rename, condition by condition, whichever rule offers it.

A rename is safe only when the new name is not already defined by the class, its subclasses in
the project or its other bases, the old name is referenced nowhere in the project, and the
intended name is a hook; the references are tested in ``test_fix.py``, this file tests the
class hierarchy.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection
from pathlib import Path
from typing import Optional

import pytest
from conftest import RunCli, write_tree

from overridecheck.lint.engine import check_files
from overridecheck.lint.ruledef import safety_of


def _safety(
    tmp_path: Path, files: dict[str, str], select: Optional[Collection[str]] = None
) -> list[tuple[str, str, int, Optional[str], str]]:
    """(code, path, line, suggestion, fix safety) of every finding of ``files``."""
    write_tree(tmp_path, files)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = check_files(sorted(files), select=select)
    finally:
        os.chdir(cwd)
    assert result.errors == []
    return [(d.code, d.path, d.line, d.suggestion, safety_of(d)) for d in result.diagnostics]


# -- the class's other bases --------------------------------------------------------------

RESOURCE_WITH_GET = (
    "from twisted.web.resource import Resource\n"
    "class Base(Resource):\n"
    "    def render_GET(self, request):\n"
    "        return b'base'\n"
    "class Page(Base):\n"
    "    def render_get(self, request):\n"
    "        return b'page'\n"
)


@pytest.mark.parametrize(
    ("select", "code"),
    [(["OC104"], "OC104"), (None, "OC101")],
    ids=["OC104-alone", "default"],
)
def test_rename_onto_a_concrete_inherited_method_is_unsafe_for_every_rule(
    tmp_path: Path, select: Optional[list[str]], code: str
) -> None:
    """OC104 alone used to offer a safe rename onto `Base.render_GET`; OC101 (which OC104
    yields to) made it unsafe: the same rename gets the same safety whichever rule offers it."""
    found = _safety(tmp_path, {"r.py": RESOURCE_WITH_GET}, select)
    assert found == [(code, "r.py", 6, "render_GET", "unsafe")]


def test_rename_onto_an_inherited_stub_keeps_its_safety(tmp_path: Path) -> None:
    source = RESOURCE_WITH_GET.replace("return b'base'", "raise NotImplementedError()")
    found = _safety(tmp_path, {"r.py": source}, ["OC104"])
    assert found == [("OC104", "r.py", 6, "render_GET", "safe")]


def test_rename_onto_an_inherited_alias_of_a_method_is_unsafe(tmp_path: Path) -> None:
    source = (
        "from twisted.web.resource import Resource\n"
        "class Base(Resource):\n"
        "    def render_POST(self, request):\n"
        "        return b'base'\n"
        "    render_GET = render_POST\n"
        "class Page(Base):\n"
        "    def render_get(self, request):\n"
        "        return b'page'\n"
    )
    found = _safety(tmp_path, {"r.py": source}, ["OC104"])
    assert found == [("OC104", "r.py", 7, "render_GET", "unsafe")]


def test_an_attribute_rename_that_would_hide_a_bases_method_is_unsafe(tmp_path: Path) -> None:
    """OC106 suggests LineReceiver's `delimiter`; the mixin before it in the MRO makes
    `delimiter` a method, which the renamed attribute would hide.  Plain's rename is renamed
    together with Chat's (one old name, one new name): unsafe too, as a plain `--fix` would
    otherwise leave Chat's `delimitr`, another def of the old name."""
    source = (
        "from twisted.protocols.basic import LineReceiver\n"
        "class Mixin:\n"
        "    def delimiter(self):\n"
        "        return b'\\n'\n"
        "class Chat(Mixin, LineReceiver):\n"
        "    delimitr = b'\\n'\n"
        "class Plain(LineReceiver):\n"
        "    delimitr = b'\\n'\n"
    )
    found = _safety(tmp_path, {"c.py": source}, ["OC106"])
    assert found == [
        ("OC106", "c.py", 6, "delimiter", "unsafe"),
        ("OC106", "c.py", 8, "delimiter", "unsafe"),
    ]


# -- its subclasses in the project ----------------------------------------------------------

P_TYPO = (
    "from twisted.internet.protocol import Protocol\n"
    "class P(Protocol):\n"
    "    def conectionMade(self):\n"
    "        print('P')\n"
)


@pytest.mark.parametrize(
    ("sub", "safety"),
    [
        # Q's super() call reached BaseProtocol's connectionMade, it would reach P's
        (
            "from a import P\n"
            "class Q(P):\n"
            "    def connectionMade(self):\n"
            "        super().connectionMade()\n",
            "unsafe",
        ),
        # two levels down, through an imported alias of P
        (
            "from a import P as Base\n"
            "class Mid(Base):\n"
            "    pass\n"
            "class Q(Mid):\n"
            "    def connectionMade(self):\n"
            "        pass\n",
            "unsafe",
        ),
        # a mixin before P in Q's MRO defines it: its super() call would reach P's method
        (
            "from a import P\n"
            "class Mixin:\n"
            "    def connectionMade(self):\n"
            "        super().connectionMade()\n"
            "class Q(Mixin, P):\n"
            "    pass\n",
            "unsafe",
        ),
        # Q runs M's connectionMade (M is between P and the base in Q's MRO): it would run P's
        (
            "from twisted.internet.protocol import Protocol\n"
            "from a import P\n"
            "class M(Protocol):\n"
            "    def connectionMade(self):\n"
            "        pass\n"
            "class Q(P, M):\n"
            "    pass\n",
            "unsafe",
        ),
        # a base of Q cannot be resolved: it may define connectionMade
        ("from a import P\nfrom nowhere import Mixin\nclass Q(P, Mixin):\n    pass\n", "unsafe"),
        # Q gets connectionMade where P does: the rename changes Q as it changes P
        ("from a import P\nclass Q(P):\n    def dataReceived(self, data):\n        pass\n", "safe"),
        # the mixin's connectionMade comes after BaseProtocol's in Q's MRO: never ran for Q
        (
            "from a import P\n"
            "class Mixin:\n"
            "    def connectionMade(self):\n"
            "        pass\n"
            "class Q(P, Mixin):\n"
            "    pass\n",
            "safe",
        ),
        # through the module (`a.P`), a module-level alias, and a `with_metaclass` call
        (
            "import a\nclass Q(a.P):\n    def connectionMade(self):\n        pass\n",
            "unsafe",
        ),
        (
            "import a\nBase = a.P\nclass Q(Base):\n    def connectionMade(self):\n        pass\n",
            "unsafe",
        ),
        (
            "from six import with_metaclass\n"
            "from a import P\n"
            "class Q(with_metaclass(type, P)):\n"
            "    def connectionMade(self):\n"
            "        pass\n",
            "unsafe",
        ),
        # not a subclass: another Protocol's connectionMade says nothing about P
        (
            "from twisted.internet.protocol import Protocol\n"
            "class P(Protocol):\n"
            "    def connectionMade(self):\n"
            "        pass\n",
            "safe",
        ),
    ],
    ids=[
        "defines-it",
        "grandchild-through-alias",
        "mixin-before",
        "other-provider",
        "unknown-base",
        "inherits-it",
        "mixin-shadowed",
        "module-attribute",
        "module-alias",
        "with-metaclass",
        "unrelated",
    ],
)
def test_a_subclass_whose_behaviour_the_rename_changes_makes_it_unsafe(
    tmp_path: Path, sub: str, safety: str
) -> None:
    found = _safety(tmp_path, {"a.py": P_TYPO, "b.py": sub}, ["OC101"])
    assert found == [("OC101", "a.py", 3, "connectionMade", safety)]


def test_subclasses_in_context_files_count(tmp_path: Path, run_cli: RunCli) -> None:
    """Given one file (pre-commit), the project's other files are searched for subclasses."""
    sub = "from a import P\nclass Q(P):\n    def connectionMade(self):\n        pass\n"
    write_tree(tmp_path, {"a.py": P_TYPO, "b.py": sub})
    proc = run_cli("--no-cache", "--fix", "a.py", cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "(1 more with `--unsafe-fixes`)" in proc.stdout
    assert (tmp_path / "a.py").read_text() == P_TYPO


SUB_Q = "from a import P\nclass Q(P):\n    def connectionMade(self):\n        pass\n"


@pytest.mark.parametrize("order", ["whole-tree-first", "file-first", "subclass-added-later"])
def test_given_files_with_a_cache_are_as_safe_as_the_whole_tree(
    tmp_path: Path, run_cli: RunCli, order: str
) -> None:
    """The project-context path of the subclass pass, with the cache on, in any order of runs:
    a file given alone never gets a safer fix than the whole tree gives it."""
    write_tree(tmp_path, {"a.py": P_TYPO, "b.py": "X = 1\n" if order.endswith("later") else SUB_Q})
    cache = str(tmp_path / ".cache")
    if order == "whole-tree-first":
        run_cli("--cache-dir", cache, ".", cwd=tmp_path)
    elif order == "subclass-added-later":
        first = run_cli("--cache-dir", cache, "a.py", cwd=tmp_path)
        assert "1 fixable with `--fix`" in first.stdout, first.stdout
        (tmp_path / "b.py").write_text(SUB_Q)
    else:
        run_cli("--cache-dir", cache, "a.py", cwd=tmp_path)
    for args in (["a.py"], ["."], ["a.py"]):
        proc = run_cli("--cache-dir", cache, *args, cwd=tmp_path)
        assert "No fixes available with `--fix` (1 more with `--unsafe-fixes`)" in proc.stdout, (
            args,
            proc.stdout,
        )


def test_a_cached_run_sees_a_new_subclass(tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    write_tree(tmp_path, {"a.py": P_TYPO, "b.py": "X = 1\n"})
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        [d] = check_files(["a.py", "b.py"], select=["OC101"], cache_dir=cache).diagnostics
        assert safety_of(d) == "safe"
        (tmp_path / "b.py").write_text(
            "from a import P\nclass Q(P):\n    def connectionMade(self):\n        pass\n"
        )
        [d] = check_files(["a.py", "b.py"], select=["OC101"], cache_dir=cache).diagnostics
        assert safety_of(d) == "unsafe"
    finally:
        os.chdir(cwd)


def test_an_attribute_rename_with_a_subclass_defining_the_name(tmp_path: Path) -> None:
    source = (
        "from twisted.protocols.basic import LineReceiver\n"
        "class Chat(LineReceiver):\n"
        "    delimitr = b'\\n'\n"
        "class Loud(Chat):\n"
        "    delimiter = b'!'\n"
    )
    found = _safety(tmp_path, {"c.py": source}, ["OC106"])
    assert found == [("OC106", "c.py", 3, "delimiter", "unsafe")]


# -- the class itself -----------------------------------------------------------------------


def test_no_rename_in_a_class_binding_names_dynamically_whichever_rule(tmp_path: Path) -> None:
    """OC101 and OC106 gave no fix there; OC104 renamed `render_get` although the body may bind
    `render_GET` itself (`locals()[...]`)."""
    source = (
        "from twisted.web.resource import Resource\n"
        "class Page(Resource):\n"
        "    for _m in ('GET',):\n"
        "        locals()['render_' + _m] = lambda self, request: b''\n"
        "    def render_get(self, request):\n"
        "        return b'page'\n"
    )
    found = _safety(tmp_path, {"r.py": source}, ["OC104"])
    assert found == [("OC104", "r.py", 5, "render_GET", "none")]


# -- other defs of the old name -------------------------------------------------------------

ECHO_TYPO = (
    "from twisted.internet.protocol import Protocol\n"
    "class Echo(Protocol):\n"
    "    def dataRecieved(self, data):\n"
    "        self.transport.write(data)\n"
)


def test_a_def_whose_own_rename_is_blocked_blocks_the_others(tmp_path: Path) -> None:
    """Two defs of one typo: b.py's caller gives a.py's def no fix, so a.py's def stays and
    is another def of the old name for b.py's (no fix either, as b.py given alone gets): else
    `--fix --unsafe-fixes` renamed b.py and its caller, and a second run then renamed a.py."""
    caller = ECHO_TYPO + "def feed(x):\n    x.dataRecieved(b'hi')\n"
    found = _safety(tmp_path, {"a.py": ECHO_TYPO, "b.py": caller})
    assert found == [
        ("OC101", "a.py", 3, "dataReceived", "none"),
        ("OC101", "b.py", 3, "dataReceived", "none"),
    ]


def test_defs_renamed_the_same_way_do_not_block_each_other(tmp_path: Path) -> None:
    found = _safety(tmp_path, {"a.py": ECHO_TYPO, "b.py": ECHO_TYPO})
    assert [f[-1] for f in found] == ["safe", "safe"]


def test_defs_renamed_the_same_way_are_renamed_together_or_not_at_all(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """b.py's rename is unsafe (a subclass defines the new name): a.py's was still safe, so a
    plain `--fix` renamed a.py's def and left b.py's, another def of the old name."""
    tree = {"a.py": P_TYPO, "b.py": P_TYPO, "c.py": SUB_Q.replace("from a", "from b")}
    found = _safety(tmp_path, tree, ["OC101"])
    assert found == [
        ("OC101", "a.py", 3, "connectionMade", "unsafe"),
        ("OC101", "b.py", 3, "connectionMade", "unsafe"),
    ]
    proc = run_cli("--no-cache", "--fix", ".", cwd=tmp_path)
    assert (tmp_path / "a.py").read_text() == (tmp_path / "b.py").read_text() == P_TYPO
    assert "(2 more with `--unsafe-fixes`)" in proc.stdout, proc.stdout
    run_cli("--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)
    renamed = P_TYPO.replace("conectionMade", "connectionMade")
    assert (tmp_path / "a.py").read_text() == (tmp_path / "b.py").read_text() == renamed


def test_a_def_whose_finding_a_per_file_ignore_drops_stays_another_def(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """A per-file ignore dropped b.py's finding only after fix safety was judged: a.py's
    rename stayed safe, and `--fix` renamed it and left b.py's def (a `# noqa` did block)."""
    config = '[tool.overridecheck.per-file-ignores]\n"b.py" = ["OC101"]\n'
    write_tree(tmp_path, {"pyproject.toml": config, "a.py": P_TYPO, "b.py": P_TYPO})
    for cache in (["--no-cache"], []):
        got = run_cli(*cache, "--format", "json", ".", cwd=tmp_path)
        found = [(d["path"], d["fix_safety"]) for d in json.loads(got.stdout)]
        assert found == [("a.py", None)], (cache, got.stdout)
    run_cli("--fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert (tmp_path / "a.py").read_text() == P_TYPO
    (tmp_path / "pyproject.toml").write_text("[tool.overridecheck]\n")  # the cache sees it
    got = run_cli("--format", "json", ".", cwd=tmp_path)
    assert [d["fix_safety"] for d in json.loads(got.stdout)] == ["safe", "safe"], got.stdout


@pytest.mark.parametrize(
    "use",
    [
        "def show(p):\n    return f'{p.conectionMade!r}'\n",
        "    handler = conectionMade\n",
    ],
    ids=["f-string", "bare-name"],
)
def test_a_reference_the_fix_cannot_rename_gives_no_fix(
    tmp_path: Path, run_cli: RunCli, use: str
) -> None:
    """A rename with references in its own file is unsafe and renames them too, but only
    attributes and strings equal to the name: an f-string's name on Python < 3.12 (one
    token) and a bare name were left, and the renamed class then failed when used."""
    source = P_TYPO + use
    found = _safety(tmp_path, {"a.py": source}, ["OC101"])
    assert found == [("OC101", "a.py", 3, "connectionMade", "none")]
    run_cli("--no-cache", "--fix", "--unsafe-fixes", "a.py", cwd=tmp_path)
    assert (tmp_path / "a.py").read_text() == source


def test_fix_with_unsafe_fixes_twice_changes_nothing_the_second_time(
    tmp_path: Path, run_cli: RunCli
) -> None:
    caller = ECHO_TYPO + "def feed(x):\n    x.dataRecieved(b'hi')\n"
    write_tree(tmp_path, {"a.py": ECHO_TYPO, "b.py": caller, "c.py": ECHO_TYPO + "x = 1\n"})
    run_cli("--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)
    first = {p.name: p.read_text() for p in tmp_path.glob("*.py")}
    run_cli("--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert {p.name: p.read_text() for p in tmp_path.glob("*.py")} == first


def test_fixes_that_become_possible_after_a_fix_are_applied_in_the_same_run(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """With OC107 selected, the renamed `connectionMade` then overrides and wants its
    `@override`: a second `--fix` added it.  Now one run applies both, `--diff` shows both,
    and stdin's output has both."""
    source = (
        "from twisted.internet.protocol import Protocol\n\n\nclass P(Protocol):\n"
        "    def conectionMade(self):\n        pass\n"
    )
    fixed = (
        "from typing_extensions import override\n"
        "from twisted.internet.protocol import Protocol\n\n\nclass P(Protocol):\n"
        "    @override\n    def connectionMade(self):\n        pass\n"
    )
    write_tree(tmp_path, {"a.py": source})
    args = ("--no-cache", "--select", "ALL", "--unsafe-fixes")
    diff = run_cli(*args, "--diff", "a.py", cwd=tmp_path)
    assert "+    @override\n+    def connectionMade(self):" in diff.stdout, diff.stdout
    assert "Would fix 2 errors" in diff.stderr
    piped = run_cli(*args, "--fix", "--stdin-filename", "a.py", "-", cwd=tmp_path, input=source)
    assert piped.stdout == fixed, piped.stdout + piped.stderr
    first = run_cli(*args, "--fix", "a.py", cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Fixed 2 errors" in first.stdout
    assert (tmp_path / "a.py").read_text() == fixed
    again = run_cli(*args, "--fix", "a.py", cwd=tmp_path)
    assert again.returncode == 0 and (tmp_path / "a.py").read_text() == fixed


USE_TYPO = "def feed(x):\n    x.dataRecieved(b'hi')\n"


@pytest.mark.parametrize(
    "marker",
    [
        {".git/HEAD": "ref: refs/heads/main\n", "app/pyproject.toml": "[tool.overridecheck]\n"},
        {"pyproject.toml": "[project]\nname = 'x'\n"},
        {"setup.cfg": "[metadata]\nname = x\n"},
    ],
    ids=["git-tree-over-a-subfolder-config", "pyproject-without-the-table", "setup-cfg"],
)
def test_the_context_of_a_file_given_alone_is_the_whole_project(
    tmp_path: Path, run_cli: RunCli, marker: dict[str, str]
) -> None:
    """The caller in tests/ counts when app/proto.py is given alone, whichever marks the
    project's top: the git work tree (even with the config in app/), else a pyproject.toml
    or setup.cfg above the file; as when the whole folder is checked."""
    write_tree(tmp_path, {"app/proto.py": ECHO_TYPO, "tests/use.py": USE_TYPO, **marker})
    for args in (["."], ["app/proto.py"]):
        proc = run_cli("--no-cache", "--format", "json", *args, cwd=tmp_path)
        assert '"fix_safety": null' in proc.stdout, (args, proc.stdout)
    proc = run_cli("--no-cache", "--fix", "app/proto.py", cwd=tmp_path)
    assert (tmp_path / "app" / "proto.py").read_text() == ECHO_TYPO


@pytest.mark.parametrize(
    ("layout", "given"),
    [
        (
            {"pyproject.toml": "[tool.overridecheck]\n", "app/.git/HEAD": "ref: x\n"},
            ["app/proto.py"],
        ),
        (
            {".git/HEAD": "ref: refs/heads/main\n", "app/__init__.py": ""},
            ["app/proto.py", *(f"app/m{i}.py" for i in range(300))],
        ),
        ({".git/HEAD": "ref: refs/heads/main\n", "app/__init__.py": ""}, ["app"]),
    ],
    ids=["repository-below-the-config", "300-paths", "a-folder"],
)
def test_the_context_holds_every_file_that_may_use_the_name(
    tmp_path: Path, run_cli: RunCli, layout: dict[str, str], given: list[str]
) -> None:
    """Where the caller in tests/ was not context and `--fix` renamed the def: a git
    repository in a subfolder of the config's folder (the repository was the project); more
    than 256 paths (no context was made); a folder given (folders got none)."""
    many = {p: "X = 1\n" for p in given if p.startswith("app/m")}
    write_tree(tmp_path, {"app/proto.py": ECHO_TYPO, "tests/use.py": USE_TYPO, **layout, **many})
    proc = run_cli("--no-cache", "--format", "json", *given, cwd=tmp_path)
    assert [d["fix_safety"] for d in json.loads(proc.stdout)] == [None], proc.stdout
    run_cli("--no-cache", "--fix", *given, cwd=tmp_path)
    assert (tmp_path / "app" / "proto.py").read_text() == ECHO_TYPO


@pytest.mark.parametrize(
    ("layout", "given", "cwd"),
    [
        # no markers: the package's parent folder is shared (the other project's caller)
        ({"pkg/__init__.py": "", "other/.git/HEAD": "ref: x\n"}, ["pkg/proto.py"], "."),
        # two repositories given: their common folder is not a project (nor is projC)
        (
            {"projA/.git/HEAD": "ref: x\n", "projB/.git/HEAD": "ref: x\n"},
            ["projA", "projB"],
            ".",
        ),
        # a user-wide config in the home folder does not widen the repository
        (
            {"home/pyproject.toml": "[tool.overridecheck]\n", "home/proj/.git/HEAD": "ref: x\n"},
            ["proto.py"],
            "home/proj",
        ),
    ],
    ids=["package-beside-other-projects", "two-repositories", "config-in-the-home-folder"],
)
def test_the_context_is_not_wider_than_the_project(
    tmp_path: Path, run_cli: RunCli, layout: dict[str, str], given: list[str], cwd: str
) -> None:
    """A caller outside the project must not block its fix, nor be read: the first two read
    every folder beside the project (all of /tmp once), the third the whole home folder."""
    where = tmp_path / cwd
    proto = (given[0] + "/proto.py") if given[0].startswith("proj") else given[0]
    caller = "def go(x):\n    x.dataRecieved(b'')\n"
    write_tree(tmp_path, {**layout, f"{cwd}/{proto}": ECHO_TYPO})
    for outside in ("other/use.py", "projC/use.py", "home/junk/use.py"):
        write_tree(tmp_path, {outside: caller})
    home = {"HOME": str(tmp_path / "home")}
    proc = run_cli("--no-cache", "--format", "json", *given, cwd=where, env=home)
    assert [d["fix_safety"] for d in json.loads(proc.stdout)] == ["safe"], proc.stdout


def test_a_file_linked_into_its_package_is_checked_at_its_own_path(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """pkg/alias.py links to pkg/impl.py, which user.py imports and subclasses: the file was
    checked once at alias.py (first by name), as module `pkg.alias`, so the subclass of
    `pkg.impl` was not seen and the rename it makes unsafe was safe."""
    sub = (
        "from pkg.impl import Echo\nclass Loud(Echo):\n    def dataReceived(self, data):\n"
        "        super().dataReceived(data)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/impl.py": ECHO_TYPO, "pkg/user.py": sub})
    (tmp_path / "pkg" / "alias.py").symlink_to("impl.py")
    proc = run_cli("--no-cache", "--format", "json", ".", cwd=tmp_path)
    found = [(d["path"], d["fix_safety"]) for d in json.loads(proc.stdout)]
    assert found == [("pkg/impl.py", "unsafe")], proc.stdout


def test_a_fix_the_files_encoding_cannot_hold_is_an_error_of_that_file(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """The suggestion has a letter latin-1 lacks: `--fix` and `--diff` ended in an internal
    error when the fixes were applied in memory to be checked again."""
    base = (
        "from twisted.internet.protocol import Protocol\nclass Base(Protocol):\n"
        "    def finishProcessi\u0144g(self):\n        pass\n"
    )
    sub = (
        "# -*- coding: latin-1 -*-\nfrom base import Base\nclass Sub(Base):\n"
        "    def finishProcessing(self):\n        pass\n"
    )
    write_tree(tmp_path, {"base.py": base})
    (tmp_path / "sub.py").write_bytes(sub.encode("latin-1"))
    diff = run_cli("--no-cache", "--diff", ".", cwd=tmp_path)
    assert diff.returncode == 1 and "+    def finishProcessi" in diff.stdout, diff.stderr
    fixed = run_cli("--no-cache", "--fix", ".", cwd=tmp_path)
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr
    assert "sub.py: error: cannot write fixes" in fixed.stdout + fixed.stderr
    assert (tmp_path / "sub.py").read_bytes() == sub.encode("latin-1")


def test_a_file_given_by_two_paths_is_checked_once(tmp_path: Path, run_cli: RunCli) -> None:
    """a.py and a link to it: every finding was reported twice, and `--fix` counted twice."""
    write_tree(tmp_path, {"a.py": ECHO_TYPO})
    (tmp_path / "link.py").symlink_to("a.py")
    proc = run_cli("--no-cache", "--format", "json", "a.py", "link.py", cwd=tmp_path)
    assert [d["path"] for d in json.loads(proc.stdout)] == ["a.py"], proc.stdout
    fixed = run_cli("--no-cache", "--fix", "a.py", "link.py", cwd=tmp_path)
    assert "Fixed 1 error" in fixed.stdout, fixed.stdout
    assert (tmp_path / "link.py").is_symlink()


def test_a_git_repository_of_the_home_folder_is_not_the_project(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """A `.git` (dotfiles) or a `pyproject.toml` in the home folder does not make every file
    below it the context of a file given alone: the project's own config folder is."""
    home = tmp_path / "home"
    write_tree(
        home,
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            "pyproject.toml": "[project]\nname = 'dotfiles'\n",
            "elsewhere/use.py": USE_TYPO,  # not part of the project below
            "work/proj/pyproject.toml": "[tool.overridecheck]\n",
            "work/proj/proto.py": ECHO_TYPO,
        },
    )
    env = {"HOME": str(home)}
    proc = run_cli("--no-cache", "--format", "json", "proto.py", cwd=home / "work/proj", env=env)
    assert '"fix_safety": "safe"' in proc.stdout, proc.stdout + proc.stderr


def test_an_old_name_renamed_two_ways_with_a_reference_gets_no_fix(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """`dataRecieved` is `dataReceived` in one class and `dataRecieves` in another, and a
    caller refers to it: which one the caller means cannot be told, so neither rename is
    offered (before, one run renamed one class and the caller, the next run the other)."""
    source = (
        "from twisted.internet.protocol import Protocol\n"
        "class Base:\n"
        "    def dataRecieves(self, data): pass\n"
        "class X(Protocol):\n"
        "    def dataRecieved(self, data): pass\n"
        "class W(Base):\n"
        "    def dataRecieved(self, data): pass\n"
        "def go(x):\n"
        "    x.dataRecieved(b'')\n"
    )
    found = _safety(tmp_path / "a", {"one.py": source})
    assert [(f[3], f[4]) for f in found] == [("dataReceived", "none"), ("dataRecieves", "none")]
    write_tree(tmp_path / "b", {"one.py": source})
    for _ in range(2):
        run_cli("--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path / "b")
        assert (tmp_path / "b" / "one.py").read_text() == source


def test_a_submodule_s_context_is_its_superproject(tmp_path: Path, run_cli: RunCli) -> None:
    """A file of a git submodule given alone: the superproject's caller counts."""
    write_tree(
        tmp_path,
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            "main.py": USE_TYPO,
            "lib/.git": "gitdir: ../.git/modules/lib\n",
            "lib/proto.py": ECHO_TYPO,
        },
    )
    for args in (["."], ["lib/proto.py"]):
        proc = run_cli("--no-cache", "--format", "json", *args, cwd=tmp_path)
        assert '"fix_safety": null' in proc.stdout, (args, proc.stdout)
    # a worktree's `.git` file points elsewhere: it is a project of its own
    (tmp_path / "lib" / ".git").write_text("gitdir: /elsewhere/.git/worktrees/lib\n")
    proc = run_cli("--no-cache", "--format", "json", "lib/proto.py", cwd=tmp_path)
    assert '"fix_safety": "safe"' in proc.stdout, proc.stdout


@pytest.mark.parametrize("imported", [False, True], ids=["caller", "importer"])
@pytest.mark.parametrize("how", ["link-from-outside", "link-inside", "stdin-through-link"])
def test_a_file_given_through_a_symbolic_link_has_its_project_as_context(
    tmp_path: Path, run_cli: RunCli, how: str, imported: bool
) -> None:
    """A file given by a path through a symbolic link is the project's file, with the
    findings the whole project's check gives it: the caller in tests/ makes the rename no
    fix, and with its import of `app.proto` the name is in use (no finding), so the file
    given is that module (not a module of its own beside the context's copy)."""
    proj = tmp_path / "proj"
    use = ("from app.proto import Echo\n" if imported else "") + USE_TYPO
    write_tree(
        proj,
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            "app/__init__.py": "",
            "app/proto.py": ECHO_TYPO,
            "tests/use.py": use,
        },
    )
    whole = json.loads(run_cli("--no-cache", "--format", "json", ".", cwd=proj).stdout)
    expected = [(f["code"], f["fix_safety"]) for f in whole if f["path"] == "app/proto.py"]
    assert expected == ([] if imported else [("OC101", None)])
    if how == "link-inside":
        (proj / "alias").symlink_to(proj / "app", target_is_directory=True)
        where, path = proj, "alias/proto.py"
    else:
        (tmp_path / "elsewhere").mkdir()
        (tmp_path / "elsewhere" / "link").symlink_to(proj / "app", target_is_directory=True)
        where, path = tmp_path / "elsewhere", "link/proto.py"
    given = ["--stdin-filename", path, "-"] if how.startswith("stdin") else [path]
    proc = run_cli("--no-cache", "--format", "json", *given, cwd=where, input=ECHO_TYPO)
    found = [(f["code"], f["fix_safety"]) for f in json.loads(proc.stdout)]
    assert found == expected, proc.stdout + proc.stderr
    run_cli("--no-cache", "--fix", "--unsafe-fixes", path, cwd=where)
    assert (proj / "app" / "proto.py").read_text() == ECHO_TYPO


def test_stdin_for_a_file_in_a_folder_not_made_yet(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(tmp_path, {"use.py": USE_TYPO})  # no marker: the nearest folder there is
    proc = run_cli(
        "--no-cache",
        "--format",
        "json",
        "--stdin-filename",
        "new/dir/x.py",
        "-",
        cwd=tmp_path,
        input=ECHO_TYPO,
    )
    assert '"fix_safety": null' in proc.stdout, proc.stdout + proc.stderr
