"""OC106 misspelled-attribute: class attributes that near-miss one a base class reads.

Candidates are the public class attributes the ancestors assign (``isLeaf``, ``delimiter``,
``MAX_LENGTH``, ``nickname``), attributes declared by implemented interfaces, and attributes
frameworks read with ``getattr`` without defining them (trial's ``skip``/``todo``; see
``conventions.CONVENTIONAL_ATTRIBUTES``).  Positions are found in the source text only for the
rare names that are near misses, so the summaries need no extra data.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING

from overridecheck._conventions_data import attribute_position
from overridecheck._suggest import Candidates, is_ambiguous
from overridecheck.lint.conventions import CONVENTIONAL_ATTRIBUTES
from overridecheck.lint.findings import finding, module_text, referenced, where
from overridecheck.lint.handlers import ancestor_keys
from overridecheck.lint.model import Diagnostic, ModuleSummary

if TYPE_CHECKING:
    from overridecheck.lint.resolve import ClassInfo, Resolver

__all__ = ["check_attributes"]

CODE = "OC106"


def _candidates(info: ClassInfo) -> dict[str, str]:
    """Public attributes the ancestors and interfaces define, with where they come from."""
    result: dict[str, str] = {}
    for cls in info.mro[1:]:
        summary = getattr(cls, "summary", None)
        if summary is None:
            continue
        methods = {fn.name for fn in summary.methods}
        for a in summary.attributes:
            if not a.startswith("_") and a not in methods:
                result.setdefault(a, summary.name)
    for name, member in info.interface_members().items():
        if member.function is None and not name.startswith("_"):
            result.setdefault(name, member.owner)
    keys = ancestor_keys(info)
    for key, names in CONVENTIONAL_ATTRIBUTES.items():
        if key in keys:
            for n in names:
                result.setdefault(n, key[1])
    return result


def check_attributes(
    mod: ModuleSummary, info: ClassInfo, resolver: Resolver, select: Collection[str]
) -> Iterator[tuple[str, Diagnostic]]:
    """OC106 findings for one class."""
    del resolver
    summary = info.summary
    if CODE not in select or info.is_interface or not info.complete or not summary.attributes:
        return
    inherited = info.inherited()
    interface = info.interface_members()
    methods = {fn.name for fn in summary.methods}
    own = [
        a
        for a in dict.fromkeys(summary.attributes)
        if a not in inherited
        and a not in interface
        and a not in methods
        and not (a.startswith("__") and a.endswith("__"))
    ]
    if not own:
        return
    candidates = _candidates(info)
    if not candidates:
        return
    pool = Candidates(c for c in candidates if c not in summary.attributes and c not in methods)
    found: list[tuple[str, str, bool]] = []
    for name in own:
        matches = pool.rank(name)
        if matches:
            found.append((name, matches[0].name, is_ambiguous(matches)))
    if not found:
        return
    names = {name for name, _, _ in found}
    used = referenced(mod.path, names)
    # A name an ancestor's module reads (`getattr(self, "subCommands")`) is part of its API.
    for path in {c.module.path for c in info.mro[1:] if getattr(c, "summary", None) is not None}:  # type: ignore[union-attr]
        used |= referenced(path, names - used)
    text = module_text(mod.path)
    for name, best, ambiguous in found:
        if name in used:
            continue
        pos = attribute_position(text, summary.line, name)
        if pos is None:
            continue  # bound by a loop or an import, not an assignment
        line, column = pos
        message = (
            f"`{where(info, name)}` overrides nothing; "
            f"did you mean `{best}` from `{candidates[best]}`?"
        )
        yield (
            name,
            finding(mod, line, column, name, CODE, message, suggestion=best, rename=not ambiguous),
        )
