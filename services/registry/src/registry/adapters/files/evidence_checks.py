"""What an evidence upload must pass before it is stored: a size read under the limit, a type
recognised from its content, a clean file name, and the operator's scanner.

The type is the content's, never the name's or the client's ``Content-Type``: PDF (``%PDF-``),
PNG (its 8-byte signature), JPEG (``FF D8 FF``) and XLSX — a ZIP whose central directory holds
``[Content_Types].xml`` and ``xl/workbook.xml`` and whose content types name a spreadsheet's
main part (a renamed .docx has neither). The ZIP is only looked at within bounds: its
directory's size and member count, the declared unpacked sizes and their ratio to the packed
ones, and at most ``CONTENT_TYPES_MAX`` bytes of one part inflated, so a ZIP bomb costs
nothing to refuse.

The scan hook runs the configured command with the file on stdin: exit 0 accepts, exit 1
rejects (the file is not stored), anything else — or no answer within the timeout, when the
command and its children are killed — is "scanner unavailable" (the upload is refused, to be
retried), never silently accepted.
"""

from __future__ import annotations

import io
import os
import re
import shlex
import signal
import subprocess
import unicodedata
import zipfile
from typing import IO
from typing import Final

PDF: Final = "application/pdf"
PNG: Final = "image/png"
JPEG: Final = "image/jpeg"
XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS: Final[dict[str, str]] = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", XLSX: ".xlsx"}
ALLOWED_WORDS: Final = "PDF、PNG、JPEG、XLSX"

ZIP_MAX_MEMBERS: Final = 1000
ZIP_MAX_UNPACKED: Final = 200 * 2**20
ZIP_MAX_RATIO: Final = 100
ZIP_RATIO_FLOOR: Final = 2**20
CONTENT_TYPES_MAX: Final = 256 * 2**10
SPREADSHEET_MAIN: Final = b"spreadsheetml.sheet.main+xml"
_CHUNK: Final = 64 * 2**10
_UNSAFE_NAME: Final = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
MAX_NAME: Final = 120


class TooLarge(Exception):
    """More bytes arrived than the limit allows."""


class ScanRejected(Exception):
    """The scanner refused the file (exit status 1)."""


class ScanUnavailable(Exception):
    """The scanner did not answer yes or no (other status, timeout, not runnable)."""


def read_limited(stream: IO[bytes], limit: int) -> bytes:
    """The whole stream, read in chunks; ``TooLarge`` as soon as it passes ``limit`` bytes."""
    parts: list[bytes] = []
    total = 0
    while chunk := stream.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise TooLarge(total)
        parts.append(chunk)
    return b"".join(parts)


def sniff(data: bytes) -> str | None:
    """The media type the content shows (one of the four allowed), or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04") and _is_workbook(data):
        return XLSX
    return None


def _is_workbook(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > ZIP_MAX_MEMBERS or sum(i.file_size for i in infos) > ZIP_MAX_UNPACKED:
                return False
            if any(i.file_size > ZIP_RATIO_FLOOR
                   and i.file_size > ZIP_MAX_RATIO * max(i.compress_size, 1) for i in infos):
                return False
            names = {i.filename: i for i in infos}
            types = names.get("[Content_Types].xml")
            if types is None or "xl/workbook.xml" not in names:
                return False
            if types.file_size > CONTENT_TYPES_MAX:
                return False
            with archive.open(types) as part:
                return SPREADSHEET_MAIN in part.read(CONTENT_TYPES_MAX + 1)
    # What zipfile raises for a hostile or odd archive, each refused as "not a workbook":
    # NotImplementedError for an unsupported compression method, RuntimeError for an encrypted
    # member, EOFError/ValueError/OSError for truncated or malformed entries.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError, RuntimeError):
        return False


def clean_filename(raw: str | None, media_type: str) -> str:
    """A name safe to store and to send back: no path, no control or reserved characters,
    at most ``MAX_NAME`` characters, ending in the extension of the type actually found."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE_NAME.sub("_", name).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem = name
    right = EXTENSIONS[media_type]
    stem = stem.strip(" .")[: MAX_NAME - len(right)] or "evidence"
    return stem + right


def scan(command: str | None, data: bytes, timeout: float) -> bool:
    """Run the scan hook; True when it accepted the file, False when none is configured."""
    if not command:
        return False
    try:
        process = subprocess.Popen(  # noqa: S603 - the operator's own configured command
            shlex.split(command), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
    except (OSError, ValueError) as exc:
        raise ScanUnavailable(str(exc)) from None
    try:
        process.communicate(input=data, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise ScanUnavailable(f"no answer within {timeout} s") from None
    if process.returncode == 0:
        return True
    if process.returncode == 1:
        raise ScanRejected()
    raise ScanUnavailable(f"exit status {process.returncode}")


def _kill(process: subprocess.Popen[bytes]) -> None:
    """End the scanner and whatever it started (its own session)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
