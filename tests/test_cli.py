"""The real command line, run in subprocesses (plus a few in-process runs of `main`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CLEAN_SOURCE, TYPO_COLUMN, TYPO_LINE, TYPO_SOURCE, RunCli, write_tree

from overridecheck import __version__, cli
from overridecheck.lint.environment import environment_of
from overridecheck.lint.rules import RULES

TYPO_PREFIX = f"a.py:{TYPO_LINE}:{TYPO_COLUMN}: OC101 "


@pytest.fixture
def typo_tree(tmp_path: Path) -> Path:
    return write_tree(tmp_path, {"a.py": TYPO_SOURCE, "b.py": CLEAN_SOURCE})


def test_clean_exit_0(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(tmp_path, {"b.py": CLEAN_SOURCE})
    proc = run_cli("b.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "All checks passed (checked 1 file, 1 class)\n"
    assert proc.stderr == ""


def test_finding_exit_1_text(typo_tree: Path, run_cli: RunCli) -> None:
    proc = run_cli(".", cwd=typo_tree)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(TYPO_PREFIX)
    assert "conectionMade" in lines[0]
    assert lines[1] == "[*] 1 fixable with `--fix`"
    assert lines[2] == "Found 1 problem in 1 file (checked 2 files, 2 classes)"


def test_default_path_is_cwd(typo_tree: Path, run_cli: RunCli) -> None:
    proc = run_cli(cwd=typo_tree)
    assert proc.returncode == 1
    assert proc.stdout.startswith(TYPO_PREFIX)


def test_quiet(typo_tree: Path, run_cli: RunCli) -> None:
    proc = run_cli("-q", cwd=typo_tree)
    assert proc.returncode == 1
    assert len(proc.stdout.splitlines()) == 1
    assert proc.stdout.startswith(TYPO_PREFIX)


def test_json_format(typo_tree: Path, run_cli: RunCli) -> None:
    proc = run_cli("--format", "json", "a.py", "b.py", "missing.py", cwd=typo_tree)
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert len(data) == 1
    item = data[0]
    assert {k: item[k] for k in ("path", "line", "column", "code")} == {
        "path": "a.py",
        "line": TYPO_LINE,
        "column": TYPO_COLUMN,
        "code": "OC101",
    }
    assert item["end_line"] == TYPO_LINE
    assert item["end_column"] == TYPO_COLUMN + len("conectionMade")
    assert item["suggestion"] == "connectionMade"
    assert item["fix"]["safety"] == item["fix_safety"] == "safe"
    assert item["fix"]["edits"] == [
        {
            "line": TYPO_LINE,
            "column": TYPO_COLUMN,
            "end_line": TYPO_LINE,
            "end_column": TYPO_COLUMN + len("conectionMade"),
            "content": "connectionMade",
        }
    ]
    assert isinstance(item["message"], str)
    # file errors go to stderr so stdout stays valid JSON
    assert proc.stderr == "missing.py: error: path not found\n"


def test_json_empty_list_when_clean(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(tmp_path, {"b.py": CLEAN_SOURCE})
    proc = run_cli("--format=json", cwd=tmp_path)
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == []


def test_github_format(typo_tree: Path, run_cli: RunCli) -> None:
    proc = run_cli("--format", "github", "missing.py", ".", cwd=typo_tree)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(
        f"::error file=a.py,line={TYPO_LINE},col={TYPO_COLUMN},endLine={TYPO_LINE},"
    )
    assert ",title=OC101::OC101 " in lines[0]
    assert lines[1] == "::error file=missing.py,title=overridecheck::path not found"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--select", "OC102"], 0),
        (["--select", "OC101"], 1),
        (["--select", "oc1"], 1),
        (["--ignore", "OC101"], 0),
        (["--ignore", "OC1"], 0),
        (["--ignore", "OC1", "--extend-select", "OC101"], 1),
        (["--select", "OC102,OC101"], 1),
        (["--select", "ALL", "--ignore", "OC101"], 0),
    ],
)
def test_select_ignore(typo_tree: Path, run_cli: RunCli, args: list[str], code: int) -> None:
    proc = run_cli(*args, "a.py", cwd=typo_tree)
    assert proc.returncode == code, proc.stdout + proc.stderr


@pytest.mark.parametrize("option", ["--select", "--extend-select", "--ignore"])
def test_unknown_code_is_usage_error(typo_tree: Path, run_cli: RunCli, option: str) -> None:
    proc = run_cli(option, "OC101,OC999", cwd=typo_tree)
    assert proc.returncode == 2
    assert proc.stdout == ""
    codes = ", ".join(sorted(RULES))
    assert proc.stderr == (
        f"overridecheck: error: unknown rule selector `OC999` in `{option}` (rules: {codes}; "
        "see `overridecheck rule --all`)\n"
    )


@pytest.mark.parametrize(
    ("typed", "meant"), [("CO101", "`OC101`"), ("OC11", "`OC101`"), ("0C102", "`OC102`")]
)
def test_unknown_code_did_you_mean(
    typo_tree: Path, run_cli: RunCli, typed: str, meant: str
) -> None:
    proc = run_cli("--select", typed, cwd=typo_tree)
    assert proc.returncode == 2
    assert proc.stderr.startswith(
        f"overridecheck: error: unknown rule selector `{typed}` in `--select`; "
        f"did you mean {meant}? (rules: OC101, "
    )
    assert proc.stderr.count("\n") == 1


def test_argparse_usage_error(typo_tree: Path, run_cli: RunCli) -> None:
    proc = run_cli("--format", "xml", cwd=typo_tree)
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [["--format", "xml"], ["--frobnicate"], ["--jobs", "0"], ["--color", "sometimes"]],
)
def test_usage_error_is_one_line(typo_tree: Path, run_cli: RunCli, args: list[str]) -> None:
    proc = run_cli(*args, cwd=typo_tree)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith("overridecheck: error: ")
    assert proc.stderr.endswith(" (try `overridecheck --help`)\n")
    assert proc.stderr.count("\n") == 1, proc.stderr


def test_version(tmp_path: Path, run_cli: RunCli) -> None:
    proc = run_cli("--version", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout == f"overridecheck {__version__}\n"


def test_help_documents_exit_codes(tmp_path: Path, run_cli: RunCli) -> None:
    proc = run_cli("--help", cwd=tmp_path)
    assert proc.returncode == 0
    assert "exit codes:" in proc.stdout


def test_console_script(typo_tree: Path) -> None:
    script = Path(sys.executable).parent / "overridecheck"
    if not script.exists():
        pytest.skip("console script not installed next to this interpreter")
    proc = subprocess.run(
        [str(script), "a.py"], cwd=typo_tree, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1
    assert proc.stdout.startswith(TYPO_PREFIX)


def test_config_discovered_from_path(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(
        tmp_path,
        {
            "proj/pyproject.toml": "[tool.overridecheck]\nignore = ['OC101']\n",
            "proj/src/a.py": TYPO_SOURCE,
        },
    )
    # run from outside the project: the config is found from the path argument
    assert run_cli("proj/src", cwd=tmp_path).returncode == 0
    assert run_cli(cwd=tmp_path / "proj" / "src").returncode == 0
    assert run_cli("--isolated", "proj/src", cwd=tmp_path).returncode == 1
    # the command line overrides the config
    assert run_cli("--extend-select", "OC101", "proj/src", cwd=tmp_path).returncode == 1


def test_explicit_config(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(
        tmp_path,
        {
            "other.toml": "[tool.overridecheck]\nselect = ['OC102']\n",
            "a.py": TYPO_SOURCE,
        },
    )
    assert run_cli("a.py", cwd=tmp_path).returncode == 1
    assert run_cli("--config", "other.toml", "a.py", cwd=tmp_path).returncode == 0
    proc = run_cli("--config", "nope.toml", "a.py", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == "overridecheck: error: nope.toml: config file not found\n"


def test_invalid_config_is_exit_2(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[tool.overridecheck]\nselect = 'OC101'\n"})
    write_tree(tmp_path, {"a.py": TYPO_SOURCE})
    proc = run_cli(cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"overridecheck: error: {tmp_path / 'pyproject.toml'}: ")
    assert "`select` must be a list of strings" in proc.stderr


def test_bad_toml_is_exit_2_with_line(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[tool.overridecheck]\nselect = [\n", "a.py": ""})
    proc = run_cli(cwd=tmp_path)
    assert proc.returncode == 2
    assert f"{tmp_path / 'pyproject.toml'}:" in proc.stderr
    assert "invalid TOML" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_per_file_ignores(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": ("[tool.overridecheck.per-file-ignores]\n'tests/*.py' = ['OC101']\n"),
            "tests/t.py": TYPO_SOURCE,
            "pkg/a.py": TYPO_SOURCE,
        },
    )
    proc = run_cli(cwd=tmp_path)
    assert proc.returncode == 1
    findings = [line for line in proc.stdout.splitlines() if ": OC" in line]
    assert [line.split(":")[0] for line in findings] == ["pkg/a.py"]
    # patterns are relative to the config file, wherever the command runs from
    proc = run_cli("tests", cwd=tmp_path)
    assert proc.returncode == 0
    proc = run_cli(".", cwd=tmp_path / "tests")
    assert proc.returncode == 0, proc.stdout


def test_exclude_options(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(
        tmp_path,
        {"gen/a.py": TYPO_SOURCE, "build/a.py": TYPO_SOURCE, "ok.py": CLEAN_SOURCE},
    )
    # build/ is excluded by default
    proc = run_cli("-q", cwd=tmp_path)
    assert proc.stdout.startswith("gen/a.py:")
    assert len(proc.stdout.splitlines()) == 1
    assert run_cli("--extend-exclude", "gen", cwd=tmp_path).returncode == 0
    # --exclude replaces the defaults
    proc = run_cli("-q", "--exclude", "gen/", cwd=tmp_path)
    assert [line.split(":")[0] for line in proc.stdout.splitlines()] == ["build/a.py"]
    # an excluded file named on the command line is still checked, unless --force-exclude
    assert run_cli("--extend-exclude", "gen", "gen/a.py", cwd=tmp_path).returncode == 1
    proc = run_cli("--extend-exclude", "gen", "--force-exclude", "gen/a.py", cwd=tmp_path)
    assert proc.returncode == 0


def test_config_exclude_relative_to_config(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "[tool.overridecheck]\nextend-exclude = ['/gen/']\n",
            "gen/a.py": TYPO_SOURCE,
            "sub/gen/a.py": TYPO_SOURCE,
        },
    )
    proc = run_cli("-q", cwd=tmp_path)
    assert [line.split(":")[0] for line in proc.stdout.splitlines()] == ["sub/gen/a.py"]
    proc = run_cli("-q", "..", cwd=tmp_path / "sub")
    assert [line.split(":")[0] for line in proc.stdout.splitlines()] == ["../sub/gen/a.py"]


def test_show_files(typo_tree: Path, run_cli: RunCli) -> None:
    proc = run_cli("--show-files", cwd=typo_tree)
    assert proc.returncode == 0
    assert proc.stdout == "a.py\nb.py\n"


def test_no_files_warns(tmp_path: Path, run_cli: RunCli) -> None:
    proc = run_cli(cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout == "All checks passed (checked 0 files)\n"
    assert proc.stderr == "overridecheck: warning: no Python files found\n"


def test_missing_python_is_usage_error(typo_tree: Path, run_cli: RunCli) -> None:
    proc = run_cli("--python", "/nonexistent/python3", cwd=typo_tree)
    assert proc.returncode == 2
    assert proc.stderr == (
        "overridecheck: error: Python interpreter `/nonexistent/python3` not found\n"
    )


def test_missing_python_in_config(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[tool.overridecheck]\npython = 'env/bin/python'\n"})
    proc = run_cli(cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == (
        f"overridecheck: error: {tmp_path / 'pyproject.toml'}: "
        f"Python interpreter `{tmp_path / 'env/bin/python'}` not found\n"
    )


def test_python_option_gives_the_engine_its_search_path(
    typo_tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from overridecheck.lint import engine

    seen: dict[str, object] = {}
    real = engine.check_files

    def spy(files: list[str], **kwargs: object) -> object:
        seen.update(kwargs, files=list(files))
        return real(files, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "check_files", spy)
    monkeypatch.chdir(typo_tree)
    assert cli.main(["--python", sys.executable, "--select", "OC101", "--no-cache", "."]) == 1
    assert seen == {
        "files": ["a.py", "b.py"],
        "search_path": environment_of(sys.executable, may_run=False).path,
        "select": {"OC101"},
        "jobs": engine.default_jobs(),
        "cache_dir": None,
        "override_import": "typing_extensions",
        "retain": None,  # cli.main keeps nothing; the `overridecheck` command (cli.entry) does
        "context": [],  # a folder was given: nothing beyond what it holds
        "texts": {},  # nothing from stdin
        "ignored": None,  # no per-file-ignores
        "settings": "",
    }
    capsys.readouterr()


def test_internal_error_is_one_line(
    typo_tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from overridecheck.lint import engine

    def boom(*args: object, **kwargs: object) -> object:
        raise RuntimeError("engine exploded\nsecond line")

    monkeypatch.setattr(engine, "check_files", boom)
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    monkeypatch.chdir(typo_tree)
    assert cli.main(["."]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "overridecheck: internal error: RuntimeError: engine exploded\n"
    assert cli.main(["--verbose", "."]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert err.endswith("overridecheck: internal error: RuntimeError: engine exploded\n")


def test_paths_are_displayed_as_given(typo_tree: Path, run_cli: RunCli) -> None:
    proc = run_cli("-q", str(typo_tree / "a.py"), cwd=typo_tree)
    assert proc.stdout.startswith(f"{typo_tree / 'a.py'}:{TYPO_LINE}:")
    proc = run_cli("-q", "./", cwd=typo_tree)
    assert proc.stdout.startswith(TYPO_PREFIX)
    sub = typo_tree / "sub"
    sub.mkdir()
    proc = run_cli("-q", "..", cwd=sub)
    assert proc.stdout.startswith(os.path.join("..", TYPO_PREFIX))
