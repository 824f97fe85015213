"""Errors the library raises on purpose; each carries a one-line message."""

from __future__ import annotations


class CleanupError(Exception):
    """Base of every error cleanup raises deliberately."""


class InputError(CleanupError):
    """An input that cannot be read as text (binary, undecodable, unreadable)."""


class RuleError(CleanupError):
    """A rule file that cannot be parsed."""


class ConfigError(CleanupError):
    """An unknown pass name or option, from keywords, flags or pyproject.toml."""


class ConfigTypeError(ConfigError, TypeError):
    """An option of the wrong type (a page separator that is not a string)."""


class OutputError(CleanupError):
    """An output that cannot be written (permissions, full disk)."""
