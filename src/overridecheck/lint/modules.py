"""Finding modules: which file a dotted name is on a search path, and which dotted name a
linted file has (from its ``__init__.py`` chain).  Nothing is imported or run."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Optional

__all__ = ["ModuleFinder", "PackageMemo", "default_search_path", "module_name_for"]


PackageMemo = dict[str, tuple[str, tuple[str, ...]]]  # folder -> (root, package names)


def module_name_for(path: str, packages: Optional[PackageMemo] = None) -> tuple[str, str, bool]:
    """(root folder, dotted module name, is_package) of a file, from its ``__init__.py`` chain.

    ``packages`` memoises, for the length of one run, each folder's root and package names.
    """
    path = os.path.abspath(path)
    folder, filename = os.path.split(path)
    stem = filename[:-3] if filename.endswith(".py") else filename
    is_package = stem == "__init__"
    known = packages.get(folder) if packages is not None else None
    if known is None:
        top = folder
        found: list[str] = []
        while os.path.isfile(os.path.join(top, "__init__.py")):
            top, pkg = os.path.split(top)
            found.insert(0, pkg)
            if not pkg:
                break
        known = (top, tuple(found))
        if packages is not None:
            packages[folder] = known
    root, names = known
    parts = [*names] if is_package else [*names, stem]
    if not all(p.isidentifier() for p in parts):
        return root, "", is_package
    return root, ".".join(parts), is_package


class ModuleFinder:
    """Maps dotted module names to source files on a search path, with memoised lookups."""

    def __init__(self, roots: Sequence[str]) -> None:
        seen: set[str] = set()
        self.roots: list[str] = []
        for r in roots:
            r = os.path.abspath(r)
            if r not in seen and os.path.isdir(r):
                seen.add(r)
                self.roots.append(r)
        self._cache: dict[str, Optional[tuple[str, bool]]] = {}
        self._isdir: dict[str, bool] = {}
        self._listings: dict[str, frozenset[str]] = {}

    def _listing(self, folder: str) -> frozenset[str]:
        got = self._listings.get(folder)
        if got is None:
            try:
                got = frozenset(os.listdir(folder))
            except OSError:
                got = frozenset()
            self._listings[folder] = got
        return got

    def _dir(self, path: str) -> bool:
        got = self._isdir.get(path)
        if got is None:
            got = self._isdir[path] = os.path.isdir(path)
        return got

    def find(self, module: str) -> Optional[tuple[str, bool]]:
        """(path, is_package) of the module's source; path "" for a namespace package."""
        if module in self._cache:
            return self._cache[module]
        result: Optional[tuple[str, bool]] = None
        parts = module.split(".")
        namespace = False
        head, head_py = parts[0], parts[0] + ".py"
        for root in self.roots:
            names = self._listing(root)
            if head not in names and head_py not in names:
                continue  # most roots do not hold the module: one set lookup, no stat
            base = os.path.join(root, *parts)
            init = os.path.join(base, "__init__.py")
            if self._dir(base):
                if os.path.isfile(init):
                    result = (init, True)
                    break
                namespace = True
                continue
            if os.path.isfile(base + ".py"):
                result = (base + ".py", False)
                break
        if result is None and namespace:
            result = ("", True)
        self._cache[module] = result
        return result


def default_search_path(python: Optional[str]) -> list[str]:
    """The search path for installed packages and the standard library: this interpreter's
    ``sys.path``, or that of the interpreter ``python`` (see ``environment``; may raise
    ``InterpreterError``)."""
    from overridecheck.lint.environment import environment_of, running_environment

    if python is not None:
        return list(environment_of(python, may_run=True).path)
    return list(running_environment().path)
