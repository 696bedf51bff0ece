"""The README's snippets work when copied: every option and rule is documented, the Fixit
section names every rule, and the pre-commit `rev` / the install line name a commit that exists
(there are no release tags) and has the hooks."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from overridecheck import cli
from overridecheck.lint.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end >= 0 else len(README)]


def _fixit_name(code: str) -> str:
    return "".join(part.capitalize() for part in RULES[code].name.split("-"))


def test_fixit_section_lists_every_rule() -> None:
    section = " ".join(_section("Fixit").split())
    for code in RULES:
        assert f"`{_fixit_name(code)}` ({code})" in section, code
    # The opt-in rules are said to live in `overridecheck.fixit_opt_in`.
    opt_in = section[section.index("overridecheck.fixit_opt_in") - 200 :]
    for code, info in RULES.items():
        if not info.default:
            assert _fixit_name(code) in opt_in, code


def test_rules_table_lists_every_rule() -> None:
    section = _section("Rules")
    for code, info in RULES.items():
        assert f"| {code} | `{info.name}` |" in section, code


def test_option_table_lists_every_option() -> None:
    table = README[README.index("| Option | Meaning |") : README.index("### Exit codes")]
    documented = set(re.findall(r"`(--?[a-z][a-z-]*)", table))
    parser = cli.build_parser()
    options = {o for a in parser._actions for o in a.option_strings} - {"-h", "--help"}
    assert options - documented == set()
    assert "`-`, `--stdin-filename PATH`" in table  # stdin


def test_exit_codes_mention_exit_zero() -> None:
    codes = README[README.index("### Exit codes") : README.index("### Source from stdin")]
    assert "`--exit-zero`" in codes


def _revs() -> list[str]:
    pre_commit = _section("pre-commit")
    actions = _section("GitHub Actions")
    revs = re.findall(r"^\s*rev: (\S+)", pre_commit, re.M)
    revs += re.findall(r"git\+https://\S+?@([0-9a-f]{7,40})'", actions)
    return revs


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")
@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout")
def test_pinned_commit_exists_and_has_the_hooks() -> None:
    revs = _revs()
    assert len(revs) == 2 and revs[0] == revs[1], revs  # pre-commit's and Actions' agree
    rev = revs[0]
    tags = subprocess.run(
        ["git", "tag"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    if rev not in tags:  # no invented tag: a full commit SHA
        assert re.fullmatch(r"[0-9a-f]{40}", rev), rev
    shallow = subprocess.run(
        ["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    found = subprocess.run(
        ["git", "cat-file", "-e", f"{rev}:.pre-commit-hooks.yaml"], cwd=ROOT, capture_output=True
    )
    if found.returncode != 0 and shallow == "true":
        pytest.skip("a shallow clone: the pinned commit may be beyond its history")
    assert found.returncode == 0, f"{rev} is not a commit with .pre-commit-hooks.yaml"


def test_actions_install_from_the_repository() -> None:
    """overridecheck is not on PyPI: `pip install 'overridecheck[...]'` alone would fail."""
    actions = _section("GitHub Actions")
    installs = re.findall(r"pip install '([^']+)'", actions)
    assert installs and all(" @ git+https://" in i for i in installs), installs
