"""Bad input, end to end: every problem file gets one clear line, every other file is checked.

Unreadable files (``chmod 000``) are only tested when not running as root, because root can
read them anyway.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import TYPO_COLUMN, TYPO_LINE, TYPO_SOURCE, RunCli, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from overridecheck.lint.engine import LintResult, check_files

GOOD_LINE = f"good.py:{TYPO_LINE}:{TYPO_COLUMN}: OC101 "

Setup = Callable[[Path], None]


def _write(name: str, data: bytes) -> Setup:
    def setup(root: Path) -> None:
        (root / name).write_bytes(data)

    return setup


def _symlink(name: str, target: str) -> Setup:
    def setup(root: Path) -> None:
        os.symlink(target, root / name)

    return setup


def _loop(root: Path) -> None:
    (root / "sub").mkdir()
    os.symlink("..", root / "sub" / "up")


def _locked(root: Path) -> None:
    path = root / "locked.py"
    path.write_text(TYPO_SOURCE)
    path.chmod(0)


ERROR_CASES: list[tuple[str, Setup, str, str]] = [
    # (id, setup, path shown, something the line says)
    ("python2", _write("py2.py", b'print "x"\n'), "py2.py:1:", "syntax error"),
    ("syntax", _write("syntax.py", b"def f(:\n    pass\n"), "syntax.py:1:", "syntax error"),
    # not UTF-8 on the first or second line (no cookie): the same error as on a later line
    ("latin1", _write("latin1.py", b"x = '\xe9t\xe9'\n"), "latin1.py:1:", "cannot decode"),
    (
        "latin1-line-2",
        _write("latin1b.py", b"#!/usr/bin/env python\nx = '\xe9'\n"),
        "latin1b.py:2:",
        "cannot decode file as utf-8",
    ),
    (
        "latin1-cr-only-line-2",
        _write("latin1d.py", b"#!/usr/bin/env python\r# caf\xe9\rx = 1\r"),
        "latin1d.py:2:",
        "utf-8",
    ),
    (
        "latin1-line-3",
        _write("latin1c.py", b"a = 1\nb = 2\nc = '\xe9'\n"),
        "latin1c.py:3:",
        "utf-8",
    ),
    ("bad-cookie", _write("cookie.py", b"# coding: klingon\nx = 1\n"), "cookie.py", "klingon"),
    ("nul-byte", _write("nul.py", b"x = 1\x00\n"), "nul.py", "null bytes"),
    ("broken-symlink", _symlink("broken.py", "nowhere.py"), "broken.py", "broken symlink"),
    ("symlink-loop", _loop, "sub/up", "symlink loop"),
    ("file-symlink-loop", _symlink("self.py", "self.py"), "self.py", "symlink loop"),
]
if hasattr(os, "geteuid") and os.geteuid() != 0:
    ERROR_CASES.append(("unreadable", _locked, "locked.py", "cannot read"))


def _check_error_run(proc_stdout: str, proc_stderr: str, shown: str, says: str) -> None:
    lines = proc_stdout.splitlines()
    assert "Traceback" not in proc_stdout + proc_stderr
    assert proc_stderr == ""
    assert any(line.startswith(GOOD_LINE) for line in lines), lines
    name = shown.split(":")[0]
    bad = [line for line in lines if line.startswith(name + ":")]
    assert len(bad) == 1, lines
    assert bad[0].startswith(shown)
    assert ": error: " in bad[0]
    assert says in bad[0]
    # only the good file counts as checked
    assert (
        lines[-1]
        == "Found 1 problem in 1 file, 1 path could not be checked (checked 1 file, 1 class)"
    )


@pytest.mark.parametrize(
    ("setup", "shown", "says"), [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES]
)
def test_bad_file_reported_others_checked(
    tmp_path: Path, run_cli: RunCli, setup: Setup, shown: str, says: str
) -> None:
    write_tree(tmp_path, {"good.py": TYPO_SOURCE})
    setup(tmp_path)
    proc = run_cli(".", cwd=tmp_path)
    assert proc.returncode == 1
    _check_error_run(proc.stdout, proc.stderr, shown, says)


def test_missing_path_argument(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(tmp_path, {"good.py": TYPO_SOURCE})
    proc = run_cli("nonexistent.py", "good.py", cwd=tmp_path)
    assert proc.returncode == 1
    _check_error_run(proc.stdout, proc.stderr, "nonexistent.py", "path not found")


def test_missing_path_only(tmp_path: Path, run_cli: RunCli) -> None:
    proc = run_cli("nonexistent.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "nonexistent.py: error: path not found",
        "1 path could not be checked (checked 0 files)",
    ]


def test_all_bad_inputs_in_one_run(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(tmp_path, {"good.py": TYPO_SOURCE})
    for case in ERROR_CASES:
        case[1](tmp_path)
    proc = run_cli(".", "missing.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    errors = [line for line in lines if ": error: " in line]
    assert len(errors) == len(ERROR_CASES) + 1
    assert [line for line in lines if " OC101 " in line] == [
        line for line in lines if line.startswith(GOOD_LINE)
    ]


TYPO_BYTES = TYPO_SOURCE.encode()
FINE_CASES: list[tuple[str, bytes, int]] = [
    # (id, contents, line of the OC101 finding; 0 for none)
    ("bom", b"\xef\xbb\xbf" + TYPO_BYTES, TYPO_LINE),
    ("crlf", TYPO_BYTES.replace(b"\n", b"\r\n"), TYPO_LINE),
    ("cr-only", TYPO_BYTES.replace(b"\n", b"\r"), TYPO_LINE),
    ("form-feed", b"\x0c\n" + TYPO_BYTES.replace(b"class C", b"\x0cclass C"), TYPO_LINE + 1),
    ("latin1-cookie", b"# -*- coding: latin-1 -*-\nx = '\xe9'\n" + TYPO_BYTES, TYPO_LINE + 2),
    ("empty", b"", 0),
    ("only-comment", b"# nothing here", 0),
    ("no-final-newline", TYPO_BYTES.rstrip(b"\n"), TYPO_LINE),
]


@pytest.mark.parametrize(
    ("data", "line"), [c[1:] for c in FINE_CASES], ids=[c[0] for c in FINE_CASES]
)
def test_unusual_but_valid_files(tmp_path: Path, run_cli: RunCli, data: bytes, line: int) -> None:
    write_tree(tmp_path, {"odd.py": data})
    proc = run_cli("-q", ".", cwd=tmp_path)
    assert proc.stderr == ""
    if line:
        assert proc.returncode == 1
        assert proc.stdout.startswith(f"odd.py:{line}:{TYPO_COLUMN}: OC101 ")
        assert len(proc.stdout.splitlines()) == 1
    else:
        assert proc.returncode == 0
        assert proc.stdout == ""


def test_huge_file(tmp_path: Path, run_cli: RunCli) -> None:
    filler = "x = 1\n" * 50_000
    write_tree(tmp_path, {"huge.py": filler + TYPO_SOURCE})
    proc = run_cli("-q", "huge.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"huge.py:{50_000 + TYPO_LINE}:{TYPO_COLUMN}: OC101 ")


# -- fuzzing the engine in-process ---------------------------------------------------------

SEED = (Path(__file__).resolve().parent.parent / "examples" / "echo_server.py").read_bytes()
SEED_LINES = SEED.splitlines(keepends=True) + TYPO_BYTES.splitlines(keepends=True)


@st.composite
def mutated_sources(draw: st.DrawFn) -> bytes:
    lines = list(SEED_LINES)
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "bytes", "truncate", "indent"]))
        if not lines:
            break
        i = rnd.randrange(len(lines))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(rnd.randrange(len(lines) + 1), lines[i])
        elif op == "swap":
            j = rnd.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "bytes":
            junk = draw(st.binary(min_size=1, max_size=8))
            pos = rnd.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:pos] + junk + lines[i][pos:]
        elif op == "truncate":
            lines[i] = lines[i][: rnd.randrange(len(lines[i]) + 1)]
        else:
            lines[i] = b"    " + lines[i]
    return b"".join(lines)


sources = st.one_of(
    mutated_sources(),
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass")),
)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=sources)
def test_engine_never_raises(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.py"
    path.write_bytes(data)
    result = check_files([str(path)])
    assert isinstance(result, LintResult)
    assert all(d.path == str(path) for d in result.diagnostics)
    assert all(e.path == str(path) for e in result.errors)
    assert len(result.errors) <= 1


@st.composite
def hierarchies(draw: st.DrawFn) -> dict[str, str]:
    """A few modules whose classes derive from each other in any order, across modules, in
    cycles too, with star imports (and their cycles) between the modules."""
    n_modules = draw(st.integers(1, 4))
    n_classes = draw(st.integers(1, 8))
    owner = [draw(st.integers(0, n_modules - 1)) for _ in range(n_classes)]
    hooks = ["connectionMade", "conectionMade", "dataReceived", "setUp", "setup", "x"]
    bodies: list[list[str]] = [[] for _ in range(n_modules)]
    heads: list[list[str]] = [[] for _ in range(n_modules)]
    for m in range(n_modules):
        for other in draw(st.lists(st.integers(0, n_modules - 1), max_size=3)):
            heads[m].append(f"from m{other} import *")
        if draw(st.booleans()):
            heads[m].append("from twisted.internet.protocol import Protocol")
    for c in range(n_classes):
        bases = draw(st.lists(st.integers(-1, n_classes - 1), max_size=3, unique=True))
        names = []
        for b in bases:
            if b == -1:
                names.append("Protocol")
            elif owner[b] == owner[c]:
                names.append(f"C{b}")
            else:
                heads[owner[c]].append(f"from m{owner[b]} import C{b}")
                names.append(f"C{b}")
        methods = draw(st.lists(st.sampled_from(hooks), max_size=3))
        body = "".join(f"    def {name}(self):\n        pass\n" for name in methods) or "    pass\n"
        bases_text = f"({', '.join(names)})" if names else ""
        bodies[owner[c]].append(f"class C{c}{bases_text}:\n{body}")
    return {
        f"m{m}.py": "\n".join(heads[m]) + "\n\n\n" + "\n\n".join(bodies[m])
        for m in range(n_modules)
    }


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=hierarchies())
def test_generated_hierarchies_never_raise(tmp_path: Path, files: dict[str, str]) -> None:
    """Cycles of bases (in one file or across files) and of star imports: every file is
    checked, each cycle is an error on the class line, and nothing raises or hangs."""
    folder = tmp_path / f"h{abs(hash(tuple(sorted(files.items()))))}"
    folder.mkdir()
    paths = []
    for name, text in files.items():
        (folder / name).write_text(text)
        paths.append(str(folder / name))
    for jobs in (1, 2):
        result = check_files(sorted(paths), jobs=jobs)
        assert all(e.checked and "inherits from itself" in e.message for e in result.errors)
        cyclic = {(e.path, e.line) for e in result.errors}
        assert len(cyclic) == len(result.errors)
        assert all((d.path, d.line) not in cyclic for d in result.diagnostics)


def test_the_checked_codes_own_warnings_are_not_shown(tmp_path: Path) -> None:
    """`"\\S"` in a checked file made `ast.parse` warn (a SyntaxWarning printed on stderr for
    every such file since Python 3.12): the code's business, not the linter's."""
    import warnings

    from overridecheck.lint.engine import check_files
    from overridecheck.lint.fix import plan_fixes

    source = (
        'import re\nfrom twisted.internet.protocol import Protocol\nX = re.compile("\\S+")\n'
        "class P(Protocol):\n    def conectionMade(self):\n        pass\n"
    )
    (tmp_path / "w.py").write_text(source)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        result = check_files([str(tmp_path / "w.py")], select={"OC101", "OC106", "OC108"})
        plan_fixes(result.diagnostics)
    assert [d.code for d in result.diagnostics] == ["OC101"]
    assert [str(w.message) for w in seen] == []
