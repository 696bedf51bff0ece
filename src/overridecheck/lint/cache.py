"""On-disk cache of module summaries, keyed by content hash, tool version and Python version.

One SQLite database per cache folder (WAL mode, so concurrent runs are safe: readers never
block, writers wait their turn).  Any database error disables the cache for the rest of the run
instead of failing it.

The default cache folder sits inside the linted repository, so its entries are untrusted:

* they hold data only: JSON read back by strict decoders (``codec``), never pickle;
* each entry carries a keyed hash (BLAKE2b) made with a per-user secret that lives outside any
  repository (``$XDG_CACHE_HOME/overridecheck/secret``, mode 0600), so an entry planted in a
  repository, or copied from another user, fails the check and is recomputed: it can neither run
  code nor change the findings.

An entry that fails the check, cannot be decoded or was made by another version is ignored.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, Optional

from overridecheck._version import __version__
from overridecheck.lint import codec
from overridecheck.lint.model import Diagnostic, FileError, ModuleSummary, Unchecked

__all__ = [
    "CACHE_DIR_NAME",
    "CachedResult",
    "Facts",
    "SummaryCache",
    "default_cache_dir",
    "summary_key",
]

CACHE_DIR_NAME = ".overridecheck_cache"
_SCHEMA = 10
_MAC_SIZE = 16
# Everything that can change a summary besides the file's bytes and its module name.
_SALT = f"{__version__}|{_SCHEMA}|{sys.version_info[0]}.{sys.version_info[1]}".encode()


def summary_key(data: bytes, module: str, is_package: bool, *, indexed: bool = True) -> str:
    """The cache key of a summary: the bytes, the module name, package-ness, and whether it
    has a names index (a module outside the linted files has none)."""
    h = hashlib.blake2b(data, digest_size=20)
    h.update(
        b"\0"
        + module.encode("utf-8", "surrogateescape")
        + (b"\1" if is_package else b"\0")
        + (b"" if indexed else b"\2")
        + _SALT
    )
    return h.hexdigest()


def _user_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative value is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "overridecheck")


def default_cache_dir(config_path: Optional[str]) -> Optional[str]:
    """``.overridecheck_cache/`` next to the config, else the user cache folder; None when the
    folder in the repository, or its database, is a symbolic link (one committed to a repository
    would make the run write elsewhere)."""
    if config_path:
        folder = os.path.join(os.path.dirname(os.path.abspath(config_path)), CACHE_DIR_NAME)
        if os.path.islink(folder) or os.path.islink(os.path.join(folder, "summaries.sqlite3")):
            return None
        return folder
    return _user_cache_dir()


_SECRET: Optional[bytes] = None


def user_secret() -> bytes:
    """This user's key for cache entries, made once and kept outside any repository.

    When it cannot be stored, a key for this process only is used: entries written then are
    simply never read back.
    """
    global _SECRET
    if _SECRET is None:
        path = os.path.join(_user_cache_dir(), "secret")
        key = b""
        try:
            with open(path, "rb") as f:
                key = f.read(64)
        except OSError:
            pass
        if len(key) < 32:  # none yet, or a damaged one: make one and put it in place
            key = secrets.token_bytes(32)
            try:
                folder = os.path.dirname(path)
                os.makedirs(folder, mode=0o700, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=folder, prefix=".secret.")
                with os.fdopen(fd, "wb") as f:
                    f.write(key)
                os.replace(tmp, path)  # whole or not at all; a concurrent run's wins later
            except OSError:
                pass
        _SECRET = key
    return _SECRET


def _mac(key: str, payload: bytes) -> bytes:
    h = hashlib.blake2b(payload, key=user_secret()[:64], digest_size=_MAC_SIZE)
    h.update(b"\0" + key.encode("utf-8", "surrogatepass"))
    return h.digest()


def _seal(key: str, value: object) -> bytes:
    payload = codec.dumps([_SALT.decode(), value])
    return _mac(key, payload) + payload


#: A module's cached check result: the (module, stamp) pairs it depended on, its findings, the
#: errors of its file, how many classes it has and those not checked.
CachedResult = tuple[
    tuple[tuple[str, str], ...],
    tuple[Diagnostic, ...],
    tuple[FileError, ...],
    int,
    tuple[Unchecked, ...],
]
_SUMMARY_ENTRY = codec.decoder(tuple[str, ModuleSummary])
_RESULT_ENTRY = codec.decoder(tuple[str, CachedResult])
_STAT_ENTRY = codec.decoder(tuple[str, tuple[str, str]])
_TREE_ENTRY = codec.decoder(tuple[str, tuple[tuple[str, str, str], ...]])
#: Fix safety's byte test for a set of names: every file's content key then, and the files
#: whose bytes held one of the names.
Evidence = tuple[tuple[tuple[str, str], ...], tuple[str, ...]]
_EVIDENCE_ENTRY = codec.decoder(tuple[str, Evidence])
#: What a check drew from each module of a package (``ruledef.Context.across``): per module,
#: its stamp then and two sets of names.
Facts = tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...]
_FACTS_ENTRY = codec.decoder(tuple[str, Facts])


class SummaryCache:
    def __init__(self, directory: str) -> None:
        self.directory = directory
        self._db: Optional[sqlite3.Connection] = None
        self._pending: list[tuple[str, bytes]] = []
        self._pending_results: list[tuple[str, bytes]] = []
        self._pending_stats: list[tuple[str, bytes]] = []
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
            db.execute("CREATE TABLE IF NOT EXISTS stat (key TEXT PRIMARY KEY, data BLOB)")
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
            summary = _load(key, data, _SUMMARY_ENTRY)
            if isinstance(summary, ModuleSummary):
                found[key] = summary
        return found

    def get_results(self, keys: Sequence[str]) -> dict[str, CachedResult]:
        """Cached per-module check results (validated by the caller against their deps)."""
        found: dict[str, CachedResult] = {}
        for key, data in self._rows("result", keys):
            value = _load(key, data, _RESULT_ENTRY)
            if value is not None:
                found[key] = value
        return found

    def put_result(self, key: str, value: CachedResult) -> None:
        if self._db is not None:
            self._pending_results.append((key, _seal(key, value)))

    def get_stats(self, paths: Sequence[str]) -> dict[str, tuple[str, str]]:
        """The recorded (stat, content key) of files by absolute path (``sources.read_file``
        trusts a key only while the file's stat is the one recorded with it)."""
        keys = [_stat_key(p) for p in paths]
        by_key = dict(zip(keys, paths))
        found: dict[str, tuple[str, str]] = {}
        for key, data in self._rows("stat", keys):
            value = _load(key, data, _STAT_ENTRY)
            if value is not None and key in by_key:
                found[by_key[key]] = value
        return found

    def get_tree_stats(self, paths: Sequence[str]) -> dict[str, tuple[str, str]]:
        """``get_stats`` for a whole set of linted files at once (one entry per set)."""
        key = _tree_key(paths)
        found: dict[str, tuple[str, str]] = {}
        for got_key, data in self._rows("stat", [key]):
            value = _load(got_key, data, _TREE_ENTRY)
            if value is not None:
                found = {path: (stat, content) for path, stat, content in value}
        return found

    def put_tree_stats(self, paths: Sequence[str], stats: dict[str, tuple[str, str]]) -> None:
        if self._db is not None:
            key = _tree_key(paths)
            value = tuple((p, s, k) for p, (s, k) in sorted(stats.items()))
            self._pending_stats.append((key, _seal(key, value)))

    def _get_entry(self, key: str, decode: Any) -> Any:
        """The value of the ``stat`` table's entry ``key`` that ``decode`` accepts, or None."""
        for got_key, data in self._rows("stat", [key]):
            value = _load(got_key, data, decode)
            if value is not None:
                return value
        return None

    def _put_entry(self, key: str, value: object) -> None:
        if self._db is not None:
            self._pending_stats.append((key, _seal(key, value)))

    def get_evidence(self, key: str) -> Optional[Evidence]:
        """What :meth:`put_evidence` recorded under ``key``, if anything."""
        got: Optional[Evidence] = self._get_entry(key, _EVIDENCE_ENTRY)
        return got

    def put_evidence(self, key: str, value: Evidence) -> None:
        self._put_entry(key, value)

    def get_facts(self, key: str) -> Optional[Facts]:
        """What :meth:`put_facts` recorded under ``key``, if anything."""
        got: Optional[Facts] = self._get_entry(key, _FACTS_ENTRY)
        return got

    def put_facts(self, key: str, value: Facts) -> None:
        self._put_entry(key, value)

    def put_stat(self, path: str, stat: str, content_key: str) -> None:
        if self._db is not None:
            key = _stat_key(path)
            self._pending_stats.append((key, _seal(key, (stat, content_key))))

    def get(self, key: str) -> Optional[ModuleSummary]:
        return self.get_many([key]).get(key)

    def put(self, key: str, summary: ModuleSummary) -> None:
        if self._db is not None:
            self._pending.append((key, _seal(key, replace(summary, path=""))))

    def put_many(self, items: Iterable[tuple[str, ModuleSummary]]) -> None:
        for key, summary in items:
            self.put(key, summary)

    def flush(self) -> None:
        if self._db is None or not (self._pending or self._pending_results or self._pending_stats):
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
                self._db.executemany(
                    "INSERT OR REPLACE INTO stat (key, data) VALUES (?, ?)", self._pending_stats
                )
        except sqlite3.Error:
            self._db = None
        self._pending.clear()
        self._pending_results.clear()
        self._pending_stats.clear()

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None


def _tree_key(paths: Sequence[str]) -> str:
    h = hashlib.blake2b(b"tree", digest_size=20)
    for p in sorted(paths):
        h.update(p.encode("utf-8", "surrogateescape") + b"\0")
    return h.hexdigest()


def _stat_key(path: str) -> str:
    return hashlib.blake2b(path.encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()


def _load(key: str, data: object, decode: Any) -> Any:
    """The value stored in an entry, or None when it is forged, corrupt or from another
    version."""
    if not isinstance(data, bytes) or len(data) <= _MAC_SIZE:
        return None
    mac, payload = data[:_MAC_SIZE], data[_MAC_SIZE:]
    if not hmac.compare_digest(mac, _mac(key, payload)):
        return None
    try:
        salt, value = codec.loads(payload, decode)
    except codec.Invalid:
        return None
    return value if salt == _SALT.decode() else None
