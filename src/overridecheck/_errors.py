"""The exception raised (and returned by ``check_class``) for a bad override."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

__all__ = ["OverrideError"]


class OverrideError(TypeError):
    """A method is marked ``@override`` but overrides nothing, or cannot be called like its base.

    ``check_class`` also returns instances for unmarked methods whose names are near misses of
    names the bases or interfaces provide.

    Attributes:
        cls: the class being defined (or audited).
        name: the attribute name of the method in that class.
        suggestions: names the method was probably meant to have, best first (may be empty).
        location: ``"path:line"`` of the method's ``def``, or None when it cannot be found.
    """

    cls: type
    name: str
    suggestions: list[str]
    location: Optional[str]

    def __init__(
        self,
        message: str,
        *,
        cls: type,
        name: str,
        suggestions: Sequence[str] = (),
        location: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.cls = cls
        self.name = name
        self.suggestions = list(suggestions)
        self.location = location

    @property
    def message(self) -> str:
        """The full text of the error (same as ``str(error)``)."""
        return str(self.args[0])


# Tracebacks name it as it is imported: `overridecheck.OverrideError: ...`.
OverrideError.__module__ = "overridecheck"
