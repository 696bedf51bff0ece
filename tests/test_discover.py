"""File discovery: order, exclusions, display paths, symlinks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pathspec
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


# Name patterns (no slash but a trailing one, no brackets or escapes, no negation in the set)
# are matched by segment name instead of through pathspec: the answers must stay pathspec's.

NAMED_TREE = {
    "a.py": "",
    "build/gen.py": "",
    "build/sub/deep.py": "",
    "pkg/build/nested.py": "",
    "pkg/build.py": "",
    "pkg/thing.py": "",
    "pkg/keep.py": "",
    "other/thing.py/inner.py": "",  # a directory named like a file
    "other/x.egg-info/e.py": "",
    "other/bxild/b.py": "",
    "docs/conf.py": "",
    "docs/api/gen.py": "",
}

NAME_PATTERN_CASES = [
    ["build"],  # a file or a directory of that name, at any depth
    ["build/"],  # directories only
    ["/build"],  # anchored: the top one only
    ["thing.py"],  # the file and the directory
    ["thing.py/"],  # the directory, not the file
    ["*.egg-info", "b?ild"],
    ["*.py", "!keep.py"],  # a negation: the whole set is left to pathspec
    ["build", "!build"],
    ["build/", "!gen.py"],
    ["build", "docs/*.py"],  # a name pattern with a path pattern
    ["*", "!*/"],
    list(DEFAULT_EXCLUDE),
]


def pathspec_walk(root: Path, patterns: list[str]) -> list[str]:
    """The ``*.py`` files under ``root`` in `discover`'s order, excluded as pathspec says (a
    directory it matches is skipped whole)."""
    spec = pathspec.GitIgnoreSpec.from_lines(patterns)
    found: list[str] = []

    def walk(rel: str) -> None:
        for name in sorted(os.listdir(root / rel)):
            path = f"{rel}/{name}" if rel else name
            if (root / path).is_dir():
                if not spec.match_file(path + "/"):
                    walk(path)
            elif name.endswith(".py") and not spec.match_file(path):
                found.append(path.replace("/", os.sep))

    walk("")
    return found


@pytest.mark.parametrize("patterns", NAME_PATTERN_CASES, ids=" ".join)
def test_name_patterns_exclude_as_pathspec_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, patterns: list[str]
) -> None:
    write_tree(tmp_path, NAMED_TREE)
    monkeypatch.chdir(tmp_path)
    found = discover(["."], Excluder((PatternSet.create(str(tmp_path), patterns),)))
    assert found.files == pathspec_walk(tmp_path, patterns)


@pytest.mark.parametrize("patterns", NAME_PATTERN_CASES, ids=" ".join)
def test_name_patterns_match_as_pathspec_does(tmp_path: Path, patterns: list[str]) -> None:
    spec = pathspec.GitIgnoreSpec.from_lines(patterns)
    ps = PatternSet.create(str(tmp_path), patterns)
    for rel in [
        "build",
        "pkg/build",
        "pkg/build/x.py",
        "build/sub/deep.py",
        "thing.py",
        "other/thing.py/inner.py",
        "x.egg-info",
        "a/x.egg-info/b",
        "bxild",
        "keep.py",
        "docs/conf.py",
        "docs/api/gen.py",
        "gen.py",
        "ok.py",
    ]:
        for is_dir in (False, True):
            expected = bool(spec.match_file(rel + "/" if is_dir else rel))
            assert ps.matches(str(tmp_path / rel), is_dir) == expected, (rel, is_dir)


def test_name_patterns_take_the_fast_path() -> None:
    assert PatternSet.create(".", DEFAULT_EXCLUDE)._names is not None
    assert PatternSet.create(".", DEFAULT_EXCLUDE)._rest is None
    assert PatternSet.create(".", ["build", "docs/*.py"])._rest is not None
    for patterns in (["/build"], ["a/b"], ["[ab]"], ["\\#x"], ["**"], ["build", "!x"]):
        assert PatternSet.create(".", patterns)._names is None, patterns


def test_plain_name_matches_nested_dir_and_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, {"pkg/sub/build/x.py": "", "pkg/build.py/y.py": "", "pkg/sub/z.py": ""})
    monkeypatch.chdir(tmp_path)
    files = discover(["."], Excluder((PatternSet.create(str(tmp_path), ["build", "z.py"]),))).files
    assert files == ["pkg/build.py/y.py"]
    assert files == pathspec_walk(tmp_path, ["build", "z.py"])


def test_dir_only_pattern_keeps_file_of_that_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, {"lib/mod.py": "", "other/mod.py/inner.py": ""})
    monkeypatch.chdir(tmp_path)
    files = discover(["."], Excluder((PatternSet.create(str(tmp_path), ["mod.py/"]),))).files
    assert files == ["lib/mod.py"]
    assert files == pathspec_walk(tmp_path, ["mod.py/"])


def test_negation_still_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"a.py": "", "keep.py": "", "pkg/keep.py": "", "pkg/b.py": ""})
    monkeypatch.chdir(tmp_path)
    files = discover(["."], Excluder((PatternSet.create(str(tmp_path), ["*.py", "!keep.py"]),)))
    assert files.files == ["keep.py", "pkg/keep.py"]
    assert files.files == pathspec_walk(tmp_path, ["*.py", "!keep.py"])


def test_anchored_pattern_only_at_the_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"build/a.py": "", "pkg/build/b.py": ""})
    monkeypatch.chdir(tmp_path)
    files = discover(["."], Excluder((PatternSet.create(str(tmp_path), ["/build"]),))).files
    assert files == ["pkg/build/b.py"]
    assert files == pathspec_walk(tmp_path, ["/build"])


def test_entries_of_a_folder_outside_the_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Walking from above the base: outside it only the name counts, and the base itself (here
    # named like the pattern) is never excluded by its own set.
    write_tree(
        tmp_path,
        {"build/a.py": "", "build/sub/build/b.py": "", "other/build/c.py": "", "other/x.py": ""},
    )
    monkeypatch.chdir(tmp_path / "build")
    ps = PatternSet.create(".", ["build"])
    found = discover([".."], Excluder((ps,)))
    assert found.files == [os.path.join("..", "build", "a.py"), os.path.join("..", "other", "x.py")]
    for rel in ("build", "build/sub/build", "other/build", "other"):
        assert ps.matches(str(tmp_path / rel), True) == (rel not in ("build", "other")), rel


@pytest.mark.skipif(os.name != "posix", reason="needs newlines in file names")
def test_newline_in_a_path_is_left_to_pathspec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pathspec's regexes stop at a newline (``.`` and ``$``): such paths keep its answers.
    write_tree(tmp_path, {"a\nb/build/f.py": "", "c/build/g.py": "", "d/build\n/h.py": ""})
    monkeypatch.chdir(tmp_path)
    found = discover(["."], Excluder((PatternSet.create(str(tmp_path), ["build"]),)))
    assert found.files == pathspec_walk(tmp_path, ["build"])
    assert "a\nb/build/f.py" in found.files  # as pathspec says
    assert "c/build/g.py" not in found.files


@pytest.mark.parametrize(
    "pattern",
    [*DEFAULT_EXCLUDE, "build/", "*.pyc", "a?c", "x+y", "~tmp", "name.with.dots", "-dash",
     "**", "*", "***/", "a/b", "/build", "!keep", "#c", "a b", "[ab]", "a\\b", "dir/**"],
)  # fmt: skip
def test_simple_patterns_agree_with_pathspec(pattern: str) -> None:
    """The patterns recognised as name patterns from their text alone (no pathspec import)
    are exactly what pathspec's own compilation says about them."""
    import pathspec

    from overridecheck.lint.discover import _name_pattern, _simple_pattern

    simple = _simple_pattern(pattern)
    if simple is not None:
        (compiled,) = pathspec.GitIgnoreSpec.from_lines([pattern]).patterns
        assert _name_pattern(compiled) == simple


def test_default_excludes_need_no_pathspec(tmp_path: Path) -> None:
    """A warm run imports as little as it can: the default excludes are plain names."""
    write_tree(tmp_path, {"a.py": "", "build/b.py": "", "pkg/__pycache__/c.py": "", "d.py": ""})
    code = (
        "import sys\n"
        "from overridecheck.lint.discover import DEFAULT_EXCLUDE, Excluder, PatternSet, discover\n"
        f"found = discover([{str(tmp_path)!r}], Excluder((PatternSet.create({str(tmp_path)!r},"
        " DEFAULT_EXCLUDE),)))\n"
        "print(sorted(f.rsplit('/', 1)[-1] for f in found.files))\n"
        "print('pathspec' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["['a.py', 'd.py']", "False"]
