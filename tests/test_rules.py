"""Every rule's embedded VALID/INVALID examples, run through the real engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from overridecheck.lint.engine import check_files
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
    got = [(d.line, d.suggestion) for d in result.diagnostics if d.code == code]
    assert got == list(example.expect)
    if kind == "valid":
        assert result.diagnostics == []


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_has_complete_docs(code: str) -> None:
    rule = RULES[code]
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead",
                    "## Fix safety"):  # fmt: skip
        assert heading in rule.doc
    assert rule.valid and rule.invalid
    assert rule.name and rule.name == rule.name.lower()
