"""Helpers shared by the runtime tests."""

from __future__ import annotations

import sys
from typing import Callable

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
