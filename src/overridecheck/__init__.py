"""overridecheck: typo-safe method overrides."""

from overridecheck._version import __version__

__all__ = ["__version__"]
