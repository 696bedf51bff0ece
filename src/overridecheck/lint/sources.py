"""Linted files as read, and the one way to get any module's summary.

A linted file is read once (:func:`read_file`): its bytes, its module name and its content
key.  A summary, of a linted file or of an installed module, always comes from
:func:`summary_of` (or its batch form :func:`summaries_of`): from the cache when it holds one
for the content key, otherwise made now and put in the cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Optional

from overridecheck.lint.cache import SummaryCache, summary_key
from overridecheck.lint.model import FileError, ModuleSummary
from overridecheck.lint.modules import PackageMemo, module_name_for
from overridecheck.lint.summarise import SourceError, summarise

__all__ = [
    "Made",
    "SourceFile",
    "installed_summary",
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
    """One linted file as read: where it sits in its package tree, its bytes and their key."""

    path: str
    root: str = ""
    module: str = ""
    is_package: bool = False
    data: Optional[bytes] = None
    key: str = ""
    error: Optional[FileError] = None


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def read_file(path: str, packages: PackageMemo) -> SourceFile:
    """Read a linted file (an unreadable one gets its ``error``)."""
    entry = SourceFile(path)
    try:
        entry.root, entry.module, entry.is_package = module_name_for(path, packages)
        entry.data = _read(path)
        entry.key = summary_key(entry.data, entry.module, entry.is_package)
    except OSError as exc:
        entry.error = FileError(path, f"cannot read file: {exc.strerror or exc}")
    except (ValueError, UnicodeError) as exc:
        entry.error = FileError(path, f"cannot read file: {exc}")
    return entry


def summarise_bytes(path: str, data: bytes, module: str, is_package: bool) -> Made:
    """Summarise a file's bytes now, an error instead of an exception for bad source."""
    try:
        return summarise(data, path=path, module=module, is_package=is_package), None
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
    data: bytes,
    module: str,
    is_package: bool,
    cache: Optional[SummaryCache],
) -> Made:
    """The summary for content ``key``: from the cache, or made now (and cached)."""
    got = cache.get(key) if cache is not None else None
    if got is not None:
        return with_path(got, path), None
    made = summarise_bytes(path, data, module, is_package)
    if made[0] is not None and cache is not None:
        cache.put(key, made[0])
    return made


def installed_summary(
    path: str, name: str, is_package: bool, cache: Optional[SummaryCache]
) -> Optional[ModuleSummary]:
    """A module outside the linted files (stdlib, site-packages), by :func:`summary_of`."""
    try:
        data = _read(path)
    except OSError:
        return None
    return summary_of(summary_key(data, name, is_package), path, data, name, is_package, cache)[0]


def _summarise_task(job: tuple[str, bytes, str, bool]) -> Made:
    return summarise_bytes(*job)


def summaries_of(
    files: Sequence[SourceFile], cache: Optional[SummaryCache], jobs: int = 1
) -> list[Made]:
    """:func:`summary_of` for many linted files at once: one cache query for all of them,
    the others made in a process pool when ``jobs`` > 1 and there are enough of them."""
    hits = cache.get_many([f.key for f in files]) if cache is not None else {}
    missing = [f for f in files if f.key not in hits and f.data is not None]
    tasks = [(f.path, f.data, f.module, f.is_package) for f in missing if f.data is not None]
    computed: Optional[list[Made]] = None
    if jobs > 1 and len(tasks) >= 4 * jobs:
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
