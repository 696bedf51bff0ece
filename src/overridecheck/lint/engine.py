"""The linter's pipeline for a set of files: read -> summarise -> resolve -> check -> noqa.

Summarising is per file, so it runs in a process pool (``jobs``) and is cached by content
(``cache_dir``).  Resolving and checking need the whole tree and run in this process; their
result for a module is cached too, together with the modules it depended on (its own file,
the modules its classes' bases and interfaces came from), so an unchanged module whose
dependencies are unchanged costs one cache read, and a touched file costs about that file.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import multiprocessing.util
import os
import shutil
import sys
import tempfile
from collections.abc import Collection, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Optional

from overridecheck.lint.cache import SummaryCache, summary_key
from overridecheck.lint.checks import check_module
from overridecheck.lint.fix import classify_fixes
from overridecheck.lint.model import (
    Diagnostic,
    FileError,
    ImportTarget,
    ModuleSummary,
    NamesIndex,
    Unchecked,
)
from overridecheck.lint.resolve import (
    ModuleFinder,
    PackageMemo,
    Resolver,
    class_report,
    default_search_path,
    module_name_for,
)
from overridecheck.lint.ruledef import Context
from overridecheck.lint.rules import DEFAULT_SELECT
from overridecheck.lint.summarise import SourceError, summarise

__all__ = ["DEFAULT_SELECT", "LintResult", "check_files", "default_jobs"]


@dataclass
class LintResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files: int = 0
    classes: int = 0  # classes of the checked files (interfaces aside)
    unchecked: list[Unchecked] = field(default_factory=list)  # those not checked, and why


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _os_message(exc: OSError) -> str:
    return exc.strerror or str(exc)


@dataclass
class _File:
    """One linted file as read: where it sits in its package tree and its bytes."""

    path: str
    root: str = ""
    module: str = ""
    is_package: bool = False
    data: Optional[bytes] = None
    key: str = ""
    error: Optional[FileError] = None


def _load(path: str, packages: PackageMemo) -> _File:
    entry = _File(path)
    try:
        entry.root, entry.module, entry.is_package = module_name_for(path, packages)
        entry.data = _read(path)
        entry.key = summary_key(entry.data, entry.module, entry.is_package)
    except OSError as exc:
        entry.error = FileError(path, f"cannot read file: {_os_message(exc)}")
    except (ValueError, UnicodeError) as exc:
        entry.error = FileError(path, f"cannot read file: {exc}")
    return entry


def _summarise(
    path: str, data: bytes, module: str, is_package: bool
) -> tuple[Optional[ModuleSummary], Optional[FileError]]:
    try:
        return summarise(data, path=path, module=module, is_package=is_package), None
    except SourceError as exc:
        return None, FileError(path, exc.message, exc.line, exc.column)
    except (ValueError, UnicodeError) as exc:
        return None, FileError(path, f"cannot read file: {exc}")


def _summarise_task(
    job: tuple[str, bytes, str, bool],
) -> tuple[Optional[ModuleSummary], Optional[FileError]]:
    return _summarise(*job)


def _suppressed(mod: ModuleSummary, d: Diagnostic) -> bool:
    if d.line not in mod.noqa:
        return False
    codes = mod.noqa[d.line]
    return codes is None or d.code in codes


def _summarise_all(
    jobs_list: list[tuple[str, bytes, str, bool]], jobs: int
) -> list[tuple[Optional[ModuleSummary], Optional[FileError]]]:
    """Summarise in a process pool when it pays; results in the order of ``jobs_list``."""
    if jobs > 1 and len(jobs_list) >= 4 * jobs:
        try:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                chunk = max(1, len(jobs_list) // (jobs * 8))
                return list(pool.map(_summarise_task, jobs_list, chunksize=chunk))
        except (OSError, RuntimeError):  # no fork/spawn here: fall back to this process
            pass
    return [_summarise(*job) for job in jobs_list]


class _Stamps:
    """The current state of modules a cached result depended on."""

    def __init__(
        self,
        finder: ModuleFinder,
        tree_keys: dict[str, str],
        linted: Optional[dict[str, tuple[str, bool]]] = None,
    ) -> None:
        self.finder = finder
        self.tree_keys = tree_keys  # absolute path -> content key, for linted files
        self.linted = linted or {}  # module name -> linted file, as the resolver sees them
        self._memo: dict[str, str] = {}

    def stamp(self, module: str) -> str:
        got = self._memo.get(module)
        if got is not None:
            return got
        found = self.linted.get(module) or self.finder.find(module)
        if found is None:
            got = "missing"
        elif not found[0]:
            got = "namespace"
        else:
            path = found[0]
            got = self.tree_keys.get(path, "")
            if not got:
                try:
                    st = os.stat(path)
                    got = f"{path}|{st.st_mtime_ns}|{st.st_size}"
                except OSError:
                    got = "missing"
        self._memo[module] = got
        return got


def check_files(
    files: Sequence[str],
    *,
    python: Optional[str] = None,
    select: Optional[Collection[str]] = None,
    search_path: Optional[Sequence[str]] = None,
    jobs: int = 1,
    cache_dir: Optional[str] = None,
    settings: str = "",
    override_import: str = "typing_extensions",
) -> LintResult:
    """Check ``files`` (paths as they are to be displayed) and return findings and file errors.

    ``jobs`` > 1 summarises files in that many processes; ``cache_dir`` enables the on-disk
    cache; ``settings`` names any other option that changes findings (part of the cache key);
    ``override_import`` is where OC107's fix imports ``override`` from.
    Findings and their order are the same whatever ``jobs`` and the cache state are.
    """
    # The run builds many small objects that live until it ends and makes few reference
    # cycles: the cyclic collector would re-walk them again and again (a third of a cold run).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _check_files(
            files,
            python,
            select,
            search_path,
            jobs,
            cache_dir,
            f"{settings}|{override_import}",
            override_import,
        )
    finally:
        if collecting:
            gc.enable()


def _check_files(
    files: Sequence[str],
    python: Optional[str],
    select: Optional[Collection[str]],
    search_path: Optional[Sequence[str]],
    jobs: int,
    cache_dir: Optional[str],
    settings: str,
    override_import: str,
) -> LintResult:
    chosen = frozenset(select) if select is not None else DEFAULT_SELECT
    result = LintResult(files=len(files))
    packages: PackageMemo = {}
    entries = [_load(path, packages) for path in files]
    if search_path is None:
        search_path = default_search_path(python)
    roots: list[str] = []
    for e in entries:
        if e.error is None and e.root not in roots:
            roots.append(e.root)
    finder = ModuleFinder([*roots, *search_path])
    cache = SummaryCache(cache_dir) if cache_dir else None
    made: dict[str, ModuleSummary] = {}
    try:
        _run(entries, finder, chosen, jobs, cache, settings, override_import, result, made)
        result.diagnostics.sort(key=lambda d: (d.path, d.line, d.column, d.code))
        result.errors.sort(key=lambda e: (e.path, e.line or 0))
        result.unchecked.sort(key=lambda u: (u.path, u.line, u.column))
        contents = {e.path: e.data for e in entries if e.data is not None}
        by_path = {e.path: e for e in entries}

        def names_of(path: str) -> Optional[NamesIndex]:
            """A linted file's names index: from the summaries made, the cache, or made now
            (forked workers made the summaries and the cache is off)."""
            summary = made.get(path)
            e = by_path.get(path)
            if summary is None and e is not None and e.data is not None:
                summary = cache.get(e.key) if cache is not None else None
                if summary is None:
                    summary = _summarise(e.path, e.data, e.module, e.is_package)[0]
            return summary.names if summary is not None else None

        result.diagnostics = classify_fixes(result.diagnostics, files, contents, names_of)
    finally:
        if cache is not None:
            cache.close()
    return result


def _run(
    entries: list[_File],
    finder: ModuleFinder,
    chosen: frozenset[str],
    jobs: int,
    cache: Optional[SummaryCache],
    settings: str,
    override_import: str,
    result: LintResult,
    made: dict[str, ModuleSummary],
) -> None:
    """Check ``entries`` into ``result``; ``made`` receives the summaries made or loaded in
    this process, by path."""
    good = [e for e in entries if e.error is None and e.data is not None]
    result.errors.extend(e.error for e in entries if e.error is not None)
    tree_keys = {os.path.abspath(e.path): e.key for e in good}
    by_module: dict[str, _File] = {}
    for e in good:
        if e.module:
            by_module.setdefault(e.module, e)

    # Results of unchanged modules whose dependencies are unchanged come from the cache.
    linted = {m: (os.path.abspath(e.path), e.is_package) for m, e in by_module.items()}
    stamps = _Stamps(finder, tree_keys, linted)
    salt = hashlib.blake2b(
        repr((sorted(chosen), finder.roots, settings, sorted(by_module))).encode(),
        digest_size=16,
    ).hexdigest()
    todo: list[_File] = []
    if cache is not None:
        keys = {e.path: _result_key(e, salt) for e in good}
        cached = cache.get_results(list(keys.values()))
        for e in good:
            hit = cached.get(keys[e.path])
            if hit is not None and all(stamps.stamp(m) == s for m, s in hit[0]):
                result.errors.extend(hit[2])
                result.diagnostics.extend(hit[1])
                result.classes += hit[3]
                result.unchecked.extend(hit[4])
            else:
                todo.append(e)
    else:
        todo = good
    if not todo:
        return

    state = _CheckState(
        todo=todo,
        summaries=made,
        errors={},
        finder=finder,
        chosen=chosen,
        by_path={os.path.abspath(e.path): e for e in good},
        linted=linted,
        stamps=stamps,
        cache_dir=cache.directory if cache is not None else None,
        override_import=override_import,
    )
    if jobs > 1 and len(todo) >= 16 * jobs and _can_fork():
        # Forked workers summarise a share of the files each, then check a share each,
        # sharing summaries through the summary cache rather than through this process.
        if cache is not None:
            cache.flush()
        outcomes = _check_parallel(state, jobs)
    else:
        if jobs > 1:  # no fork here: summarise in a pool first, then check in this process
            _summarise_up_front(state, todo, jobs, cache)
        outcomes = _check_range(state, range(len(todo)), cache)
    for i, found, errors, recorded, classes, unchecked in sorted(outcomes, key=lambda o: o[0]):
        e = todo[i]
        result.errors.extend(errors)
        result.diagnostics.extend(found)
        result.classes += classes
        result.unchecked.extend(unchecked)
        if cache is not None:
            cache.put_result(
                _result_key(e, salt), (recorded, tuple(found), errors, classes, unchecked)
            )


@dataclass
class _CheckState:
    """What checking needs; shared with forked workers by inheritance, never pickled."""

    todo: list[_File]
    summaries: dict[str, ModuleSummary]
    errors: dict[str, FileError]
    finder: ModuleFinder
    chosen: frozenset[str]
    by_path: dict[str, _File]
    linted: dict[str, tuple[str, bool]]
    stamps: _Stamps
    cache_dir: Optional[str]  # the user's cache: results are recorded with their deps
    override_import: str = "typing_extensions"
    shared_dir: Optional[str] = None  # where forked workers share summaries (may be temporary)


# (index, findings, errors, dependencies with their stamps, classes, classes not checked)
_Outcome = tuple[
    int,
    list[Diagnostic],
    tuple[FileError, ...],
    tuple[tuple[str, str], ...],
    int,
    tuple[Unchecked, ...],
]


def _summary_for(
    state: _CheckState, e: _File, cache: Optional[SummaryCache]
) -> tuple[Optional[ModuleSummary], Optional[FileError]]:
    """A linted file's summary: already made, from the cache, or made now (and cached)."""
    summary = state.summaries.get(e.path)
    if summary is not None or e.path in state.errors:
        return summary, state.errors.get(e.path)
    got = cache.get(e.key) if cache is not None else None
    if got is not None:
        summary, error = _with_path(got, e.path), None
    elif e.data is not None:
        summary, error = _summarise(e.path, e.data, e.module, e.is_package)
        if summary is not None and cache is not None:
            cache.put(e.key, summary)
    else:
        summary, error = None, None
    if summary is not None:
        state.summaries[e.path] = summary
    elif error is not None:
        state.errors[e.path] = error
    return summary, error


def _summarise_up_front(
    state: _CheckState, todo: list[_File], jobs: int, cache: Optional[SummaryCache]
) -> None:
    hits = cache.get_many([e.key for e in todo]) if cache is not None else {}
    missing = [e for e in todo if e.key not in hits and e.data is not None]
    # (``e.data`` is never None for linted files that were read; the filter keeps mypy sure)
    for e in todo:
        if e.key in hits:
            state.summaries[e.path] = _with_path(hits[e.key], e.path)
    computed = _summarise_all(
        [(e.path, e.data, e.module, e.is_package) for e in missing if e.data is not None], jobs
    )
    for e, (summary, error) in zip(missing, computed):
        if summary is not None:
            state.summaries[e.path] = summary
            if cache is not None:
                cache.put(e.key, summary)
        elif error is not None:
            state.errors[e.path] = error


def _installed_summary(
    path: str, name: str, is_package: bool, cache: Optional[SummaryCache]
) -> Optional[ModuleSummary]:
    """A module outside the linted files (stdlib, site-packages): from the cache, or
    summarised now and cached."""
    try:
        data = _read(path)
    except OSError:
        return None
    key = summary_key(data, name, is_package)
    got = cache.get(key) if cache is not None else None
    if got is not None:
        return _with_path(got, path)
    summary, _ = _summarise(path, data, name, is_package)
    if summary is not None and cache is not None:
        cache.put(key, summary)
    return summary


def _make_context(state: _CheckState, cache: Optional[SummaryCache]) -> Context:
    def loader(path: str, name: str, is_package: bool) -> Optional[ModuleSummary]:
        """Modules reached during resolution: linted files first, then installed ones."""
        linted = state.by_path.get(path)
        if linted is not None:
            return _summary_for(state, linted, cache)[0]
        return _installed_summary(path, name, is_package, cache)

    def source(module: str) -> Optional[bytes]:
        found = state.linted.get(module)
        linted = state.by_path.get(found[0]) if found is not None else None
        return linted.data if linted is not None else None

    def file_source(path: str) -> Optional[bytes]:
        linted = state.by_path.get(os.path.abspath(path))
        return linted.data if linted is not None else None

    resolver = Resolver(state.finder, loader=loader, linted=state.linted, source=source)
    return Context(
        resolver, state.chosen, override_import=state.override_import, source=file_source
    )


def _check_range(
    state: _CheckState,
    indices: Iterable[int],
    cache: Optional[SummaryCache],
    ctx: Optional[Context] = None,
) -> list[_Outcome]:
    """Check the modules ``state.todo[i]``, recording what each result depended on."""
    if ctx is None:
        ctx = _make_context(state, cache)
    resolver = ctx.resolver
    outcomes: list[_Outcome] = []
    for i in indices:
        e = state.todo[i]
        summary, error = _summary_for(state, e, cache)
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


def _can_fork() -> bool:
    """Forked workers share the summaries without copying them; Linux only (fork is unsafe
    on macOS and missing on Windows)."""
    return sys.platform.startswith("linux")


def _worker_cache(directory: str) -> SummaryCache:
    """A worker process's connection to the shared cache, closed as the worker exits (one
    left open would leave its write-ahead log for the next connection to recover)."""
    cache = SummaryCache(directory)
    multiprocessing.util.Finalize(cache, cache.close, exitpriority=10)
    return cache


_CHUNKS_PER_JOB = 8
_BATCHES_PER_JOB = 24
_STATE: Optional[_CheckState] = None
_WORKER: Optional[tuple[Context, Optional[SummaryCache]]] = None


def _check_worker(indices: list[int]) -> list[_Outcome]:
    global _WORKER
    state = _STATE
    assert state is not None
    if _WORKER is None:  # one resolver per worker process, reused for all its chunks
        shared = state.shared_dir or state.cache_dir
        cache = _worker_cache(shared) if shared else None
        _WORKER = (_make_context(state, cache), cache)
    ctx, cache = _WORKER
    outcomes = _check_range(state, indices, cache, ctx)
    if cache is not None:
        cache.flush()
    return outcomes


class _Prefetch:
    """Phase 1's other job: summarise the installed modules (stdlib, site-packages) that the
    linted classes' bases and interfaces come from, into the shared cache, so that the phase 2
    workers load them rather than each parsing them again."""

    def __init__(self, state: _CheckState, cache: SummaryCache) -> None:
        self.cache = cache
        self.linted = state.linted
        self.done: set[tuple[ImportTarget, str]] = set()

        def loader(path: str, name: str, is_package: bool) -> Optional[ModuleSummary]:
            if name in self.linted:  # not summarised yet, perhaps: phase 2 resolves those
                return None
            summary = _installed_summary(path, name, is_package, cache)
            cache.flush()  # at once (a no-op after a cache hit): other workers may want it
            return summary

        self.resolver = Resolver(state.finder, loader=loader, linted=state.linted)

    def module(self, summary: ModuleSummary) -> None:
        """Resolve what ``summary``'s classes name from outside the linted tree."""
        exprs = [e for c in summary.classes for e in (*c.bases, *c.implements)]
        exprs += [e for _, ifaces in summary.class_implements for e in ifaces]
        for expr in exprs:
            head = expr.partition(".")[0]
            target = summary.imports.get(head)
            if target is None or target.module in self.linted:
                continue
            request = (target, expr)
            if request not in self.done:
                self.done.add(request)
                where = ModuleSummary(module="", path="", is_package=False, imports={head: target})
                self.resolver.lookup(where, expr)


_PREFETCH: Optional[_Prefetch] = None


def _check_cost(summary: ModuleSummary) -> int:
    """About how much checking a module takes: its classes and their methods."""
    return 1 + sum(1 + len(c.methods) for c in summary.classes)


_Summarised = tuple[list[tuple[int, FileError]], list[tuple[int, int]]]


def _summarise_worker(indices: list[int]) -> _Summarised:
    """Phase 1: summarise a share of the files into the shared cache, then the installed
    modules they need; return the failures and each file's checking cost."""
    global _PREFETCH
    state = _STATE
    assert state is not None and state.shared_dir is not None
    if _PREFETCH is None:  # one connection and resolver per worker process
        _PREFETCH = _Prefetch(state, _worker_cache(state.shared_dir))
    cache = _PREFETCH.cache
    failures: list[tuple[int, FileError]] = []
    costs: list[tuple[int, int]] = []
    made: list[ModuleSummary] = []
    hits = cache.get_many([state.todo[i].key for i in indices])
    for i in indices:
        e = state.todo[i]
        hit = hits.get(e.key)
        if hit is not None:
            costs.append((i, _check_cost(hit)))
            continue
        if e.data is None:
            continue
        summary, error = _summarise(e.path, e.data, e.module, e.is_package)
        if summary is not None:
            cache.put(e.key, summary)
            costs.append((i, _check_cost(summary)))
            made.append(summary)
        elif error is not None:
            failures.append((i, error))
    cache.flush()
    for summary in made:
        _PREFETCH.module(summary)
    return failures, costs


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


def _check_parallel(state: _CheckState, jobs: int) -> list[_Outcome]:
    """Summarise, then check, in ``jobs`` forked processes each.

    Summaries travel through the (SQLite) summary cache, a temporary one with ``--no-cache``:
    each worker stores what it summarised (and the installed modules its files' classes
    derive from), then loads only the summaries its share of the checks needs, so neither
    phase funnels summaries through this process.
    """
    global _STATE
    n = len(state.todo)
    # Summarising has no locality to keep: small batches, largest files first, so that the
    # workers finish together (contiguous quarters left one worker idle for a big batch).
    by_size = sorted(range(n), key=lambda i: -len(state.todo[i].data or b""))
    step = max(1, -(-n // (jobs * _BATCHES_PER_JOB)))
    batches = [by_size[k : k + step] for k in range(0, n, step)]
    temporary = None
    if state.cache_dir is None:
        try:
            temporary = tempfile.mkdtemp(prefix="overridecheck-")
        except OSError:  # no temporary folder: each worker summarises what it needs
            temporary = None
    state.shared_dir = state.cache_dir or temporary
    _STATE = state
    weights = [1] * n
    try:
        context = multiprocessing.get_context("fork")
        if state.shared_dir is not None:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                for failures, costs in pool.map(_summarise_worker, batches):
                    for i, error in failures:
                        state.errors[state.todo[i].path] = error
                    for i, cost in costs:
                        weights[i] = cost
        # Checking keeps neighbours together (a package's modules share their bases): runs
        # of similar cost, the costliest handed out first so that the workers end together.
        chunks = _contiguous(weights, jobs * _CHUNKS_PER_JOB)
        chunks.sort(key=lambda c: -sum(weights[i] for i in c))
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            parts = list(pool.map(_check_worker, chunks))
    except (OSError, RuntimeError, ValueError):  # no fork here: check in this process
        state.shared_dir = None
        return _check_range(state, range(n), None)
    finally:
        _STATE = None
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    return [o for part in parts for o in part]


def _result_key(e: _File, salt: str) -> str:
    text = f"{e.key}|{e.path}|{salt}".encode("utf-8", "surrogateescape")
    return hashlib.blake2b(text, digest_size=20).hexdigest()


def _with_path(summary: ModuleSummary, path: str) -> ModuleSummary:
    return summary if summary.path == path else replace(summary, path=path)
