"""``[tool.overridecheck]`` in ``pyproject.toml``: discovery, validation, rule selection.

Discovery walks up from a start directory to the nearest ``pyproject.toml`` that has a
``[tool.overridecheck]`` table. Relative patterns and paths in the config are relative to
the directory of that file. Rule selectors are codes or code prefixes (``OC1``), or ``ALL``.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Optional

from overridecheck._names import OVERRIDE_IMPORT_SOURCES as IMPORT_SOURCES
from overridecheck.lint.discover import PatternSet

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

__all__ = [
    "CONFIG_KEYS",
    "Config",
    "ConfigError",
    "Layer",
    "PerFileIgnores",
    "check_selectors",
    "find_config",
    "load_config",
    "matches_selector",
    "resolve_selection",
    "unknown_code_hint",
]

CONFIG_KEYS = (
    "select",
    "extend-select",
    "ignore",
    "exclude",
    "extend-exclude",
    "per-file-ignores",
    "python",
    "unresolved",
    "override-import",
)
# Where OC107's fix may import `override` from.
OVERRIDE_IMPORT_SOURCES = IMPORT_SOURCES


class ConfigError(Exception):
    """An unusable configuration; ``str()`` is the whole one-line message."""

    def __init__(
        self, message: str, path: Optional[str] = None, line: Optional[int] = None
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        where = path if path is not None else ""
        if path is not None and line is not None:
            where = f"{path}:{line}"
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class Config:
    """The ``[tool.overridecheck]`` settings; ``path`` is None when there is no config."""

    path: Optional[str] = None
    select: Optional[tuple[str, ...]] = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: Optional[tuple[str, ...]] = None
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    python: Optional[str] = None
    override_import: Optional[str] = None
    unresolved: Optional[str] = None  # "warn", "error" or "ignore"

    @property
    def root(self) -> str:
        """The directory that relative patterns in this config are relative to."""
        if self.path is None:
            return os.getcwd()
        return os.path.dirname(os.path.abspath(self.path))


def _read_toml(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except OSError as exc:
        raise ConfigError(f"cannot read config: {exc.strerror or exc}", path) from None
    except UnicodeDecodeError:
        raise ConfigError("invalid TOML: not UTF-8", path) from None
    except tomllib.TOMLDecodeError as exc:
        text = str(exc)
        m = re.search(r"\s*\(at line (\d+), column (\d+)\)$", text)
        line = None
        if m:
            line = int(m.group(1))
            text = text[: m.start()]
        raise ConfigError(f"invalid TOML: {text}", path, line) from None


def _table(data: Mapping[str, Any]) -> Optional[Any]:
    tool = data.get("tool")
    if not isinstance(tool, dict):
        return None
    return tool.get("overridecheck")


def find_config(start: str) -> Optional[str]:
    """The nearest ``pyproject.toml`` with ``[tool.overridecheck]`` at or above ``start``."""
    directory = os.path.abspath(start)
    while not os.path.isdir(directory):
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    while True:
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate) and _is_ours(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _is_ours(path: str) -> bool:
    """Whether ``path`` holds ``[tool.overridecheck]``.  A file that cannot be read or parsed
    is someone else's business unless it mentions overridecheck at all (then its error is
    reported): an unrelated broken ``pyproject.toml`` in a parent folder never stops a run."""
    try:
        return _table(_read_toml(path)) is not None
    except ConfigError:
        try:
            with open(path, "rb") as f:
                mentioned = b"overridecheck" in f.read()
        except OSError:
            mentioned = False
        if mentioned:
            raise
        return False


def _str_list(value: Any, key: str, path: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"`{key}` must be a list of strings (got {_describe(value)})", path)
    return tuple(value)


def _describe(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"


def load_config(path: str, known_codes: Collection[str]) -> Config:
    """Read and validate ``[tool.overridecheck]`` in ``path`` (an empty `Config` if absent)."""
    table = _table(_read_toml(path))
    if table is None:
        return Config(path=path)
    if not isinstance(table, dict):
        raise ConfigError("`[tool.overridecheck]` must be a table", path)
    unknown = sorted(set(table) - set(CONFIG_KEYS))
    if unknown:
        from overridecheck._suggest import suggest

        near = suggest(unknown[0], CONFIG_KEYS, limit=1)
        hint = f"; did you mean `{near[0]}`?" if near else f" (keys: {', '.join(CONFIG_KEYS)})"
        raise ConfigError(f"unknown key `{unknown[0]}` in `[tool.overridecheck]`{hint}", path)

    def selectors(key: str) -> tuple[str, ...]:
        values = _str_list(table[key], key, path)
        check_selectors(values, known_codes, f"`{key}`", path)
        return tuple(v.upper() for v in values)

    select = selectors("select") if "select" in table else None
    extend_select = selectors("extend-select") if "extend-select" in table else ()
    ignore = selectors("ignore") if "ignore" in table else ()
    exclude = _str_list(table["exclude"], "exclude", path) if "exclude" in table else None
    extend_exclude = (
        _str_list(table["extend-exclude"], "extend-exclude", path)
        if "extend-exclude" in table
        else ()
    )
    per_file: list[tuple[str, tuple[str, ...]]] = []
    if "per-file-ignores" in table:
        pfi = table["per-file-ignores"]
        if not isinstance(pfi, dict):
            raise ConfigError(
                f"`per-file-ignores` must be a table of glob = [codes] (got {_describe(pfi)})",
                path,
            )
        for pattern, codes in pfi.items():
            key = f"per-file-ignores.{pattern}"
            values = _str_list(codes, key, path)
            check_selectors(values, known_codes, f"`{key}`", path)
            per_file.append((pattern, tuple(v.upper() for v in values)))
    python: Optional[str] = None
    if "python" in table:
        value = table["python"]
        if not isinstance(value, str) or not value:
            raise ConfigError(f"`python` must be a non-empty string (got {_describe(value)})", path)
        python = value
        if "/" in value or os.sep in value:
            python = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(path)), value))
        else:
            python = shutil.which(value) or value
    unresolved = table.get("unresolved")
    if unresolved is not None and unresolved not in ("warn", "error", "ignore"):
        raise ConfigError(
            f"`unresolved` must be one of `warn`, `error`, `ignore` (got {_describe(unresolved)})",
            path,
        )
    override_import = table.get("override-import")
    if override_import is not None and override_import not in OVERRIDE_IMPORT_SOURCES:
        choices = ", ".join(f"`{c}`" for c in OVERRIDE_IMPORT_SOURCES)
        raise ConfigError(
            f"`override-import` must be one of {choices} (got {_describe(override_import)})", path
        )
    return Config(
        path=path,
        select=select,
        extend_select=extend_select,
        ignore=ignore,
        exclude=exclude,
        extend_exclude=extend_exclude,
        per_file_ignores=tuple(per_file),
        python=python,
        override_import=override_import,
        unresolved=unresolved,
    )


def matches_selector(code: str, selector: str) -> bool:
    return selector == "ALL" or code.startswith(selector)


def unknown_code_hint(typed: str, known_codes: Iterable[str]) -> str:
    """What to say after "unknown rule code `OC11`": the codes one typo away (by the
    suggestion engine's distance; none when more than three are), and every code there is:
    ``; did you mean `OC101`? (rules: OC101, OC102, ...)``."""
    from overridecheck._suggest import osa_distance

    codes = sorted(known_codes)
    typed = typed.strip().upper()
    near = [c for c in codes if typed and osa_distance(typed, c, 2) <= 1]
    mean = ""
    if 0 < len(near) <= 3:
        mean = "; did you mean " + " or ".join(f"`{c}`" for c in near) + "?"
    listing = f" (rules: {', '.join(codes)}; see `overridecheck rule --all`)" if codes else ""
    return mean + listing


def check_selectors(
    selectors: Iterable[str], known_codes: Collection[str], where: str, path: Optional[str] = None
) -> None:
    """Raise `ConfigError` for a selector that matches no known rule."""
    for raw in selectors:
        selector = raw.strip().upper()
        if not selector or not any(matches_selector(c, selector) for c in known_codes):
            hint = unknown_code_hint(selector, known_codes)
            raise ConfigError(f"unknown rule selector `{raw}` in {where}{hint}", path)


@dataclass(frozen=True)
class Layer:
    """One source of rule selection (the config, then the command line)."""

    select: Optional[Sequence[str]] = None
    extend_select: Sequence[str] = ()
    ignore: Sequence[str] = ()


def _specificity(selector: str) -> int:
    return -1 if selector == "ALL" else len(selector)


def resolve_selection(layers: Iterable[Layer], defaults: Mapping[str, bool]) -> frozenset[str]:
    """The codes to check: ``defaults`` maps every known code to "on by default".

    Layers apply in order. In a layer, ``select`` (when given) starts from nothing; then each
    code follows the most specific matching selector of that layer (``ignore`` wins ties).
    """
    enabled = {code for code, on in defaults.items() if on}
    for layer in layers:
        positive = [*(layer.select or ()), *layer.extend_select]
        if layer.select is not None:
            enabled = set()
        for code in defaults:
            best_on = max(
                (_specificity(s) for s in positive if matches_selector(code, s)), default=None
            )
            best_off = max(
                (_specificity(s) for s in layer.ignore if matches_selector(code, s)), default=None
            )
            if best_off is not None and (best_on is None or best_off >= best_on):
                enabled.discard(code)
            elif best_on is not None:
                enabled.add(code)
    return frozenset(enabled)


class PerFileIgnores:
    """``per-file-ignores``: which codes to drop for a given file."""

    def __init__(self, root: str, entries: Iterable[tuple[str, Sequence[str]]]) -> None:
        self._entries = [
            (PatternSet.create(root, [pattern]), tuple(codes)) for pattern, codes in entries
        ]

    def __bool__(self) -> bool:
        return bool(self._entries)

    def ignored(self, path: str, code: str) -> bool:
        abspath = os.path.abspath(path)
        return any(
            any(matches_selector(code, s) for s in codes) and spec.matches(abspath, False)
            for spec, codes in self._entries
        )
