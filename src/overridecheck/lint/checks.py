"""The check stage: every selected rule over every class of a module, then the passes that
concern more than one rule.

Cross-rule de-duplication is done here, not by one rule calling another: a rule names in
``yields_to`` the rules whose finding on the same member of the same class replaces its own
(OC104 yields to OC101, which reports handler names the bases define themselves).  A fix is
never safer than its rule's ``fix_safety``; fix safety (``lint.fix``) may only lower it further.
"""

from __future__ import annotations

from dataclasses import replace

from overridecheck.lint.model import Diagnostic, ModuleSummary
from overridecheck.lint.ruledef import Context
from overridecheck.lint.rules import RULES

__all__ = ["check_module"]


def check_module(ctx: Context, mod: ModuleSummary) -> list[Diagnostic]:
    """Findings of the selected rules for every class of ``mod``, in class order."""
    rules = [r for r in RULES.values() if r.code in ctx.select and r.check is not None]
    found: list[Diagnostic] = []
    for info in ctx.resolver.classes(mod):
        per_class: list[tuple[str, Diagnostic]] = []
        for rule in rules:
            assert rule.check is not None
            per_class.extend(rule.check(ctx, mod, info))
        if not per_class:
            continue
        reported = {(d.code, name) for name, d in per_class}
        for name, d in per_class:
            rule = RULES[d.code]
            if rule.yields_to and any((code, name) in reported for code in rule.yields_to):
                continue
            found.append(_capped(d, rule.fix_safety))
    return found


def _capped(d: Diagnostic, highest: str) -> Diagnostic:
    """``d`` with its fix no safer than its rule allows (safety is only ever lowered)."""
    if d.fix is None or highest == "safe" or (highest == "unsafe" and not d.fix.safe):
        return d
    if highest == "unsafe":
        return replace(d, fix=replace(d.fix, safe=False))
    return replace(d, fix=None)
