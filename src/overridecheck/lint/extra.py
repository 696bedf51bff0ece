"""Registry for rules beyond OC101-OC103: each entry checks one resolved class.

A check receives the module summary, the resolved class, the resolver and the selected codes,
and yields ``(method or attribute name, Diagnostic)`` pairs.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Callable

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
    from overridecheck.lint import attributes, explicit, gated, handlers

    CHECKS.extend(
        [
            handlers.check_handlers,
            gated.check_gated,
            attributes.check_attributes,
            explicit.check_explicit,
        ]
    )


_register()
