"""``python -m overridecheck``: the same as the ``overridecheck`` command."""

from __future__ import annotations

import sys

from overridecheck.cli import main

if __name__ == "__main__":
    sys.exit(main())
