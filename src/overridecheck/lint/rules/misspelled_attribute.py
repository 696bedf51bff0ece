"""OC106 misspelled-attribute: class attributes that near-miss one a base class reads.

Candidates are the public class attributes the ancestors assign (``isLeaf``, ``delimiter``,
``MAX_LENGTH``, ``nickname``), attributes declared by implemented interfaces, and attributes
frameworks read with ``getattr`` without defining them (trial's ``skip``/``todo``; see
``_conventions_data.CONVENTIONAL_ATTRIBUTES``).  Positions are found in the source text only
for the rare names that are near misses, so the summaries need no extra data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from overridecheck._conventions_data import CONVENTIONAL_ATTRIBUTES
from overridecheck._suggest import Candidates, is_ambiguous
from overridecheck.lint.findings import ancestor_keys, finding, where
from overridecheck.lint.model import ModuleSummary
from overridecheck.lint.ruledef import RENAME_SAFETY, Context, Example, Findings, Rule

if TYPE_CHECKING:
    from overridecheck.lint.resolve import ClassInfo

__all__ = ["RULE"]

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


def check(ctx: Context, mod: ModuleSummary, info: ClassInfo) -> Findings:
    """OC106 findings for one class."""
    summary = info.summary
    if info.is_interface or not info.complete or not summary.attributes:
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
    # A name an ancestor's module reads (`getattr(self, "subCommands")`) is part of its API.
    modules = {id(mod): (mod, True)}  # and whether the module defines the attribute
    for cls in info.mro[1:]:
        module = getattr(cls, "module", None) if getattr(cls, "summary", None) else None
        if isinstance(module, ModuleSummary) and id(module) not in modules:
            modules[id(module)] = (module, False)
    positions = {n: (line, column) for n, line, column in summary.assigned}
    for name, best, ambiguous in found:
        if any(ctx.mentions(m, name, defined=d) for m, d in modules.values()):
            continue
        pos = positions.get(name)
        if pos is None:
            continue  # bound by a loop, an import or a nested class, not an assignment
        line, column = pos
        message = (
            f"`{where(info, name)}` overrides nothing; "
            f"did you mean `{best}` from `{candidates[best]}`?"
        )
        yield (
            name,
            finding(
                mod,
                line,
                column,
                name,
                CODE,
                message,
                suggestion=best,
                rename=not ambiguous and not info.dynamic,  # it may bind `best` dynamically
            ),
        )


RULE = Rule(
    code="OC106",
    name="misspelled-attribute",
    summary="Class attribute is a near miss of an attribute a base class or interface defines",
    doc="""\
## What it does
Checks for class-level assignments in subclasses whose names are a near miss of a class
attribute the base classes define or an implemented interface declares: `isleaf = True` on a
Twisted `Resource` (for `isLeaf`), `delimeter` or `MAX_LENGHT` on a `LineReceiver`, `nickName`
on an `IRCClient`, and trial's `Skip`/`todo` variants (trial reads `skip`, `todo`, `suppress`
and `timeout` with `getattr`).

Only public attributes the bases define are candidates, so ordinary new attributes are never
reported, and neither is a name the module reads elsewhere (`self.isleaf`), which is in use, or
a name the base classes' modules read themselves (`usage.Options` reads `subCommands` beside
its `subCommand`).

## Why is this bad?
The base class reads its own attribute, so the misspelled one is silently ignored: the
resource is not a leaf, lines are split on the default delimiter, the test is not skipped.

## Example
```python
from twisted.web.resource import Resource

class Static(Resource):
    isleaf = True
```

## Use instead
```python
from twisted.web.resource import Resource

class Static(Resource):
    isLeaf = True
```

## Fix safety
The fix renames the attribute to the suggestion.

"""
    + RENAME_SAFETY,
    valid=(
        Example(
            "from twisted.web.resource import Resource\n"
            "class Static(Resource):\n"
            "    isLeaf = True\n"
            "    leaf_count = 0\n"
            "    isleafy = False\n"
        ),
        Example(
            "from twisted.words.protocols import irc\n"
            "class Bot(irc.IRCClient):\n"
            "    nickname = 'bot'\n"
            "    nickName = 'display'  # read by this module: a real attribute\n"
            "    def signedOn(self):\n"
            "        print(self.nickName)\n"
        ),
        Example(
            "from twisted.protocols.basic import LineReceiver\n"
            "class Chat(LineReceiver):\n"
            "    delimiter = b'\\n'\n"
            "    MAX_LENGTH = 1024\n"
            "    for _name in ('a', 'b'):\n"
            "        pass\n"
        ),
        Example(
            "class Base:\n"
            "    _state = None\n"
            "class Child(Base):\n"
            "    _stat = None  # private attributes are not a contract\n"
        ),
        Example(
            "from twisted.python import usage\n"
            "class Options(usage.Options):\n"
            "    subCommands = []  # near `subCommand`, but the base reads `subCommands` too\n"
        ),
    ),
    invalid=(
        Example(
            "from twisted.web.resource import Resource\n"
            "class Static(Resource):\n"
            "    isleaf = True\n",
            ((3, "isLeaf", "safe"),),
            fixed=(
                "from twisted.web.resource import Resource\n"
                "class Static(Resource):\n"
                "    isLeaf = True\n"
            ),
        ),
        Example(
            "from twisted.protocols.basic import LineReceiver\n"
            "class Chat(LineReceiver):\n"
            "    delimeter = b'\\n'\n"
            "    MAX_LENGHT = 1024\n",
            ((3, "delimiter", "safe"), (4, "MAX_LENGTH", "safe")),
            fixed=(
                "from twisted.protocols.basic import LineReceiver\n"
                "class Chat(LineReceiver):\n"
                "    delimiter = b'\\n'\n"
                "    MAX_LENGTH = 1024\n"
            ),
        ),
        Example(
            "from twisted.words.protocols import irc\n"
            "class Bot(irc.IRCClient):\n"
            "    nickName = 'bot'\n",
            ((3, "nickname", "safe"),),
            fixed=(
                "from twisted.words.protocols import irc\n"
                "class Bot(irc.IRCClient):\n"
                "    nickname = 'bot'\n"
            ),
        ),
        Example(
            "from twisted.trial import unittest\n"
            "class T(unittest.TestCase):\n"
            "    Skip = 'needs a network'\n"
            "    def test_it(self):\n"
            "        pass\n",
            ((3, "skip", "safe"),),
            fixed=(
                "from twisted.trial import unittest\n"
                "class T(unittest.TestCase):\n"
                "    skip = 'needs a network'\n"
                "    def test_it(self):\n"
                "        pass\n"
            ),
        ),
        Example(
            "from twisted.persisted.styles import Versioned\n"
            "class Account(Versioned):  # twisted.words.im.basesupport had this one\n"
            "    persistanceVersion = 2\n",
            ((3, "persistenceVersion", "safe"),),
            fixed=(
                "from twisted.persisted.styles import Versioned\n"
                "class Account(Versioned):  # twisted.words.im.basesupport had this one\n"
                "    persistenceVersion = 2\n"
            ),
        ),
    ),
    check=check,
)
