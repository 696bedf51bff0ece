"""Every rule's embedded VALID/INVALID examples, run through the real engine: the findings,
the safety of their fixes, and the text ``--fix --unsafe-fixes`` makes of the example."""

from __future__ import annotations

from pathlib import Path

import pytest

from overridecheck.lint.engine import check_files
from overridecheck.lint.fix import plan_fixes
from overridecheck.lint.ruledef import FIX_SAFETIES, safety_of
from overridecheck.lint.rules import DEFAULT_SELECT, RULES, Example

CASES = [
    pytest.param(code, kind, i, ex, id=f"{code}-{kind}-{i}")
    for code, rule in RULES.items()
    for kind, examples in (("valid", rule.valid), ("invalid", rule.invalid))
    for i, ex in enumerate(examples)
]


@pytest.mark.parametrize(("code", "kind", "index", "example"), CASES)
def test_rule_example(tmp_path: Path, code: str, kind: str, index: int, example: Example) -> None:
    path = tmp_path / f"example_{code.lower()}_{kind}_{index}.py"
    path.write_text(example.code, encoding="utf-8")
    result = check_files([str(path)], select=DEFAULT_SELECT | {code})  # opt-in rules too
    assert result.errors == []
    mine = [d for d in result.diagnostics if d.code == code]
    assert [(d.line, d.suggestion, safety_of(d)) for d in mine] == list(example.expect)
    # With a cache every summary has its names index; without one most are made without
    # and get it when asked (Context.names, Context.mentions): the same findings.
    cached = check_files(
        [str(path)], select=DEFAULT_SELECT | {code}, cache_dir=str(tmp_path / "cache")
    )
    assert cached.diagnostics == result.diagnostics
    if kind == "valid":
        assert result.diagnostics == []
        assert example.fixed is None
        return
    plan = plan_fixes(mine, unsafe=True)
    assert plan.errors == [] and plan.skipped == []
    fixed = plan.files[0].text if plan.files else None
    assert fixed == example.fixed
    if fixed is not None:  # the fixed example is clean for this rule
        path.write_text(fixed, encoding="utf-8")
        again = check_files([str(path)], select=DEFAULT_SELECT | {code})
        assert [d for d in again.diagnostics if d.code == code] == []


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_has_complete_docs(code: str) -> None:
    rule = RULES[code]
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead",
                    "## Fix safety"):  # fmt: skip
        assert heading in rule.doc
    assert rule.valid and rule.invalid
    assert rule.name and rule.name == rule.name.lower()
    assert rule.check is not None
    assert rule.fix_safety in FIX_SAFETIES


@pytest.mark.parametrize("code", sorted(RULES))
def test_examples_never_exceed_the_rules_fix_safety(code: str) -> None:
    rule = RULES[code]
    highest = FIX_SAFETIES.index(rule.fix_safety)
    for ex in rule.invalid:
        assert ex.expect, "an invalid example yields findings"
        for _, _, safety in ex.expect:
            assert FIX_SAFETIES.index(safety) >= highest


def test_one_module_per_rule() -> None:
    modules = {rule.check.__module__ for rule in RULES.values() if rule.check is not None}
    assert len(modules) == len(RULES)
    for rule in RULES.values():
        assert rule.check is not None
        assert rule.check.__module__ == f"overridecheck.lint.rules.{rule.name.replace('-', '_')}"
