"""overridecheck's rules as Fixit 2 lint rules: ``enable = ["overridecheck.fixit"]``.

```toml
[tool.fixit]
enable = ["overridecheck.fixit"]   # or one rule: "overridecheck.fixit:MisspelledOverride"
```

Each Fixit rule reports the findings of one of the linter's default rules (``MisspelledOverride``
for OC101, ``OverrideOfNothing`` for OC102, ... ``MisspelledHandler`` for OC104, named after the
rule), with the linter's messages, on the
method's name; the safe renames become Fixit replacements (``fixit fix``). There is no second
analysis: the linter's engine checks the file (read from disk when the source Fixit parsed is
the file's content, otherwise from a temporary copy), once per file for all three rules.
Installed packages (Twisted, ...) are resolved from ``$VIRTUAL_ENV``, else the project's
``.venv``/``venv``, else the interpreter that runs Fixit (read, never run); a file whose classes
could not all be checked gets one warning line on stderr. Fix safety is judged on the file
alone (references from other files are not seen, unlike ``overridecheck --fix`` over a tree).

Needs ``pip install 'overridecheck[fixit]'``; ``import overridecheck`` never imports this module
(nor Fixit or LibCST).
"""

from __future__ import annotations

import os
import sys
import tempfile
from typing import TYPE_CHECKING, ClassVar, Optional

import libcst as cst
from fixit import Invalid, LintRule, Valid
from libcst.metadata import CodeRange, FilePathProvider, PositionProvider

from overridecheck.lint.engine import LintResult, check_files
from overridecheck.lint.environment import default_environment
from overridecheck.lint.model import Diagnostic
from overridecheck.lint.report import coverage_messages, shown_path
from overridecheck.lint.resolve import module_name_for
from overridecheck.lint.rules import RULES

__all__ = [
    "CODES",
    "IncompatibleOverrideSignature",
    "MisspelledOverride",
    "OverrideOfNothing",
    "rule_name",
]

#: The codes reported through Fixit: the linter's default rules (opinionated rules that are off
#: by default stay off). The engine checks them all in one run per file.
CODES = frozenset(code for code, info in RULES.items() if info.default)


def rule_name(code: str) -> str:
    """The Fixit rule (class) name of a rule: ``misspelled-override`` -> ``MisspelledOverride``."""
    return "".join(part.capitalize() for part in RULES[code].name.split("-"))


def _read(path: str) -> Optional[bytes]:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def _installed(path: str) -> list[str]:
    """The search path for installed packages: ``$VIRTUAL_ENV``, else a ``.venv``/``venv`` of
    the project (the nearest folder above ``path`` with ``pyproject.toml`` or ``.git``), else
    the interpreter running Fixit."""
    folder = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
    root = folder
    while True:
        if any(os.path.exists(os.path.join(root, n)) for n in ("pyproject.toml", ".git")):
            break
        parent = os.path.dirname(root)
        if parent == root:
            root = folder
            break
        root = parent
    return list(default_environment(root).path)


def _check_copy(path: str, source: bytes) -> LintResult:
    """Check ``source`` written to a temporary file named like ``path``; the folder of
    ``path`` (its import root) still resolves imports of the project's own modules."""
    name = os.path.basename(path) if path.endswith(".py") else "module.py"
    root = module_name_for(path)[0] if path else None
    search_path = [*([root] if root and os.path.isdir(root) else []), *_installed(path)]
    with tempfile.TemporaryDirectory(prefix="overridecheck-fixit-") as tmp:
        copy = os.path.join(tmp, name)
        with open(copy, "wb") as f:
            f.write(source)
        return check_files([copy], select=CODES, search_path=search_path)


#: Files already warned about (classes not checked): one warning per file at most.
_warned: set[str] = set()


def diagnostics_for(path: str, source: bytes) -> tuple[Diagnostic, ...]:
    """The linter's findings (``CODES``) for ``source``, the content of the file ``path``
    (``""`` when unknown).  Classes that could not be checked get one warning line on stderr
    per file."""
    if path and _read(path) == source:
        result = check_files([path], select=CODES, search_path=_installed(path))
    else:
        result = _check_copy(path, source)
    if result.unchecked and path not in _warned:
        _warned.add(path)
        messages = coverage_messages(result.unchecked)
        more = f" (and {len(messages) - 1} more causes)" if len(messages) > 1 else ""
        sys.stderr.write(f"{shown_path(path or '<stdin>')}: warning: {messages[0]}{more}\n")
    return tuple(result.diagnostics)


#: The last module checked and its findings: the rules of one Fixit run visit the same
#: ``Module`` object, so the engine runs once per file for all of them. Keyed by identity, not
#: by content, so that a long-running process (``fixit lsp``) sees changes to other files.
_last: list[tuple[cst.Module, str, tuple[Diagnostic, ...]]] = []


def _diagnostics_once(module: cst.Module, path: str) -> tuple[Diagnostic, ...]:
    if _last and _last[0][0] is module and _last[0][1] == path:
        return _last[0][2]
    found = diagnostics_for(path, module.bytes)
    _last[:] = [(module, path, found)]
    return found


def _rename_target(d: Diagnostic) -> Optional[str]:
    """The new name when ``d`` has a safe fix that only renames the method."""
    fix = d.fix
    if fix is None or not fix.safe or len(fix.edits) != 1:
        return None
    edit = fix.edits[0]
    span = (edit.line, edit.column, edit.end_line, edit.end_column)
    if span != (d.line, d.column, d.end_line, d.end_column) or not edit.text.isidentifier():
        return None
    return edit.text


if TYPE_CHECKING:
    _Mixin = LintRule
else:
    _Mixin = object


class _EngineRule(_Mixin):
    """Shared visitor of the rules below: a mixin, not a ``LintRule`` at run time, so Fixit does
    not collect it as a rule of its own."""

    CODE: ClassVar[str]
    METADATA_DEPENDENCIES = (PositionProvider, FilePathProvider)

    _found: dict[tuple[int, int], Diagnostic]

    def visit_Module(self, node: cst.Module) -> None:
        try:
            path = str(self.get_metadata(FilePathProvider, node))
        except KeyError:  # run without a FullRepoManager: no path
            path = ""
        self._found = {
            (d.line, d.column): d
            for d in _diagnostics_once(node, path)
            if d.code == type(self).CODE
        }

    def visit_Name(self, node: cst.Name) -> None:
        # Every finding sits on a name: a method's (`def conectionMade`) or a class
        # attribute's (`isleaf = True`); the rename is a replacement of that name.
        if not self._found:
            return
        where = self.get_metadata(PositionProvider, node)
        d = self._found.get((where.start.line, where.start.column + 1))
        if d is None:
            return
        new = _rename_target(d)
        replacement = node.with_changes(value=new) if new is not None else None
        position = CodeRange(where.start, where.end)
        self.report(node, d.message, position=position, replacement=replacement)


_PROTOCOL = "from twisted.internet.protocol import Protocol\n\n\n"


class MisspelledOverride(_EngineRule, LintRule):
    """OC101 misspelled-override: a method name that is a near miss of a name a base class or
    an implemented zope.interface interface provides (``conectionMade`` on a Twisted
    ``Protocol``). Fix: rename it, when nothing else in the file refers to the old name."""

    CODE = "OC101"
    VALID: ClassVar[list[str | Valid]] = [
        Valid(_PROTOCOL + "class Echo(Protocol):\n    def connectionMade(self):\n        pass\n"),
        Valid(
            "class Base:\n    def process_item(self, item):\n        pass\n\n\n"
            "class Child(Base):\n    def process(self, item):\n        pass\n"
        ),
    ]
    INVALID: ClassVar[list[str | Invalid]] = [
        Invalid(
            _PROTOCOL + "class Echo(Protocol):\n    def conectionMade(self):\n        pass\n",
            expected_message=(
                "`Echo.conectionMade` overrides nothing; did you mean `connectionMade` from "
                "`BaseProtocol`?"
            ),
            expected_replacement=(
                _PROTOCOL + "class Echo(Protocol):\n    def connectionMade(self):\n        pass\n"
            ),
        ),
        Invalid(
            "class Base:\n    def process_item(self, item):\n        pass\n\n\n"
            "class Child(Base):\n    def proces_item(self, item):\n        pass\n",
            expected_replacement=(
                "class Base:\n    def process_item(self, item):\n        pass\n\n\n"
                "class Child(Base):\n    def process_item(self, item):\n        pass\n"
            ),
        ),
    ]


class OverrideOfNothing(_EngineRule, LintRule):
    """OC102 override-of-nothing: a method marked ``@override`` (overridecheck, ``typing``,
    ``typing_extensions`` or ``overrides``) that no base class or implemented interface
    defines. Fix: rename it to the suggested name, when there is one."""

    CODE = "OC102"
    VALID: ClassVar[list[str | Valid]] = [
        Valid(
            "from typing_extensions import override\n\n\n"
            "class Base:\n    def run(self):\n        pass\n\n\n"
            "class Child(Base):\n    @override\n    def run(self):\n        pass\n"
        ),
    ]
    INVALID: ClassVar[list[str | Invalid]] = [
        Invalid(
            "from overridecheck import override\n" + _PROTOCOL + "class Echo(Protocol):\n"
            "    @override\n    def conectionMade(self):\n        pass\n",
            expected_replacement=(
                "from overridecheck import override\n" + _PROTOCOL + "class Echo(Protocol):\n"
                "    @override\n    def connectionMade(self):\n        pass\n"
            ),
        ),
        Invalid(
            "import typing\n\n\n"
            "class Base:\n    def run(self):\n        pass\n\n\n"
            "class Child(Base):\n    @typing.override\n    def walk(self):\n        pass\n"
        ),
    ]


class IncompatibleOverrideSignature(_EngineRule, LintRule):
    """OC103 incompatible-override-signature: an override that cannot accept the positional
    arguments its base or interface method is called with (``def dataReceived(self)`` on a
    Twisted ``Protocol``). No fix."""

    CODE = "OC103"
    VALID: ClassVar[list[str | Valid]] = [
        Valid(
            _PROTOCOL + "class Echo(Protocol):\n    def dataReceived(self, data):\n        pass\n"
        ),
    ]
    INVALID: ClassVar[list[str | Invalid]] = [
        Invalid(_PROTOCOL + "class Echo(Protocol):\n    def dataReceived(self):\n        pass\n"),
    ]


def _generated_rules() -> dict[str, type[LintRule]]:
    """A Fixit rule for each other default rule of the linter (OC104 and later), with the
    linter's own examples as its VALID/INVALID cases."""
    written = (MisspelledOverride, OverrideOfNothing, IncompatibleOverrideSignature)
    done = {rule.CODE for rule in written}
    made: dict[str, type[LintRule]] = {}
    for code in sorted(CODES - done):
        info = RULES[code]
        namespace = {
            "__doc__": f"{code} {info.name}: {info.summary}.",
            "__module__": __name__,
            "CODE": code,
            "VALID": [Valid(example.code) for example in info.valid],
            "INVALID": [Invalid(example.code) for example in info.invalid],
        }
        made[rule_name(code)] = type(rule_name(code), (_EngineRule, LintRule), namespace)
    return made


globals().update(_generated_rules())
