"""The linter's pipeline for a set of files: read -> summarise -> resolve -> check -> noqa."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Optional

from overridecheck.lint.checks import check_module
from overridecheck.lint.fix import classify_fixes
from overridecheck.lint.model import Diagnostic, FileError, ModuleSummary
from overridecheck.lint.resolve import (
    ModuleFinder,
    Resolver,
    default_search_path,
    module_name_for,
)
from overridecheck.lint.rules import DEFAULT_SELECT
from overridecheck.lint.summarise import SourceError, summarise

__all__ = ["DEFAULT_SELECT", "LintResult", "check_files"]


@dataclass
class LintResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files: int = 0


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _os_message(exc: OSError) -> str:
    return exc.strerror or str(exc)


def summarise_file(path: str) -> tuple[Optional[ModuleSummary], Optional[FileError]]:
    """Read and summarise one linted file; bad input becomes a :class:`FileError`."""
    try:
        _, module, is_package = module_name_for(path)
        data = _read(path)
        return summarise(data, path=path, module=module, is_package=is_package), None
    except SourceError as exc:
        return None, FileError(path, exc.message, exc.line, exc.column)
    except OSError as exc:
        return None, FileError(path, f"cannot read file: {_os_message(exc)}")
    except (ValueError, UnicodeError) as exc:
        return None, FileError(path, f"cannot read file: {exc}")


def _suppressed(mod: ModuleSummary, d: Diagnostic) -> bool:
    if d.line not in mod.noqa:
        return False
    codes = mod.noqa[d.line]
    return codes is None or d.code in codes


def check_files(
    files: Sequence[str],
    *,
    python: Optional[str] = None,
    select: Optional[Collection[str]] = None,
    search_path: Optional[Sequence[str]] = None,
) -> LintResult:
    """Check ``files`` (paths as they are to be displayed) and return findings and file errors."""
    chosen = frozenset(select) if select is not None else DEFAULT_SELECT
    result = LintResult(files=len(files))
    summaries: list[ModuleSummary] = []
    roots: list[str] = []
    for path in files:
        summary, error = summarise_file(path)
        if error is not None:
            result.errors.append(error)
            continue
        assert summary is not None
        summaries.append(summary)
        root = module_name_for(path)[0]
        if root not in roots:
            roots.append(root)
    if search_path is None:
        search_path = default_search_path(python)
    finder = ModuleFinder([*roots, *search_path])
    preloaded: dict[str, ModuleSummary] = {}
    for s in summaries:
        if s.module:
            preloaded.setdefault(s.module, s)
    resolver = Resolver(finder, preloaded)
    for s in summaries:
        for d in check_module(resolver, s, chosen):
            if not _suppressed(s, d):
                result.diagnostics.append(d)
    result.diagnostics.sort(key=lambda d: (d.path, d.line, d.column, d.code))
    result.errors.sort(key=lambda e: (e.path, e.line or 0))
    result.diagnostics = classify_fixes(result.diagnostics, files)
    return result
