"""Forked workers: summarise, then check, a share of the files each.

Phase 1's workers summarise the linted files (storing them in the user's cache, when there is
one) and return the summaries; this process keeps them and, as they arrive, summarises the
installed modules (stdlib, site-packages) their classes' bases and interfaces come from, once
each.  Phase 2's workers are forked after that: they inherit every summary, linted and
installed, and check a share of the modules each.  Linux only (``fork``); elsewhere the engine
checks in its own process.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Optional

from overridecheck.lint.cache import SummaryCache
from overridecheck.lint.model import FileError, ImportTarget, ModuleSummary
from overridecheck.lint.resolve import Resolver
from overridecheck.lint.ruledef import Context
from overridecheck.lint.session import (
    CheckState,
    Outcome,
    check_range,
    installed_for,
    make_context,
)
from overridecheck.lint.sources import summaries_of

__all__ = ["check_parallel"]


def _worker_cache(directory: str) -> SummaryCache:
    """A worker process's connection to the shared cache, closed as the worker exits (one
    left open would leave its write-ahead log for the next connection to recover)."""
    cache = SummaryCache(directory)
    multiprocessing.util.Finalize(cache, cache.close, exitpriority=10)
    return cache


_CHUNKS_PER_JOB = 8
_BATCHES_PER_JOB = 24
_STATE: Optional[CheckState] = None
_WORKER: Optional[tuple[Context, Optional[SummaryCache]]] = None
_SUMMARISER: Optional[SummaryCache] = None  # a phase 1 worker's connection to the user's cache


def _check_worker(indices: list[int]) -> list[Outcome]:
    global _WORKER
    state = _STATE
    assert state is not None
    if _WORKER is None:  # one resolver per worker process, reused for all its chunks
        cache = _worker_cache(state.cache_dir) if state.cache_dir else None
        _WORKER = (make_context(state, cache), cache)
    ctx, cache = _WORKER
    outcomes = check_range(state, indices, cache, ctx)
    if cache is not None:
        cache.flush()
    return outcomes


class _Prefetch:
    """Phase 1's other job, in this process: summarise the installed modules (stdlib,
    site-packages) that the linted classes' bases and interfaces come from, into
    ``state.installed``, so that the phase 2 workers inherit them rather than each making
    them again."""

    def __init__(self, state: CheckState, cache: Optional[SummaryCache]) -> None:
        self.linted = state.linted
        self.done: set[tuple[ImportTarget, str]] = set()

        def loader(path: str, name: str, is_package: bool) -> Optional[ModuleSummary]:
            if name in self.linted:  # not summarised yet, perhaps: phase 2 resolves those
                return None
            return installed_for(state, path, name, is_package, cache)

        self.resolver = Resolver(state.finder, loader=loader, linted=state.linted)

    def module(self, summary: ModuleSummary) -> None:
        """Resolve what ``summary``'s classes name from outside the linted tree."""
        exprs = [e for c in summary.classes for e in (*c.bases, *c.implements)]
        # `with_metaclass(Meta, Base)`: the arguments may be bases too
        exprs += [a for c in summary.classes for _, args in c.base_calls for a in args[1:]]
        exprs += [e for _, ifaces in summary.class_implements for e in ifaces]
        for expr in exprs:
            head = expr.partition(".")[0]
            targets = [summary.imports.get(head)]
            # a name imported in several branches (`try`/`except ImportError`): each import
            targets += [
                ImportTarget(b.target, b.name)
                for b in summary.alternatives.get(head, ())
                if b.kind == "import"
            ]
            for target in dict.fromkeys(targets):
                if target is None or target.module in self.linted:
                    continue
                request = (target, expr)
                if request not in self.done:
                    self.done.add(request)
                    where = ModuleSummary(
                        module="", path="", is_package=False, imports={head: target}
                    )
                    self.resolver.lookup(where, expr)


def _check_cost(summary: ModuleSummary) -> int:
    """About how much checking a module takes: its classes and their methods."""
    return 1 + sum(1 + len(c.methods) for c in summary.classes)


# (failures, each file's checking cost, the summaries by index)
_Summarised = tuple[
    list[tuple[int, FileError]], list[tuple[int, int]], list[tuple[int, ModuleSummary]]
]


def _summarise_worker(indices: list[int]) -> _Summarised:
    """Phase 1: summarise a share of the files (into the user's cache, when there is one);
    return the failures, each file's checking cost and the summaries."""
    global _SUMMARISER
    state = _STATE
    assert state is not None
    if state.cache_dir is not None and _SUMMARISER is None:  # one per worker process
        _SUMMARISER = _worker_cache(state.cache_dir)
    cache = _SUMMARISER if state.cache_dir is not None else None
    failures: list[tuple[int, FileError]] = []
    costs: list[tuple[int, int]] = []
    made: list[tuple[int, ModuleSummary]] = []
    for i, (summary, error) in zip(indices, summaries_of([state.todo[i] for i in indices], cache)):
        if summary is not None:
            costs.append((i, _check_cost(summary)))
            made.append((i, summary))
        elif error is not None:
            failures.append((i, error))
    if cache is not None:
        cache.flush()
    return failures, costs, made


def _contiguous(weights: Sequence[int], parts: int) -> list[list[int]]:
    """Split ``range(len(weights))`` into about ``parts`` runs of similar total weight."""
    target = sum(weights) / max(1, parts)
    chunks: list[list[int]] = [[]]
    total = 0
    for i, w in enumerate(weights):
        if chunks[-1] and total + w / 2 > target:
            chunks.append([])
            total = 0
        chunks[-1].append(i)
        total += w
    return chunks if chunks[0] else []


def check_parallel(state: CheckState, jobs: int) -> list[Outcome]:
    """Summarise, then check, in ``jobs`` forked processes each (see the module's
    documentation)."""
    global _STATE
    n = len(state.todo)
    # Summarising has no locality to keep: small batches, largest files first, so that the
    # workers finish together (contiguous quarters left one worker idle for a big batch).
    by_size = sorted(range(n), key=lambda i: -state.todo[i].size)
    step = max(1, -(-n // (jobs * _BATCHES_PER_JOB)))
    batches = [by_size[k : k + step] for k in range(0, n, step)]
    _STATE = state
    weights = [1] * n
    here: Optional[SummaryCache] = None
    try:
        if state.cache_dir is not None:
            here = SummaryCache(state.cache_dir)
        prefetch = _Prefetch(state, here)
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            for failures, costs, made in pool.map(_summarise_worker, batches):
                for i, error in failures:
                    state.errors[state.todo[i].path] = error
                for i, cost in costs:
                    weights[i] = cost
                for i, summary in made:
                    state.summaries[state.todo[i].path] = summary
                    prefetch.module(summary)  # while the workers summarise the next batches
        if here is not None:
            here.flush()
        # Checking keeps neighbours together (a package's modules share their bases): runs
        # of similar cost, the costliest handed out first so that the workers end together.
        chunks = _contiguous(weights, jobs * _CHUNKS_PER_JOB)
        chunks.sort(key=lambda c: -sum(weights[i] for i in c))
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            parts = list(pool.map(_check_worker, chunks))
    except (OSError, RuntimeError, ValueError):  # no fork here: check in this process
        return check_range(state, range(n), None)
    finally:
        _STATE = None
        if here is not None:
            here.close()
    return [o for part in parts for o in part]
