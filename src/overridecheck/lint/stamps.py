"""Cache stamps: whether a cached result still holds.

A module's result is cached with the modules it depended on (its own file, the modules its
classes' bases and interfaces came from), each with a stamp of its state then: the content
key of a linted file, or the size and modification time of an installed one.  The result is
used again only while every stamp is the same.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection, Mapping, Sequence
from typing import Optional

from overridecheck.lint.modules import ModuleFinder

__all__ = ["Stamps", "file_stamp", "result_key", "run_key", "run_salt"]


def file_stamp(st: os.stat_result) -> str:
    """What tells a file's content changed without reading it: size, modification time,
    inode, device and inode change time (which no user can set back)."""
    return f"{st.st_size}|{st.st_mtime_ns}|{st.st_ino}|{st.st_dev}|{st.st_ctime_ns}"


class Stamps:
    """The current state of modules a cached result depended on."""

    def __init__(
        self,
        finder: ModuleFinder,
        tree_keys: Mapping[str, str],
        linted: Optional[dict[str, tuple[str, bool]]] = None,
    ) -> None:
        self.finder = finder
        self.tree_keys = tree_keys  # absolute path -> content key, for linted files
        self.linted = linted or {}  # module name -> linted file, as the resolver sees them
        self._memo: dict[str, str] = {}
        self._held: set[tuple[str, str]] = set()  # (module, stamp) pairs found current

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
                    got = f"{path}|{file_stamp(os.stat(path))}"
                except OSError:
                    got = "missing"
        self._memo[module] = got
        return got

    def hold(self, recorded: Sequence[tuple[str, str]]) -> bool:
        """Whether every recorded stamp is still the current one."""
        held = self._held
        for pair in recorded:
            if pair not in held:
                if self.stamp(pair[0]) != pair[1]:
                    return False
                held.add((pair[0], pair[1]))
        return True


def run_salt(
    select: Collection[str], roots: Sequence[str], settings: str, modules: Collection[str]
) -> str:
    """What every result of a run depends on besides the modules: the rules, the search
    path, other settings, and which modules are linted."""
    text = repr((sorted(select), list(roots), settings, sorted(modules)))
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def run_key(salt: str, files: Sequence[tuple[str, str]]) -> str:
    """The cache key of a whole run's result: the salt and every linted file's path with its
    content key (or why it could not be read)."""
    h = hashlib.blake2b(salt.encode(), digest_size=20)
    for path, key in files:
        h.update(f"{path}\0{key}\0".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def result_key(content_key: str, path: str, salt: str) -> str:
    """The cache key of one linted file's result."""
    text = f"{content_key}|{path}|{salt}".encode("utf-8", "surrogateescape")
    return hashlib.blake2b(text, digest_size=20).hexdigest()
