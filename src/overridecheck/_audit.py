"""What ``check_class`` reports beyond overrides: the linter's OC104 and OC106, at run time.

* OC104 misspelled-handler: methods a framework dispatches by a name prefix (``render_get``
  on a Twisted ``Resource`` for ``render_GET``, ``irc_wallops``, ``visit_Functiondef``), test
  methods whose ``test`` prefix is misspelt (``tset_login``), and Perspective Broker
  ``remote_`` methods that no ``callRemote("name")`` of the source tree reaches;
* OC106 misspelled-attribute: class attributes that near-miss one a base class assigns, an
  interface declares or a framework reads with ``getattr`` (``isleaf`` for ``isLeaf``).

The tables are those of the linter (:mod:`overridecheck._conventions_data`), and so are the
rules: base classes are matched by ``(module, qualname)`` of their definition, names the
class's module refers to (``self.render_page(...)``, ``"isleaf"``) are in use and never
reported, and an attribute is reported only where the source assigns it.  Imported by
``check_class`` on its first call only: ``import overridecheck`` stays light.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Collection, Iterable, Iterator, Mapping
from types import FunctionType
from typing import Any, Optional

from overridecheck import _conventions_data as data
from overridecheck._errors import OverrideError
from overridecheck._messages import _NOT_HOOKS, _location, _missing_error, _where
from overridecheck._suggest import Candidates, Role, rank

__all__ = ["attribute_findings", "handler_findings", "is_def"]

_HEAPTYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: a class written in Python (or built from a spec)
_DEF_TYPES: tuple[type, ...] = (
    FunctionType,
    staticmethod,
    classmethod,
    property,
    type(len),  # builtin functions
    type(str.join),  # method descriptors
    type(object.__init__),  # slot wrappers
    type(type.__dict__["__dict__"]),  # getset descriptors
    type(type.__dict__["__weakrefoffset__"]),  # member descriptors (__slots__)
)


def is_def(value: object) -> bool:
    """Whether a class attribute comes from a ``def`` (possibly decorated), not an assignment."""
    if isinstance(value, _DEF_TYPES):
        return True
    try:
        return hasattr(value, "__wrapped__") or type(value).__name__ == "cached_property"
    except Exception:
        return False


def _kind(value: object) -> str:
    """The linter's ``FunctionSummary.kind`` of a method."""
    if isinstance(value, staticmethod):
        return "staticmethod"
    if isinstance(value, classmethod):
        return "classmethod"
    if isinstance(value, property) or type(value).__name__ == "cached_property":
        return "property"
    return "method"


def ancestor_keys(cls: type) -> set[tuple[str, str]]:
    """``(module, qualname)`` of every ancestor (the class itself excluded)."""
    keys: set[tuple[str, str]] = set()
    for klass in cls.__mro__[1:]:
        module = getattr(klass, "__module__", None)
        qualname = getattr(klass, "__qualname__", None)
        if isinstance(module, str) and isinstance(qualname, str):
            keys.add((module, qualname))
    return keys


# --------------------------------------------------------------------------- source text


def module_path(module: object) -> Optional[str]:
    """The ``.py`` file of a module, or None (built in, compiled, or not from a file)."""
    path = getattr(module, "__file__", None)
    if isinstance(path, str) and path.endswith(".py") and os.path.isfile(path):
        return path
    return None


def _class_path(cls: type) -> Optional[str]:
    return module_path(sys.modules.get(getattr(cls, "__module__", "") or ""))


_texts: dict[str, str] = {}


def _text(path: Optional[str]) -> str:
    if not path:
        return ""
    got = _texts.get(path)
    if got is None:
        try:
            with open(path, "rb") as f:
                got = f.read().decode("utf-8", "replace")
        except OSError:
            got = ""
        if len(_texts) > 64:
            _texts.clear()
        _texts[path] = got
    return got


def referenced(path: Optional[str], names: Iterable[str]) -> set[str]:
    """Which of ``names`` the module at ``path`` uses besides defining them: as an attribute
    or as a string literal (the linter's rule, on the same text)."""
    return data.text_references(_text(path), names)


def _class_line(cls: type, text: str) -> int:
    """The line of ``class <Name>`` in the module text (1 when unknown)."""
    first = cls.__dict__.get("__firstlineno__")  # Python 3.13+
    if isinstance(first, int):
        return first
    lines = [
        code.co_firstlineno
        for value in cls.__dict__.values()
        if (code := getattr(getattr(value, "__func__", value), "__code__", None)) is not None
    ]
    header = re.compile(rf"^[ \t]*class[ \t]+{re.escape(cls.__name__)}\b")
    source = text.splitlines()
    if lines:  # the nearest `class Name` before the first method
        for index in range(min(min(lines), len(source)) - 1, -1, -1):
            if header.match(source[index]):
                return index + 1
    for index, line in enumerate(source):
        if header.match(line):
            return index + 1
    return 1


# --------------------------------------------------------------------------- OC104


_known_cache: dict[str, frozenset[str]] = {}


def _known(convention: data.Convention) -> frozenset[str]:
    """All valid suffixes of ``convention``, as the linter computes them."""
    got = _known_cache.get(convention.name)
    if got is not None:
        return got
    extra: Optional[frozenset[str]] = frozenset()
    if convention.source == "ast":
        import ast

        extra = frozenset(
            n for n, o in vars(ast).items() if isinstance(o, type) and issubclass(o, ast.AST)
        )
    elif convention.source == "irc":
        path = module_path(sys.modules.get(data.IRC_MODULE))
        extra = frozenset(data.SYMBOLIC.findall(_text(path))) if path else None
    elif convention.source == "libcst":
        libcst = sys.modules.get("libcst")
        extra = (
            frozenset(
                n
                for n, o in vars(libcst).items()
                if str(getattr(o, "__module__", "")).startswith("libcst._nodes")
            )
            if libcst is not None
            else None
        )
    if extra is None:  # the framework is not imported (yet): nothing to remember
        return convention.known
    got = _known_cache[convention.name] = convention.known | extra
    return got


def _base_name(cls: type, bases: Collection[tuple[str, str]]) -> str:
    for klass in cls.__mro__[1:]:
        if (getattr(klass, "__module__", None), getattr(klass, "__qualname__", None)) in bases:
            return klass.__name__
    return "the base class"


def _dispatch(
    cls: type,
    methods: list[str],
    inherited: Collection[str],
    conventions: list[data.Convention],
) -> Iterator[tuple[str, str, str]]:
    """(name, suggestion, message tail) of handler names that are near misses."""
    for convention in conventions:
        known = _known(convention)
        base = _base_name(cls, convention.bases)
        for prefix in convention.prefixes:
            mine = [n for n in methods if n.startswith(prefix) and n != prefix]
            # A typo in the prefix itself (`rendr_GET`, `renderGET`): a name that is not a
            # handler, not inherited, and ends with a valid suffix after a near miss of it.
            slipped = [
                n
                for n in methods
                if not n.startswith(prefix)
                and n not in inherited
                and n[:1].lower() == prefix[:1].lower()
            ]
            if not mine and not slipped:
                continue
            defined = {n[len(prefix) :] for n in inherited if n.startswith(prefix)}
            valid = known | defined
            candidates: Optional[Candidates] = None
            handlers = Role()
            for name in [*mine, *slipped]:
                if name in inherited or name in convention.ignore:
                    continue
                in_prefix = not name.startswith(prefix)
                if not in_prefix and data.valid_suffix(name[len(prefix) :], valid, convention):
                    continue
                if candidates is None:
                    names = sorted(prefix + s for s in valid)
                    candidates = Candidates(names)
                    handlers = Role(hooks=frozenset(names))  # all called by name: hooks
                matches = candidates.rank(name, handlers)
                if in_prefix:  # only the prefix may differ: the handler's suffix is intact
                    matches = [m for m in matches if name.endswith(m.name[len(prefix) :])]
                if matches:
                    yield name, matches[0].name, f"is never dispatched by {base}"


def _tests(
    own: Mapping[str, Any], methods: list[str], inherited: Collection[str]
) -> Iterator[tuple[str, str, str]]:
    for name in methods:
        m = data.TEST_TYPO.match(name)
        if m is None or name in inherited or _kind(own[name]) != "method":
            continue
        rest = name[m.end() :]
        if not rest.strip("_"):
            continue
        suggestion = "test" + rest
        if suggestion not in own:
            yield name, suggestion, "is never collected as a test"


def _tree_root(module: str, path: str) -> str:
    folder = os.path.dirname(os.path.abspath(path))
    is_package = os.path.basename(path) == "__init__.py"
    for _ in range(module.count(".") + (1 if is_package else 0)):
        folder = os.path.dirname(folder)
    return os.path.join(folder, module.split(".", 1)[0])


def _remote_names(cls: type) -> tuple[set[str], set[str]]:
    """(names passed to ``callRemote``, names defined as PB handlers) in the class's tree.

    The tree is the ``.py`` files of the class's top-level package (only its module's file for
    a top-level module); the linter reads the linted modules of that package instead, which is
    the same set when the whole package is linted.
    """
    module = str(getattr(cls, "__module__", ""))
    path = _class_path(cls)
    if path is None:
        return set(), set()
    root = _tree_root(module, path)
    paths = [path]
    if os.path.isdir(root):
        paths = [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".py")]
    called: set[str] = set()
    defined: set[str] = set()
    for p in paths:
        text = _text(p)
        called.update(data.CALL_REMOTE.findall(text))
        defined.update(data.PB_DEF.findall(text))
    return called, defined


def _pb(cls: type, methods: list[str], prefixes: list[str]) -> Iterator[tuple[str, str, str]]:
    mine = [(p, n) for n in methods for p in prefixes if n.startswith(p)]
    if not mine:
        return
    called, defined = _remote_names(cls)
    orphans = sorted(called - defined)
    if not orphans:
        return
    for prefix, name in mine:
        suffix = name[len(prefix) :]
        if not suffix or suffix in called:
            continue
        matches = rank(suffix, orphans)
        if matches:
            best = matches[0].name
            yield name, prefix + best, f'does not match `callRemote("{best}")`'


def handler_findings(
    cls: type, own: Mapping[str, Any], inherited: Collection[str], skip: Collection[str]
) -> dict[str, OverrideError]:
    """OC104 at run time: name -> finding, for the methods of ``cls`` not in ``skip``."""
    keys = ancestor_keys(cls)
    conventions = [c for c in data.CONVENTIONS if not keys.isdisjoint(c.bases)]
    tests = not keys.isdisjoint(data.TEST_CASE_BASES)
    pb = [p for k, p in data.PB_PREFIXES.items() if k in keys]
    if not conventions and not tests and not pb:
        return {}
    methods = [n for n, v in own.items() if n not in _NOT_HOOKS and is_def(v)]
    found: list[tuple[str, str, str]] = []
    if conventions:
        found.extend(_dispatch(cls, methods, inherited, conventions))
    if tests:
        found.extend(_tests(own, methods, inherited))
    if pb:
        found.extend(_pb(cls, methods, pb))
    used = referenced(_class_path(cls), {name for name, _, _ in found})
    result: dict[str, OverrideError] = {}
    for name, suggestion, tail in found:
        if name in used or name in skip or name in result:
            continue
        location = _location(own[name])
        text = f"{cls.__name__}.{name} {tail}"
        if location is not None:
            text += f" ({location})"
        text += f"; did you mean `{suggestion}`?"
        result[name] = OverrideError(
            text, cls=cls, name=name, suggestions=[suggestion], location=location
        )
    return result


# --------------------------------------------------------------------------- OC106


def _interface_members(spec: Any) -> dict[str, tuple[str, bool]]:
    """Names the declared interfaces define -> (interface, whether a method)."""
    members: dict[str, tuple[str, bool]] = {}
    if spec is None:
        return members
    try:
        for iface in spec.__iro__:
            for name in iface.names():
                if name not in members:
                    method = hasattr(iface.direct(name), "getSignatureInfo")
                    members[name] = (str(iface.__name__), method)
    except Exception:
        pass
    return members


def attribute_findings(
    cls: type, own: Mapping[str, Any], inherited: Collection[str], spec: Any, skip: Collection[str]
) -> dict[str, OverrideError]:
    """OC106 at run time: name -> finding, for the class attributes of ``cls`` not in ``skip``."""
    interface = _interface_members(spec)
    attributes = [
        name
        for name, value in own.items()
        if name not in _NOT_HOOKS
        and name not in skip
        and not is_def(value)
        and name not in inherited
        and name not in interface
        and not (name.startswith("__") and name.endswith("__"))
    ]
    if not attributes:
        return {}
    candidates: dict[str, str] = {}
    for klass in cls.__mro__[1:]:
        if not klass.__flags__ & _HEAPTYPE:
            continue  # a builtin class: no class attributes of its own to misspell
        for name, value in klass.__dict__.items():
            if not name.startswith("_") and not is_def(value):
                candidates.setdefault(name, klass.__name__)
    for name, (owner, method) in interface.items():
        if not method and not name.startswith("_"):
            candidates.setdefault(name, owner)
    keys = ancestor_keys(cls)
    for key, names in data.CONVENTIONAL_ATTRIBUTES.items():
        if key in keys:
            for name in sorted(names):
                candidates.setdefault(name, key[1])
    pool = Candidates(c for c in candidates if c not in own)
    found: dict[str, list[str]] = {}
    for name in attributes:
        matches = pool.rank(name)
        if matches:
            found[name] = [m.name for m in matches[:3]]
    if not found:
        return {}
    path = _class_path(cls)
    used = referenced(path, found)
    # A name an ancestor's module reads (`getattr(self, "subCommands")`) is part of its API.
    for ancestor_path in {_class_path(k) for k in cls.__mro__[1:]} - {None, path}:
        used |= referenced(ancestor_path, set(found) - used)
    text = _text(path)
    start = _class_line(cls, text) if text else 1
    result: dict[str, OverrideError] = {}
    for name, suggestions in found.items():
        if name in used:
            continue
        location: Optional[str] = None
        if text:
            where = data.attribute_position(text, start, name)
            line = where[0] if where is not None else None
            if line is None:
                continue  # bound by a loop, an import or a nested class: not an assignment
            assert path is not None
            location = _where(path, line)
        result[name] = _missing_error(
            cls, name, own[name], suggestions, candidates, marked=False, location=location
        )
    return result
