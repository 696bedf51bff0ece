"""The pre-commit hooks of ``.pre-commit-hooks.yaml``, run for real with ``pre-commit try-repo``.

``try-repo`` installs this repository into a fresh virtualenv (plus the hook's
``additional_dependencies``, i.e. Twisted) exactly as a user's ``pre-commit`` would, so this
needs network access to PyPI, or a warm pip cache. It uses the repository's HEAD commit; with
uncommitted changes to tracked files it clones HEAD into a temporary "shadow" repository and
commits the staged and modified tracked files there, so the working tree is what gets tested.
Untracked files are not included: a new hook file must be ``git add``-ed before it is tried.

``try-repo`` always builds its environment in a temporary store (``PRE_COMMIT_HOME`` is not
used for it), so each run costs one environment (15-25 s with a warm pip cache, a little more cold).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UNDECORATED = ROOT / "examples" / "typos" / "undecorated.py"
TIMEOUT = 600  # seconds for one try-repo run, environment creation included

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is needed by pre-commit"),
    pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout"),
]


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git repository holding a copy of ``examples/typos/undecorated.py`` (staged)."""
    repo = tmp_path / "project"
    repo.mkdir()
    _git("init", "-q", cwd=repo)
    shutil.copy(UNDECORATED, repo / "undecorated.py")
    _git("add", "undecorated.py", cwd=repo)
    return repo


def try_repo(
    hook: str, project: Path, home: Path, *, all_files: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "OVERRIDECHECK_"))}
    env["PRE_COMMIT_HOME"] = str(home)  # isolated from the user's pre-commit cache
    env["PRE_COMMIT_COLOR"] = "never"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(ROOT),
            hook,
            *(["--all-files"] if all_files else []),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
    )


def test_lint_hook_reports_the_typo(project: Path, tmp_path: Path) -> None:
    result = try_repo("overridecheck", project, tmp_path / "pre-commit-home")
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "overridecheck" in out and "Failed" in out, out
    assert "undecorated.py:32:9: OC101" in out, out
    assert "`connectionMade`" in out, out
    assert "def conectionMade" in (project / "undecorated.py").read_text(encoding="utf-8")


def test_fix_hook_renames_the_method(project: Path, tmp_path: Path) -> None:
    result = try_repo("overridecheck-fix", project, tmp_path / "pre-commit-home")
    out = result.stdout + result.stderr
    # pre-commit fails a hook that modifies files, whatever its exit code.
    assert result.returncode == 1, out
    assert "files were modified by this hook" in out, out
    fixed = (project / "undecorated.py").read_text(encoding="utf-8")
    assert "def connectionMade(self) -> None:" in fixed
    # The rename is the only change.
    original = UNDECORATED.read_text(encoding="utf-8").splitlines()
    assert len(fixed.splitlines()) == len(original)
    changed = [(a, b) for a, b in zip(original, fixed.splitlines()) if a != b]
    assert changed == [
        (
            "    def conectionMade(self) -> None:  # typo: Twisted only ever calls connectionMade",
            "    def connectionMade(self) -> None:  # typo: Twisted only ever calls connectionMade",
        )
    ]


def test_fix_hook_sees_callers_in_committed_files(project: Path, tmp_path: Path) -> None:
    """pre-commit hands the hook the staged files only; a caller of the misspelled method in a
    committed, unstaged file is still seen (the project is the context), so no rename is made."""
    _git("rm", "-q", "--cached", "undecorated.py", cwd=project)
    (project / "caller.py").write_text("def poke(u):\n    u.conectionMade()\n", encoding="utf-8")
    _git("add", "caller.py", cwd=project)
    _git("-c", "user.email=t@e.st", "-c", "user.name=t", "commit", "-qm", "caller", cwd=project)
    _git("add", "undecorated.py", cwd=project)
    result = try_repo("overridecheck-fix", project, tmp_path / "pre-commit-home", all_files=False)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out  # the finding is reported...
    assert "undecorated.py:32:9: OC101" in out, out
    assert "caller.py" not in out, out  # ...only for the staged file
    assert "files were modified by this hook" not in out, out  # ...and nothing is renamed
    assert (project / "undecorated.py").read_text(encoding="utf-8") == UNDECORATED.read_text(
        encoding="utf-8"
    )
