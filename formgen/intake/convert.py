"""Old and foreign word-processor files → .docx with LibreOffice.

Units still send Word 97-2003 (.doc), WPS, RTF, ODT, HTML saved as .doc and
Word 2003 XML. ``convert_to_docx`` converts a whole batch with ONE ``soffice``
call (starting LibreOffice costs seconds; converting a file costs far less),
in a private temporary profile so concurrent runs never share an instance.
Password-protected files are refused before soffice sees them: it cannot ask
for a password headless. A run that stops making progress is killed; the file
it hung on fails and the files after it get another call while the batch's
time (60 s + 10 s a file) lasts.
"""
from __future__ import annotations

import io
import os
import signal
import subprocess
import tempfile
import time
import zipfile
from dataclasses import replace
from pathlib import Path

from formgen.errors import InputFileError
from formgen.soffice import soffice_path
from formgen.intake.result import SourceFile
from formgen.intake.sniff import sniff

BASE_TIMEOUT = 60.0  # seconds for a whole batch: start-up …
PER_FILE_TIMEOUT = 10.0  # … plus this much per file
STALL_FIRST = 60.0  # no output at all after this long: soffice is stuck (start-up included)
STALL_NEXT = 30.0  # no further output after this long: stuck on the file it is on
POLL_SECONDS = 0.1

# sniff kind → (extension soffice is given, what the user is told the file is)
_FORMATS = {
    "doc": (".doc", "Word 97-2003 (.doc)"),
    "wps": (".wps", "WPS 文字 (.wps)"),
    "rtf": (".rtf", "RTF"),
    "odt": (".odt", "OpenDocument 文本 (.odt)"),
    "html": (".html", "网页 (HTML)"),
    "wordxml": (".xml", "Word 2003 XML"),
}

def _error(source: SourceFile, message: str, kind: str) -> InputFileError:
    """An error naming the file; a container member is named inside the outer file's message."""
    if source.via:
        err = InputFileError(source.path or source.via[0], f"“{source.source_label}”{message}", kind)
        err.source_label = source.source_label
        return err
    return InputFileError(source.path or source.name, message, kind)


def is_word_binary(data: bytes) -> bool:
    try:
        import olefile

        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return ole.exists("WordDocument")
    except Exception:
        return False


def _is_encrypted(data: bytes, kind: str) -> bool:
    """Password-protected: encrypted Word binary (msoffcrypto, or the FIB's fEncrypted bit), encrypted ODF."""
    if kind in ("doc", "wps"):
        try:
            import msoffcrypto

            if msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted():
                return True
        except Exception:
            pass
        try:
            import olefile

            with olefile.OleFileIO(io.BytesIO(data)) as ole:
                if ole.exists("WordDocument"):
                    fib = ole.openstream("WordDocument").read(12)
                    return len(fib) >= 12 and bool(int.from_bytes(fib[10:12], "little") & 0x0100)
        except Exception:
            return False
    if kind == "odt":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                return b"encryption-data" in zf.read("META-INF/manifest.xml")
        except Exception:
            return False
    return False


def _valid_docx(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return data if "word/document.xml" in zf.namelist() else None
    except (OSError, zipfile.BadZipFile):
        return None


def _run_soffice(soffice: str, files: list[Path], outdir: Path, profile: Path, deadline: float) -> bool:
    """One soffice call converting ``files`` (in order) into ``outdir``.

    Watched: killed when the batch's deadline passes, or when no new output
    appears for ``STALL_FIRST`` seconds (start-up and first file) /
    ``STALL_NEXT`` seconds (each later file). False when it had to be killed.
    """
    cmd = [soffice, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
           f"-env:UserInstallation={profile.as_uri()}",
           "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), *map(str, files)]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # its own process group: soffice forks soffice.bin
    expected = [outdir / f"{f.stem}.docx" for f in files]
    done, last_progress = 0, time.monotonic()
    while True:
        try:
            proc.wait(timeout=POLL_SECONDS)
            return True
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        produced = sum(path.exists() for path in expected)
        if produced > done:
            done, last_progress = produced, now
        stall = STALL_FIRST if done == 0 else STALL_NEXT
        if now >= deadline or now - last_progress >= stall:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
            return False


def convert_to_docx(sources: list[SourceFile]) -> list[SourceFile | InputFileError]:
    """Each source as a .docx SourceFile (same provenance), or the InputFileError saying why not.

    The result has the order of ``sources``. A .docx given in comes back unchanged.
    """
    results: list[SourceFile | InputFileError | None] = [None] * len(sources)
    pending: list[tuple[int, str]] = []  # (index, soffice extension)
    for i, source in enumerate(sources):
        kind = sniff(source.data, source.name)
        if kind == "docx":
            results[i] = source
        elif kind == "ole-encrypted" or (kind in _FORMATS and _is_encrypted(source.data, kind)):
            results[i] = _error(source, "设有打开密码，无法读取；请让报送单位去掉密码后重新发送", "encrypted")
        elif kind == "empty":
            results[i] = _error(source, "文件为空（0 字节或没有内容），请让报送单位重新发送", "empty")
        elif kind not in _FORMATS:
            results[i] = _error(source, "不是可以转换的文字处理文档，请让报送单位改发 Word（.docx）文件", "unsupported")
        else:
            # Kingsoft WPS saves Word binary under .wps; soffice would try Microsoft Works on that name.
            ext = ".doc" if kind == "wps" and is_word_binary(source.data) else _FORMATS[kind][0]
            pending.append((i, ext))
    if pending:
        soffice = soffice_path()
        if soffice is None:
            for i, _ in pending:
                label = _FORMATS[sniff(sources[i].data, sources[i].name)][1]
                results[i] = _error(sources[i], f"是 {label} 格式，需要安装 LibreOffice 才能读取"
                                    "（sudo apt-get install libreoffice-writer），或请报送单位改发 .docx", "needs_soffice")
        else:
            _convert_batch(soffice, sources, pending, results)
    return results  # type: ignore[return-value]


def _convert_batch(soffice: str, sources: list[SourceFile], pending: list[tuple[int, str]],
                   results: list) -> None:
    deadline = time.monotonic() + BASE_TIMEOUT + PER_FILE_TIMEOUT * len(pending)
    with tempfile.TemporaryDirectory(prefix="formgen-convert-") as tmp:
        root = Path(tmp)
        indir, outdir = root / "in", root / "out"
        indir.mkdir()
        outdir.mkdir()
        # Our own names on disk: nothing a sender chose ever becomes a path.
        inputs = {i: indir / f"f{i:04d}{ext}" for i, ext in pending}
        for i, path in inputs.items():
            path.write_bytes(sources[i].data)
        todo = [i for i, _ in pending]
        for round_number in range(len(todo)):
            if time.monotonic() >= deadline:
                for i in todo:
                    results[i] = _error(sources[i], "LibreOffice 转换超时，未能处理；请稍后重试，"
                                        "或请报送单位改发 .docx", "corrupt")
                return
            # A fresh profile each round: a killed instance may leave its profile locked.
            finished = _run_soffice(soffice, [inputs[i] for i in todo], outdir, root / f"profile{round_number}",
                                    deadline)
            converted = []
            for i in todo:
                data = _valid_docx(outdir / f"f{i:04d}.docx")
                if data is not None:
                    stem = sources[i].name.rsplit(".", 1)[0] if "." in sources[i].name else sources[i].name
                    results[i] = replace(sources[i], name=f"{stem}.docx", data=data)
                    converted.append(i)
            # soffice works in order: after a kill, the first file past the last output is the
            # one it hung on, and the files after that were never tried.
            last = max((todo.index(i) for i in converted), default=-1)
            tried, untried = todo[:last + 1], todo[last + 1:]
            if not finished and untried:
                culprit, untried = untried[0], untried[1:]
                results[culprit] = _error(sources[culprit], "LibreOffice 转换超时（文件可能已损坏）；"
                                          "请让报送单位用 Word 另存为 .docx 后重新发送", "corrupt")
            else:
                tried, untried = todo, []
            for i in tried:
                if results[i] is None:
                    results[i] = _error(sources[i], "LibreOffice 无法转换此文件（文件可能已损坏）；"
                                        "请让报送单位用 Word 另存为 .docx 后重新发送", "corrupt")
            todo = untried
            if not todo:
                return
