"""Registry for rules beyond OC101-OC103: each entry checks one resolved class.

A check receives the module summary, the resolved class, the resolver and the selected codes,
and yields ``(method or attribute name, Diagnostic)`` pairs.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Any, Callable

from overridecheck.lint.model import Diagnostic, ModuleSummary

if TYPE_CHECKING:
    from overridecheck.lint.resolve import ClassInfo, Resolver
    from overridecheck.lint.rules import RuleInfo

__all__ = ["CHECKS", "RULES", "ClassCheck"]

ClassCheck = Callable[
    [ModuleSummary, "ClassInfo", "Resolver", Collection[str]], Iterator[tuple[str, Diagnostic]]
]

CHECKS: list[ClassCheck] = []
RULES: list[RuleInfo] = []


def _register() -> None:
    from overridecheck.lint import attributes, explicit, gated, handlers, rules_extra

    CHECKS.extend(
        [
            handlers.check_handlers,
            gated.check_gated,
            attributes.check_attributes,
            explicit.check_explicit,
        ]
    )
    RULES.extend(rules_extra.RULES)
    # `rules` merges RULES when it is imported. When this module was imported first, importing
    # `rules_extra` has already run `rules` to completion with the lists still empty: merge now.
    rules: Any = sys.modules.get("overridecheck.lint.rules")
    if rules is not None and hasattr(rules, "DEFAULT_SELECT"):
        for rule in RULES:
            rules.RULES[rule.code] = rule
        rules.DEFAULT_SELECT = frozenset(c for c, r in rules.RULES.items() if r.default)


_register()
