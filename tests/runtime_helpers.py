"""Helpers shared by the runtime tests."""

from __future__ import annotations

import sys
from typing import Any, Callable

from overridecheck import OverrideError


def creation_error(define: Callable[[], object]) -> OverrideError:
    """The OverrideError raised while ``define()`` creates a class.

    Python < 3.12 wraps exceptions raised in ``__set_name__`` in a RuntimeError whose
    ``__cause__`` is ours; 3.12+ raises ours directly with a note.
    """
    try:
        define()
    except OverrideError as error:
        return error
    except RuntimeError as error:
        assert sys.version_info < (3, 12)
        assert isinstance(error.__cause__, OverrideError)
        return error.__cause__
    raise AssertionError("no OverrideError")


class _Refusing(dict):  # type: ignore[type-arg]
    """A class namespace that refuses the decorator's hidden attribute."""

    def __setitem__(self, key: str, value: object) -> None:
        if key == "__overridecheck__":
            raise TypeError("no")
        super().__setitem__(key, value)


class RefusingMeta(type):
    """A metaclass whose class bodies refuse ``__overridecheck__`` (an exotic namespace)."""

    @classmethod
    def __prepare__(mcs, name: str, bases: tuple[type, ...], **kw: Any) -> Any:
        return _Refusing()
