"""overridecheck: typo-safe method overrides.

``from overridecheck import override, OverrideError, check_class, implementer``.  Importing this
package imports only the standard library (no Twisted, zope.interface or libcst).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from overridecheck._errors import OverrideError
from overridecheck._runtime import check_class, implementer
from overridecheck._version import __version__

if TYPE_CHECKING:
    # Type checkers know PEP 698 through typing_extensions (mypy then reports
    # "marked as an override, but no base method was found"); at runtime the checked
    # implementation is used and typing_extensions is not needed.
    from typing_extensions import override
else:
    from overridecheck._runtime import override

__all__ = ["OverrideError", "__version__", "check_class", "implementer", "override"]
