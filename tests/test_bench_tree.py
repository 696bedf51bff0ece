"""`bench/lint_speed.py --tree PATH` works on a fresh clone: no ``../shared`` corpus needed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import CLEAN_SOURCE, write_tree

BENCH = Path(__file__).resolve().parent.parent / "bench" / "lint_speed.py"


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lint_speed_for_test", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tree_path_needs_no_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bench = _load_bench()
    clone = tmp_path / "clone"  # a fresh clone: nothing beside it, no ../shared
    clone.mkdir()
    monkeypatch.setattr(bench, "REPO", clone)
    monkeypatch.delenv("OC_CORPUS", raising=False)
    monkeypatch.setattr(subprocess, "run", _no_subprocess)
    tree = write_tree(tmp_path / "tree", {"a.py": CLEAN_SOURCE, "pkg/b.py": CLEAN_SOURCE})
    assert bench.collect(str(tree)) == [str(tree / "a.py"), str(tree / "pkg" / "b.py")]
    assert bench.collect(str(tree / "a.py")) == [str(tree / "a.py")]
    with pytest.raises(SystemExit, match="no such file or folder"):
        bench.collect(str(tmp_path / "missing"))
    # The corpus trees say what is missing instead of failing in get-corpus.sh.
    with pytest.raises(SystemExit, match="--tree PATH"):
        bench.collect("twisted")


def _no_subprocess(*args: object, **kwargs: object) -> None:
    raise AssertionError(f"get-corpus.sh (or another process) was run: {args}")


def test_help_runs(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--help"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "--tree" in proc.stdout
