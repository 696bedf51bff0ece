"""Fixes: tree-wide safety, `--fix`, `--unsafe-fixes`, `--diff`, and how files are written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Optional

import pytest
from conftest import CLEAN_SOURCE, TYPO_SOURCE, RunCli, write_tree

from overridecheck import cli
from overridecheck.lint import fix
from overridecheck.lint.engine import check_files
from overridecheck.lint.model import Diagnostic, Edit, Fix, NamesIndex
from overridecheck.lint.summarise import SourceError, summarise

FIXED_SOURCE = TYPO_SOURCE.replace("conectionMade", "connectionMade")
assert FIXED_SOURCE == CLEAN_SOURCE

#: OC102 (`@override`), used in the same file: an OC101 finding would not even be reported,
#: since a name the module itself uses is a method in use rather than a typo.
DECORATED_WITH_REFS = (
    "from overridecheck import override\n"
    "from twisted.internet.protocol import Protocol\n"
    "\n"
    "\n"
    "class D(Protocol):\n"
    "    @override\n"
    "    def conectionMade(self):\n"
    "        pass\n"
    "\n"
    "    def again(self):\n"
    "        self.conectionMade()  # conectionMade in a comment stays\n"
    '        return getattr(self, "conectionMade"), "not conectionMade"\n'
)


#: TYPO_SOURCE marked `@override` (OC102): references elsewhere only lower its fix's safety.
DECORATED_TYPO = TYPO_SOURCE.replace(
    "from twisted", "from overridecheck import override\nfrom twisted"
).replace("    def conectionMade", "    @override\n    def conectionMade")

#: The same with another name, so that it does not refer to `conectionMade` elsewhere.
LOST_WITH_REFS = DECORATED_WITH_REFS.replace("conectionMade", "conectionLost")


def _findings(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if ": OC" in line]


def _diagnostics(tmp_path: Path, *names: str) -> list[Diagnostic]:
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        return check_files(list(names)).diagnostics
    finally:
        os.chdir(cwd)


# -- safety ------------------------------------------------------------------------------------


def test_no_reference_is_safe(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": TYPO_SOURCE, "b.py": CLEAN_SOURCE})
    [d] = _diagnostics(tmp_path, "a.py", "b.py")
    assert d.fix is not None and d.fix.safe
    assert d.fix.edits == (Edit(5, 9, 5, 22, "connectionMade"),)


def test_a_rules_unsafe_rename_stays_unsafe_without_references(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """OC104's test-method renames start a test running: unsafe, as documented, even when
    nothing refers to the old name (fix safety used to be raised to safe then)."""
    source = (
        "import unittest\n\n\nclass T(unittest.TestCase):\n    def tset_login(self):\n"
        "        pass\n"
    )
    write_tree(tmp_path, {"t.py": source})
    [d] = _diagnostics(tmp_path, "t.py")
    assert d.code == "OC104" and d.fix is not None and not d.fix.safe
    proc = run_cli("--no-cache", "--fix", "t.py", cwd=tmp_path)
    assert proc.returncode == 1 and (tmp_path / "t.py").read_text() == source
    proc = run_cli("--no-cache", "--fix", "--unsafe-fixes", "t.py", cwd=tmp_path)
    assert proc.returncode == 0 and "def test_login(self)" in (tmp_path / "t.py").read_text()


def test_same_file_references_make_it_unsafe_and_are_renamed(tmp_path: Path) -> None:
    write_tree(tmp_path, {"d.py": DECORATED_WITH_REFS})
    [d] = _diagnostics(tmp_path, "d.py")
    assert d.code == "OC102"
    assert d.fix is not None and not d.fix.safe
    # the def, the attribute and the exact string; not the comment nor the longer string
    assert [(e.line, e.column) for e in d.fix.edits] == [(7, 9), (11, 14), (12, 31)]


def test_other_def_in_same_file_makes_it_unsafe(tmp_path: Path) -> None:
    source = TYPO_SOURCE + "\n\nclass Other:\n    def conectionMade(self):\n        pass\n"
    write_tree(tmp_path, {"a.py": source})
    [d] = _diagnostics(tmp_path, "a.py")
    assert d.fix is not None and not d.fix.safe
    assert len(d.fix.edits) == 1  # the other class's def is not renamed


@pytest.mark.parametrize(
    "user",
    [
        "def poke(p):\n    p.conectionMade()\n",
        "def poke(p):\n    return getattr(p, 'conectionMade')\n",
        "HOOKS = ['conectionMade']\n",
        "from a import C\n\n\nclass Sub(C):\n    def conectionMade(self):\n        pass\n",
    ],
    ids=["attribute", "getattr", "string", "subclass-def"],
)
def test_reference_in_other_file_means_no_fix(tmp_path: Path, user: str) -> None:
    # OC102 (`@override`): a reference elsewhere does not make it a method in use
    write_tree(tmp_path, {"a.py": DECORATED_TYPO, "user.py": user})
    diags = [d for d in _diagnostics(tmp_path, "a.py", "user.py") if d.path == "a.py"]
    assert [d.code for d in diags] == ["OC102"]
    assert diags[0].fix is None
    assert diags[0].advice == "Rename to `connectionMade`"


@pytest.mark.parametrize(
    ("user", "reported"),
    [
        ("import a\ndef poke(p):\n    p.conectionMade()\n", False),
        ("from a import C\ndef poke(p):\n    return getattr(p, 'conectionMade')\n", False),
        ("import a\nHOOKS = ['conectionMade']\n", False),
        ("import a\ndef poke(p):\n    p.callRemote('conectionMade')\n", False),
        ("def poke(p):\n    p.conectionMade()\n", True),  # does not know the class
        ("from a import C\n\n\nclass Sub(C):\n    def conectionMade(self):\n        pass\n", True),
    ],
    ids=["attribute", "getattr", "string", "callRemote", "unrelated", "subclass-def"],
)
def test_reference_in_other_file_is_evidence_of_use(
    tmp_path: Path, user: str, reported: bool
) -> None:
    """OC101: a name another linted file importing the class's module refers to is a method
    in use, not a typo; a file that does not import it, or a `def` of the same name, is no
    evidence (and makes the fix unavailable)."""
    write_tree(tmp_path, {"a.py": TYPO_SOURCE, "user.py": user})
    diags = [d for d in _diagnostics(tmp_path, "a.py", "user.py") if d.path == "a.py"]
    assert len(diags) == (1 if reported else 0), diags
    if reported:
        assert diags[0].fix is None


def test_comments_and_prose_are_not_references(tmp_path: Path) -> None:
    other = '# conectionMade was a typo\nDOC = "see conectionMade"\n'
    write_tree(tmp_path, {"a.py": TYPO_SOURCE, "other.py": other})
    [d] = _diagnostics(tmp_path, "a.py", "other.py")
    assert d.fix is not None and d.fix.safe


def test_same_typo_in_two_classes_both_safe(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": TYPO_SOURCE, "b.py": TYPO_SOURCE})
    diags = _diagnostics(tmp_path, "a.py", "b.py")
    assert len(diags) == 2
    assert all(d.fix is not None and d.fix.safe for d in diags)


def _names_of(contents: dict[str, bytes]) -> fix.NamesOf:
    """Names indexes of files given by their bytes, as the engine's summaries hold them."""

    def names_of(path: str) -> Optional[NamesIndex]:
        try:
            return summarise(contents[path], path=path).names
        except (KeyError, SourceError):
            return None

    return names_of


@pytest.mark.parametrize("name", ["conectionMade", "conexiónMade"], ids=["ascii", "non-ascii"])
def test_classify_uses_the_bytes_already_read(tmp_path: Path, name: str) -> None:
    """The engine hands over the files' bytes as read and their names indexes: a reference in
    them counts, even in a file with a coding cookie, and a file that only mentions the name
    in a comment does not."""
    a = str(tmp_path / "a.py")
    d = _rename(a, 2, 9, name, "connectionMade")
    contents = {
        a: f"class C:\n    def {name}(self): ...\n".encode(),
        "user.py": f"# -*- coding: latin-1 -*-\nC().{name}\n".encode("latin-1"),
        "prose.py": f"# {name}\n".encode(),
    }
    files = [a, "user.py", "prose.py"]
    [kept] = fix.classify_fixes([d], files[::2], contents, _names_of(contents))
    assert kept.fix is not None and kept.fix.safe
    [dropped] = fix.classify_fixes([d], files, contents, _names_of(contents))
    assert dropped.fix is None


def test_classify_without_candidates_reads_nothing() -> None:
    d = Diagnostic("missing.py", 1, 1, 1, 2, "OC103", "x")

    def names_of(path: str) -> Optional[NamesIndex]:
        raise AssertionError(f"looked up {path}")

    assert fix.classify_fixes([d], ["missing.py"], {}, names_of) == [d]


def test_classify_looks_up_only_files_holding_the_name(tmp_path: Path) -> None:
    """Fix safety is a set look-up in the indexes of the files whose bytes hold the old name;
    no other file's index is consulted (nor is any file read or tokenized)."""
    a = str(tmp_path / "a.py")
    contents = {a: TYPO_SOURCE.encode(), "other.py": b"x = 1\n", "user.py": b"p.conectionMade\n"}
    lines = TYPO_SOURCE.splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "def conectionMade" in text)
    column = lines[line - 1].index("conectionMade") + 1
    d = _rename(a, line, column, "conectionMade", "connectionMade")
    asked: list[str] = []
    names_of = _names_of(contents)

    def spy(path: str) -> Optional[NamesIndex]:
        asked.append(path)
        return names_of(path)

    [got] = fix.classify_fixes([d], list(contents), contents, spy)
    assert got.fix is None  # user.py refers to it
    assert sorted(asked) == sorted([a, "user.py"])


# -- planning ----------------------------------------------------------------------------------


def _rename(path: str, line: int, column: int, old: str, new: str) -> Diagnostic:
    edit = Edit(line, column, line, column + len(old), new)
    return Diagnostic(
        path, line, column, line, column + len(old), "OC101", "m", new, Fix("t", (edit,))
    )


def test_overlapping_edits_first_wins(tmp_path: Path) -> None:
    path = str(tmp_path / "a.py")
    Path(path).write_text(TYPO_SOURCE, encoding="utf-8")
    first = _rename(path, 5, 9, "conectionMade", "connectionMade")
    second = _rename(path, 5, 9, "conectionMade", "connectionMad")
    plan = fix.plan_fixes([first, second])
    assert plan.fixed == [first]
    assert plan.skipped == [second]
    assert plan.files[0].text == FIXED_SOURCE


def test_result_that_does_not_parse_is_refused(tmp_path: Path) -> None:
    path = str(tmp_path / "a.py")
    Path(path).write_text(TYPO_SOURCE, encoding="utf-8")
    bad = _rename(path, 5, 9, "conectionMade", "connection Made")
    plan = fix.plan_fixes([bad])
    assert plan.files == []
    assert plan.skipped == [bad]
    assert [e.message for e in plan.errors] == ["fixes not applied: the result would not parse"]


def test_unsafe_fixes_only_when_asked(tmp_path: Path) -> None:
    path = str(tmp_path / "a.py")
    Path(path).write_text(TYPO_SOURCE, encoding="utf-8")
    d = _rename(path, 5, 9, "conectionMade", "connectionMade")
    assert d.fix is not None
    d = Diagnostic(**{**d.__dict__, "fix": Fix("t", d.fix.edits, safe=False)})
    assert fix.plan_fixes([d]).files == []
    assert fix.plan_fixes([d], unsafe=True).files[0].text == FIXED_SOURCE


# -- the command line --------------------------------------------------------------------------


def test_fix_safe_rename(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(tmp_path, {"a.py": TYPO_SOURCE.replace("(self):", "(self):  # keep me")})
    before = run_cli(".", cwd=tmp_path)
    assert before.returncode == 1
    assert _findings(before.stdout)[0].startswith("a.py:5:9: OC101 [*] ")
    assert "[*] 1 fixable with `--fix`" in before.stdout.splitlines()
    proc = run_cli("--fix", ".", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines() == [
        "Fixed 1 error",
        "All checks passed (checked 1 file, 1 class)",
    ]
    text = (tmp_path / "a.py").read_text(encoding="utf-8")
    assert text == FIXED_SOURCE.replace("(self):", "(self):  # keep me")
    again = run_cli(".", cwd=tmp_path)
    assert again.returncode == 0


def test_fix_same_file_reference_needs_unsafe(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(tmp_path, {"d.py": DECORATED_WITH_REFS})
    proc = run_cli(".", cwd=tmp_path)
    assert proc.returncode == 1
    assert " OC102 [*] " not in proc.stdout
    assert "No fixes available with `--fix` (1 more with `--unsafe-fixes`)" in proc.stdout
    shown = run_cli("--unsafe-fixes", ".", cwd=tmp_path)
    assert " OC102 [*] " in shown.stdout
    assert (tmp_path / "d.py").read_text(encoding="utf-8") == DECORATED_WITH_REFS

    proc = run_cli("--fix", ".", cwd=tmp_path)
    assert proc.returncode == 1
    assert "Fixed" not in proc.stdout
    assert (tmp_path / "d.py").read_text(encoding="utf-8") == DECORATED_WITH_REFS

    proc = run_cli("--fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert "Fixed 1 error" in proc.stdout.splitlines()
    text = (tmp_path / "d.py").read_text(encoding="utf-8")
    assert text == (
        DECORATED_WITH_REFS.replace("def conectionMade", "def connectionMade")
        .replace("self.conectionMade()", "self.connectionMade()")
        .replace('"conectionMade"', '"connectionMade"')
    )
    assert "# conectionMade in a comment stays" in text
    assert '"not conectionMade"' in text


def test_reference_in_other_file_is_not_fixed(tmp_path: Path, run_cli: RunCli) -> None:
    user = "def poke(p):\n    p.conectionMade()\n"
    write_tree(tmp_path, {"a.py": DECORATED_TYPO, "user.py": user})
    proc = run_cli("--format", "json", ".", cwd=tmp_path)
    [item] = json.loads(proc.stdout)
    assert item["fix"] is None
    assert item["fix_safety"] is None
    proc = run_cli("--fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert proc.returncode == 1
    assert (tmp_path / "a.py").read_text(encoding="utf-8") == DECORATED_TYPO
    assert (tmp_path / "user.py").read_text(encoding="utf-8") == user


def test_fix_keeps_crlf(tmp_path: Path, run_cli: RunCli) -> None:
    data = TYPO_SOURCE.replace("\n", "\r\n").encode()
    write_tree(tmp_path, {"a.py": data})
    proc = run_cli("--fix", "a.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert (tmp_path / "a.py").read_bytes() == data.replace(b"conectionMade", b"connectionMade")


def test_fix_keeps_bom(tmp_path: Path, run_cli: RunCli) -> None:
    data = b"\xef\xbb\xbf" + TYPO_SOURCE.encode()
    write_tree(tmp_path, {"a.py": data})
    proc = run_cli("--fix", "a.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert (tmp_path / "a.py").read_bytes() == data.replace(b"conectionMade", b"connectionMade")


def test_fix_keeps_coding_cookie_encoding(tmp_path: Path, run_cli: RunCli) -> None:
    source = "# -*- coding: latin-1 -*-\n# caf\xe9 \xe0 la cr\xe8me\n" + TYPO_SOURCE
    data = source.encode("latin-1")
    write_tree(tmp_path, {"a.py": data})
    proc = run_cli("--fix", "a.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert (tmp_path / "a.py").read_bytes() == data.replace(b"conectionMade", b"connectionMade")


def test_fix_keeps_permissions(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(tmp_path, {"a.py": TYPO_SOURCE})
    os.chmod(tmp_path / "a.py", 0o640)
    assert run_cli("--fix", "a.py", cwd=tmp_path).returncode == 0
    assert (tmp_path / "a.py").stat().st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["a.py"]


def test_fix_read_only_file(tmp_path: Path, run_cli: RunCli) -> None:
    # Read-only by its mode bits: refused even for root, who could write it anyway.
    write_tree(tmp_path, {"a.py": TYPO_SOURCE})
    os.chmod(tmp_path / "a.py", 0o444)
    try:
        proc = run_cli("--fix", "a.py", cwd=tmp_path)
    finally:
        os.chmod(tmp_path / "a.py", 0o644)
    assert proc.returncode == 1
    assert "a.py: error: cannot write fixes: file is read-only" in proc.stdout.splitlines()
    assert "Fixed" not in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
    assert (tmp_path / "a.py").read_text(encoding="utf-8") == TYPO_SOURCE
    assert os.listdir(tmp_path) == ["a.py"]


def test_fix_replace_fails_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(tmp_path, {"a.py": TYPO_SOURCE})
    monkeypatch.chdir(tmp_path)

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(fix.os, "replace", refuse)
    code = cli.main(["--fix", "a.py"])
    out = capsys.readouterr().out
    assert code == 1
    assert "a.py: error: cannot write fixes: Permission denied" in out.splitlines()
    assert (tmp_path / "a.py").read_text(encoding="utf-8") == TYPO_SOURCE
    assert os.listdir(tmp_path) == ["a.py"]


def test_fix_is_idempotent(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(tmp_path, {"a.py": TYPO_SOURCE, "d.py": LOST_WITH_REFS})
    first = run_cli("--fix", ".", cwd=tmp_path)
    assert first.returncode == 1  # the unsafe one remains
    assert "Fixed 1 error" in first.stdout.splitlines()
    assert first.stdout.splitlines()[-1] == "Found 1 problem in 1 file (checked 2 files, 2 classes)"
    snapshot = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    second = run_cli("--fix", ".", cwd=tmp_path)
    assert second.returncode == 1
    assert "Fixed" not in second.stdout
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == snapshot


def test_diff_writes_nothing(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(tmp_path, {"a.py": TYPO_SOURCE})
    proc = run_cli("--diff", "a.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "--- a.py",
        "+++ a.py",
        "@@ -2,5 +2,5 @@",
        " ",
        " ",
        " class C(Protocol):",
        "-    def conectionMade(self):",
        "+    def connectionMade(self):",
        "         pass",
    ]
    assert proc.stderr == "Would fix 1 error\n"
    assert (tmp_path / "a.py").read_text(encoding="utf-8") == TYPO_SOURCE
    assert os.listdir(tmp_path) == ["a.py"]


def test_diff_nothing_to_do(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(tmp_path, {"d.py": DECORATED_WITH_REFS, "b.py": CLEAN_SOURCE})
    proc = run_cli("--diff", ".", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout == ""
    # like --fix, it says what --unsafe-fixes would add
    assert proc.stderr == "No fixes available with `--fix` (1 more with `--unsafe-fixes`)\n"
    unsafe = run_cli("--diff", "--unsafe-fixes", ".", cwd=tmp_path)
    assert unsafe.returncode == 1
    assert '+        return getattr(self, "connectionMade"), "not conectionMade"' in unsafe.stdout


def test_statistics(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(tmp_path, {"a.py": TYPO_SOURCE, "b.py": TYPO_SOURCE, "d.py": LOST_WITH_REFS})
    proc = run_cli("--statistics", ".", cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[:2] == ["2\tOC101\t[*] misspelled-override", "1\tOC102\t[ ] override-of-nothing"]
    assert lines[-1] == "Found 3 problems in 3 files (checked 3 files, 3 classes)"
    data = json.loads(run_cli("--statistics", "--format", "json", ".", cwd=tmp_path).stdout)
    assert data[0] == {"code": "OC101", "name": "misspelled-override", "count": 2, "fixable": 2}


def _run_env(cwd: Path, env_extra: dict[str, str], *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "overridecheck", *args],
        cwd=str(cwd),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout


def test_colour_only_when_asked_or_on_a_terminal(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": TYPO_SOURCE})
    assert "\x1b[" not in _run_env(tmp_path, {}, "a.py")
    assert "\x1b[" in _run_env(tmp_path, {"FORCE_COLOR": "1"}, "a.py")
    assert "\x1b[" not in _run_env(tmp_path, {"NO_COLOR": "1"}, "a.py")


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_use_color_rules() -> None:
    from overridecheck.lint.report import use_color

    tty, pipe = _Stream(True), _Stream(False)
    assert use_color(tty, {}) is True  # type: ignore[arg-type]
    assert use_color(pipe, {}) is False  # type: ignore[arg-type]
    assert use_color(tty, {"NO_COLOR": "1"}) is False  # type: ignore[arg-type]
    assert use_color(tty, {"TERM": "dumb"}) is False  # type: ignore[arg-type]
    assert use_color(pipe, {"FORCE_COLOR": "1"}) is True  # type: ignore[arg-type]
    assert use_color(pipe, {"FORCE_COLOR": "0"}) is False  # type: ignore[arg-type]


@pytest.mark.skipif(sys.version_info < (3, 10), reason="match statements")
def test_match_class_keyword_pattern_is_a_reference(tmp_path: Path) -> None:
    """`case Sub(setup=s)` reads the attribute `setup`: the method is in use, not a typo."""
    write_tree(
        tmp_path,
        {
            "base.py": "class Base:\n    def setUp(self):\n        pass\n",
            "sub.py": "from base import Base\nclass Sub(Base):\n    def setup(self):\n"
            "        pass\n",
            "user.py": "from sub import Sub\ndef f(x):\n    match x:\n        case Sub(setup=s):\n"
            "            return s\n",
        },
    )
    assert [
        x for x in _diagnostics(tmp_path, "base.py", "sub.py", "user.py") if x.code == "OC101"
    ] == []


def test_oc107_import_travels_with_every_fix(tmp_path: Path, run_cli: RunCli) -> None:
    """The `override` import is part of every OC107 fix that needs it: when the first finding
    of the file is suppressed (`# noqa`), the others still bring it, and a second run changes
    nothing (txacme's test_endpoint.py got `@override` with no import, once more every run)."""
    source = (
        '"""Doc."""\n'
        "from twisted.internet.protocol import Protocol\n\n\n"
        "class P(Protocol):\n"
        "    def connectionMade(self):  # noqa\n"
        "        pass\n\n"
        "    def dataReceived(self, data):\n"
        "        pass\n\n"
        "    def connectionLost(self, reason):\n"
        "        pass\n"
    )
    write_tree(tmp_path, {"p.py": source})
    args = ("--select", "OC107", "--fix", "--unsafe-fixes", "p.py")
    run_cli(*args, cwd=tmp_path)
    fixed = (tmp_path / "p.py").read_text(encoding="utf-8")
    assert fixed.count("from typing_extensions import override\n") == 1
    assert fixed.count("@override\n") == 2
    compile(fixed, "p.py", "exec")
    run_cli(*args, cwd=tmp_path)
    assert (tmp_path / "p.py").read_text(encoding="utf-8") == fixed  # a fixed point


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("    def conectionMade(self):", 9),
        ("    async def c(self):", 15),  # the `c` of `async` is not the name
        ("    def  conectionMade(self):", 10),
        ("    def\tconectionMade(self):", 9),
        ("    async  def conectionMade(self):", 16),
        ("    def conectionMade(self):  # noqa: OC101", 9),
        ("    def conectionMade(self):  # é", 9),
        ("    def conectionMade(self, é=1):", 9),
    ],
)
def test_name_columns_of_defs(line: str, column: int) -> None:
    # the rename edit starts at the column: it must be the name's, however the `def` is spaced
    source = f"class P:\n{line}\n        pass\n"  # (the body's indent: 8 spaces)
    fn = summarise(source.encode("utf-8")).classes[0].methods[0]
    assert (fn.column, fn.end_column) == (column, column + len(fn.name))
    assert source.splitlines()[1][column - 1 :].startswith(fn.name)
