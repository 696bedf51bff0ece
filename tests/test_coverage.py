"""No silent passes: what could not be checked is said, and installed packages are found where
users keep them ($VIRTUAL_ENV, the project's .venv) without any option."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TYPO_SOURCE, write_tree

REPO = Path(__file__).resolve().parent.parent
CLIENT = REPO / "examples" / "typos" / "undecorated.py"
MISSING = "classes not checked: bases from `twisted` not found (install it where overridecheck"
IN_A_VENV = (Path(sys.prefix) / "pyvenv.cfg").is_file()


@pytest.fixture(scope="module")
def bare_tool(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """overridecheck as pipx installs it: a venv holding the tool and its dependencies only,
    no Twisted (the tool's package is put on PYTHONPATH, with copies of its dependencies)."""
    root = tmp_path_factory.mktemp("bare")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / "venv")], check=True)
    deps = root / "deps"
    deps.mkdir()
    import pathspec

    shutil.copytree(Path(pathspec.__file__).parent, deps / "pathspec")
    if sys.version_info < (3, 11):
        import tomli

        shutil.copytree(Path(tomli.__file__).parent, deps / "tomli")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), str(deps)])
    env["PYTHONIOENCODING"] = "utf-8"
    python = root / "venv" / "bin" / "python"
    probe = subprocess.run([str(python), "-c", "import twisted"], env=env, capture_output=True)
    assert probe.returncode != 0, "the bare venv must not see Twisted"
    return python, env


def _run(
    tool: tuple[Path, dict[str, str]], *args: str, cwd: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    python, base = tool
    return subprocess.run(
        [str(python), "-m", "overridecheck", "--no-cache", *args],
        cwd=cwd,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_twisted_the_echo_client_is_said_unchecked(
    bare_tool: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    shutil.copy(CLIENT, tmp_path / "client.py")
    proc = _run(bare_tool, "client.py", cwd=tmp_path)
    assert proc.returncode == 0  # warn: the exit code is unchanged
    assert "conectionMade" not in proc.stdout
    assert f"overridecheck: warning: 2 {MISSING}" in proc.stderr
    assert proc.stdout.splitlines()[-1] == (
        "All checks passed (checked 1 file, 0 classes; 2 classes not checked)"
    )
    listed = _run(bare_tool, "--show-unchecked", "--unresolved", "error", "client.py", cwd=tmp_path)
    assert listed.returncode == 1  # CI cannot pass blind
    assert f"overridecheck: error: 2 {MISSING}" in listed.stderr
    assert listed.stdout.splitlines()[-1] == (
        "2 classes could not be checked (checked 1 file, 0 classes)"
    )  # not "All checks passed" when the run fails
    assert any(
        line.startswith("client.py:") and "not checked: bases from `twisted` not found" in line
        for line in listed.stdout.splitlines()
    )
    (tmp_path / "pyproject.toml").write_text('[tool.overridecheck]\nunresolved = "error"\n')
    assert _run(bare_tool, "client.py", cwd=tmp_path).returncode == 1
    (tmp_path / "pyproject.toml").write_text('[tool.overridecheck]\nunresolved = "ignore"\n')
    quiet = _run(bare_tool, "client.py", cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == ""


@pytest.mark.skipif(not IN_A_VENV, reason="the tests' own interpreter must be a venv")
def test_virtual_env_with_twisted_is_used_without_options(
    bare_tool: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    shutil.copy(CLIENT, tmp_path / "client.py")
    proc = _run(bare_tool, "-v", "client.py", cwd=tmp_path, VIRTUAL_ENV=sys.prefix)
    assert proc.returncode == 1, proc.stderr
    assert "OC101" in proc.stdout and "`connectionMade`" in proc.stdout
    assert f"installed packages: from $VIRTUAL_ENV ({sys.prefix})" in proc.stderr
    assert "not checked" not in proc.stderr + proc.stdout


@pytest.mark.skipif(not IN_A_VENV, reason="the tests' own interpreter must be a venv")
def test_project_venv_is_used_without_options(
    bare_tool: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """A `.venv` at the project root (here a symlink to the tests' venv) is found by itself."""
    write_tree(tmp_path, {"pyproject.toml": "[tool.overridecheck]\n", "src/a.py": TYPO_SOURCE})
    (tmp_path / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    proc = _run(bare_tool, "src", cwd=tmp_path)
    assert proc.returncode == 1 and "conectionMade" in proc.stdout, proc.stderr


def test_causes_are_grouped_and_carried_by_every_format(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "m.py": "import six\nfrom nowhere_pkg import Base\n\n\n"
            "class A(six.with_metaclass(type, *bases)):\n    pass\n\n\n"
            "class B(Base):\n    pass\n\n\nclass C(Base):\n    pass\n\n\n"
            "class D(Undefined):\n    pass\n\n\nclass E:\n    exec('x = 1')\n\n\n"
            "class F:\n    pass\n\n\nclass G(E):\n    pass\n"
        },
    )
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "overridecheck", "--no-cache", *args, "m.py"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    proc = run()
    assert proc.returncode == 0
    assert proc.stderr.splitlines() == [
        "overridecheck: warning: 2 classes not checked: bases from `nowhere_pkg` not found "
        "(install it where overridecheck can see it, or set `python`)",
        "overridecheck: warning: 1 class not checked: base built by a call (`six.with_metaclass`)",
        "overridecheck: warning: 1 class not checked: base whose class body binds names "
        "dynamically (`E`)",
        "overridecheck: warning: 1 class not checked: base not defined or imported (`Undefined`)",
    ]
    assert proc.stdout.endswith("(checked 1 file, 2 classes; 5 classes not checked)\n")
    js = run("--format", "json")
    assert json.loads(js.stdout) == [] and js.stderr == proc.stderr
    sarif = json.loads(run("--format", "sarif").stdout)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["warning"] * 4
    assert (
        notes[1]["message"]["text"]
        == "1 class not checked: base built by a call (`six.with_metaclass`)"
    )
    gh = run("--format", "github", "--unresolved", "error")
    assert gh.returncode == 1
    assert gh.stdout.splitlines()[0].startswith("::error title=overridecheck::2 classes not")


def test_fixit_warns_once_per_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("fixit")
    from overridecheck import fixit

    path = tmp_path / "m.py"
    path.write_text("from nowhere_pkg import Base\n\n\nclass B(Base):\n    pass\n")
    for _ in range(3):
        assert fixit.diagnostics_for(str(path), path.read_bytes()) == ()
    err = capsys.readouterr().err
    assert err == (
        f"{path}: warning: 1 class not checked: bases from `nowhere_pkg` not found "
        "(install it where overridecheck can see it, or set `python`)\n"
    )


def test_one_line_per_cause_naming_a_few_names(tmp_path: Path) -> None:
    """Fifty undefined bases are one warning, not fifty; a base taken through a `*` import
    or named like its class says so (both used to blame the module itself)."""
    files = {f"m{i}.py": f"class C{i}(Unknown{i}):\n    pass\n" for i in range(50)}
    files["b.py"] = "X = 1\n"
    files["s.py"] = "from b import *\n\n\nclass U(Unknown):\n    pass\n\n\nclass S(S):\n    pass\n"
    write_tree(tmp_path, files)
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    proc = subprocess.run(
        [sys.executable, "-m", "overridecheck", "--no-cache", "."],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.stderr.splitlines() == [
        "overridecheck: warning: 50 classes not checked: base not defined or imported "
        "(`Unknown0`, `Unknown1`, `Unknown10`, ...)",
        "overridecheck: warning: 1 class not checked: base with the class's own name (`S`)",
        "overridecheck: warning: 1 class not checked: base not defined here, perhaps from a `*` "
        "import (`Unknown`)",
    ]
