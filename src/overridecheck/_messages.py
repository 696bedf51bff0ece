"""What ``_runtime`` and ``_audit`` share: the names never checked, ``path:line``, the messages.

``_runtime`` (the check at class creation, and ``check_class``) and ``_audit`` (the OC104/OC106
part of ``check_class``, loaded on its first call) both import this module, so that ``_audit``
does not import ``_runtime``:

* ``_NOT_HOOKS``: the names every class or zope declaration carries (``__module__``,
  ``__implemented__``, ``_CHECKS_KEY``, the hidden attribute of ``override``...), never checked;
* ``_innermost``: the function under ``__func__``, ``fget`` and ``__wrapped__``;
* ``_location`` and ``_where``: ``path:line`` of a method's ``def`` or of a given line, the path
  relative to the current directory when the file is below it;
* ``_written``: a name as written in the class body (``_Sub__init_`` -> ``__init_``);
* ``_missing_error`` and ``_signature_error``: the :class:`OverrideError` for a name nothing
  provides (or a near miss) and for a method that cannot be called like its base.

Besides ``_errors``, only the standard library is imported (``linecache`` when a ``def`` is sought).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Optional

from overridecheck._errors import OverrideError

__all__ = [
    "_CHECKS_KEY",
    "_MISSING",
    "_NOT_HOOKS",
    "_innermost",
    "_location",
    "_missing_error",
    "_signature_error",
    "_where",
    "_written",
]

# The class attribute under which ``override`` stores a class body's hidden ``_ClassChecks``.
_CHECKS_KEY = "__overridecheck__"
# "No value given" where None is a value (``_missing_error``'s ``location``, namespace lookups).
_MISSING: Any = object()

# Names every class or zope declaration carries that nobody means to override.
_NOT_HOOKS = frozenset(
    {
        "__dict__",
        "__weakref__",
        "__module__",
        "__qualname__",
        "__doc__",
        "__slots__",
        "__annotations__",
        "__firstlineno__",
        "__static_attributes__",
        "__orig_bases__",
        "__parameters__",
        "__abstractmethods__",
        "__classcell__",
        "__implemented__",
        "__providedBy__",
        "__provides__",
        "_abc_impl",
        _CHECKS_KEY,
    }
)


def _innermost(obj: object) -> object:
    for _ in range(16):
        nxt = None
        for attr in ("__func__", "fget", "__wrapped__"):
            try:
                nxt = getattr(obj, attr, None)
            except Exception:
                nxt = None
            if nxt is not None:
                break
        if nxt is None:
            break
        obj = nxt
    return obj


def _location(value: object) -> Optional[str]:
    """``path:line`` of the ``def`` of the innermost function, path relative to cwd if below."""
    code = getattr(_innermost(value), "__code__", None)
    if code is None:
        return None
    filename: str = code.co_filename
    line: int = code.co_firstlineno
    # co_firstlineno is the first decorator's line; point at the `def` when the source is known.
    import linecache  # only on failure: it imports tokenize

    for offset in range(32):
        text = linecache.getline(filename, line + offset).lstrip()
        if not text:
            break
        if text.startswith((f"def {code.co_name}(", f"async def {code.co_name}(")):
            line += offset
            break
    return _where(filename, line)


def _where(filename: str, line: int) -> str:
    """``path:line``, the path relative to the current directory when the file is below it."""
    try:
        cwd = os.getcwd()
        absolute = os.path.abspath(filename)
        if absolute.startswith(cwd + os.sep):
            filename = os.path.relpath(absolute, cwd)
    except (OSError, ValueError):  # pragma: no cover
        pass
    return f"{filename}:{line}"


def _written(owner: type, name: str) -> str:
    """``name`` as written in the class body: ``_Sub__init_`` -> ``__init_`` (unmangled)."""
    prefix = "_" + owner.__name__.lstrip("_") + "__"
    if name.startswith(prefix) and len(name) > len(prefix):
        return "__" + name[len(prefix) :]
    return name


def _missing_error(
    owner: type,
    name: str,
    value: object,
    suggestions: list[str],
    provided: Mapping[str, str],
    *,
    marked: bool,
    location: Any = _MISSING,
) -> OverrideError:
    cls_name = owner.__name__
    name = _written(owner, name)
    if location is _MISSING:
        location = _location(value)
    if marked:
        text = (
            f"{cls_name}.{name} is marked @override but nothing in {cls_name}'s bases"
            " or interfaces defines it"
        )
    else:
        text = f"{cls_name}.{name} does not override anything in {cls_name}'s bases or interfaces"
    if location is not None:
        text += f" ({location})"
    if suggestions:
        best = suggestions[0]
        text += f"; did you mean `{best}` ({provided.get(best, '?')})?"
    return OverrideError(text, cls=owner, name=name, suggestions=suggestions, location=location)


def _signature_error(
    owner: type, name: str, value: object, source: str, problem: str
) -> OverrideError:
    cls_name = owner.__name__
    location = _location(value)
    text = (
        f"{cls_name}.{name} is marked @override but cannot be called like"
        f" {source}.{name}: it {problem}"
    )
    if location is not None:
        text += f" ({location})"
    return OverrideError(text, cls=owner, name=name, location=location)
