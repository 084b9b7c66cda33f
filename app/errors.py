"""Errors whose message is meant for the clerk, in Chinese."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.store.restore import BackupInfo


class UserError(Exception):
    """A refusal the user can act on; `str(err)` is the Chinese message to show."""


class ValidationError(UserError):
    """Input that cannot be accepted; `field` names the form field it came from."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class DatabaseRefused(UserError):
    """A data file the program will not open; the file has been left untouched.

    `newest_backup` (set by `open_store`) is the newest copy in the backup folder that
    passes every check, for the window to offer.
    """

    newest_backup: BackupInfo | None = None
