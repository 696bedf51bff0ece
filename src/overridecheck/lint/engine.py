"""The linter's pipeline for a set of files: read -> summarise -> resolve -> check -> noqa
-> fix safety.

Files are read once (:mod:`~overridecheck.lint.sources`).  A module's result is cached with
the modules it depended on (:mod:`~overridecheck.lint.stamps`), so an unchanged module whose
dependencies are unchanged costs one cache read, and a touched file costs about that file.
The rest is checked here (:mod:`~overridecheck.lint.session`), or in forked workers with
``jobs`` > 1 (:mod:`~overridecheck.lint.parallel`).
"""

from __future__ import annotations

import gc
import hashlib
import os
import sys
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Optional

from overridecheck.lint.cache import SummaryCache
from overridecheck.lint.model import Diagnostic, FileError, ModuleSummary, NamesIndex, Unchecked
from overridecheck.lint.modules import (
    ModuleFinder,
    PackageMemo,
    default_search_path,
    namespace_portions,
)
from overridecheck.lint.sources import (
    SourceFile,
    in_memory_file,
    read_file,
    summaries_of,
    summarise_bytes,
)
from overridecheck.lint.stamps import Stamps, result_key, run_key, run_salt
from overridecheck.lint.summarise import index_of

if TYPE_CHECKING:
    from overridecheck.lint.resolve import Resolver

__all__ = ["LintResult", "check_files", "default_jobs"]

# The rules, the checks and fix safety are imported when a run needs them: a run whose whole
# result comes from the cache needs none of them.


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
    retain: Optional[list[object]] = None,
    context: Sequence[str] = (),
    texts: Optional[Mapping[str, bytes]] = None,
    ignored: Optional[Ignored] = None,
) -> LintResult:
    """Check ``files`` (paths as they are to be displayed) and return findings and file errors.

    ``context`` are the project's other files: their classes are resolved and their names
    count as references (the evidence pass, fix safety), but they are not checked or reported.
    ``texts`` gives the content of some of those files by absolute path, used instead of the
    file on disk (an editor's unsaved text); the file need not exist.

    ``jobs`` > 1 summarises files in that many processes; ``cache_dir`` enables the on-disk
    cache; ``settings`` names any other option that changes findings (part of the cache key);
    ``override_import`` is where OC107's fix imports ``override`` from.  ``ignored`` drops
    findings (``per-file-ignores``: (display path, code) -> whether), with ``settings``
    telling them apart in the cache; they are dropped before fix safety is judged, so that
    a def whose finding is dropped counts as one that stays, as a ``# noqa`` one does.
    With ``retain``, the run's own objects (summaries, resolved classes) are appended to it
    instead of freed: a process about to exit need not spend a tenth of the run freeing them.
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
            retain,
            context,
            texts,
            ignored,
        )
    finally:
        if collecting:
            if retain is not None:
                gc.freeze()  # what is kept is never collected: let the collector skip it
            gc.enable()


def _can_fork() -> bool:
    """Forked workers share the summaries without copying them; Linux only (fork is unsafe
    on macOS and missing on Windows)."""
    return sys.platform.startswith("linux")


class _Keys(Mapping[str, str]):
    """The linted files' content keys by absolute path, each made when first asked for."""

    def __init__(self, entries: Sequence[SourceFile]) -> None:
        self._by_path = {e.abspath: e for e in entries}

    def __getitem__(self, path: str) -> str:
        return self._by_path[path].key

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_path)

    def __len__(self) -> int:
        return len(self._by_path)


class _Contents(Mapping[str, bytes]):
    """The linted files' bytes by path, read on first use (fix safety needs few of them)."""

    def __init__(self, entries: Sequence[SourceFile]) -> None:
        self._by_path = {e.path: e for e in entries if e.error is None}

    def __getitem__(self, path: str) -> bytes:
        e = self._by_path[path]
        data = e.content()
        if data is None:
            raise KeyError(path)
        return data

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_path)

    def __len__(self) -> int:
        return len(self._by_path)


def _check_files(
    files: Sequence[str],
    python: Optional[str],
    select: Optional[Collection[str]],
    search_path: Optional[Sequence[str]],
    jobs: int,
    cache_dir: Optional[str],
    settings: str,
    override_import: str,
    retain: Optional[list[object]],
    context: Sequence[str] = (),
    texts: Optional[Mapping[str, bytes]] = None,
    ignored: Optional[Ignored] = None,
) -> LintResult:
    texts = texts or {}
    if select is None:
        from overridecheck.lint.rules import DEFAULT_SELECT

        select = DEFAULT_SELECT
    chosen = frozenset(select)
    result = LintResult(files=len(files))
    packages: PackageMemo = {}
    cache = SummaryCache(cache_dir) if cache_dir else None
    try:
        cwd = os.getcwd()
        given = {os.path.normpath(os.path.join(cwd, p)) for p in files}
        extra = [p for p in context if os.path.normpath(os.path.join(cwd, p)) not in given]
        everything = [*files, *dict.fromkeys(extra)]
        absolute = [os.path.normpath(os.path.join(cwd, p)) for p in everything]
        # The recorded stats of the whole set of files: one cache entry, rewritten when a
        # file's changed.
        known = cache.get_tree_stats(absolute) if cache is not None else None
        entries = [
            in_memory_file(p, packages, texts[a], a)
            if a in texts
            else read_file(p, packages, known, a)
            for p, a in zip(everything, absolute)
        ]
        for e in entries[len(files) :]:
            e.context = True
        # One file given by two paths (a symbolic or hard link) is checked once: at its own
        # path rather than a link's (the module the project's other files import), else at
        # the first path.
        one_of: dict[tuple[int, int], SourceFile] = {}
        for e in entries:
            if not e.context and e.ident is not None and e.error is None:
                kept = one_of.get(e.ident)
                if kept is None or (not _real(kept) and _real(e)):
                    one_of[e.ident] = e
        distinct = [
            e
            for e in entries
            if e.context or e.ident is None or e.error is not None or one_of[e.ident] is e
        ]
        given_files = len(files) - (len(entries) - len(distinct))
        entries = distinct
        if len(entries) > given_files:
            entries = _one_entry_per_file(entries, given_files)
        if cache is not None and known is not None:
            stats: dict[str, tuple[str, str]] = {}
            for e in entries:
                if e.stat:  # hashed now, and old enough for its stat to be recorded
                    stats[e.abspath] = (e.stat, e.key)
                elif e.error is None and e._data is None:  # its key came from `known`
                    stats[e.abspath] = known[e.abspath]
            if stats != known:
                cache.put_tree_stats(absolute, stats)
        if search_path is None:
            search_path = default_search_path(python)
        roots: list[str] = []
        for e in entries:
            if e.error is None and e.root not in roots:
                roots.append(e.root)
        finder = ModuleFinder([*roots, *search_path], namespace_portions(roots))
        _checked(
            entries, finder, chosen, jobs, cache, settings, override_import, result, retain, ignored
        )
        if retain is not None:
            retain.extend((entries, finder))
    finally:
        if cache is not None:
            cache.close()
    return result


def _real(e: SourceFile) -> bool:
    """Whether ``e`` is reached by its own path, no symbolic link on the way."""
    return os.path.realpath(e.abspath) == os.path.normpath(e.abspath)


#: Whether a finding of a code in a file (by display path) is dropped (``per-file-ignores``).
Ignored = Callable[[str, str], bool]


def _one_entry_per_file(entries: list[SourceFile], given: int) -> list[SourceFile]:
    """The files given (the first ``given`` entries) and their context, a file given that
    the context reaches by another path (a symbolic or hard link) being one entry: the
    context's, so that it is the module the project's other files import, shown at the path
    given (and with the content given, from an editor or stdin)."""
    theirs = {e.ident: e for e in entries[given:] if e.ident is not None and e.error is None}
    if not theirs:
        return entries
    taken: set[int] = set()
    out: list[SourceFile] = []
    for e in entries[:given]:
        other = theirs.get(e.ident) if e.ident is not None and e.error is None else None
        if other is None or id(other) in taken:
            out.append(e)
            continue
        taken.add(id(other))
        other.path, other.context = e.path, False
        if e.content() != other.content():  # the text given (an editor's, stdin's)
            other._data, other._key, other.stat = e._data, "", ""
        out.append(other)
    out.extend(e for e in entries[given:] if id(e) not in taken)
    return out


def _checked(
    entries: list[SourceFile],
    finder: ModuleFinder,
    chosen: frozenset[str],
    jobs: int,
    cache: Optional[SummaryCache],
    settings: str,
    override_import: str,
    result: LintResult,
    retain: Optional[list[object]] = None,
    ignored: Optional[Ignored] = None,
) -> None:
    """The whole result, fix safety included: as a whole from the cache when no linted file
    changed and no module they depended on did, else module by module (``_run``)."""
    good = [e for e in entries if e.error is None]
    by_module: dict[str, SourceFile] = {}
    for e in good:
        if e.module:
            by_module.setdefault(e.module, e)
    linted = {m: (e.abspath, e.is_package) for m, e in by_module.items()}
    stamps = Stamps(finder, _Keys(good), linted)
    salt = run_salt(chosen, finder.roots, settings, by_module)
    whole = ""
    if cache is not None:
        whole = "run|" + run_key(
            salt,
            [
                (
                    e.path,
                    ("context|" if e.context else "")
                    + (e.key if e.error is None else e.error.message),
                )
                for e in entries
            ],
        )
        hit = cache.get_results([whole]).get(whole)
        if hit is not None and stamps.hold(hit[0]):
            result.diagnostics.extend(hit[1])
            result.errors.extend(hit[2])
            result.classes = hit[3]
            result.unchecked.extend(hit[4])
            return
    made: dict[str, ModuleSummary] = {}
    installed: dict[str, Optional[ModuleSummary]] = {}  # shared by every resolver of the run
    if retain is not None:
        retain.extend((made, installed, stamps))
    depended: set[tuple[str, str]] = set()
    _run(
        entries,
        finder,
        chosen,
        jobs,
        cache,
        stamps,
        linted,
        salt,
        override_import,
        result,
        made,
        installed,
        depended,
        retain,
    )
    result.diagnostics.sort(key=lambda d: (d.path, d.line, d.column, d.code))
    result.errors.sort(key=lambda e: (e.path, e.line or 0))
    result.unchecked.sort(key=lambda u: (u.path, u.line, u.column))
    by_path = {e.path: e for e in entries}

    def summary_of(path: str) -> Optional[ModuleSummary]:
        """A linted file's summary: from the summaries made, the cache, or made now (its
        result came from the cache)."""
        summary = made.get(path)
        e = by_path.get(path)
        data = e.content() if summary is None and e is not None else None
        if summary is None and e is not None and data is not None:
            summary = cache.get(e.key) if cache is not None else None
            if summary is None:
                summary = summarise_bytes(e.path, data, e.module, e.is_package)[0]
            if summary is not None:
                made[path] = summary
        return summary

    def indexed_summary_of(path: str) -> Optional[ModuleSummary]:
        """``summary_of`` with its names index (made now for one made without)."""
        summary = summary_of(path)
        if summary is not None and not summary.indexed:
            data = contents.get(path)
            names = index_of(data) if data is not None else NamesIndex()
            summary = made[path] = replace(summary, names=names, indexed=True)
        return summary

    def names_of(path: str) -> Optional[NamesIndex]:
        summary = indexed_summary_of(path)
        return summary.names if summary is not None else None

    files = [e.path for e in entries]
    from overridecheck.lint.evidence import Prefilter, drop_in_use
    from overridecheck.lint.fix import classify_fixes
    from overridecheck.lint.hierarchy import lower_for_subclasses

    made_resolver: list[tuple[Resolver, set[str]]] = []

    def resolver() -> Resolver:
        """A resolver over the project for the passes after checking (made on first use),
        recording the modules it reads: the whole result depends on them too."""
        if not made_resolver:
            from overridecheck.lint.session import CheckState, make_context

            state = CheckState(
                todo=[],
                summaries=made,
                errors={},
                finder=finder,
                chosen=chosen,
                by_path={e.abspath: e for e in entries if e.error is None},
                linted=linted,
                stamps=stamps,
                cache_dir=None,
                override_import=override_import,
                installed=installed,
            )
            r = make_context(state, cache).resolver
            made_resolver.append((r, r.record()))
            if retain is not None:
                retain.append(r)
        return made_resolver[0][0]

    contents = _Contents(entries)
    in_use: Prefilter
    safety: Prefilter
    subclassing: Prefilter
    if cache is not None:
        snapshots: dict[str, tuple[str, dict[str, str]]] = {}  # one for the three
        in_use = _Evidence(cache, entries, "in-use", snapshots)
        safety = _Evidence(cache, entries, "fix-safety", snapshots)
        subclassing = _Evidence(cache, entries, "subclasses", snapshots)
    else:
        in_use = safety = _InMemory(made)
        subclassing = _InMemorySubclasses(made)
    if ignored is not None:
        result.diagnostics = [d for d in result.diagnostics if not ignored(d.path, d.code)]
    result.diagnostics = drop_in_use(
        result.diagnostics, files, contents, indexed_summary_of, in_use
    )
    result.diagnostics = lower_for_subclasses(
        result.diagnostics, files, contents, summary_of, resolver, subclassing
    )
    if made_resolver:
        r, deps = made_resolver[0]
        r.stop(deps)
        if cache is not None:
            depended.update((m, stamps.stamp(m)) for m in deps)
    result.diagnostics = classify_fixes(result.diagnostics, files, contents, names_of, safety)
    if cache is not None:
        # Only modules outside the linted files need their stamps checked: the linted
        # files' content keys are part of the run's key.
        outside = tuple(sorted((m, st) for m, st in depended if m not in linted))
        cache.put_result(
            whole,
            (
                outside,
                tuple(result.diagnostics),
                tuple(result.errors),
                result.classes,
                tuple(result.unchecked),
            ),
        )


class _InMemory:
    """The prefilter of a run without a cache, whose summaries are in memory: a file whose
    names index holds none of the names cannot answer any question about them (the passes
    decide from the indexes), so its bytes are not searched; a file summarised without an
    index (most, in such a run) is left to the byte test."""

    def __init__(self, made: Mapping[str, ModuleSummary]) -> None:
        self.made = made

    def candidates(self, names: frozenset[str], files: list[str]) -> list[str]:
        made = self.made
        return [
            p
            for p in files
            if (s := made.get(p)) is None or not s.indexed or any(s.names.holds(n) for n in names)
        ]

    def found(self, names: frozenset[str], files: list[str], held: set[str]) -> None:
        pass


class _InMemorySubclasses:
    """The subclass search's prefilter of a run without a cache: a file whose summary has
    none of the names among its `subclass_words` is not searched (no byte test, which would
    read every file for each name, the summaries being made without an index)."""

    def __init__(self, made: Mapping[str, ModuleSummary]) -> None:
        self.made = made
        self.words: dict[str, tuple[ModuleSummary, frozenset[str]]] = {}  # by path

    def candidates(self, names: frozenset[str], files: list[str]) -> list[str]:
        from overridecheck.lint.hierarchy import subclass_words

        out: list[str] = []
        for p in files:
            s = self.made.get(p)
            if s is not None:
                got = self.words.get(p)
                if got is None or got[0] is not s:  # made again with its index: same words
                    got = self.words[p] = (s, subclass_words(s))
                if got[1].isdisjoint(names):
                    continue
            out.append(p)
        return out

    def found(self, names: frozenset[str], files: list[str], held: set[str]) -> None:
        pass


class _Evidence:
    """A byte test (the evidence pass's, fix safety's, the subclass search's) remembered
    between runs: per set of names, the files whose bytes held one of them, and every file's
    content key at the time (a snapshot shared by the sets tested in one run, stored once).
    A later run tests the files that held one then and those whose content changed since (a
    touched file), not all: any other file still has the bytes it had, so still holds none."""

    _SNAPSHOT = "snapshot"  # a set's entry: ((_SNAPSHOT, digest),) and the files that held one

    def __init__(
        self,
        cache: SummaryCache,
        entries: Sequence[SourceFile],
        tag: str,
        shared: Optional[dict[str, tuple[str, dict[str, str]]]] = None,
    ) -> None:
        self.cache = cache
        self.entries = {e.path: e for e in entries if e.error is None}
        self.tag = tag  # what the byte test is for: its own entries
        # snapshots read or stored in this run, by slot: one for every byte test of the run
        self.shared = shared if shared is not None else {}
        # made once per run: the same files are asked about every time
        self._files: Optional[tuple[list[str], str, dict[str, str], str]] = None
        self._then: Optional[tuple[str, dict[str, str]]] = None  # the stored snapshot
        self._changed: Optional[set[str]] = None  # files changed since it
        self._stored = False

    def _state(self, files: list[str]) -> tuple[str, dict[str, str], str]:
        """The digest of ``files``' paths, their content keys now, and the digest of those."""
        if self._files is None or self._files[0] is not files:
            h = hashlib.blake2b(b"files", digest_size=20)
            for path in sorted(files):
                h.update(path.encode("utf-8", "surrogateescape") + b"\0")
            now = {p: e.key for p in files if (e := self.entries.get(p)) is not None}
            k = hashlib.blake2b(h.digest(), digest_size=20)
            for path, key in sorted(now.items()):
                k.update(f"{path}\0{key}\0".encode("utf-8", "surrogateescape"))
            if self._files is not None and self._files[1] != h.hexdigest():
                self._then, self._changed = None, None  # other files: another slot
            self._files = (files, h.hexdigest(), now, k.hexdigest())
            self._stored = False
        return self._files[1], self._files[2], self._files[3]

    def _key(self, names: frozenset[str], files: list[str]) -> str:
        h = hashlib.blake2b(f"{self.tag}|{self._state(files)[0]}".encode(), digest_size=20)
        for n in sorted(names):
            h.update(n.encode("utf-8", "surrogatepass") + b"\0")
        return "evidence|" + h.hexdigest()

    def _snapshot(self, files: list[str]) -> tuple[str, dict[str, str]]:
        """The content keys stored by the last run that tested these files, with their
        digest (one slot per byte test and set of files, rewritten: old ones do not pile up)."""
        if self._then is None:
            slot = self._state(files)[0]
            self._then = self.shared.get(slot)
            if self._then is None:
                got = self.cache.get_evidence("evidence-snapshot|" + slot)
                ok = got is not None and len(got[1]) == 1
                self._then = (got[1][0], dict(got[0])) if got is not None and ok else ("", {})
                self.shared[slot] = self._then
        return self._then

    def candidates(self, names: frozenset[str], files: list[str]) -> list[str]:
        got = self.cache.get_evidence(self._key(names, files))
        if got is None or len(got[0]) != 1 or got[0][0][0] != self._SNAPSHOT:
            return files
        digest, then = self._snapshot(files)
        if not digest or got[0][0][1] != digest:
            return files  # tested against another snapshot than the last one stored
        if self._changed is None:
            now = self._state(files)[1]
            self._changed = {p for p in files if now.get(p) != then.get(p)}
        held = set(got[1])
        return [p for p in files if p in held or p in self._changed]

    def found(self, names: frozenset[str], files: list[str], held: set[str]) -> None:
        """Every file that holds one of ``names`` was among the candidates: those that held
        one then, and every file changed since."""
        slot, now, digest = self._state(files)
        if not self._stored:
            stored = self.shared.get("stored|" + slot)
            if self._snapshot(files)[0] != digest and (stored is None or stored[0] != digest):
                pairs = tuple(sorted(now.items()))
                self.cache.put_evidence("evidence-snapshot|" + slot, (pairs, (digest,)))
                # entries made before against the old snapshot now miss (tested in full)
                self.shared["stored|" + slot] = (digest, {})
            self._stored = True
        self.cache.put_evidence(
            self._key(names, files), (((self._SNAPSHOT, digest),), tuple(sorted(held)))
        )


def _run(
    entries: list[SourceFile],
    finder: ModuleFinder,
    chosen: frozenset[str],
    jobs: int,
    cache: Optional[SummaryCache],
    stamps: Stamps,
    linted: dict[str, tuple[str, bool]],
    salt: str,
    override_import: str,
    result: LintResult,
    made: dict[str, ModuleSummary],
    installed: dict[str, Optional[ModuleSummary]],
    depended: set[tuple[str, str]],
    retain: Optional[list[object]] = None,
) -> None:
    """Check ``entries`` into ``result``, module by module; ``made`` receives the summaries
    made or loaded in this process (by path), ``installed`` those of installed modules,
    ``depended`` every (module, stamp) a result depended on."""
    good = [e for e in entries if e.error is None and not e.context]
    result.errors.extend(e.error for e in entries if e.error is not None and not e.context)
    # Results of unchanged modules whose dependencies are unchanged come from the cache.
    todo: list[SourceFile] = []
    if cache is not None:
        keys = {e.path: result_key(e.key, e.path, salt) for e in good}
        cached = cache.get_results(list(keys.values()))
        for e in good:
            hit = cached.get(keys[e.path])
            if hit is not None and stamps.hold(hit[0]):
                depended.update(hit[0])
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

    from overridecheck.lint.session import CheckState, check_range

    state = CheckState(
        todo=todo,
        summaries=made,
        errors={},
        finder=finder,
        chosen=chosen,
        by_path={e.abspath: e for e in entries if e.error is None},  # context files too
        linted=linted,
        stamps=stamps,
        cache_dir=cache.directory if cache is not None else None,
        override_import=override_import,
        retain=retain,
        installed=installed,
    )
    if jobs > 1 and len(todo) >= 16 * jobs and _can_fork():
        from overridecheck.lint.parallel import check_parallel  # multiprocessing: only now

        # Forked workers summarise a share of the files each, then check a share each,
        # sharing summaries through the summary cache rather than through this process.
        if cache is not None:
            cache.flush()
        outcomes = check_parallel(state, jobs)
    else:
        if jobs > 1:  # no fork here: summarise in a pool first, then check in this process
            for e, (summary, error) in zip(todo, summaries_of(todo, cache, jobs)):
                if summary is not None:
                    state.summaries[e.path] = summary
                elif error is not None:
                    state.errors[e.path] = error
        outcomes = check_range(state, range(len(todo)), cache)
    for i, found, errors, recorded, classes, unchecked in sorted(outcomes, key=lambda o: o[0]):
        e = todo[i]
        result.errors.extend(errors)
        result.diagnostics.extend(found)
        result.classes += classes
        result.unchecked.extend(unchecked)
        depended.update(recorded)
        if cache is not None:
            cache.put_result(
                result_key(e.key, e.path, salt),
                (recorded, tuple(found), errors, classes, unchecked),
            )
