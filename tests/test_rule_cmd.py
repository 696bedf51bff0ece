"""`overridecheck rule CODE` and `overridecheck rule --all`; a path named `rule` still works."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import TYPO_SOURCE, RunCli, write_tree

from overridecheck import cli
from overridecheck.lint.rules import RULES, RuleInfo


def test_rule_prints_docs(tmp_path: Path, run_cli: RunCli) -> None:
    proc = run_cli("rule", "OC101", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "# misspelled-override (OC101)"
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert heading in lines
    assert "## Fix safety" in lines
    assert RULES["OC101"].summary + "." in lines


def test_rule_code_is_case_insensitive(tmp_path: Path, run_cli: RunCli) -> None:
    proc = run_cli("rule", "oc102", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.startswith("# override-of-nothing (OC102)\n")


def test_unknown_rule(tmp_path: Path, run_cli: RunCli) -> None:
    proc = run_cli("rule", "OC999", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == "overridecheck: error: unknown rule code `OC999`\n"


def test_rule_needs_code_or_all(tmp_path: Path, run_cli: RunCli) -> None:
    assert run_cli("rule", cwd=tmp_path).returncode == 2
    assert run_cli("rule", "--all", "OC101", cwd=tmp_path).returncode == 2


def test_rule_all(tmp_path: Path, run_cli: RunCli) -> None:
    proc = run_cli("rule", "--all", cwd=tmp_path)
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert [line.split()[0] for line in lines] == sorted(RULES)
    assert lines[0].split()[1] == "misspelled-override"
    assert RULES["OC101"].summary in lines[0]


@pytest.fixture
def late_rule() -> Iterator[RuleInfo]:
    rule = RuleInfo("OC999", "late-rule", "Registered after import", "## What it does\nLate.\n")
    RULES[rule.code] = rule
    try:
        yield rule
    finally:
        del RULES[rule.code]


def test_rules_registered_later_are_listed(
    late_rule: RuleInfo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["rule", "--all"]) == 0
    assert "OC999  late-rule" in capsys.readouterr().out
    assert cli.main(["rule", "OC999"]) == 0
    assert capsys.readouterr().out.startswith("# late-rule (OC999)\n")


def test_path_named_rule_is_still_checkable(tmp_path: Path, run_cli: RunCli) -> None:
    write_tree(tmp_path, {"rule/a.py": TYPO_SOURCE, "rule.py": TYPO_SOURCE})
    proc = run_cli("./rule", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("rule/a.py:5:9: OC101 ")
    proc = run_cli("rule.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("rule.py:5:9: OC101 ")


RENAME_RULES = ("OC101", "OC102", "OC104", "OC106")


@pytest.mark.parametrize("code", RENAME_RULES)
def test_rename_rules_state_the_one_safety_rule(code: str, tmp_path: Path, run_cli: RunCli) -> None:
    """`overridecheck rule` prints the same rename safety rule for every rule that renames,
    and it is the rule the README's "Fixes" section states."""
    from overridecheck.lint.ruledef import RENAME_SAFETY

    proc = run_cli("rule", code, cwd=tmp_path)
    assert proc.returncode == 0
    assert RENAME_SAFETY in proc.stdout.split("## Fix safety\n", 1)[1]
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    fixes = readme.split("### Fixes\n", 1)[1].split("\n### ", 1)[0]
    assert RENAME_SAFETY in fixes


def test_only_the_rename_rules_have_rename_fixes() -> None:
    """The list above is every rule with an example of a fix towards a suggested name (a new
    renaming rule states the rule too)."""
    renaming = {
        code
        for code, rule in RULES.items()
        for ex in rule.invalid
        for _, suggestion, safety in ex.expect
        if suggestion is not None and safety != "none"
    }
    assert renaming == set(RENAME_RULES)
