"""How big a file a unit may send: one limit for every way a file comes in."""
from __future__ import annotations

from pathlib import Path

from formgen.errors import InputFileError

MB = 1024 * 1024
MAX_BYTES = 50 * MB  # one file, attachment or archive member; a returned form is far smaller


def too_large(where: str | Path, size: int) -> InputFileError:
    """The error for a file over :data:`MAX_BYTES`, e.g. ``文件过大（61 MB，上限 50 MB）…``."""
    return InputFileError(where, f"文件过大（{size // MB} MB，上限 {MAX_BYTES // MB} MB），请让报送单位压缩图片后重新发送",
                          "too_large")
