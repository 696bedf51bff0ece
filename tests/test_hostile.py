"""A repository being linted is untrusted: it cannot run code, abort the run or hang it.

Each test here failed before the fix it guards (see the closing note of the issue): a planted
cache entry ran code, circular bases raised ``RecursionError``, star-import cycles ran for
minutes, a non-UTF-8 file name aborted cached runs and SARIF...
"""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import TYPO_SOURCE, RunCli, write_tree

from overridecheck.lint import codec
from overridecheck.lint.cache import _MAC_SIZE, CACHE_DIR_NAME
from overridecheck.lint.engine import check_files
from overridecheck.lint.model import Diagnostic, ModuleSummary

CONFIG = "[tool.overridecheck]\n"


def _findings(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in proc.stdout.splitlines() if ": OC" in line or ": error:" in line]


class _Payload:
    """Unpickling this creates a file: what a planted pickle entry could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.marker, "w"))


def _rows(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as con:
        return [
            (table, key)
            for table in ("summary", "result")
            for (key,) in con.execute(f"SELECT key FROM {table}")
        ]


def _plant(db: Path, make: object) -> int:
    """Overwrite every entry of the cache with ``make(table, key)``; returns how many."""
    rows = _rows(db)
    with sqlite3.connect(db) as con:
        for table, key in rows:
            con.execute(f"UPDATE {table} SET data = ? WHERE key = ?", (make(table, key), key))  # type: ignore[operator]
    return len(rows)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "proj",
        {"pyproject.toml": CONFIG, "pkg/__init__.py": "", "pkg/proto.py": TYPO_SOURCE},
    )


def test_planted_pickle_entry_runs_nothing(project: Path, run_cli: RunCli, tmp_path: Path) -> None:
    """The cache lives inside the repository: a committed entry must not be unpickled."""
    expected = run_cli("--no-cache", "--jobs", "1", ".", cwd=project)
    assert expected.returncode == 1 and "conectionMade" in expected.stdout
    first = run_cli("--jobs", "1", ".", cwd=project)  # fills .overridecheck_cache/
    assert _findings(first) == _findings(expected)
    db = project / CACHE_DIR_NAME / "summaries.sqlite3"
    marker = tmp_path / "pwned"
    planted = _plant(db, lambda table, key: pickle.dumps(_Payload(marker)))
    assert planted >= 2  # a summary and a result at least
    again = run_cli("--jobs", "1", ".", cwd=project)
    assert not marker.exists(), "a cache entry ran code"
    assert _findings(again) == _findings(expected)
    assert again.returncode == expected.returncode


def test_forged_data_entry_cannot_hide_findings(project: Path, run_cli: RunCli) -> None:
    """A well-formed entry made without this user's secret is ignored: findings as --no-cache."""
    expected = run_cli("--no-cache", "--jobs", "1", ".", cwd=project)
    run_cli("--jobs", "1", ".", cwd=project)
    db = project / CACHE_DIR_NAME / "summaries.sqlite3"
    with sqlite3.connect(db) as con:
        (salt_source,) = con.execute("SELECT data FROM result").fetchone()
    salt = json.loads(salt_source[_MAC_SIZE:])[0]  # a forger can read the version salt too

    def forge(table: str, key: str) -> bytes:
        if table == "result":
            value: object = [salt, [[], [], []]]  # "no dependencies, no findings"
        else:
            value = [salt, ModuleSummary(module="pkg.proto", path="", is_package=False)]
        return b"\0" * _MAC_SIZE + codec.dumps(value)

    _plant(db, forge)
    again = run_cli("--jobs", "1", ".", cwd=project)
    assert _findings(again) == _findings(expected) != []


def test_codec_rejects_wrong_shapes() -> None:
    d = Diagnostic("a.py", 1, 2, 1, 5, "OC101", "m")
    decode = codec.decoder(tuple[Diagnostic, ...])
    assert codec.loads(codec.dumps((d,)), decode) == (d,)
    for bad in (b"[[1]]", b'[["a.py",true,2,1,5,"OC101","m",null,null,null]]', b"{}", b"\xff"):
        with pytest.raises(codec.Invalid):
            codec.loads(bad, decode)


# --------------------------------------------------------------------------- cycles


def test_circular_bases_in_one_file_are_reported_and_the_rest_checked(
    tmp_path: Path, run_cli: RunCli
) -> None:
    write_tree(
        tmp_path,
        {
            "cyc.py": "class A(B):\n    pass\n\n\nclass B(A):\n    pass\n\n\n" + TYPO_SOURCE,
            "other.py": TYPO_SOURCE,
        },
    )
    proc = run_cli("--no-cache", ".", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "internal error" not in proc.stderr
    lines = proc.stdout.splitlines()
    assert "cyc.py:1:1: error: class `A` inherits from itself: `A` -> `B` -> `A`" in lines
    assert "cyc.py:5:1: error: class `B` inherits from itself: `B` -> `A` -> `B`" in lines
    assert sum("conectionMade" in line for line in lines) == 2  # both files still checked
    assert lines[-1] == (
        "Found 2 problems in 2 files, 2 errors (checked 2 files, 2 classes; 2 classes not checked)"
    )


def test_circular_bases_across_two_files(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(
        tmp_path,
        {
            "a.py": "from b import B\n\n\nclass A(B):\n    def x(self):\n        pass\n",
            "b.py": "from a import A\n\n\nclass B(A):\n    def y(self):\n        pass\n",
        },
    )
    for args in (("--no-cache",), (), ()):  # cold, cache filled, warm
        proc = run_cli(*args, ".", cwd=tmp_path)
        assert proc.returncode == 1, proc.stderr
        assert _findings(proc) == [
            "a.py:4:1: error: class `A` inherits from itself: `A` -> `B` -> `A`",
            "b.py:4:1: error: class `B` inherits from itself: `B` -> `A` -> `B`",
        ]


def test_star_import_cycles_are_fast(tmp_path: Path) -> None:
    files = {}
    n = 6
    for i in range(n):
        stars = "".join(f"from m{(i + k) % n} import *\n" for k in (1, 2, 3))
        files[f"m{i}.py"] = (
            f"{stars}\n\nclass C{i}(Missing{i}):\n    def setUp(self):\n        pass\n"
        )
    write_tree(tmp_path, files)
    start = time.perf_counter()
    result = check_files(sorted(str(p) for p in tmp_path.glob("*.py")))
    assert time.perf_counter() - start < 10
    assert result.diagnostics == [] and result.errors == []


# --------------------------------------------------------------------------- file names


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="needs a bytes file system")
@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_file_name_that_is_not_utf8(tmp_path: Path, fmt: str) -> None:
    root = tmp_path / "names"
    root.mkdir()
    (root / "pyproject.toml").write_text(CONFIG)
    with open(os.path.join(os.fsencode(root), b"caf\xe9.py"), "w") as f:
        f.write(TYPO_SOURCE)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}
    env.update(LC_ALL="C.UTF-8", PYTHONIOENCODING="utf-8:strict")
    for _ in range(2):  # cold, then from the cache
        proc = subprocess.run(
            [sys.executable, "-m", "overridecheck", "--format", fmt, "."],
            cwd=root,
            env=env,
            capture_output=True,
            timeout=120,
        )
        assert proc.returncode == 1, proc.stderr
        assert b"internal error" not in proc.stderr
        out = proc.stdout.decode("utf-8")  # strictly valid UTF-8
        if fmt == "sarif":
            uris = {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in json.loads(out)["runs"][0]["results"]
            }
            assert uris == {"caf%E9.py"}
        elif fmt == "json":
            assert [d["path"] for d in json.loads(out)] == ["caf\\xe9.py"]
        else:
            assert "caf\\xe9.py" in out and "conectionMade" in out


# --------------------------------------------------------------------------- interpreters

MARKER_SCRIPT = '#!/bin/sh\necho ran > {marker}\nexec {python} "$@"\n'
ONLYTHERE = "class Handler:\n    def handleRequest(self, request):\n        pass\n"
USES_ONLYTHERE = (
    "from onlythere import Handler\n\n\nclass H(Handler):\n"
    "    def handleRequst(self, request):\n        pass\n"
)


def _fake_venv(root: Path, marker: Path) -> Path:
    """A virtual environment on disk whose `bin/python` would leave ``marker`` if run."""
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    site = root / "lib" / f"python{version}" / "site-packages"
    (site / "onlythere").mkdir(parents=True)
    (site / "onlythere" / "__init__.py").write_text(ONLYTHERE)
    (root / "elsewhere" / "viapth").mkdir(parents=True)
    (root / "elsewhere" / "viapth" / "__init__.py").write_text(ONLYTHERE)
    (site / "paths.pth").write_text(
        f"# a comment\n{root / 'elsewhere'}\nimport os; open({str(marker)!r}, 'w')\n"
    )
    home = os.path.dirname(sys.executable)
    (root / "pyvenv.cfg").write_text(
        f"home = {home}\ninclude-system-site-packages = false\nversion = {version}.0\n"
    )
    (root / "bin").mkdir()
    python = root / "bin" / "python"
    python.write_text(MARKER_SCRIPT.format(marker=marker, python=sys.executable))
    python.chmod(0o755)
    return python


def test_config_python_in_a_venv_is_read_not_run(tmp_path: Path, run_cli: RunCli) -> None:
    marker = tmp_path / "ran"
    _fake_venv(tmp_path / "proj" / "env", marker)
    write_tree(
        tmp_path / "proj",
        {
            "pyproject.toml": CONFIG + 'python = "env/bin/python"\n',
            "m.py": USES_ONLYTHERE,
            "n.py": USES_ONLYTHERE.replace("onlythere", "viapth"),
        },
    )
    proc = run_cli("--no-cache", "-v", ".", cwd=tmp_path / "proj")
    assert not marker.exists(), "the configured interpreter or a .pth import line was run"
    assert "installed packages: from `python` in " in proc.stderr
    assert ": the virtual environment " in proc.stderr
    assert [line.split(" ")[0] for line in _findings(proc)] == ["m.py:5:9:", "n.py:5:9:"]


def test_config_python_that_is_a_script_is_never_run(tmp_path: Path, run_cli: RunCli) -> None:
    marker = tmp_path / "ran"
    proj = write_tree(
        tmp_path / "proj",
        {"pyproject.toml": CONFIG + 'python = "tools/py"\n', "a.py": TYPO_SOURCE},
    )
    script = proj / "tools" / "py"
    script.parent.mkdir()
    script.write_text(MARKER_SCRIPT.format(marker=marker, python=sys.executable))
    script.chmod(0o755)
    proc = run_cli("--no-cache", ".", cwd=proj)
    assert not marker.exists()
    assert proc.returncode == 2
    assert proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    assert line.startswith("overridecheck: error: ") and "pyproject.toml" in line
    assert "tools/py" in line and "never run" in line


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("#!/bin/sh\nexit 3\n", "is not a working Python interpreter (exit status 3)"),
        ("#!/bin/sh\necho garbage\n", "did not print its search path"),
        ("#!/bin/sh\necho '{\"prefix\": 1}'\n", "did not print its search path"),
    ],
)
def test_bad_python_option_is_a_usage_error(
    tmp_path: Path, run_cli: RunCli, script: str, expected: str
) -> None:
    write_tree(tmp_path, {"a.py": TYPO_SOURCE})
    bad = tmp_path / "bin" / "notpython"
    bad.parent.mkdir()
    bad.write_text(script)
    bad.chmod(0o755)
    for python in (str(bad), "/bin/false"):
        proc = run_cli("--no-cache", "--python", python, "a.py", cwd=tmp_path)
        assert proc.returncode == 2, proc.stderr
        (line,) = proc.stderr.splitlines()
        assert line.startswith("overridecheck: error: ") and "internal error" not in line
        if python == str(bad):
            assert expected in line


def test_python_option_that_hangs_times_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from overridecheck.lint import environment

    slow = tmp_path / "slow"
    slow.write_text("#!/bin/sh\nsleep 60\n")
    slow.chmod(0o755)
    monkeypatch.setattr(environment, "TIMEOUT", 1.0)
    start = time.perf_counter()
    with pytest.raises(environment.InterpreterError, match="did not answer within 1 s"):
        environment.environment_of(str(slow), may_run=True)
    assert time.perf_counter() - start < 10


def test_python_option_runs_isolated_without_site(tmp_path: Path, run_cli: RunCli) -> None:
    """An interpreter named on the command line whose layout is unknown is run with -I -S."""
    args = tmp_path / "args"
    wrapper = tmp_path / "bin" / "mypy-thon"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho "$@" > {args}\nexec {sys.executable} "$@"\n')
    wrapper.chmod(0o755)
    write_tree(tmp_path, {"a.py": TYPO_SOURCE})
    proc = run_cli("--no-cache", "--python", str(wrapper), "a.py", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    assert args.read_text().split()[:2] == ["-I", "-S"]


# --------------------------------------------------------------------------- sizes


def test_generated_chains_finish_and_report_what_they_can(tmp_path: Path) -> None:
    """A 3,000-deep chain took minutes (C3 and dataclass equality were quadratic); bases named
    before they are defined, thousands deep, raised RecursionError."""
    n = 3000
    head = "from twisted.internet.protocol import Protocol\n"
    typo = "    def conectionMade(self):\n        pass\n"
    forward = head + "class C0(Protocol):\n    pass\n"
    forward += "".join(f"class C{i}(C{i - 1}):\n{typo}" for i in range(1, n))
    backward = "".join(f"class C{i}(C{i + 1}):\n{typo}" for i in range(n))
    backward += head + f"class C{n}(Protocol):\n    pass\n"
    paths = write_tree(tmp_path, {"forward.py": forward, "backward.py": backward})
    result = check_files([str(paths / "forward.py"), str(paths / "backward.py")])
    assert result.errors == []
    got = {(Path(d.path).name, d.message.split("`")[1]) for d in result.diagnostics}
    # Only the first override of `connectionMade`'s misspelling overrides nothing; the
    # classes too deep to resolve are left unchecked rather than guessed about.
    assert got == {("forward.py", "C1.conectionMade"), ("backward.py", f"C{n - 1}.conectionMade")}


def test_many_classes_and_methods(tmp_path: Path) -> None:
    head = "from twisted.internet.protocol import Protocol\n"
    classes = head + "".join(
        f"class C{i}(Protocol):\n    def helper{i}(self):\n        pass\n" for i in range(4000)
    )
    methods = (
        head
        + "class M(Protocol):\n"
        + "".join(f"    def m{i}(self):\n        pass\n" for i in range(10000))
    )
    methods += "    def dataRecieved(self, data):\n        pass\n"
    write_tree(tmp_path, {"classes.py": classes, "methods.py": methods})
    result = check_files([str(tmp_path / "classes.py"), str(tmp_path / "methods.py")])
    assert [d.suggestion for d in result.diagnostics] == ["dataReceived"]


# --------------------------------------------------------------------------- excludes


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_pb_scan_reads_only_discovered_files(tmp_path: Path, run_cli: RunCli) -> None:
    """OC104's `callRemote` scan walked every *.py below the package (a FIFO hung it, and
    excluded folders counted)."""
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/server.py": "from twisted.spread import pb\n\n\nclass R(pb.Root):\n"
            "    def remote_add_register(self, x):\n        return x\n",
            "pkg/client.py": 'def go(ref):\n    return ref.callRemote("add_registers", 1)\n',
            "pkg/.venv/lib/other.py": 'def go(r):\n    return r.callRemote("add_registerz")\n',
            "pkg/build/old.py": 'def go(r):\n    return r.callRemote("add_registerx")\n',
        },
    )
    os.mkfifo(tmp_path / "pkg" / ".venv" / "hang.py")
    os.mkfifo(tmp_path / "pkg" / "build" / "hang.py")
    proc = run_cli("--no-cache", "pkg", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert _findings(proc) == [
        "pkg/server.py:5:9: OC104 `R.remote_add_register` does not match "
        '`callRemote("add_registers")`'
    ]
    (tmp_path / "pkg" / "client.py").unlink()  # the only caller left is in an excluded folder
    proc = run_cli("--no-cache", "pkg", cwd=tmp_path)
    assert proc.returncode == 0 and _findings(proc) == []


# --------------------------------------------------------------------------- small ones


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_oc107_fix_keeps_the_files_line_endings(
    tmp_path: Path, run_cli: RunCli, newline: str
) -> None:
    source = (
        "from twisted.internet.protocol import Protocol\n\n\n"
        "class C(Protocol):\n    def connectionMade(self):\n        pass\n"
    ).replace("\n", newline)
    (tmp_path / "a.py").write_bytes(source.encode())
    proc = run_cli(
        "--no-cache", "--select", "OC107", "--fix", "--unsafe-fixes", "a.py", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = (tmp_path / "a.py").read_bytes()
    nl = newline.encode()
    assert b"@override" + nl in data and b"import override" + nl in data
    if newline == "\r\n":
        assert data.count(b"\n") == data.count(b"\r\n")
    else:
        assert b"\n" not in data


def test_killed_fix_leftovers_are_removed(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(tmp_path, {"pkg/a.py": TYPO_SOURCE})
    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = tmp_path / "pkg" / f".a.py.overridecheck-{gone.pid}-x1y2.tmp"
    live = tmp_path / "pkg" / f".a.py.overridecheck-{os.getpid()}-z3.tmp"  # a fix under way
    other = tmp_path / "pkg" / ".a.py.something.tmp"  # not ours
    for p in (stale, live, other):
        p.write_text("partial")
    proc = run_cli("--no-cache", ".", cwd=tmp_path)
    assert proc.returncode == 1
    assert not stale.exists() and live.exists() and other.exists()
    # A file named on the command line (pre-commit): its own leftovers are found too.
    stale.write_text("partial")
    proc = run_cli("--no-cache", "pkg/a.py", cwd=tmp_path)
    assert proc.returncode == 1 and not stale.exists() and live.exists()
    stale.write_text("partial")
    proc = run_cli("--no-cache", "--fix", "pkg/a.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert not stale.exists() and live.exists()
    assert sorted(p.name for p in (tmp_path / "pkg").iterdir()) == sorted(
        ["a.py", live.name, other.name]
    )


def test_unsearchable_folder_is_permission_denied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from overridecheck.lint import discover

    real = os.lstat

    def lstat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if "locked" in str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(discover.os, "lstat", lstat)
    found = discover.discover(["locked/a.py", "missing.py"], discover.Excluder())
    assert [(e.path, e.message) for e in found.errors] == [
        ("locked/a.py", "cannot read: permission denied"),
        ("missing.py", "path not found"),
    ]


def test_broken_unrelated_pyproject_in_a_parent_does_not_stop_the_run(
    tmp_path: Path, run_cli: RunCli
) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[project\nname = ", "sub/a.py": TYPO_SOURCE})
    proc = run_cli("--no-cache", ".", cwd=tmp_path / "sub")
    assert proc.returncode == 1, proc.stderr
    assert "conectionMade" in proc.stdout and proc.stderr == ""
    (tmp_path / "pyproject.toml").write_text("[tool.overridecheck\nselect = [")
    proc = run_cli("--no-cache", ".", cwd=tmp_path / "sub")
    assert proc.returncode == 2 and "invalid TOML" in proc.stderr


def test_python_option_wrapper_of_a_venv_uses_the_venv(tmp_path: Path, run_cli: RunCli) -> None:
    """Run without `site`, a venv's interpreter reports its base installation: the venv it
    really is must still be read (a wrapper script used to lose its packages silently)."""
    if not (Path(sys.prefix) / "pyvenv.cfg").is_file():
        pytest.skip("the tests' own interpreter must be a venv")
    wrapper = tmp_path / "bin" / "wrapped"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\nexec {Path(sys.prefix) / "bin" / "python"} "$@"\n')
    wrapper.chmod(0o755)
    write_tree(tmp_path, {"a.py": TYPO_SOURCE})
    proc = run_cli("--no-cache", "-v", "--python", str(wrapper), "a.py", cwd=tmp_path)
    assert proc.returncode == 1 and "conectionMade" in proc.stdout, proc.stderr
    assert f"(run by {wrapper})" in proc.stderr


def test_python_option_children_are_killed_and_types_checked(tmp_path: Path) -> None:
    from overridecheck.lint import environment

    pid_file = tmp_path / "child.pid"
    answer = '{"prefix": "/nowhere", "executable": "", "version": [3, 11], "path": []}'
    forks = tmp_path / "forks"
    forks.write_text(f"#!/bin/sh\n(sleep 60) &\necho $! > {pid_file}\necho '{answer}'\n")
    forks.chmod(0o755)
    start = time.perf_counter()
    got = environment.environment_of(str(forks), may_run=True)
    assert time.perf_counter() - start < 5  # the child keeping stdout open is not waited for
    assert got.path == ()
    pid = int(pid_file.read_text())
    time.sleep(0.2)
    status = Path(f"/proc/{pid}/status")
    if status.exists():  # killed with the interpreter's session: gone, or a zombie not reaped
        assert "State:\tZ" in status.read_text()
    bad = tmp_path / "bools"
    bad.write_text(
        '#!/bin/sh\necho \'{"prefix": "/", "executable": "", "version": [true, false], '
        '"path": []}\'\n'
    )
    bad.chmod(0o755)
    with pytest.raises(environment.InterpreterError, match="did not print its search path"):
        environment.environment_of(str(bad), may_run=True)


def _run_with(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess with these environment variables set (caching on)."""
    full = {k: v for k, v in os.environ.items() if k != "OVERRIDECHECK_DEBUG"}
    full.update(PYTHONIOENCODING="utf-8", **env)
    return subprocess.run(
        [sys.executable, "-m", "overridecheck", *args],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_relative_xdg_cache_home_is_ignored(tmp_path: Path) -> None:
    """The XDG spec: a relative XDG_CACHE_HOME is invalid (it made the per-user secret land in
    the repository being checked)."""
    write_tree(tmp_path, {"a.py": TYPO_SOURCE})
    home = tmp_path / "home"
    proc = _run_with(tmp_path, "a.py", XDG_CACHE_HOME="relative", HOME=str(home))
    assert proc.returncode == 1
    assert not (tmp_path / "relative").exists()
    assert (home / ".cache" / "overridecheck" / "secret").is_file()


def test_damaged_secret_is_replaced(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": CONFIG, "a.py": TYPO_SOURCE})
    xdg = tmp_path / "xdg"
    (xdg / "overridecheck").mkdir(parents=True)
    secret = xdg / "overridecheck" / "secret"
    secret.write_bytes(b"abc")
    for _ in range(2):
        assert _run_with(tmp_path, "a.py", XDG_CACHE_HOME=str(xdg)).returncode == 1
    assert len(secret.read_bytes()) == 32
    db = tmp_path / CACHE_DIR_NAME / "summaries.sqlite3"
    assert _rows(db)  # the cache works again


def test_symlinked_cache_folder_in_the_repository_is_not_followed(
    tmp_path: Path, run_cli: RunCli
) -> None:
    proj = write_tree(tmp_path / "proj", {"pyproject.toml": CONFIG, "a.py": TYPO_SOURCE})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (proj / CACHE_DIR_NAME).symlink_to(elsewhere, target_is_directory=True)
    proc = run_cli(".", cwd=proj)
    assert proc.returncode == 1 and "conectionMade" in proc.stdout
    assert list(elsewhere.iterdir()) == []  # nothing written through the link


def test_unreadable_file_says_so_as_a_folder_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One wording for what cannot be read: `cannot read file: permission denied`, as
    `cannot read directory: permission denied` (root reads anything: the error is simulated)."""
    from overridecheck.lint import sources

    (tmp_path / "a.py").write_text("x = 1\n")

    def denied(path: str) -> bytes:
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(sources, "_read", denied)
    entry = sources.read_file(str(tmp_path / "a.py"), {})
    assert entry.error is not None
    assert entry.error.message == "cannot read file: permission denied"
