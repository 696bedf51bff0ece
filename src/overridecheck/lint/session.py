"""One run's checking state, and the checking of modules with what each result depended on.

Shared by the serial engine and the forked workers of :mod:`overridecheck.lint.parallel`
(by inheritance through ``fork``, never pickled).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Optional

from overridecheck.lint.cache import SummaryCache
from overridecheck.lint.checks import check_module
from overridecheck.lint.model import Diagnostic, FileError, ModuleSummary, Unchecked
from overridecheck.lint.modules import ModuleFinder
from overridecheck.lint.resolve import Resolver, class_report
from overridecheck.lint.ruledef import Context
from overridecheck.lint.sources import Made, SourceFile, installed_summary, linted_summary
from overridecheck.lint.stamps import Stamps

__all__ = ["CheckState", "Outcome", "check_range", "make_context", "summary_for"]


@dataclass
class CheckState:
    """What checking needs; shared with forked workers by inheritance, never pickled."""

    todo: list[SourceFile]
    summaries: dict[str, ModuleSummary]  # by path: made or loaded in this process
    errors: dict[str, FileError]
    finder: ModuleFinder
    chosen: frozenset[str]
    by_path: dict[str, SourceFile]  # by absolute path
    linted: dict[str, tuple[str, bool]]
    stamps: Stamps
    cache_dir: Optional[str]  # the user's cache: results are recorded with their deps
    override_import: str = "typing_extensions"
    retain: Optional[list[object]] = None  # keeps the contexts alive (see `check_files`)
    # installed modules (stdlib, site-packages) summarised in this process, by path (None: it
    # could not be read): shared by its resolvers, and by forked workers through inheritance
    installed: dict[str, Optional[ModuleSummary]] = field(default_factory=dict)


# (index, findings, errors, dependencies with their stamps, classes, classes not checked)
Outcome = tuple[
    int,
    list[Diagnostic],
    tuple[FileError, ...],
    tuple[tuple[str, str], ...],
    int,
    tuple[Unchecked, ...],
]


def summary_for(state: CheckState, e: SourceFile, cache: Optional[SummaryCache]) -> Made:
    """A linted file's summary: already made in this process, else by ``linted_summary``."""
    summary = state.summaries.get(e.path)
    if summary is not None or e.path in state.errors:
        return summary, state.errors.get(e.path)
    summary, error = linted_summary(e, cache)
    if summary is not None:
        state.summaries[e.path] = summary
    elif error is not None:
        state.errors[e.path] = error
    return summary, error


def installed_for(
    state: CheckState, path: str, name: str, is_package: bool, cache: Optional[SummaryCache]
) -> Optional[ModuleSummary]:
    """An installed module's summary: already made in this process, else by
    ``installed_summary``."""
    try:
        return state.installed[path]
    except KeyError:
        summary = state.installed[path] = installed_summary(path, name, is_package, cache)
        return summary


def make_context(state: CheckState, cache: Optional[SummaryCache]) -> Context:
    """A resolver over the linted files and installed modules, and the checks' context."""

    def loader(path: str, name: str, is_package: bool) -> Optional[ModuleSummary]:
        """Modules reached during resolution: linted files first, then installed ones."""
        linted = state.by_path.get(path)
        if linted is not None:
            return summary_for(state, linted, cache)[0]
        return installed_for(state, path, name, is_package, cache)

    def file_source(path: str) -> Optional[bytes]:
        linted = state.by_path.get(os.path.abspath(path))
        return linted.content() if linted is not None else None

    resolver = Resolver(state.finder, loader=loader, linted=state.linted)
    return Context(
        resolver,
        state.chosen,
        override_import=state.override_import,
        source=file_source,
        cache=cache if state.cache_dir is not None else None,
        stamp=state.stamps.stamp,
    )


def _suppressed(mod: ModuleSummary, d: Diagnostic) -> bool:
    if d.line not in mod.noqa:
        return False
    codes = mod.noqa[d.line]
    return codes is None or d.code in codes


def check_range(
    state: CheckState,
    indices: Iterable[int],
    cache: Optional[SummaryCache],
    ctx: Optional[Context] = None,
) -> list[Outcome]:
    """Check the modules ``state.todo[i]``, recording what each result depended on."""
    if ctx is None:
        ctx = make_context(state, cache)
    if state.retain is not None:
        state.retain.append(ctx)
    resolver = ctx.resolver
    outcomes: list[Outcome] = []
    for i in indices:
        e = state.todo[i]
        summary, error = summary_for(state, e, cache)
        found: list[Diagnostic] = []
        errors: tuple[FileError, ...] = (error,) if error is not None else ()
        classes = 0
        unchecked: tuple[Unchecked, ...] = ()
        deps: set[str] = set()
        if error is None and summary is not None:
            deps = resolver.record()
            try:
                found = check_module(ctx, summary)
                cycles, classes, skipped = class_report(resolver, summary)
                errors, unchecked = tuple(cycles), tuple(skipped)
            except RecursionError:  # nesting no real code has: this file only is not checked
                found, errors = [], (FileError(e.path, "too deeply nested to check"),)
            finally:
                resolver.stop(deps)
            found = [d for d in found if not _suppressed(summary, d)]
        recorded: tuple[tuple[str, str], ...] = ()
        if state.cache_dir is not None:
            if e.module:
                deps.add(e.module)
            recorded = tuple(sorted((m, state.stamps.stamp(m)) for m in deps))
        outcomes.append((i, found, errors, recorded, classes, unchecked))
    return outcomes
