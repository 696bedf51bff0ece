"""Call compatibility of an override with the method it overrides (shared by runtime and linter).

A :class:`Params` describes a callable *as it is called*: for an ordinary method or a
classmethod the bound first parameter (``self``/``cls``) is already left out; a staticmethod
and a zope.interface method description (which has no ``self``) are taken as written, except
that a first parameter of an interface method named exactly ``self`` (``_names.INTERFACE_SELF``,
legacy declarations) is left out too, by the runtime and the linter alike.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

__all__ = ["Params", "incompatibility"]


class Params(NamedTuple):
    positional: int  # positional parameters, excluding a bound self/cls
    required: int  # how many of those have no default
    varargs: bool = False
    kwonly_required: tuple[str, ...] = ()
    varkw: bool = False
    kwonly: tuple[str, ...] = ()  # all keyword-only names, required or not


def _plural(n: int) -> str:
    return f"{n} positional argument" + ("" if n == 1 else "s")


def incompatibility(override: Params, base: Params, *, strict: bool = True) -> Optional[str]:
    """Why ``override`` cannot be called the way ``base`` is, or None when it can.

    Lenient on purpose: an override may make an optional base parameter required
    (``def connectionLost(self, reason)`` for ``connectionLost(self, reason=connectionDone)``),
    since callers that pass the argument work with both.  It must accept every argument the base
    *requires* and must not require more positional arguments than the base can be given.

    With ``strict=False`` only the first condition is checked: the linter uses that, since
    narrowing a signature on purpose is common in frameworks (``usage.Options.parseArgs``
    receives the leftover arguments, whatever their number).
    """
    if not override.varargs and override.positional < base.required:
        return f"accepts {_plural(override.positional)} but is called with {base.required}"
    if not strict:
        return None
    if not base.varargs and override.required > base.positional:
        return f"requires {_plural(override.required)} but is called with at most {base.positional}"
    if not base.varkw:
        extra = [n for n in override.kwonly_required if n not in base.kwonly]
        if extra:
            return "requires keyword-only argument " + ", ".join(f"`{n}`" for n in extra)
    missing = [n for n in base.kwonly_required if n not in override.kwonly]
    if missing and not override.varkw:
        return "does not accept keyword-only argument " + ", ".join(f"`{n}`" for n in missing)
    return None
