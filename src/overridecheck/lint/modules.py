"""Finding modules: which file a dotted name is on a search path, and which dotted name a
linted file has (from its ``__init__.py`` chain).  Nothing is imported or run."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Optional

__all__ = [
    "ModuleFinder",
    "PackageMemo",
    "default_search_path",
    "module_name_for",
    "namespace_portions",
]


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


#: Files that make a folder a project's top: the folder Python runs its code from.
_PROJECT_TOPS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")


def namespace_portions(roots: Iterable[str]) -> list[tuple[str, str]]:
    """(folder, name) of the folders that may be portions of PEP 420 namespace packages
    holding linted code: each linted root (the first folder without ``__init__.py`` above a
    linted file, which names the file's module) and the folders above it, up to a project's
    top (``pyproject.toml``, ``setup.py``, ``setup.cfg`` or ``.git`` in it), a folder whose
    name is not an identifier, or one inside a regular package.  ``ns/inner/mod.py`` is then
    also ``inner.mod`` (from ``ns``) and ``ns.inner.mod`` (from the folder above ``ns``)."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for root in roots:
        folder = os.path.abspath(root)
        while folder not in seen:
            seen.add(folder)
            parent, name = os.path.split(folder)
            if (
                not name
                or not name.isidentifier()
                or parent == folder
                or any(os.path.exists(os.path.join(folder, top)) for top in _PROJECT_TOPS)
                or os.path.isfile(os.path.join(parent, "__init__.py"))
            ):
                break
            out.append((parent, name))
            folder = parent
    return out


class ModuleFinder:
    """Maps dotted module names to source files on a search path, with memoised lookups.

    ``namespaces`` (see :func:`namespace_portions`): folders where a namespace package of
    the given name may be found too, after the search path; each only for that name.
    """

    def __init__(self, roots: Sequence[str], namespaces: Iterable[tuple[str, str]] = ()) -> None:
        seen: set[str] = set()
        self.roots: list[str] = []
        for r in roots:
            r = os.path.abspath(r)
            if r not in seen and os.path.isdir(r):
                seen.add(r)
                self.roots.append(r)
        self.namespaces: dict[str, list[str]] = {}
        for folder, name in namespaces:
            folders = self.namespaces.setdefault(name, [])
            if folder not in folders:
                folders.append(folder)
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
        """(path, is_package) of the module's source; path "" for a namespace package.

        As Python's path finder: on each root in turn, a package (a folder with
        ``__init__.py``), else a module (``name.py``), else a folder without ``__init__.py`` is
        a portion of a namespace package, which the module is only when no root holds a
        package or module of that name; then the namespace portions of the linted tree."""
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
            result, portion = self._find_in(root, parts)
            if result is not None:
                break
            namespace = namespace or portion
        if result is None:
            for root in self.namespaces.get(head, ()):
                result, portion = self._find_in(root, parts)
                if result is not None:
                    break
                namespace = namespace or portion
        if result is None and namespace:
            result = ("", True)
        self._cache[module] = result
        return result

    def _find_in(self, root: str, parts: list[str]) -> tuple[Optional[tuple[str, bool]], bool]:
        """The module ``parts`` under one root, and whether it is a namespace portion there."""
        base = os.path.join(root, *parts)
        is_dir = self._dir(base)
        if is_dir:
            init = os.path.join(base, "__init__.py")
            if os.path.isfile(init):
                return (init, True), False
        if os.path.isfile(base + ".py"):
            return (base + ".py", False), False
        return None, is_dir


def default_search_path(python: Optional[str]) -> list[str]:
    """The search path for installed packages and the standard library: this interpreter's
    ``sys.path``, or that of the interpreter ``python`` (see ``environment``; may raise
    ``InterpreterError``)."""
    from overridecheck.lint.environment import environment_of, running_environment

    if python is not None:
        return list(environment_of(python, may_run=True).path)
    return list(running_environment().path)
