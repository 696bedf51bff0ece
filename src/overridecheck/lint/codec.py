"""Data-only encoding of the linter's plain data (summaries, findings) for the on-disk cache.

The cache may sit inside the repository being linted, so what it holds is untrusted: it is
stored as JSON (never pickle) and read back through decoders generated from the dataclasses'
own type hints, which accept exactly the shapes those hints describe (a ``str`` is a ``str``,
``bool`` is not an ``int``, a dataclass is a list of exactly its fields) and raise
:class:`Invalid` on anything else.  Nothing in an entry can name a type, a function or a module.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import typing
from typing import Any, Callable, Union

from overridecheck._signature import Params
from overridecheck.lint import model

__all__ = ["Invalid", "decoder", "dumps", "loads"]

_Decode = Callable[[Any], Any]


class Invalid(ValueError):
    """An encoded value does not have the shape its type describes."""


def _plain(value: object) -> object:
    """``value`` as JSON-ready lists, strings, numbers and nulls."""
    if value is None or type(value) in (str, int, bool):
        return value
    if type(value) is Params:
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value):
        return [_plain(getattr(value, f)) for f in _names(type(value))]
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, frozenset):
        return sorted(str(_plain(v)) for v in value)
    if isinstance(value, dict):
        return [[_plain(k), _plain(v)] for k, v in value.items()]
    raise TypeError(f"cannot encode {type(value).__name__}")


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    got = _FIELD_NAMES.get(cls)
    if got is None:
        got = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return got


def dumps(value: object) -> bytes:
    return json.dumps(_plain(value), separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8", "surrogatepass"
    )


def loads(data: bytes, decode: _Decode) -> Any:
    """Decode ``data`` with ``decode`` (from :func:`decoder`); :class:`Invalid` if malformed."""
    try:
        raw = json.loads(data.decode("utf-8", "surrogatepass"))
    except (ValueError, UnicodeError, RecursionError) as exc:
        raise Invalid(str(exc)) from None
    return decode(raw)


# --------------------------------------------------------------------------- decoders


def _exact(kind: type) -> _Decode:
    def decode(raw: Any) -> Any:
        if type(raw) is not kind:
            raise Invalid(f"expected {kind.__name__}")
        return raw

    return decode


def _optional(inner: _Decode) -> _Decode:
    return lambda raw: None if raw is None else inner(raw)


def _list(raw: Any) -> list[Any]:
    if type(raw) is not list:
        raise Invalid("expected a list")
    return raw


def _all_str(values: list[Any]) -> list[Any]:
    for v in values:
        if type(v) is not str:
            raise Invalid("expected str")
    return values


def _str_pair(raw: Any) -> tuple[str, str]:
    if type(raw) is not list or len(raw) != 2 or type(raw[0]) is not str or type(raw[1]) is not str:
        raise Invalid("expected a pair of str")
    return (raw[0], raw[1])


def _str_tuple(n: int) -> _Decode:
    def decode(raw: Any) -> Any:
        if type(raw) is not list or len(raw) != n:
            raise Invalid("wrong tuple length")
        return tuple(_all_str(raw))

    return decode


def _tuple_of(item: _Decode) -> _Decode:
    if item is _STR:  # the common cases, without a call per item
        return lambda raw: tuple(_all_str(_list(raw)))
    if item is _STR_PAIR:
        return lambda raw: tuple([_str_pair(v) for v in _list(raw)])
    return lambda raw: tuple([item(v) for v in _list(raw)])


def _fixed_tuple(items: tuple[_Decode, ...]) -> _Decode:
    def decode(raw: Any) -> Any:
        values = _list(raw)
        if len(values) != len(items):
            raise Invalid("wrong tuple length")
        return tuple([d(v) for d, v in zip(items, values)])

    return decode


def _frozenset_of(item: _Decode) -> _Decode:
    if item is _STR:
        return lambda raw: frozenset(_all_str(_list(raw)))
    return lambda raw: frozenset([item(v) for v in _list(raw)])


def _dict_of(key: _Decode, value: _Decode) -> _Decode:
    def decode(raw: Any) -> Any:
        out = {}
        for pair in _list(raw):
            if type(pair) is not list or len(pair) != 2:
                raise Invalid("expected a key/value pair")
            out[key(pair[0])] = value(pair[1])
        return out

    return decode


def _record(cls: Callable[..., Any], fields: tuple[_Decode, ...]) -> _Decode:
    def decode(raw: Any) -> Any:
        values = _list(raw)
        if len(values) != len(fields):
            raise Invalid(f"wrong number of fields for {getattr(cls, '__name__', cls)}")
        return cls(*[d(v) for d, v in zip(fields, values)])

    return decode


_DECODERS: dict[object, _Decode] = {}


def decoder(hint: object) -> _Decode:
    """A strict decoder for the type ``hint`` (the model's dataclasses, Params, builtins)."""
    got = _DECODERS.get(hint)
    if got is None:
        got = _DECODERS[hint] = _make(hint)
    return got


_STR = _exact(str)
_STR_PAIR: _Decode = _str_pair


def _make(hint: object) -> _Decode:
    if hint is str:
        return _STR
    if hint in (int, bool):
        return _exact(hint)
    if hint is type(None):
        return _exact(type(None))
    if hint is Params:
        hints = typing.get_type_hints(Params)
        return _record(Params, tuple(decoder(hints[f]) for f in Params._fields))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        namespace = vars(sys.modules[hint.__module__])
        hints = typing.get_type_hints(hint, namespace)
        return _record(hint, tuple(decoder(hints[f]) for f in _names(hint)))
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is Union:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1 and len(args) == 2:
            return _optional(decoder(rest[0]))
    elif origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return _tuple_of(decoder(args[0]))
        if args == (str, str):
            return _STR_PAIR
        if args and all(a is str for a in args):
            return _str_tuple(len(args))
        return _fixed_tuple(tuple(decoder(a) for a in args))
    elif origin is frozenset:
        return _frozenset_of(decoder(args[0]))
    elif origin is dict:
        return _dict_of(decoder(args[0]), decoder(args[1]))
    raise TypeError(f"no decoder for {hint!r}")


#: The decoders the cache uses.
SUMMARY = decoder(model.ModuleSummary)
DEPS = decoder(tuple[tuple[str, str], ...])
DIAGNOSTICS = decoder(tuple[model.Diagnostic, ...])
ERRORS = decoder(tuple[model.FileError, ...])
