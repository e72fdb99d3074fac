"""Errors that reach the user.

Every message a user reads is Simplified Chinese and fits on one line; it names
the file (when there is one) and says what to do. Code raises these and the CLI
prints ``str(error)``; nothing else may escape as a traceback.
"""
from __future__ import annotations

from pathlib import Path


class FormgenError(Exception):
    """A failure with a one-line Chinese message for the user."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message.replace("\n", " ").strip())

    @property
    def message(self) -> str:
        return str(self)


class InputFileError(FormgenError):
    """A file that cannot be read at all (corrupt, encrypted, unsupported, too large).

    ``kind`` is a short stable English tag ("corrupt", "encrypted", "unsupported",
    "too_large", "empty", "needs_soffice", "needs_ocr") for tests and the ledger.
    """

    exit_code = 2

    def __init__(self, path: str | Path | None, message: str, kind: str = "corrupt"):
        self.path = str(path) if path is not None else None
        self.kind = kind
        self.reason = message  # without the file name: the same reason said of another file
        name = Path(path).name if path is not None else ""
        super().__init__(f"{name}：{message}" if name else message)


class ConfigError(FormgenError):
    """campaign.yaml / units.xlsx is wrong: names the file, the key and what is expected."""

    exit_code = 3


class WorkspaceError(FormgenError):
    """The command needs a workspace (campaign.yaml) that is not there."""

    exit_code = 4
