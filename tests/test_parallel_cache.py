"""Serial, parallel, cold-cache and warm-cache runs agree; the cache is never trusted blindly."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import RunCli, write_tree

from overridecheck.lint.engine import LintResult, check_files

BASE = """\
from twisted.internet import protocol
from twisted.protocols.basic import LineReceiver


class Base{i}(protocol.Protocol):
    def greeting(self):
        pass


class Lines{i}(LineReceiver):
    delimiter = b"\\n"
"""

CHILD = """\
from .base{j} import Base{j}, Lines{j}
from pkg import base{k} as other


class Child{i}(Base{j}):
    def conectionMade(self):
        pass

    def greting(self):
        pass


class Reader{i}(Lines{j}):
    def lineRecieved(self, line):
        pass


class Fine{i}(other.Base{k}):
    def connectionMade(self):
        pass

    def dataReceived(self, data):
        pass
"""


def make_tree(root: Path, n: int = 12) -> list[str]:
    pkg = root / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from .base0 import Base0\n")
    for i in range(n):
        (pkg / f"base{i}.py").write_text(BASE.format(i=i))
        (pkg / f"child{i}.py").write_text(CHILD.format(i=i, j=i, k=(i + 1) % n))
    (pkg / "broken.py").write_text("def f(:\n")
    return sorted(str(p) for p in pkg.glob("*.py"))


def key(r: LintResult) -> tuple[object, ...]:
    return (tuple(r.diagnostics), tuple(r.errors))


def test_parallel_and_cached_runs_equal_serial(tmp_path: Path) -> None:
    files = make_tree(tmp_path, n=24)  # enough modules for both process pools to be used
    assert len(files) >= 16 * 2
    serial = check_files(files, jobs=1)
    assert len(serial.diagnostics) == 3 * 24
    assert [e.path for e in serial.errors] == [str(tmp_path / "pkg" / "broken.py")]
    assert key(check_files(files, jobs=2)) == key(serial)
    cache = str(tmp_path / "cache")
    cold = check_files(files, jobs=2, cache_dir=cache)
    warm = check_files(files, jobs=1, cache_dir=cache)
    assert key(cold) == key(serial)
    assert key(warm) == key(serial)


def test_touched_dependency_invalidates_dependent_results(tmp_path: Path) -> None:
    files = make_tree(tmp_path, n=4)
    cache = str(tmp_path / "cache")
    check_files(files, cache_dir=cache)
    # base1 now defines `greting`, so child1's `greting` overrides it: its finding must go away,
    # although child1.py itself did not change.
    base1 = tmp_path / "pkg" / "base1.py"
    base1.write_text(
        BASE.format(i=1).replace(
            "    def greeting(self):",
            "    def greting(self):\n        pass\n\n    def greeting(self):",
        )
    )
    warm = check_files(files, cache_dir=cache)
    assert key(warm) == key(check_files(files))
    child1 = [d for d in warm.diagnostics if d.path.endswith("child1.py")]
    assert {d.suggestion for d in child1} == {"connectionMade", "lineReceived"}


def test_corrupt_cache_entries_are_ignored(tmp_path: Path) -> None:
    files = make_tree(tmp_path, n=3)
    cache = tmp_path / "cache"
    expected = key(check_files(files))
    check_files(files, cache_dir=str(cache))
    db = sqlite3.connect(str(cache / "summaries.sqlite3"))
    with db:
        db.execute("UPDATE summary SET data = x'00ff00'")
        db.execute("UPDATE result SET data = x'80049500'")
    db.close()
    assert key(check_files(files, cache_dir=str(cache))) == expected
    # And a cache folder that is not a database at all.
    (cache / "summaries.sqlite3").write_bytes(b"not a database" * 100)
    assert key(check_files(files, cache_dir=str(cache))) == expected


def test_unusable_cache_dir_does_not_fail_the_run(tmp_path: Path) -> None:
    files = make_tree(tmp_path, n=2)
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    assert key(check_files(files, cache_dir=str(blocker / "cache"))) == key(check_files(files))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes")
def test_concurrent_runs_share_a_cache_safely(tmp_path: Path) -> None:
    files = make_tree(tmp_path, n=8)
    cache = str(tmp_path / "cache")
    cmd = [
        sys.executable,
        "-m",
        "overridecheck",
        "--format",
        "json",
        "--cache-dir",
        cache,
        "--jobs",
        "1",
    ]
    env = {**os.environ, "NO_COLOR": "1"}
    procs = [
        subprocess.Popen([*cmd, *files], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [1, 1, 1, 1]
    assert len({o[0] for o in outs}) == 1
    assert b"Traceback" not in b"".join(o[1] for o in outs)


def test_installed_bases_are_summarised_once_before_checking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """During phase 1, the main process summarises the installed modules that linted classes
    derive from (and their own bases' modules), each once, as the workers' summaries arrive;
    the phase 2 workers inherit them instead of each parsing them again; installed modules
    nothing derives from are never read."""
    from overridecheck.lint import parallel, sources

    site = tmp_path / "site" / "ext"
    site.mkdir(parents=True)
    (site / "__init__.py").write_text("from ext.core import Base\n")
    (site / "core.py").write_text("from ext.root import Root\n\n\nclass Base(Root):\n    pass\n")
    (site / "root.py").write_text("class Root:\n    def hook(self):\n        pass\n")
    (site / "unused.py").write_text("class Unused:\n    pass\n")
    pkg = tmp_path / "tree" / "pkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    for i in range(40):
        (pkg / f"m{i}.py").write_text(
            f"import ext\n\n\nclass C{i}(ext.Base):\n    def hok(self):\n        pass\n"
        )
    files = sorted(str(p) for p in pkg.glob("*.py"))
    log = tmp_path / "summarised.log"
    phase = {"now": "parent"}

    def in_phase(name: str, now: str) -> None:
        original = getattr(parallel, name)

        def wrapper(indices: list[int]) -> object:
            phase["now"] = now  # a worker process's own copy
            return original(indices)

        wrapper.__module__, wrapper.__qualname__ = parallel.__name__, name
        monkeypatch.setattr(parallel, name, wrapper)

    in_phase("_summarise_worker", "phase 1")
    in_phase("_check_worker", "phase 2")
    summarise = sources.summarise_bytes

    def logged(path: str, data: bytes, module: str, is_package: bool, index: bool = True) -> object:
        if not module.startswith("pkg"):
            with open(log, "a", encoding="utf-8") as f:
                f.write(f"{phase['now']} {module}\n")
        return summarise(path, data, module, is_package, index)

    monkeypatch.setattr(sources, "summarise_bytes", logged)
    result = check_files(files, jobs=2, search_path=[str(tmp_path / "site")])
    assert len(result.diagnostics) == 40
    seen = log.read_text(encoding="utf-8").splitlines()
    assert sorted(seen) == ["parent ext", "parent ext.core", "parent ext.root"]


@pytest.mark.parametrize(
    ("weights", "parts"),
    [([1] * 100, 8), ([50, 1, 1, 1, 1, 1, 1, 1, 40, 1, 1, 1, 1, 30], 4), ([7], 8), ([], 4)],
    ids=["even", "uneven", "one", "none"],
)
def test_checking_shares_are_contiguous_runs_of_similar_cost(
    weights: list[int], parts: int
) -> None:
    from overridecheck.lint.parallel import _contiguous

    chunks = _contiguous(weights, parts)
    assert all(chunks)
    assert [i for c in chunks for i in c] == list(range(len(weights)))  # all, in order
    assert len(chunks) <= max(1, min(parts + 1, len(weights)))
    if weights:
        target = sum(weights) / parts
        heaviest = max(weights)
        for c in chunks:  # no run is much over its share unless one module alone is
            assert sum(weights[i] for i in c) <= target + heaviest


def test_pb_finding_follows_callers_in_other_files(tmp_path: Path, run_cli: RunCli) -> None:
    """OC104 compares `remote_` methods with `callRemote` calls anywhere in the package: a
    cached result must go stale when a caller's file changes (it did not)."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "[tool.overridecheck]\n",
            "pkg/__init__.py": "",
            "pkg/a.py": "from twisted.spread import pb\n\n\nclass Registers(pb.Root):\n"
            "    def remote_add_register(self, n):\n        pass\n",
            "pkg/b.py": "def go(root):\n    root.callRemote('add_registers', 1)\n",
        },
    )
    b = tmp_path / "pkg" / "b.py"
    for text, expected in (("add_registers", 1), ("add_register", 0), ("add_registers", 1)):
        b.write_text(f"def go(root):\n    root.callRemote('{text}', 1)\n")
        cold = run_cli("--no-cache", ".", cwd=tmp_path)
        warm = run_cli(".", cwd=tmp_path)
        assert cold.returncode == warm.returncode == expected, (text, warm.stdout)
        assert cold.stdout == warm.stdout


def test_a_touched_file_loads_only_its_own_summary_for_pb_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """OC104's `callRemote` names come from every module of the package; with a cache, each
    module's share is remembered with its stamp, so after one file changes only that file's
    summary is loaded again (each was loaded and decoded: 0.9 s of a 1.4 s run on Twisted),
    and a share that changed, or a new module's, still changes the finding."""
    from overridecheck.lint.cache import SummaryCache

    others = {f"pkg/m{i}.py": f"def f{i}():\n    return {i}\n" for i in range(6)}
    root = pb_tree(tmp_path, "add_registers", others)
    files = sorted(str(p) for p in (root / "pkg").glob("*.py"))
    cache = str(tmp_path / "cache")
    assert len(check_files(files, cache_dir=cache).diagnostics) == 1

    loaded: list[str] = []
    real_get_many = SummaryCache.get_many

    def spy(self: SummaryCache, keys: list[str]) -> dict[str, object]:
        found = real_get_many(self, keys)
        loaded.extend(s.module for s in found.values())
        return found  # type: ignore[return-value]

    monkeypatch.setattr(SummaryCache, "get_many", spy)
    touched = root / "pkg" / "m3.py"
    touched.write_text(touched.read_text() + "# touched\n")
    assert len(check_files(files, cache_dir=cache).diagnostics) == 1
    assert "pkg.a" in loaded  # the PB class is checked again: its package changed
    assert not {"pkg.b", "pkg.m0", "pkg.m5"} & set(loaded), loaded

    (root / "pkg" / "b.py").write_text("def go(root):\n    root.callRemote('unrelated')\n")
    assert check_files(files, cache_dir=cache).diagnostics == []
    new = root / "pkg" / "m9.py"
    new.write_text("def go(root):\n    root.callRemote('add_registers', 1)\n")
    again = check_files([*files, str(new)], cache_dir=cache)
    assert [d.code for d in again.diagnostics] == ["OC104"]
    assert again.diagnostics == check_files([*files, str(new)]).diagnostics  # as without


def pb_tree(root: Path, called: str, others: dict[str, str]) -> Path:
    """A package with a PB root, a caller of ``called`` and ``others``."""
    return write_tree(
        root,
        {
            "pyproject.toml": "[tool.overridecheck]\n",
            "pkg/__init__.py": "",
            "pkg/a.py": "from twisted.spread import pb\n\n\nclass Registers(pb.Root):\n"
            "    def remote_add_register(self, n):\n        pass\n",
            "pkg/b.py": f"def go(root):\n    root.callRemote('{called}', 1)\n",
            **others,
        },
    )


def test_unchanged_files_are_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose stat is the one recorded with its content key is not read; a change that
    keeps the size and the modification time still changes the inode's ctime, so it is seen."""
    from overridecheck.lint import sources

    monkeypatch.setattr(sources, "RACY", -1.0)  # record every file's stat, even a fresh one
    files = make_tree(tmp_path, n=3)
    cache = str(tmp_path / "cache")
    first = check_files(files, cache_dir=cache)
    reads: list[str] = []
    made: list[str] = []
    real_read, real_summarise = sources._read, sources.summarise_bytes

    def spy(path: str) -> bytes:
        reads.append(path)
        return real_read(path)

    def spy_summarise(
        path: str, data: bytes, module: str, is_package: bool, index: bool = True
    ) -> sources.Made:
        made.append(os.path.basename(path))
        return real_summarise(path, data, module, is_package, index)

    monkeypatch.setattr(sources, "_read", spy)
    monkeypatch.setattr(sources, "summarise_bytes", spy_summarise)
    again = check_files(files, cache_dir=cache)
    assert key(again) == key(first)
    assert reads == []  # a whole-run hit: no file read, no summary or result decoded
    child = tmp_path / "pkg" / "child1.py"
    st = child.stat()
    time.sleep(0.05)  # past the clock tick of the first write
    child.write_text(child.read_text().replace("conectionMade", "conectionMadf"))
    os.utime(child, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime
    assert child.stat().st_size == st.st_size and child.stat().st_mtime_ns == st.st_mtime_ns
    changed = check_files(files, cache_dir=cache)
    assert made == ["child1.py"]  # the others' summaries and results come from the cache
    assert all(str(tmp_path) in r for r in reads)  # installed modules: their stat only
    assert key(changed) == key(check_files(files))
    assert "`Child1.conectionMadf` overrides nothing" in " ".join(
        d.message for d in changed.diagnostics
    )


def test_fresh_files_are_hashed_every_run(tmp_path: Path) -> None:
    """A file modified in the last seconds may change again within the same clock tick: its
    stat is not recorded, so the next run reads and hashes it."""
    files = make_tree(tmp_path, n=2)
    cache = tmp_path / "cache"
    check_files(files, cache_dir=str(cache))
    from overridecheck.lint.cache import _stat_key

    db = sqlite3.connect(str(cache / "summaries.sqlite3"))
    try:
        keys = {k for (k,) in db.execute("SELECT key FROM stat")}
    finally:
        db.close()
    assert keys and not keys & {_stat_key(os.path.abspath(f)) for f in files}


def test_whole_run_hit_checks_modules_outside_the_tree(tmp_path: Path) -> None:
    """The cached result of a whole run holds while no linted file changed *and* no installed
    module it depended on did."""
    site = tmp_path / "site" / "ext"
    site.mkdir(parents=True)
    (site / "__init__.py").write_text("class Base:\n    def hook(self):\n        pass\n")
    tree = write_tree(tmp_path / "tree", {"m.py": "import ext\n\n\nclass C(ext.Base):\n"
                                          "    def hok(self):\n        pass\n"})  # fmt: skip
    files = [str(tree / "m.py")]
    search = [str(tmp_path / "site")]
    cache = str(tmp_path / "cache")
    assert [d.suggestion for d in check_files(files, search_path=search, cache_dir=cache)
            .diagnostics] == ["hook"]  # fmt: skip
    (site / "__init__.py").write_text(
        "class Base:\n    def hook(self):\n        pass\n\n    def hok(self):\n        pass\n"
    )
    assert check_files(files, search_path=search, cache_dir=cache).diagnostics == []


def test_fix_evidence_follows_touched_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fix safety's byte test is remembered between runs: after a change, only the files that
    held the old name and the changed ones are read, and a reference added to (or removed
    from) a touched file still decides the fix."""
    from overridecheck.lint import sources

    monkeypatch.setattr(sources, "RACY", -1.0)  # record every file's stat, even a fresh one
    typo = (
        "from twisted.internet import protocol\n\n\n"
        "class Echo(protocol.Protocol):\n"
        "    def conectionMade(self):\n"
        "        pass\n"
    )
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "proto.py").write_text(typo)
    for i in range(5):
        (pkg / f"other{i}.py").write_text(f"def f{i}(x):\n    return x\n")
    files = sorted(str(p) for p in pkg.glob("*.py"))
    cache = str(tmp_path / "cache")

    def fix_of(result: LintResult) -> object:
        [d] = [d for d in result.diagnostics if d.code == "OC101"]
        return None if d.fix is None else d.fix.safe

    assert fix_of(check_files(files, cache_dir=cache)) is True
    reads: list[str] = []
    real_read = sources._read

    def spy(path: str) -> bytes:
        reads.append(os.path.basename(path))
        return real_read(path)

    monkeypatch.setattr(sources, "_read", spy)
    user = pkg / "other3.py"
    user.write_text("def f3(x):\n    return x.conectionMade()\n")
    assert fix_of(check_files(files, cache_dir=cache)) is None  # a caller elsewhere: no fix
    assert sorted(set(reads)) == ["other3.py", "proto.py"]
    assert fix_of(check_files(files)) is None  # as a run without the cache says
    reads.clear()
    (pkg / "other1.py").write_text("def f1(x):\n    return x + 1\n")
    assert fix_of(check_files(files, cache_dir=cache)) is None  # other3 still calls it
    assert sorted(set(reads)) == ["other1.py", "other3.py", "proto.py"]
    user.write_text("def f3(x):\n    return x\n")
    assert fix_of(check_files(files, cache_dir=cache)) is True  # the caller is gone
    assert fix_of(check_files(files)) is True


def test_evidence_pass_follows_touched_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The evidence pass's byte test is remembered between runs too: a use of the name added
    to (or removed from) a touched file that imports the module still decides the finding."""
    from overridecheck.lint import sources

    monkeypatch.setattr(sources, "RACY", -1.0)
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "proto.py").write_text(
        "from twisted.internet import protocol\n\n\n"
        "class Echo(protocol.Protocol):\n"
        "    def conectionMade(self):\n"
        "        pass\n"
    )
    for i in range(4):
        (pkg / f"other{i}.py").write_text(
            f"from pkg import proto\n\n\ndef f{i}(x):\n    return x\n"
        )
    files = sorted(str(p) for p in pkg.glob("*.py"))
    cache = str(tmp_path / "cache")

    def reported(result: LintResult) -> bool:
        return any(d.code == "OC101" for d in result.diagnostics)

    assert reported(check_files(files, cache_dir=cache))
    user = pkg / "other2.py"
    user.write_text("from pkg import proto\n\n\ndef f2(x):\n    return x.conectionMade()\n")
    assert not reported(check_files(files, cache_dir=cache))  # in use: not a typo
    assert not reported(check_files(files))
    user.write_text("from pkg import proto\n\n\ndef f2(x):\n    return x\n")
    assert reported(check_files(files, cache_dir=cache))
