"""Find the Python files to check: walk the given paths, honour exclusions, never loop.

Paths are displayed as given: relative inputs give relative paths (``./`` dropped), absolute
inputs give absolute paths. Directory entries are visited in sorted order, so the result is
deterministic. Symlinked directories are followed unless they lead back to a directory being
walked (a loop, reported once and skipped); broken symlinks named ``*.py`` are reported.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pathspec

from overridecheck.lint.model import FileError

__all__ = [
    "DEFAULT_EXCLUDE",
    "Discovery",
    "Excluder",
    "PatternSet",
    "discover",
    "is_virtualenv",
]

#: Excluded unless ``--exclude`` (or ``exclude`` in the config) replaces this list.
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "build",
    "dist",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".eggs",
    "*.egg-info",
    "node_modules",
    ".overridecheck_cache",
)


@dataclass(frozen=True)
class PatternSet:
    """Gitignore-style patterns, anchored at ``base`` (an absolute directory)."""

    base: str
    patterns: tuple[str, ...]
    spec: pathspec.GitIgnoreSpec = field(compare=False, repr=False)

    @classmethod
    def create(cls, base: str, patterns: Iterable[str]) -> PatternSet:
        pats = tuple(patterns)
        return cls(os.path.abspath(base), pats, pathspec.GitIgnoreSpec.from_lines(pats))

    def matches(self, abspath: str, is_dir: bool) -> bool:
        rel = os.path.relpath(abspath, self.base)
        if rel == os.curdir:
            return False
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            # Outside the base: only unanchored patterns can apply, so match the name alone.
            rel = os.path.basename(abspath)
        rel = rel.replace(os.sep, "/")
        if is_dir:
            rel += "/"
        return bool(self.spec.match_file(rel))


@dataclass(frozen=True)
class Excluder:
    """Decides whether a path is excluded: any of the pattern sets matches it."""

    sets: tuple[PatternSet, ...] = ()

    def excluded(self, abspath: str, is_dir: bool) -> bool:
        return any(s.matches(abspath, is_dir) for s in self.sets if s.patterns)

    def excluded_with_parents(self, abspath: str, is_dir: bool) -> bool:
        """Like `excluded`, but also true when a parent directory (below the cwd) is excluded."""
        if self.excluded(abspath, is_dir):
            return True
        cwd = os.getcwd()
        parent = os.path.dirname(abspath)
        while parent != abspath and _is_within(parent, cwd) and parent != cwd:
            if self.excluded(parent, True) or is_virtualenv(parent):
                return True
            abspath, parent = parent, os.path.dirname(parent)
        return False


#: In the names of the temporary files ``--fix`` writes next to a file before replacing it:
#: ``.<name>.overridecheck-<pid>-<random>.tmp``.
TEMP_MARK = "overridecheck"
TEMPORARY = re.compile(rf"^\..+\.{TEMP_MARK}-(\d+)-[^./]*\.tmp$")


def is_temporary(name: str) -> bool:
    """Whether a file name is one of ``--fix``'s temporary files."""
    return name.endswith(".tmp") and TEMPORARY.match(name) is not None


@dataclass
class Discovery:
    files: list[str] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    # Temporary files of a killed `--fix` (``fix.is_temporary``), for ``fix`` to clean up.
    leftovers: list[str] = field(default_factory=list)


def _is_within(path: str, directory: str) -> bool:
    try:
        return os.path.commonpath([path, directory]) == directory
    except ValueError:  # different drives on Windows
        return False


def is_virtualenv(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "pyvenv.cfg"))


def _display(arg: str) -> str:
    return os.path.normpath(arg) if arg else os.curdir


def _join(display_dir: str, name: str) -> str:
    return name if display_dir == os.curdir else os.path.join(display_dir, name)


def discover(
    paths: Sequence[str],
    excluder: Excluder = Excluder(),
    *,
    force_exclude: bool = False,
) -> Discovery:
    """Files to check under ``paths``, plus one `FileError` per path that cannot be walked.

    A path given explicitly is checked even when excluded, unless ``force_exclude``.
    """
    result = Discovery()
    seen: set[str] = set()
    all_sets = tuple(s for s in excluder.sets if s.patterns)

    def add_file(display: str) -> None:
        if display not in seen:
            seen.add(display)
            result.files.append(display)

    def walk(display_dir: str, abs_dir: str, real_dir: str, ancestors: frozenset[str]) -> None:
        # A pattern matching this directory (given explicitly, or inside one given explicitly)
        # matches all its contents too: it must not exclude them.
        active = Excluder(tuple(s for s in all_sets if not s.matches(abs_dir, True)))
        try:
            with os.scandir(abs_dir) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            result.errors.append(FileError(display_dir, f"cannot read directory: {_reason(exc)}"))
            return
        for entry in entries:
            name = entry.name
            display = _join(display_dir, name)
            abspath = os.path.join(abs_dir, name)
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:  # a symlink loop between files, a vanished entry, ...
                is_link, is_dir, is_file = True, False, False
            if is_dir:
                if active.excluded(abspath, True) or is_virtualenv(abspath):
                    continue
                real = os.path.realpath(abspath) if is_link else os.path.join(real_dir, name)
                if real in ancestors:
                    result.errors.append(FileError(display, "symlink loop, not followed"))
                    continue
                walk(display, abspath, real, ancestors | {real})
            elif is_file:
                if name.endswith(".py") and not active.excluded(abspath, False):
                    add_file(display)
                elif name.startswith(".") and is_temporary(name):
                    result.leftovers.append(abspath)
            elif is_link and name.endswith(".py") and not active.excluded(abspath, False):
                result.errors.append(FileError(display, _broken_link_message(abspath)))

    listings: dict[str, list[str]] = {}
    for arg in paths:
        display = _display(arg)
        abspath = os.path.abspath(arg)
        try:
            os.lstat(arg)
        except OSError as exc:
            # "path not found" only when it is not there; a folder on the way that cannot be
            # searched says so ("permission denied").
            missing = exc.errno in (errno.ENOENT, errno.ENOTDIR)
            result.errors.append(FileError(display, "path not found" if missing else _reason(exc)))
            continue
        is_dir = os.path.isdir(arg)
        if force_exclude and excluder.excluded_with_parents(abspath, is_dir):
            continue
        if is_dir:
            real = os.path.realpath(arg)
            walk(display, abspath, real, frozenset({real}))
        elif os.path.isfile(arg):
            add_file(display)
            result.leftovers.extend(_temporaries_of(abspath, listings))
        elif os.path.exists(arg):  # a FIFO, a device, ...: reading it could block
            result.errors.append(FileError(display, "not a regular file"))
        else:
            result.errors.append(FileError(display, _broken_link_message(abspath)))
    return result


def _temporaries_of(abspath: str, listings: dict[str, list[str]]) -> list[str]:
    """``--fix`` temporary files beside a file named on the command line (each folder listed
    once)."""
    folder, base = os.path.split(abspath)
    names = listings.get(folder)
    if names is None:
        try:
            names = [n for n in os.listdir(folder) if n.startswith(".") and is_temporary(n)]
        except OSError:
            names = []
        listings[folder] = names
    prefix = f".{base}.{TEMP_MARK}-"
    return [os.path.join(folder, n) for n in names if n.startswith(prefix)]


def _broken_link_message(abspath: str) -> str:
    try:
        target = os.readlink(abspath)
    except OSError:
        return "broken symlink"
    if os.path.lexists(abspath) and _loops(abspath):
        return f"symlink loop (`{target}`)"
    return f"broken symlink to `{target}`"


def _loops(abspath: str) -> bool:
    try:
        os.stat(abspath)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _reason(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else str(exc)
