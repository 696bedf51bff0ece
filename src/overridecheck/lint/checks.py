"""The check stage: every selected rule over every class of a module, then the passes that
concern more than one rule.

Cross-rule de-duplication is done here, not by one rule calling another: a rule names in
``yields_to`` the rules whose finding on the same member of the same class replaces its own
(OC104 yields to OC101, which reports handler names the bases define themselves).  A fix is
never safer than its rule's ``fix_safety``; fix safety (``lint.fix``) may only lower it further.
A rename onto a name the class already binds, or onto the same name as another rename of the
class, is no fix at all: the renamed method would replace the other one (ruff's F811).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Optional

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
        kept = [
            d
            for name, d in per_class
            if not (
                RULES[d.code].yields_to
                and any((code, name) in reported for code in RULES[d.code].yields_to)
            )
        ]
        renames = [(d, _rename_target(d)) for d in kept]
        onto = Counter(t for _, t in renames if t is not None)
        taken = info.own_names()
        for d, target in renames:
            if target is not None and (target in taken or onto[target] > 1):
                d = replace(d, fix=None)  # it would replace a method the class keeps
            found.append(_capped(d, RULES[d.code].fix_safety))
    return found


def _rename_target(d: Diagnostic) -> Optional[str]:
    """The name a finding's fix renames its member to (None when it has no rename)."""
    if d.fix is None or len(d.fix.edits) != 1 or d.suggestion is None:
        return None
    return d.fix.edits[0].text if d.fix.edits[0].text == d.suggestion else None


def _capped(d: Diagnostic, highest: str) -> Diagnostic:
    """``d`` with its fix no safer than its rule allows (safety is only ever lowered)."""
    if d.fix is None or highest == "safe" or (highest == "unsafe" and not d.fix.safe):
        return d
    if highest == "unsafe":
        return replace(d, fix=replace(d.fix, safe=False))
    return replace(d, fix=None)
