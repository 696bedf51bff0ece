"""``python -m overridecheck``: the same as the ``overridecheck`` command."""

from __future__ import annotations

from overridecheck.cli import entry

if __name__ == "__main__":
    entry()
