"""File discovery: order, exclusions, display paths, symlinks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import write_tree

from overridecheck.lint.discover import DEFAULT_EXCLUDE, Excluder, PatternSet, discover


def defaults(base: Path) -> Excluder:
    return Excluder((PatternSet.create(str(base), DEFAULT_EXCLUDE),))


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_tree(
        tmp_path,
        {
            "b.py": "",
            "a.py": "",
            "notes.txt": "",
            "stub.pyi": "",
            "pkg/__init__.py": "",
            "pkg/z.py": "",
            "pkg/sub/m.py": "",
            ".git/hook.py": "",
            ".venv/lib/x.py": "",
            "env2/pyvenv.cfg": "",
            "env2/lib/site.py": "",
            "build/gen.py": "",
            "pkg/__pycache__/c.py": "",
            "foo.egg-info/e.py": "",
            "node_modules/n.py": "",
            ".tox/t.py": "",
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_default_walk_is_sorted_and_skips_defaults(tree: Path) -> None:
    found = discover(["."], defaults(tree))
    assert found.files == ["a.py", "b.py", "pkg/__init__.py", "pkg/sub/m.py", "pkg/z.py"]
    assert found.errors == []


def test_display_paths_follow_input(tree: Path) -> None:
    assert discover(["./pkg/sub"], defaults(tree)).files == ["pkg/sub/m.py"]
    absolute = str(tree / "pkg" / "sub")
    assert discover([absolute], defaults(tree)).files == [os.path.join(absolute, "m.py")]


def test_duplicates_removed(tree: Path) -> None:
    assert discover(["a.py", "a.py", "./a.py"], defaults(tree)).files == ["a.py"]


def test_exclude_patterns(tree: Path) -> None:
    ex = Excluder((*defaults(tree).sets, PatternSet.create(str(tree), ["sub/", "/b.py"])))
    assert discover(["."], ex).files == ["a.py", "pkg/__init__.py", "pkg/z.py"]


def test_replacing_defaults_walks_build(tree: Path) -> None:
    ex = Excluder((PatternSet.create(str(tree), [".git", ".venv"]),))
    files = discover(["."], ex).files
    assert "build/gen.py" in files
    assert "node_modules/n.py" in files
    assert not any(f.startswith("env2/") for f in files)  # pyvenv.cfg always skips a venv


def test_explicit_file_checked_even_if_excluded(tree: Path) -> None:
    ex = Excluder((PatternSet.create(str(tree), ["b.py", "build"]),))
    assert discover(["b.py", "build/gen.py"], ex).files == ["b.py", "build/gen.py"]
    assert discover(["b.py", "build/gen.py"], ex, force_exclude=True).files == []


def test_explicit_non_py_file_is_checked(tree: Path) -> None:
    assert discover(["notes.txt"], defaults(tree)).files == ["notes.txt"]


def test_missing_path_reported_and_others_walked(tree: Path) -> None:
    found = discover(["nope.py", "a.py"], defaults(tree))
    assert found.files == ["a.py"]
    assert [(e.path, e.message) for e in found.errors] == [("nope.py", "path not found")]


def test_broken_symlink_reported(tree: Path) -> None:
    os.symlink("missing_target.py", tree / "dangling.py")
    os.symlink("missing_dir", tree / "dangling_dir")  # not *.py: nothing to check
    found = discover(["."], defaults(tree))
    assert [e.path for e in found.errors] == ["dangling.py"]
    assert "broken symlink" in found.errors[0].message
    assert "a.py" in found.files


def test_symlink_loop_not_followed(tree: Path) -> None:
    os.symlink("..", tree / "pkg" / "up")
    os.symlink(".", tree / "pkg" / "sub" / "self")
    found = discover(["."], defaults(tree))
    assert found.files == ["a.py", "b.py", "pkg/__init__.py", "pkg/sub/m.py", "pkg/z.py"]
    assert sorted(e.path for e in found.errors) == ["pkg/sub/self", "pkg/up"]
    assert all("symlink loop" in e.message for e in found.errors)


def test_file_symlink_loop_reported(tree: Path) -> None:
    os.symlink("loop2.py", tree / "loop1.py")
    os.symlink("loop1.py", tree / "loop2.py")
    found = discover(["."], defaults(tree))
    assert sorted(e.path for e in found.errors) == ["loop1.py", "loop2.py"]
    assert all("symlink loop" in e.message for e in found.errors)


def test_symlinked_directory_is_followed(tree: Path) -> None:
    os.symlink(tree / "pkg" / "sub", tree / "linked")
    assert "linked/m.py" in discover(["."], defaults(tree)).files


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any directory"
)
def test_unreadable_directory_reported(tree: Path) -> None:
    locked = tree / "pkg" / "sub"
    locked.chmod(0)
    try:
        found = discover(["."], defaults(tree))
    finally:
        locked.chmod(0o755)
    assert [e.path for e in found.errors] == ["pkg/sub"]
    assert found.errors[0].message.startswith("cannot read directory")


def test_explicit_excluded_directory_is_walked(tree: Path) -> None:
    ex = Excluder((*defaults(tree).sets, PatternSet.create(str(tree), ["gen.py"])))
    assert discover(["build"], defaults(tree)).files == ["build/gen.py"]
    assert discover(["build"], ex).files == []  # a pattern for the file itself still applies
    assert discover(["build"], defaults(tree), force_exclude=True).files == []
    assert discover(["pkg/__pycache__"], defaults(tree)).files == ["pkg/__pycache__/c.py"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_explicit_fifo_is_reported_not_read(tree: Path) -> None:
    os.mkfifo(tree / "pipe.py")
    found = discover(["pipe.py", "."], defaults(tree))
    assert [(e.path, e.message) for e in found.errors] == [("pipe.py", "not a regular file")]
    assert "pipe.py" not in found.files
    assert "a.py" in found.files
