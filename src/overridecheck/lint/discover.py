"""Find the Python files to check: walk the given paths, honour exclusions, never loop.

Paths are displayed as given: relative inputs give relative paths (``./`` dropped), absolute
inputs give absolute paths. Directory entries are visited in sorted order, so the result is
deterministic. Symlinked directories are followed unless they lead back to a directory being
walked (a loop, reported once and skipped); broken symlinks named ``*.py`` are reported.
"""

from __future__ import annotations

import errno
import os
import posixpath
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    import pathspec

from overridecheck.lint.model import FileError

__all__ = [
    "DEFAULT_EXCLUDE",
    "Discovery",
    "Excluder",
    "PatternSet",
    "discover",
    "is_virtualenv",
    "os_reason",
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


# pathspec's regex for an unanchored one-segment pattern is ``_ANY_DEPTH`` + the segment's glob
# + one of these ends (``name`` matches a file or a directory, ``name/`` only a directory).
_ANY_DEPTH = "^(?:.+/)?"
_FILE_OR_DIR_END = "(?:(?P<ps_d>/)|$)"
_DIR_END = "(?P<ps_d>/)"
_NOT_IN_NAME = frozenset("/\\[]!# \t")


def _glob_regex(glob: str) -> str:
    """The regex pathspec makes of a glob of plain characters, ``*`` and ``?``."""
    return "".join("[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c) for c in glob)


# A pattern of these characters only, with at most one trailing ``/`` and not all ``*``, is a
# name pattern (``build``, ``build/``, ``*.egg-info``) without asking pathspec (tested to agree).
_SIMPLE = re.compile(r"[A-Za-z0-9_.*?+=@%~-]+/?")


def _simple_pattern(text: str) -> Optional[tuple[str, bool]]:
    """``(glob, dir_only)`` for a name pattern recognised from its text alone, else None."""
    if _SIMPLE.fullmatch(text) is None or "**" in text:
        return None
    dir_only = text.endswith("/")
    glob = text[:-1] if dir_only else text
    return (glob, dir_only) if glob.strip("*") else None


def _name_pattern(pattern: pathspec.Pattern) -> tuple[str, bool] | None:
    """``(glob, dir_only)`` when ``pattern`` matches exactly the paths with a segment (followed
    by ``/`` if ``dir_only``) that the glob matches in full; None for any other pattern.

    Only taken when pathspec's own regex has that shape, so the answer is pathspec's: the glob
    cannot match ``/`` nor the empty string, ``(?:.+/)?`` starts it at a segment and the end
    (``/`` or the end of the path) stops it at one.
    """
    import pathspec

    if not isinstance(pattern, pathspec.RegexPattern) or pattern.include is not True:
        return None
    text, regex = pattern.pattern, pattern.regex
    if not isinstance(text, str) or regex is None:
        return None
    dir_only = text.endswith("/")
    glob = text[:-1] if dir_only else text
    if not glob or _NOT_IN_NAME.intersection(glob) or "**" in glob or not glob.strip("*"):
        return None
    expected = _ANY_DEPTH + _glob_regex(glob) + (_DIR_END if dir_only else _FILE_OR_DIR_END)
    if regex.pattern != expected or regex.flags & ~re.UNICODE:
        return None
    return glob, dir_only


@dataclass(frozen=True)
class _Names:
    """The name patterns of a set (see `_name_pattern`): what one path segment matches."""

    names: frozenset[str]  # plain names, ``name``
    dir_names: frozenset[str]  # plain names, ``name`` and ``name/``
    glob: re.Pattern[str] | None  # globs, ``*.egg-info``
    dir_glob: re.Pattern[str] | None  # globs, ``*.egg-info`` and ``*.egg-info/``

    @classmethod
    def create(cls, found: Sequence[tuple[str, bool]]) -> _Names:
        def names(dirs: bool) -> frozenset[str]:
            return frozenset(g for g, d in found if (dirs or not d) and not _is_glob(g))

        def globs(dirs: bool) -> re.Pattern[str] | None:
            parts = [_glob_regex(g) for g, d in found if (dirs or not d) and _is_glob(g)]
            return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None

        return cls(names(False), names(True), globs(False), globs(True))

    def match(self, name: str, followed_by_slash: bool) -> bool:
        """Whether a segment ``name`` is matched (``followed_by_slash``: a directory's, or any
        segment but the last)."""
        if followed_by_slash:
            glob, names = self.dir_glob, self.dir_names
        else:
            glob, names = self.glob, self.names
        return name in names or (glob is not None and glob.fullmatch(name) is not None)


def _is_glob(glob: str) -> bool:
    return "*" in glob or "?" in glob


@dataclass(frozen=True)
class PatternSet:
    """Gitignore-style patterns, anchored at ``base`` (an absolute directory)."""

    base: str
    patterns: tuple[str, ...]
    # Without negations: the name patterns matched by segment, and a spec of the others
    # (None if there are none). With a negation, all of them are left to ``spec``.
    _names: _Names | None = field(init=False, compare=False, repr=False)
    _rest: pathspec.GitIgnoreSpec | None = field(init=False, compare=False, repr=False)
    _spec: pathspec.GitIgnoreSpec | None = field(
        default=None, init=False, compare=False, repr=False
    )

    @property
    def spec(self) -> pathspec.GitIgnoreSpec:
        """The patterns as pathspec compiles them (imported and made on first use: a set of
        plain names, such as the default excludes, never needs it)."""
        if self._spec is None:
            import pathspec

            object.__setattr__(self, "_spec", pathspec.GitIgnoreSpec.from_lines(self.patterns))
        assert self._spec is not None
        return self._spec

    def __post_init__(self) -> None:
        simple = [_simple_pattern(p) for p in self.patterns]
        if all(simple):
            object.__setattr__(self, "_names", _Names.create([s for s in simple if s]))
            object.__setattr__(self, "_rest", None)
            return
        import pathspec

        compiled = [p for p in self.spec.patterns if p.include is not None]
        found = [_name_pattern(p) for p in compiled]
        names: _Names | None = None
        rest: pathspec.GitIgnoreSpec | None = self.spec
        if any(found) and all(p.include for p in compiled):
            names = _Names.create([f for f in found if f is not None])
            others = [p for p, f in zip(compiled, found) if f is None]
            rest = pathspec.GitIgnoreSpec(others) if others else None
        object.__setattr__(self, "_names", names)
        object.__setattr__(self, "_rest", rest)

    @classmethod
    def create(cls, base: str, patterns: Iterable[str]) -> PatternSet:
        return cls(os.path.abspath(base), tuple(patterns))

    def matches(self, abspath: str, is_dir: bool) -> bool:
        rel = os.path.relpath(abspath, self.base)
        if rel == os.curdir:
            return False
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            # Outside the base: only unanchored patterns can apply, so match the name alone.
            rel = os.path.basename(abspath)
        return self._matches_rel(rel.replace(os.sep, "/"), is_dir)

    def _matches_rel(self, rel: str, is_dir: bool) -> bool:
        """`matches` for ``rel``, the path from the base (``/``-separated, normalised)."""
        names = self._names
        if names is None or "\n" in rel:  # (``$`` and ``.`` treat a newline specially)
            return bool(self.spec.match_file(rel + "/" if is_dir else rel))
        segments = rel.split("/")
        last = len(segments) - 1
        if any(names.match(s, is_dir or i < last) for i, s in enumerate(segments)):
            return True
        return self._rest is not None and bool(self._rest.match_file(rel + "/" if is_dir else rel))

    def _in_folder(self, folder: str) -> _InFolder:
        """`matches` for the entries of ``folder`` (an absolute, normalised path without a
        newline), given that this set does not match ``folder`` itself."""
        rel = os.path.relpath(folder, self.base)
        if rel == os.curdir:
            return _InFolder(self, "", True, None)
        if rel == os.pardir:  # one entry is the base: never matched
            return _InFolder(self, "", False, os.path.normcase(os.path.basename(self.base)))
        if rel.startswith(os.pardir + os.sep):  # outside: the name alone, as in `matches`
            return _InFolder(self, "", False, None)
        return _InFolder(self, rel.replace(os.sep, "/") + "/", True, None)


@dataclass(frozen=True)
class _InFolder:
    """A `PatternSet` applied to the entries of one folder it does not match."""

    patterns: PatternSet
    prefix: str  # the folder's path from the base, plus ``/``; empty at or outside the base
    inside: bool  # whether the folder is the base or inside it
    base_name: str | None  # the base's name when the base is an entry of the folder

    def matches(self, name: str, is_dir: bool) -> bool:
        """``patterns.matches(os.path.join(folder, name), is_dir)``, for a name without a
        newline in a folder without one.

        The set does not match the folder, so (without negations) no name pattern matches a
        segment of its path: only the entry's own name can match one.
        """
        ps = self.patterns
        if self.base_name is not None and os.path.normcase(name) == self.base_name:
            return False
        if ps._names is None:
            return ps._matches_rel(self.prefix + name, is_dir)
        if ps._names.match(name, is_dir):
            return True
        rest, rel = ps._rest, self.prefix + name
        return rest is not None and bool(rest.match_file(rel + "/" if is_dir else rel))

    def child(self, name: str, abs_child: str) -> _InFolder:
        """The same for the entries of the subfolder ``name`` (at ``abs_child``), which the set
        does not match either; ``name`` has no newline."""
        if self.inside:  # (what `os.path.relpath` gives too: the folder's path, then the name)
            return _InFolder(self.patterns, self.prefix + name + "/", True, None)
        if self.base_name is not None and os.path.normcase(name) == self.base_name:
            return _InFolder(self.patterns, "", True, None)  # the base
        return self.patterns._in_folder(abs_child)


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

    def walk(
        display_dir: str, abs_dir: str, real_dir: str, ancestors: frozenset[str], folder: _Folder
    ) -> None:
        try:
            with os.scandir(abs_dir) as it:
                entries = sorted(it, key=_name)
        except OSError as exc:
            result.errors.append(FileError(display_dir, f"cannot read directory: {os_reason(exc)}"))
            return
        excluded = folder.excluded
        display_prefix = _prefix(display_dir, is_display=True)
        abs_prefix, real_prefix = _prefix(abs_dir), _prefix(real_dir)
        for entry in entries:
            name = entry.name
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:  # a symlink loop between files, a vanished entry, ...
                is_link, is_dir, is_file = True, False, False
            if is_dir:
                abspath = _joined(abs_prefix, abs_dir, name)
                if excluded(name, True) or is_virtualenv(abspath):
                    continue
                display = _joined(display_prefix, display_dir, name)
                if is_link:
                    real = os.path.realpath(abspath)
                else:
                    real = _joined(real_prefix, real_dir, name)
                if real in ancestors:
                    result.errors.append(FileError(display, "symlink loop, not followed"))
                    continue
                child = folder.child(name, abspath, all_sets)
                walk(display, abspath, real, ancestors | {real}, child)
            elif is_file:
                if name.endswith(".py") and not excluded(name, False):
                    add_file(_joined(display_prefix, display_dir, name))
                elif name.startswith(".") and is_temporary(name):
                    result.leftovers.append(_joined(abs_prefix, abs_dir, name))
            elif is_link and name.endswith(".py") and not excluded(name, False):
                display = _joined(display_prefix, display_dir, name)
                abspath = _joined(abs_prefix, abs_dir, name)
                result.errors.append(FileError(display, _broken_link_message(abspath)))

    listings: dict[str, list[str]] = {}
    for arg in paths:
        display = _display(arg)
        abspath = os.path.abspath(arg)
        try:
            mode: Optional[int] = os.lstat(arg).st_mode
        except OSError as exc:
            # "path not found" only when it is not there; a folder on the way that cannot be
            # searched says so ("permission denied").
            missing = exc.errno in (errno.ENOENT, errno.ENOTDIR)
            reason = "path not found" if missing else f"cannot read: {os_reason(exc)}"
            result.errors.append(FileError(display, reason))
            continue
        if stat.S_ISLNK(mode or 0):  # what it points to (none: a broken link)
            try:
                mode = os.stat(arg).st_mode
            except (OSError, ValueError):
                mode = None
        is_dir = mode is not None and stat.S_ISDIR(mode)
        if force_exclude and excluder.excluded_with_parents(abspath, is_dir):
            continue
        if is_dir:
            real = os.path.realpath(arg)
            folder = _Folder.at(abspath, _not_matching(abspath, all_sets))
            walk(display, abspath, real, frozenset({real}), folder)
        elif mode is not None and stat.S_ISREG(mode):
            add_file(display)
            result.leftovers.extend(_temporaries_of(abspath, listings))
        elif mode is not None:  # a FIFO, a device, ...: reading it could block
            result.errors.append(FileError(display, "not a regular file"))
        else:
            result.errors.append(FileError(display, _broken_link_message(abspath)))
    return result


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _not_matching(
    abs_dir: str, sets: tuple[PatternSet, ...], known: tuple[PatternSet, ...] = ()
) -> tuple[PatternSet, ...]:
    """The sets that do not match the directory ``abs_dir``, given that those in ``known`` do
    not."""
    ids = {id(s) for s in known}
    return tuple(s for s in sets if id(s) in ids or not s.matches(abs_dir, True))


class _Folder:
    """A walked directory's active sets: those that do not match it. (A pattern matching it,
    as given explicitly or inside one given explicitly, matches all its contents too: it must
    not exclude them.)"""

    __slots__ = ("abs_dir", "sets", "views")

    def __init__(
        self, abs_dir: str, sets: tuple[PatternSet, ...], views: list[_InFolder] | None
    ) -> None:
        self.abs_dir = abs_dir
        self.sets = sets
        self.views = views  # the sets seen from here; None if ``abs_dir`` has a newline

    @classmethod
    def at(cls, abs_dir: str, sets: tuple[PatternSet, ...]) -> _Folder:
        views = None if "\n" in abs_dir else [s._in_folder(abs_dir) for s in sets]
        return cls(abs_dir, sets, views)

    def excluded(self, name: str, is_dir: bool) -> bool:
        """``Excluder(self.sets).excluded(os.path.join(self.abs_dir, name), is_dir)``."""
        views = self.views
        if views is None or "\n" in name:
            abspath = os.path.join(self.abs_dir, name)
            return any(s.matches(abspath, is_dir) for s in self.sets)
        for view in views:
            if view.matches(name, is_dir):
                return True
        return False

    def child(self, name: str, abs_child: str, all_sets: tuple[PatternSet, ...]) -> _Folder:
        """The folder for the subdirectory ``name``, which no set in ``self.sets`` matches."""
        sets = self.sets
        if len(sets) != len(all_sets):  # some that match this folder may not match that one
            sets = _not_matching(abs_child, all_sets, sets)
        if self.views is None or "\n" in name or len(sets) != len(self.sets):
            return _Folder.at(abs_child, sets)
        return _Folder(abs_child, sets, [v.child(name, abs_child) for v in self.views])


def _prefix(folder: str, *, is_display: bool = False) -> str | None:
    """What ``_join``/``os.path.join`` put before a name in ``folder``, when it is the same
    for every name (always, on POSIX); else None."""
    if is_display and folder == os.curdir:
        return ""
    if os.path is not posixpath:
        return None
    return folder if folder.endswith("/") else folder + "/"


def _joined(prefix: str | None, folder: str, name: str) -> str:
    """``_join(folder, name)`` (for a display folder) or ``os.path.join(folder, name)``."""
    if prefix is not None:
        return prefix + name
    return _join(folder, name)


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


def os_reason(exc: OSError) -> str:
    """Why a path cannot be read, in lower case (``permission denied``)."""
    return exc.strerror.lower() if exc.strerror else str(exc)
