"""overridecheck's rules as Fixit 2 lint rules: ``enable = ["overridecheck.fixit"]``.

```toml
[tool.fixit]
enable = ["overridecheck.fixit"]   # or one rule: "overridecheck.fixit:MisspelledOverride"
```

Each Fixit rule reports the findings of one of the linter's rules (``MisspelledOverride`` for
OC101, ``OverrideOfNothing`` for OC102, ... ``MisspelledHandler`` for OC104, named after the
rule), generated from the registry (``overridecheck.lint.rules``) with the rule's own examples;
this module holds the default rules, :mod:`overridecheck.fixit_opt_in` the opt-in ones. They
use the linter's messages, on the method's name; the safe renames become Fixit replacements
(``fixit fix``). There is no second analysis: the linter's engine checks the file (read from
disk when the source Fixit parsed is the file's content, otherwise from a temporary copy),
once per file for all the rules.
Installed packages (Twisted, ...) are resolved from ``$VIRTUAL_ENV``, else the project's
``.venv``/``venv``, else the interpreter that runs Fixit (read, never run); a file whose classes
could not all be checked gets one warning line on stderr. Fix safety is the command line's
for the same file (``overridecheck <file>``, judged on the whole project); source that is not
the file on disk gets no safe fix (see `diagnostics_for`).

Needs ``pip install 'overridecheck[fixit]'``; ``import overridecheck`` never imports this module
(nor Fixit or LibCST).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Callable, ClassVar, Optional

import libcst as cst
from fixit import Invalid, LintRule, Valid
from libcst.metadata import CodeRange, FilePathProvider, PositionProvider

from overridecheck.lint.engine import LintResult, check_files
from overridecheck.lint.environment import default_environment
from overridecheck.lint.model import Diagnostic
from overridecheck.lint.modules import module_name_for
from overridecheck.lint.report import coverage_messages, shown_path
from overridecheck.lint.rules import RULES, Example

__all__ = ["CODES", "DEFAULT_RULES", "OPT_IN_CODES", "make_rule", "rule_name"]

#: The codes reported through this module: the linter's default rules (opt-in rules have their
#: Fixit rules in :mod:`overridecheck.fixit_opt_in`). The engine checks them all in one run
#: per file.
CODES = frozenset(code for code, info in RULES.items() if info.default)


def rule_name(code: str) -> str:
    """The Fixit rule (class) name of a rule: ``misspelled-override`` -> ``MisspelledOverride``."""
    return "".join(part.capitalize() for part in RULES[code].name.split("-"))


#: What the engine checks for Fixit: every rule (each Fixit rule keeps its own code's findings).
_SELECT = frozenset(RULES)


def _import_source(path: str) -> str:
    """OC107's import: ``override-import`` of the nearest config, else the environment
    variable, else ``typing_extensions`` (as on the command line)."""
    from overridecheck.lint.config import ConfigError, find_config, load_config
    from overridecheck.lint.rules.missing_override_decorator import ENV, IMPORT_SOURCES

    configured = None
    try:
        found = find_config(os.path.dirname(os.path.abspath(path)) if path else os.getcwd())
        configured = load_config(found, RULES).override_import if found is not None else None
    except (ConfigError, OSError, ValueError):
        configured = None
    source = configured or os.environ.get(ENV) or IMPORT_SOURCES[0]
    return source if source in IMPORT_SOURCES else IMPORT_SOURCES[0]


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


def _check_copy(path: str, source: bytes, context: Sequence[str] = ()) -> LintResult:
    """Check ``source`` written to a temporary file named like ``path``; the folder of
    ``path`` (its import root) still resolves imports of the project's own modules, and
    ``context`` are the project's files read for references."""
    name = os.path.basename(path) if path.endswith(".py") else "module.py"
    root = module_name_for(path)[0] if path else None
    search_path = [*([root] if root and os.path.isdir(root) else []), *_installed(path)]
    with tempfile.TemporaryDirectory(prefix="overridecheck-fixit-") as tmp:
        copy = os.path.join(tmp, name)
        with open(copy, "wb") as f:
            f.write(source)
        return check_files(
            [copy],
            select=_SELECT,
            search_path=search_path,
            override_import=_import_source(path),
            context=context,
        )


#: Files already warned about (classes not checked): one warning per file at most.
_warned: set[str] = set()


def _without_safe_fixes(result: LintResult) -> LintResult:
    """``result`` with every fix at most unsafe: Fixit then offers it as no replacement."""
    result.diagnostics = [
        replace(d, fix=replace(d.fix, safe=False)) if d.fix is not None and d.fix.safe else d
        for d in result.diagnostics
    ]
    return result


def _with_project(check: Callable[[Sequence[str]], LintResult], where: str) -> LintResult:
    """``check(context)`` as ``overridecheck <path>`` checks a file given by name: with the
    rest of the project around ``where`` (a file or folder) as context, so that references and
    subclasses in other files lower fix safety and uses elsewhere drop findings.

    The file is checked alone first (most files have no finding), and again with the project
    only when it has findings.  When the project cannot be found (a bad config), no fix is
    safe: nothing says that no other file refers to the old name."""
    result = check(())
    if not result.diagnostics:
        return result
    from overridecheck.lint.config import ConfigError
    from overridecheck.lint.run import project_context

    try:
        context = project_context(where)
    except (ConfigError, OSError, ValueError):
        return _without_safe_fixes(result)
    return check(context)


def diagnostics_for(path: str, source: bytes) -> tuple[Diagnostic, ...]:
    """The linter's findings (``CODES``) for ``source``, the content of the file ``path``
    (``""`` when unknown), with the fix safety the command line gives the file:

    * the content of the file on disk: checked as ``overridecheck <path>`` checks it, with
      the rest of its project (`_with_project`);
    * a file not on disk yet (a new editor buffer, Fixit's test harness): its copy, with the
      project of its folder (no other file can import it yet);
    * other content of a file on disk (an unsaved buffer), or source without a path: its copy,
      every fix at most unsafe: the project's files import and subclass what is on disk, not
      this source, and without a path there is no project to judge the renames against.

    Classes that could not be checked get one warning line on stderr per file."""
    data = _read(path) if path else None
    if data is not None and data == source:
        result = _with_project(
            lambda context: check_files(
                [path],
                select=_SELECT,
                search_path=_installed(path),
                override_import=_import_source(path),
                context=context,
            ),
            path,
        )
    elif path and data is None and not os.path.exists(path):
        folder = os.path.dirname(os.path.abspath(path))
        result = _with_project(lambda context: _check_copy(path, source, context), folder)
    else:
        result = _without_safe_fixes(_check_copy(path, source))
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


def _replacement(example: Example) -> Optional[str]:
    """What Fixit's autofixes make of an example: its fixed text when every finding's fix is
    safe (Fixit applies only safe renames), else nothing to compare."""
    if example.fixed is not None and all(safety == "safe" for _, _, safety in example.expect):
        return example.fixed
    return None


def make_rule(code: str) -> type[LintRule]:
    """The Fixit rule of one of the linter's rules, with the rule's own examples as its
    VALID/INVALID cases (the fixed text as the expected replacement where all fixes are safe)."""
    info = RULES[code]
    namespace = {
        "__doc__": f"{code} {info.name}: {info.summary}.",
        "__module__": __name__,
        "CODE": code,
        "VALID": [Valid(example.code) for example in info.valid],
        "INVALID": [
            Invalid(example.code, expected_replacement=_replacement(example))
            for example in info.invalid
        ],
    }
    return type(rule_name(code), (_EngineRule, LintRule), namespace)


#: The Fixit rules of the default rules, by Fixit name: what ``enable = ["overridecheck.fixit"]``
#: collects.
DEFAULT_RULES: dict[str, type[LintRule]] = {
    rule_name(code): make_rule(code) for code in sorted(CODES)
}
#: The Fixit rules of the opt-in rules, kept out of this module's namespace so that enabling
#: the module does not turn them on; they live in :mod:`overridecheck.fixit_opt_in`.
OPT_IN_CODES = frozenset(code for code, info in RULES.items() if not info.default)

globals().update(DEFAULT_RULES)
if TYPE_CHECKING:
    MisspelledOverride = LintRule
    OverrideOfNothing = LintRule
    IncompatibleOverrideSignature = LintRule
