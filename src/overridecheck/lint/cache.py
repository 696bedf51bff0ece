"""On-disk cache of module summaries, keyed by content hash, tool version and Python version.

One SQLite database per cache folder (WAL mode, so concurrent runs are safe: readers never
block, writers wait their turn).  An entry that cannot be read back, or that is not a summary
made by this exact version, is ignored and recomputed, never trusted.  Any database error
disables the cache for the rest of the run instead of failing it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, Optional

from overridecheck._version import __version__
from overridecheck.lint.model import Diagnostic, FileError, ModuleSummary

__all__ = ["CACHE_DIR_NAME", "SummaryCache", "default_cache_dir", "summary_key"]

CACHE_DIR_NAME = ".overridecheck_cache"
_SCHEMA = 1
# Everything that can change a summary besides the file's bytes and its module name.
_SALT = f"{__version__}|{_SCHEMA}|{sys.version_info[0]}.{sys.version_info[1]}".encode()


def summary_key(data: bytes, module: str, is_package: bool) -> str:
    h = hashlib.blake2b(data, digest_size=20)
    h.update(b"\0" + module.encode() + (b"\1" if is_package else b"\0") + _SALT)
    return h.hexdigest()


def default_cache_dir(config_path: Optional[str]) -> str:
    """``.overridecheck_cache/`` next to the config, else the user cache folder."""
    if config_path:
        return os.path.join(os.path.dirname(os.path.abspath(config_path)), CACHE_DIR_NAME)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "overridecheck")


class SummaryCache:
    def __init__(self, directory: str) -> None:
        self.directory = directory
        self._db: Optional[sqlite3.Connection] = None
        self._pending: list[tuple[str, bytes]] = []
        self._pending_results: list[tuple[str, bytes]] = []
        try:
            os.makedirs(directory, exist_ok=True)
            gitignore = os.path.join(directory, ".gitignore")
            if not os.path.exists(gitignore):
                with open(gitignore, "w", encoding="utf-8") as f:
                    f.write("# Created by overridecheck\n*\n")
            db = sqlite3.connect(os.path.join(directory, "summaries.sqlite3"), timeout=30)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS summary (key TEXT PRIMARY KEY, data BLOB)")
            db.execute("CREATE TABLE IF NOT EXISTS result (key TEXT PRIMARY KEY, data BLOB)")
            db.commit()
            self._db = db
        except (OSError, sqlite3.Error):
            self._db = None

    @property
    def enabled(self) -> bool:
        return self._db is not None

    def _rows(self, table: str, keys: Sequence[str]) -> list[tuple[str, object]]:
        rows: list[tuple[str, object]] = []
        if self._db is None or not keys:
            return rows
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows.extend(
                    self._db.execute(
                        f"SELECT key, data FROM {table} WHERE key IN ({marks})", chunk
                    ).fetchall()
                )
        except sqlite3.Error:
            self._db = None
        return rows

    def get_many(self, keys: Sequence[str]) -> dict[str, ModuleSummary]:
        found: dict[str, ModuleSummary] = {}
        for key, data in self._rows("summary", keys):
            summary = _load(data)
            if isinstance(summary, ModuleSummary):
                found[key] = summary
        return found

    def get_results(self, keys: Sequence[str]) -> dict[str, Any]:
        """Cached per-module check results (validated by the caller against their deps)."""
        found: dict[str, Any] = {}
        for key, data in self._rows("result", keys):
            value = _load(data)
            if _is_result(value):
                found[key] = value
        return found

    def put_result(self, key: str, value: object) -> None:
        if self._db is not None:
            self._pending_results.append((key, pickle.dumps((_SALT, value), protocol=4)))

    def get(self, key: str) -> Optional[ModuleSummary]:
        return self.get_many([key]).get(key)

    def put(self, key: str, summary: ModuleSummary) -> None:
        if self._db is not None:
            data = pickle.dumps((_SALT, replace(summary, path="")), protocol=4)
            self._pending.append((key, data))

    def put_many(self, items: Iterable[tuple[str, ModuleSummary]]) -> None:
        for key, summary in items:
            self.put(key, summary)

    def flush(self) -> None:
        if self._db is None or not (self._pending or self._pending_results):
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO summary (key, data) VALUES (?, ?)", self._pending
                )
                self._db.executemany(
                    "INSERT OR REPLACE INTO result (key, data) VALUES (?, ?)",
                    self._pending_results,
                )
        except sqlite3.Error:
            self._db = None
        self._pending.clear()
        self._pending_results.clear()

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None


def _load(data: object) -> object:
    """The value stored in an entry, or None when it is corrupt or from another version."""
    if not isinstance(data, bytes):
        return None
    try:
        loaded = pickle.loads(data)
        salt, value = loaded
    except Exception:  # a corrupt entry: anything can come out of a broken pickle
        return None
    return value if salt == _SALT else None


def _is_result(value: object) -> bool:
    """(deps: tuple of (module, stamp), diagnostics: tuple, error: FileError or None)."""
    if not (isinstance(value, tuple) and len(value) == 3):
        return False
    deps, diagnostics, error = value
    return (
        isinstance(deps, tuple)
        and all(isinstance(d, tuple) and len(d) == 2 for d in deps)
        and isinstance(diagnostics, tuple)
        and all(isinstance(d, Diagnostic) for d in diagnostics)
        and (error is None or isinstance(error, FileError))
    )
