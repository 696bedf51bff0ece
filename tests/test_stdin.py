"""The source from stdin (`--stdin-filename PATH -`), as editors and formatters-on-save pass it:
checked in its project as the file at PATH (whatever is on disk there), in every format; `--fix`
prints the fixed source and writes nothing. Real subprocess runs of the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CLEAN_SOURCE, TYPO_COLUMN, TYPO_LINE, TYPO_SOURCE, RunCli, write_tree

FIXED_SOURCE = TYPO_SOURCE.replace("conectionMade", "connectionMade")
WHERE = f"app/proto.py:{TYPO_LINE}:{TYPO_COLUMN}:"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git work tree whose app/proto.py on disk is clean."""
    return write_tree(
        tmp_path, {".git/HEAD": "", "app/__init__.py": "", "app/proto.py": CLEAN_SOURCE}
    )


def test_stdin_replaces_the_file_on_disk(project: Path, run_cli: RunCli) -> None:
    proc = run_cli("--stdin-filename", "app/proto.py", "-", cwd=project, input=TYPO_SOURCE)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines() == [
        f"{WHERE} OC101 [*] `C.conectionMade` overrides nothing; did you mean `connectionMade` "
        "from `BaseProtocol`?",
        "[*] 1 fixable with `--fix`",
        "Found 1 problem in 1 file (checked 1 file, 1 class)",
    ]
    # And the other way round: a typo on disk, the editor's buffer is clean.
    (project / "app" / "proto.py").write_text(TYPO_SOURCE)
    proc = run_cli("--stdin-filename", "app/proto.py", cwd=project, input=CLEAN_SOURCE)
    assert (proc.returncode, proc.stdout) == (0, "All checks passed (checked 1 file, 1 class)\n")


@pytest.mark.parametrize("cache", [["--no-cache"], []], ids=["no-cache", "cache"])
def test_the_module_s_own_references_are_read_from_stdin(
    project: Path, run_cli: RunCli, cache: list[str]
) -> None:
    """Whether the module calls the near miss itself (then it is a method in use) is read
    from the text given, not from the file on disk, with or without a cache (without one,
    the names index is made when asked for)."""
    calls = TYPO_SOURCE + "\n    def go(self):\n        self.conectionMade()\n"
    (project / "app" / "proto.py").write_text(calls)
    proc = run_cli(*cache, "--stdin-filename", "app/proto.py", "-", cwd=project, input=TYPO_SOURCE)
    assert proc.returncode == 1 and "OC101" in proc.stdout, proc.stdout + proc.stderr
    (project / "app" / "proto.py").write_text(TYPO_SOURCE)
    proc = run_cli(*cache, "--stdin-filename", "app/proto.py", "-", cwd=project, input=calls)
    assert (proc.returncode, proc.stdout) == (0, "All checks passed (checked 1 file, 1 class)\n")


def test_stdin_resolves_in_the_project(project: Path, run_cli: RunCli) -> None:
    """A base defined in another file of the project resolves; a reference in another file
    makes the rename no fix, as when the file is given by name."""
    write_tree(
        project,
        {
            "app/base.py": "from twisted.internet.protocol import Protocol\n\n"
            "class Base(Protocol):\n    pass\n",
        },
    )
    source = "from app.base import Base\n\n\nclass C(Base):\n    def conectionMade(self):\n"
    source += "        pass\n"
    proc = run_cli("--stdin-filename", "app/proto.py", "-", cwd=project, input=source)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith(f"{WHERE} OC101 [*] `C.conectionMade`"), proc.stdout
    assert proc.stderr == ""  # Base was found: nothing left unchecked
    write_tree(project, {"app/use.py": "def go(c):\n    c.conectionMade()\n"})
    proc = run_cli("--stdin-filename", "app/proto.py", "-", cwd=project, input=source)
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"{WHERE} OC101 `C.conectionMade`"), proc.stdout  # no [*]
    proc = run_cli("--stdin-filename", "app/proto.py", "--fix", "-", cwd=project, input=source)
    assert proc.stdout == source  # nothing fixable: the source as it came
    assert proc.returncode == 1


def test_stdin_file_need_not_exist(project: Path, run_cli: RunCli) -> None:
    proc = run_cli("--stdin-filename", "new/pkg/mod.py", cwd=project, input=TYPO_SOURCE)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith(f"new/pkg/mod.py:{TYPO_LINE}:{TYPO_COLUMN}: OC101 ")
    assert not (project / "new").exists()


def test_formats_show_the_given_name(project: Path, run_cli: RunCli) -> None:
    args = ("--stdin-filename", "app/proto.py", "-")
    proc = run_cli("--format", "json", *args, cwd=project, input=TYPO_SOURCE)
    assert proc.returncode == 1
    [item] = json.loads(proc.stdout)
    assert (item["path"], item["line"], item["code"]) == ("app/proto.py", TYPO_LINE, "OC101")
    proc = run_cli("--format", "github", *args, cwd=project, input=TYPO_SOURCE)
    assert proc.stdout.startswith(f"::error file=app/proto.py,line={TYPO_LINE},")
    proc = run_cli("--format", "sarif", *args, cwd=project, input=TYPO_SOURCE)
    [result] = json.loads(proc.stdout)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == ("app/proto.py")
    proc = run_cli("--statistics", *args, cwd=project, input=TYPO_SOURCE)
    assert proc.stdout.startswith("1\tOC101\t[*] misspelled-override\n")


def test_fix_prints_the_fixed_source(project: Path, run_cli: RunCli) -> None:
    disk = project / "app" / "proto.py"
    disk.write_text(TYPO_SOURCE)
    before = disk.stat()
    crlf = TYPO_SOURCE.replace("\n", "\r\n")
    proc = run_cli(
        "--stdin-filename", "app/proto.py", "--fix", "-", cwd=project, input="\ufeff" + crlf
    )
    assert proc.returncode == 0, proc.stderr
    # The BOM and the CRLF line endings are kept (run_cli's text mode reads \r\n as \n).
    assert proc.stdout == "\ufeff" + FIXED_SOURCE
    assert proc.stderr == "Fixed 1 error\nAll checks passed (checked 1 file, 1 class)\n"
    assert disk.read_text() == TYPO_SOURCE and disk.stat().st_mtime_ns == before.st_mtime_ns
    assert sorted(p.name for p in disk.parent.iterdir()) == ["__init__.py", "proto.py"]
    # The report in JSON goes to stderr (stdout is the source), or to the output file.
    args = ("--stdin-filename", "app/proto.py", "--fix", "--format", "json")
    proc = run_cli(*args, cwd=project, input=TYPO_SOURCE)
    assert proc.stdout == FIXED_SOURCE
    assert proc.stderr == "[]\nFixed 1 error\n"
    proc = run_cli(*args, "--output-file", "report.json", cwd=project, input=TYPO_SOURCE)
    assert proc.stdout == FIXED_SOURCE
    assert proc.stderr == "Fixed 1 error\n"
    assert json.loads((project / "report.json").read_text()) == []


def test_fix_keeps_bytes(project: Path, tmp_path: Path) -> None:
    """The fixed source is written as bytes: CRLF and a latin-1 coding cookie survive."""
    import subprocess
    import sys

    source = ("# -*- coding: latin-1 -*-\n# caf\xe9\n" + TYPO_SOURCE).replace("\n", "\r\n")
    data = source.encode("latin-1")
    proc = subprocess.run(
        [sys.executable, "-m", "overridecheck", "--stdin-filename", "app/proto.py", "--fix"],
        cwd=project,
        input=data,
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == data.replace(b"conectionMade", b"connectionMade")


def test_diff(project: Path, run_cli: RunCli) -> None:
    proc = run_cli(
        "--stdin-filename", "app/proto.py", "--diff", "-", cwd=project, input=TYPO_SOURCE
    )
    assert proc.returncode == 1
    assert proc.stdout.startswith("--- app/proto.py\n+++ app/proto.py\n@@ ")
    assert "-    def conectionMade(self):\n+    def connectionMade(self):\n" in proc.stdout
    assert proc.stderr == "Would fix 1 error\n"
    assert (project / "app" / "proto.py").read_text() == CLEAN_SOURCE


def test_dash_alone(tmp_path: Path, run_cli: RunCli) -> None:
    proc = run_cli("-", cwd=tmp_path, input=TYPO_SOURCE)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith(f"-:{TYPO_LINE}:{TYPO_COLUMN}: OC101 ")
    proc = run_cli("--fix", "-", cwd=tmp_path, input=TYPO_SOURCE)
    assert (proc.returncode, proc.stdout) == (0, FIXED_SOURCE)


def test_syntax_error_from_stdin(project: Path, run_cli: RunCli) -> None:
    proc = run_cli("--stdin-filename", "app/proto.py", "--fix", cwd=project, input="def (:\n")
    assert proc.returncode == 1
    assert proc.stdout == "def (:\n"
    assert proc.stderr.startswith("app/proto.py:1:")


def test_force_exclude(project: Path, run_cli: RunCli) -> None:
    args = ("--stdin-filename", "build/gen.py", "--force-exclude")
    proc = run_cli(*args, cwd=project, input=TYPO_SOURCE)
    assert (proc.returncode, proc.stdout, proc.stderr) == (
        0,
        "All checks passed (checked 0 files)\n",
        "",
    )
    proc = run_cli(*args, "--fix", cwd=project, input=TYPO_SOURCE)
    assert (proc.returncode, proc.stdout) == (0, TYPO_SOURCE)
    proc = run_cli("--stdin-filename", "build/gen.py", cwd=project, input=TYPO_SOURCE)
    assert proc.returncode == 1  # named, so checked unless --force-exclude


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-", "app"], "`-` (the source from stdin) cannot be combined with other paths"),
        (["-", "-"], "`-` (the source from stdin) cannot be combined with other paths"),
        (["--stdin-filename", "a.py", "app"], "`--stdin-filename` checks the source from stdin"),
        (["--stdin-filename", "a.py", "-", "app"], "`--stdin-filename` checks the source"),
        (["--stdin-filename", ""], "`--stdin-filename` needs a path"),
    ],
)
def test_bad_combinations(project: Path, run_cli: RunCli, args: list[str], message: str) -> None:
    proc = run_cli(*args, cwd=project, input=TYPO_SOURCE)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"overridecheck: error: {message}")
    assert proc.stderr.count("\n") == 1
