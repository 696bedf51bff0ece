"""overridecheck's opt-in rules as Fixit 2 lint rules (off unless named).

```toml
[tool.fixit]
enable = ["overridecheck.fixit", "overridecheck.fixit_opt_in:MissingOverrideDecorator"]
```

The opt-in rules: ``MissingOverrideDecorator`` (OC107) and ``InterfaceMethodSelf`` (OC108).

The default rules are in :mod:`overridecheck.fixit`; enabling that module does not turn these
on, as ``overridecheck`` itself does not run them without ``--select``.
"""

from __future__ import annotations

from fixit import LintRule

from overridecheck.fixit import OPT_IN_CODES, make_rule, rule_name

__all__ = ["OPT_IN_RULES"]

#: The Fixit rules of the opt-in rules, by Fixit name.
OPT_IN_RULES: dict[str, type[LintRule]] = {
    rule_name(code): make_rule(code) for code in sorted(OPT_IN_CODES)
}
globals().update(OPT_IN_RULES)
