"""The rules, one module each, and their registry.

Each module holds one rule: its code, short name, ruff-style documentation, VALID/INVALID
examples (with the findings, their fix safety and the fixed text they must give), its messages
and its check (see :mod:`overridecheck.lint.ruledef`).  ``tests/test_rules.py`` turns every
example into a test; the Fixit rules (:mod:`overridecheck.fixit`) are generated from here.
"""

from __future__ import annotations

from overridecheck.lint.ruledef import Example, Rule, RuleInfo
from overridecheck.lint.rules import (
    incompatible_override_signature,
    interface_method_self,
    missing_override_decorator,
    misspelled_attribute,
    misspelled_handler,
    misspelled_override,
    override_of_nothing,
    ungated_hook,
)

__all__ = ["DEFAULT_SELECT", "RULES", "Example", "Rule", "RuleInfo"]

#: Every rule by code, in code order.
RULES: dict[str, Rule] = {
    m.RULE.code: m.RULE
    for m in (
        misspelled_override,
        override_of_nothing,
        incompatible_override_signature,
        misspelled_handler,
        ungated_hook,
        misspelled_attribute,
        missing_override_decorator,
        interface_method_self,
    )
}
DEFAULT_SELECT = frozenset(code for code, rule in RULES.items() if rule.default)
