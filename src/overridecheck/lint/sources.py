"""Linted files as read, and the one way to get any module's summary.

A linted file is read once at most (:func:`read_file`): its module name and content key, and
its bytes only when needed (an unchanged file's key comes from its recorded stat).  A
summary, of a linted file or of an installed module, always comes from :func:`summary_of`
(or its batch form :func:`summaries_of`): from the cache when it holds one for the content
key, otherwise made now and put in the cache.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Callable, Optional, Union

from overridecheck.lint.cache import SummaryCache, summary_key
from overridecheck.lint.discover import os_reason
from overridecheck.lint.model import FileError, ModuleSummary
from overridecheck.lint.modules import PackageMemo, module_name_for
from overridecheck.lint.stamps import file_stamp
from overridecheck.lint.summarise import SourceError, may_hold_pb_names, summarise

__all__ = [
    "Made",
    "SourceFile",
    "in_memory_file",
    "installed_summary",
    "linted_summary",
    "read_file",
    "summaries_of",
    "summarise_bytes",
    "summary_of",
    "with_path",
]

#: A summary, or the error that kept the file from having one.
Made = tuple[Optional[ModuleSummary], Optional[FileError]]


@dataclass
class SourceFile:
    """One linted file as read: where it sits in its package tree, its content key, and its
    bytes (read on first use when the key came from an unchanged file's recorded stat)."""

    path: str
    abspath: str = ""
    root: str = ""
    module: str = ""
    is_package: bool = False
    error: Optional[FileError] = None
    size: int = 0
    #: ``size|mtime|inode|device|ctime|module|package`` to record with ``key`` ("" if not
    #: worth recording: modified too recently for its stat to tell a later change apart)
    stat: str = ""
    #: one of the project's other files: resolved and read for references, not checked
    context: bool = False
    #: (device, inode) of the file the path leads to: the same file under two paths (a
    #: symbolic or hard link) is one module (None: not known)
    ident: Optional[tuple[int, int]] = None
    _data: Optional[bytes] = field(default=None, repr=False)
    _key: str = field(default="", repr=False)

    @property
    def key(self) -> str:
        """The content key (hash of the bytes, module name and package-ness), made on first
        use: a run without a cache never needs it."""
        if not self._key:
            data = self.content()
            if data is not None:
                self._key = summary_key(data, self.module, self.is_package)
        return self._key

    def content(self) -> Optional[bytes]:
        """The file's bytes (None when it could not be read)."""
        if self._data is None and self.error is None:
            try:
                self._data = _read(self.path)
            except OSError:
                return None
        return self._data


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


#: A file modified less than this long ago (seconds) is hashed again on the next run: a
#: change in the same clock tick would leave its stat as it was.
RACY = 2.0


def read_file(
    path: str,
    packages: PackageMemo,
    known: Optional[Mapping[str, tuple[str, str]]] = None,
    absolute: Optional[str] = None,
) -> SourceFile:
    """Stat a linted file and get its content key: from ``known`` (absolute path -> recorded
    stat and key) when its stat, module name and package-ness are the same as recorded,
    else by reading and hashing it (an unreadable file gets its ``error``); ``absolute`` is
    ``path`` made absolute, when the caller has it already."""
    entry = SourceFile(path, absolute or os.path.abspath(path))
    try:
        entry.root, entry.module, entry.is_package = module_name_for(entry.abspath, packages)
        st = os.stat(path)
        entry.size = st.st_size
        entry.ident = (st.st_dev, st.st_ino)
        stat = _stat_of(st, entry.module, entry.is_package)
        recorded = known.get(entry.abspath) if known else None
        if recorded is not None and recorded[0] == stat:
            entry._key = recorded[1]
            return entry
        entry._data = _read(path)
        if known is not None and time.time() - max(st.st_mtime, st.st_ctime) > RACY:
            entry.stat = stat
    except OSError as exc:
        entry.error = FileError(path, f"cannot read file: {os_reason(exc)}")
    except (ValueError, UnicodeError) as exc:
        entry.error = FileError(path, f"cannot read file: {exc}")
    return entry


def in_memory_file(
    path: str, packages: PackageMemo, data: bytes, absolute: Optional[str] = None
) -> SourceFile:
    """A linted file whose content is ``data`` rather than what is on disk (an editor's
    unsaved text; the file need not exist): placed in its package tree by its path."""
    entry = SourceFile(path, absolute or os.path.abspath(path), size=len(data), _data=data)
    try:
        entry.root, entry.module, entry.is_package = module_name_for(entry.abspath, packages)
    except OSError as exc:  # pragma: no cover - a folder above it that cannot be read
        entry.error = FileError(path, f"cannot read file: {os_reason(exc)}")
    try:
        st = os.stat(entry.abspath)
        entry.ident = (st.st_dev, st.st_ino)
    except OSError:
        pass  # not saved yet, say: no other path leads to it
    return entry


def summarise_bytes(
    path: str, data: bytes, module: str, is_package: bool, index: bool = True
) -> Made:
    """Summarise a file's bytes now, an error instead of an exception for bad source
    (``index=False``: without a names index, for a module outside the linted files)."""
    try:
        return summarise(data, path=path, module=module, is_package=is_package, index=index), None
    except SourceError as exc:
        return None, FileError(path, exc.message, exc.line, exc.column)
    except (ValueError, UnicodeError) as exc:
        return None, FileError(path, f"cannot read file: {exc}")


def with_path(summary: ModuleSummary, path: str) -> ModuleSummary:
    """A cached summary as the file at ``path`` (same content, maybe another place)."""
    return summary if summary.path == path else replace(summary, path=path)


def summary_of(
    key: str,
    path: str,
    data: Union[bytes, Callable[[], Optional[bytes]]],
    module: str,
    is_package: bool,
    cache: Optional[SummaryCache],
    index: bool = True,
) -> Made:
    """The summary for content ``key``: from the cache, or made now (and cached).

    ``data`` is the file's bytes, or how to read them: a cache hit never reads the file.
    ``key`` is only used with a cache ("" without one).
    """
    got = cache.get(key) if cache is not None else None
    if got is not None:
        return with_path(got, path), None
    content = data if isinstance(data, bytes) else data()
    if content is None:
        return None, None
    made = summarise_bytes(path, content, module, is_package, index)
    if made[0] is not None and cache is not None:
        cache.put(key, made[0])
    return made


def linted_summary(e: SourceFile, cache: Optional[SummaryCache]) -> Made:
    """A linted file's summary by :func:`summary_of`.  Made for the cache, it carries its
    names index (later runs ask it without parsing the file again); made for this run only,
    it does not, unless it may hold PB names (every module of a package with PB handlers is
    searched for them): the few modules whose names are asked for (``Context.names``, the
    passes after checking) get theirs made then, and most never are."""
    if cache is not None:  # a hit does not read the file: its key may come from its stat
        return summary_of(e.key, e.path, e.content, e.module, e.is_package, cache)
    data = e.content()  # without a cache the key is never needed (no hash is made)
    if data is None:
        return None, None
    return summarise_bytes(e.path, data, e.module, e.is_package, _indexed_now(data))


def _indexed_now(data: bytes) -> bool:
    """Whether a linted file summarised for this run only gets its names index now: when
    the search for PB names will read it (see ``linted_summary``)."""
    return may_hold_pb_names(data)


def _stat_of(st: os.stat_result, module: str, is_package: bool) -> str:
    return f"{file_stamp(st)}|{module}|{int(is_package)}"


def _read_or_none(path: str) -> Optional[bytes]:
    try:
        return _read(path)
    except OSError:
        return None


def installed_summary(
    path: str, name: str, is_package: bool, cache: Optional[SummaryCache]
) -> Optional[ModuleSummary]:
    """A module outside the linted files (stdlib, site-packages), by :func:`summary_of`,
    without a names index (see ``ModuleSummary.indexed``); an unchanged one (same stat as
    recorded) is not even read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    stat = _stat_of(st, name, is_package)
    recorded = cache.get_stats([path]).get(path) if cache is not None else None
    if recorded is not None and recorded[0] == stat:
        read = lambda: _read_or_none(path)  # noqa: E731
        return summary_of(recorded[1], path, read, name, is_package, cache, index=False)[0]
    data = _read_or_none(path)
    if data is None:
        return None
    if cache is None:
        return summary_of("", path, data, name, is_package, None, index=False)[0]
    key = summary_key(data, name, is_package, indexed=False)
    if time.time() - max(st.st_mtime, st.st_ctime) > RACY:
        cache.put_stat(path, stat, key)
    return summary_of(key, path, data, name, is_package, cache, index=False)[0]


def _summarise_task(job: tuple[str, bytes, str, bool, bool]) -> Made:
    return summarise_bytes(*job)


def summaries_of(
    files: Sequence[SourceFile], cache: Optional[SummaryCache], jobs: int = 1
) -> list[Made]:
    """:func:`summary_of` for many linted files at once: one cache query for all of them,
    the others made in a process pool when ``jobs`` > 1 and there are enough of them
    (with their names index only when cached, see :func:`linted_summary`)."""
    hits = cache.get_many([f.key for f in files]) if cache is not None else {}
    missing: list[SourceFile] = []
    tasks: list[tuple[str, bytes, str, bool, bool]] = []
    for f in files:
        data = f.content() if f.key not in hits else None
        if data is not None:
            missing.append(f)
            index = cache is not None or _indexed_now(data)
            tasks.append((f.path, data, f.module, f.is_package, index))
    computed: Optional[list[Made]] = None
    if jobs > 1 and len(tasks) >= 4 * jobs:
        from concurrent.futures import ProcessPoolExecutor  # only when it pays

        try:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                chunk = max(1, len(tasks) // (jobs * 8))
                computed = list(pool.map(_summarise_task, tasks, chunksize=chunk))
        except (OSError, RuntimeError):  # no fork/spawn here: make them in this process
            computed = None
    if computed is None:
        computed = [summarise_bytes(*task) for task in tasks]
    made = dict(zip((f.path for f in missing), computed))
    out: list[Made] = []
    for f in files:
        hit = hits.get(f.key)
        if hit is not None:
            out.append((with_path(hit, f.path), None))
            continue
        got = made.get(f.path, (None, None))
        if got[0] is not None and cache is not None:
            cache.put(f.key, got[0])
        out.append(got)
    return out
