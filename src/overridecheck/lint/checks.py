"""The check stage: every selected rule over every class of a module, then the passes that
concern more than one rule.

Cross-rule de-duplication is done here, not by one rule calling another: a rule names in
``yields_to`` the rules whose finding on the same member of the same class replaces its own
(OC104 yields to OC101, which reports handler names the bases define themselves).

A rename's safety is lowered here by what the class itself shows, whichever rule made it:

* onto a name the class already binds, or onto the same name as another rename of the class:
  no fix at all, the renamed method would replace the other one (ruff's F811); nor in a class
  whose body binds names dynamically (``exec``, ``locals()[...]``): it may bind the new name;
* onto a name that one of its bases binds to something concrete (the first definer in the
  MRO: a method with a real body, even one documented to be overridden, or any other value
  such as ``render_GET = render_POST``): unsafe, the rename replaces what the class ran until
  now (OC104's `render_get` beside a base's working `render_GET`); special methods
  (``__init__``) are hooks Python calls, and a stub is the hook itself;
* then no safer than its rule's ``fix_safety``.

The later passes (`lint.hierarchy` for the project's subclasses, `lint.fix` for references)
only lower it further.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Optional

from overridecheck.lint.model import Diagnostic, ModuleSummary
from overridecheck.lint.resolve import ClassInfo
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
            (name, d)
            for name, d in per_class
            if not (
                RULES[d.code].yields_to
                and any((code, name) in reported for code in RULES[d.code].yields_to)
            )
        ]
        renames = [(name, d, _rename_target(d)) for name, d in kept]
        onto = Counter(t for _, _, t in renames if t is not None)
        taken = info.own_names()
        for name, d, target in renames:
            if target is not None and (target in taken or onto[target] > 1 or info.dynamic):
                d = replace(d, fix=None)  # it would replace a method the class keeps
            elif (
                target is not None and d.fix is not None and _replaces_concrete(info, name, target)
            ):
                d = replace(d, fix=replace(d.fix, safe=False))
            found.append(_capped(d, RULES[d.code].fix_safety))
    return found


def _replaces_concrete(info: ClassInfo, name: str, target: str) -> bool:
    """Whether renaming the member ``name`` of the class to ``target`` replaces something
    concrete the class inherits as ``target`` from its bases (the first definer in its MRO)."""
    if target.startswith("__"):
        return False  # special methods are hooks: Python itself calls them
    member = info.inherited().get(target)
    if member is None:
        return False  # nothing inherited: an interface member or a dispatched handler
    fn = member.function
    if not any(m.name == name for m in info.summary.methods):
        return fn is not None  # an attribute (OC106) that would hide a base's method
    return fn is None or not fn.stub  # a real body, or a value (an alias of a method)


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
