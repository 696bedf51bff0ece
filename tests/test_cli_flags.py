"""`--exit-zero`, `--output-file` and `--color`, on the real command line (subprocesses)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Optional

import pytest
from conftest import CLEAN_SOURCE, TYPO_SOURCE, RunCli, write_tree

ESC = "\x1b["
#: A class whose base cannot be found: a warning on stderr.
UNRESOLVED = "from not_installed_anywhere import Base\n\n\nclass D(Base):\n    pass\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return write_tree(tmp_path, {"a.py": TYPO_SOURCE, "b.py": CLEAN_SOURCE, "c.py": UNRESOLVED})


def test_exit_zero(tree: Path, run_cli: RunCli) -> None:
    plain = run_cli(".", cwd=tree)
    proc = run_cli("--exit-zero", ".", cwd=tree)
    assert (plain.returncode, proc.returncode) == (1, 0)
    assert proc.stdout == plain.stdout and "OC101" in proc.stdout
    # A path that cannot be checked: still reported, exit 0.
    proc = run_cli("--exit-zero", "missing.py", cwd=tree)
    assert proc.returncode == 0
    assert "missing.py: error: path not found" in proc.stdout
    # --diff with changes, too.
    assert run_cli("--exit-zero", "--diff", ".", cwd=tree).returncode == 0
    # Usage errors still exit 2.
    assert run_cli("--exit-zero", "--select", "OC999", cwd=tree).returncode == 2
    assert run_cli("--exit-zero", "--frob", cwd=tree).returncode == 2


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_output_file(tree: Path, run_cli: RunCli, fmt: str) -> None:
    plain = run_cli("--format", fmt, ".", cwd=tree)
    proc = run_cli("--format", fmt, "--output-file", "out/report.txt", ".", cwd=tree)
    assert proc.returncode == 1
    assert proc.stdout == ""
    report = tree / "out" / "report.txt"
    assert report.read_text(encoding="utf-8") == plain.stdout
    # Warnings stay on stderr.
    assert "classes not checked" in proc.stderr or "class not checked" in proc.stderr
    assert proc.stderr == plain.stderr
    if fmt in ("json", "sarif"):
        json.loads(report.read_text(encoding="utf-8"))
    # Atomically: no temporary file left, ordinary permissions (as by the umask).
    assert os.listdir(tree / "out") == ["report.txt"]
    assert stat.S_IMODE(report.stat().st_mode) & 0o600 == 0o600


def test_output_file_replaces_and_keeps_mode(tree: Path, run_cli: RunCli) -> None:
    report = tree / "report.txt"
    report.write_text("old\n" * 1000)
    report.chmod(0o640)
    proc = run_cli("-q", "-o", "report.txt", "a.py", cwd=tree)
    assert proc.returncode == 1
    assert report.read_text().startswith("a.py:5:9: OC101 ")
    assert "old" not in report.read_text()
    assert stat.S_IMODE(report.stat().st_mode) == 0o640


def test_output_file_cannot_be_written(tree: Path, run_cli: RunCli) -> None:
    (tree / "a-file").write_text("")
    (tree / "a-folder").mkdir()
    for target in ("a-file/report.txt", "a-folder"):
        proc = run_cli("--output-file", target, ".", cwd=tree)
        assert proc.returncode == 2
        # Said before anything is checked (no warning about c.py first).
        assert proc.stderr.startswith(f"overridecheck: error: cannot write `{target}`: ")
        assert proc.stderr.count("\n") == 1, proc.stderr


def test_output_file_never_coloured_by_auto(tree: Path, run_cli: RunCli) -> None:
    run_cli("-o", "r.txt", ".", cwd=tree, env={"NO_COLOR": None, "FORCE_COLOR": None})
    assert ESC not in (tree / "r.txt").read_text()


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        ([], {}, False),  # auto: not a terminal
        ([], {"FORCE_COLOR": "1"}, True),
        (["--color", "auto"], {"FORCE_COLOR": "1", "NO_COLOR": None}, True),
        (["--color", "always"], {"NO_COLOR": "1"}, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        (["--color", "always", "--format", "json"], {}, False),
        (["--color", "always", "--format", "github"], {}, False),
        (["--color", "always", "--format", "sarif"], {}, False),
    ],
)
def test_color(
    tree: Path, run_cli: RunCli, args: list[str], env: dict[str, Optional[str]], coloured: bool
) -> None:
    base: dict[str, Optional[str]] = {"FORCE_COLOR": None, "NO_COLOR": None}
    base.update(env)
    proc = run_cli(*args, "a.py", cwd=tree, env=base)
    assert proc.returncode == 1
    assert (ESC in proc.stdout) == coloured, proc.stdout
    if coloured:
        # The location and the code are coloured, the message is plain.
        assert proc.stdout.startswith(f"{ESC}1ma.py:5:9:{ESC}0m {ESC}31m{ESC}1mOC101{ESC}0m ")
    assert ESC not in proc.stderr


@pytest.mark.parametrize("argv", [["--no-cache", "rule", "OC101"], ["-v", "server"]])
def test_a_subcommand_after_an_option_is_a_usage_error_with_a_hint(
    tmp_path: Path, run_cli: RunCli, argv: list[str]
) -> None:
    proc = run_cli(*argv, cwd=tmp_path)
    assert proc.returncode == 2
    [line] = proc.stderr.splitlines()
    sub = "rule" if "rule" in argv else "server"
    assert f"`{sub}` is a subcommand: it comes first" in line
    assert f"`./{sub}`" in line


def test_a_path_named_like_a_subcommand_is_a_path(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "rule").mkdir()
    (tmp_path / "rule" / "m.py").write_text("x = 1\n")
    proc = run_cli("--no-cache", "rule", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
