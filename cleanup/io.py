"""Bytes at the edge: decoding input files and writing output atomically.

Passes only ever see ``str``. Decoding tries, in order: a BOM (UTF-8,
UTF-16, UTF-32, GB18030); strict UTF-8; then charset detection
(charset-normalizer), accepting only the Chinese codecs and UTF-16 — a
"detected" Latin-1 for Chinese bytes is a wrong guess. Bytes that are not
text (NUL bytes, binary magic numbers, undecodable) are refused with a
one-line :class:`InputError`.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import shutil
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

from . import fsguard
from .errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"\x84\x31\x95\x33", "gb18030"),
)
# Magic numbers of common binary formats, to name them in the error.
_MAGIC = {
    b"\x89PNG": "PNG image",
    b"%PDF": "PDF document",
    b"\x1f\x8b": "gzip archive",
    b"PK\x03\x04": "zip archive",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\x7fELF": "executable",
}
# Bytes that tell a BOM or a magic number.
_HEAD = max(len(x) for x in [*(bom for bom, _ in _BOMS), *_MAGIC])
# Codecs we accept from detection, best first when several fit.
_CHINESE = ("gb18030", "gbk", "gb2312", "big5", "big5hkscs", "utf_16", "utf_16_le", "utf_16_be")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows NULs in every other byte (ASCII) or none."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    for codec, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
        if zeros.count(0) > len(zeros) * 0.3:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    # Chinese text has few or no NULs (only its ASCII spaces and digits give
    # them): accept the byte order whose text reads as Chinese.
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and _score(text) >= 0.9:
            return text
    return None


def _score(text: str) -> float:
    """Share of characters that are common Han, ASCII or CJK punctuation."""
    if not text:
        return 0.0
    good = sum(
        1
        for c in text
        if " " <= c < "\x7f"  # printable ASCII; other controls mark a wrong codec
        or c in "\t\n\r"
        or "\u4e00" <= c <= "\u9fff"
        or "\u3000" <= c <= "\u303f"
        or "\uff00" <= c <= "\uffef"
        or c in "“”‘’—…·"
    )
    return good / len(text)


class Replacement(NamedTuple):
    """Bytes that no codec could read, replaced by U+FFFD in the text."""

    line: int  # 1-based, in the decoded text
    column: int  # 1-based, in characters
    raw: bytes
    codec: str

    def describe(self) -> str:
        """``3:14: invalid utf-8 byte b'\\xff' replaced by U+FFFD``."""
        what = "byte" if len(self.raw) == 1 else "bytes"
        return f"{self.line}:{self.column}: invalid {self.codec} {what} {self.raw!r} replaced by U+FFFD"


def decode_as(data: bytes, codec: str, name: str = "<input>") -> str:
    """data in the codec the user named (``--encoding``): strictly, with no
    detection and no replacement; InputError naming the first bad byte."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: cannot decode as {codec} ({exc.reason} at byte {exc.start})") from None


def decode(
    data: bytes, name: str = "<input>", replaced: list[Replacement] | None = None, encoding: str | None = None
) -> tuple[str, str]:
    """(text, codec) of data; InputError when data is not text.

    With encoding (a codec the user named), data is read in it and nothing
    else (``decode_as``).

    Text in UTF-8, GB18030 or Big5 with a few bytes that do not decode (at
    most one per 1,000 characters) is read in the codec that leaves the
    fewest, each replaced by U+FFFD: the codec is then named
    ``"CODEC (with invalid bytes replaced)"`` and every replacement is
    appended to replaced, so that the caller reports it. The same rule holds
    for every codec; more damage than that is refused.
    """
    if encoding is not None:
        return decode_as(data, encoding, name), encoding
    if not data:
        return "", "utf-8"
    marked = _bom(data)
    if marked is not None:
        codec, skip = marked
        try:
            return data[skip:].decode(codec), codec
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: starts with a {codec} BOM but is not {codec} ({exc.reason})") from None
    what = _magic(data)
    if what is not None:
        raise InputError(f"{name}: not text ({what})")
    if b"\x00" in data:
        wide = _utf16_without_bom(data)
        if wide is not None and "\x00" not in wide:
            return wide, "utf-16"
        raise InputError(f"{name}: not text (contains NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, str, str]] = []
    for name_ in ("gb18030", "big5"):
        try:
            decoded_ = data.decode(name_)
        except UnicodeDecodeError:
            continue
        candidates.append((_score(decoded_), name_, decoded_))
    utf16 = _utf16_without_bom(data)  # Chinese-only UTF-16 has no NUL at all
    if utf16 is not None:
        candidates.append((_score(utf16), "utf-16", utf16))
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        guess = best.encoding if best is not None else None
        if guess and guess in _CHINESE and guess not in ("gb18030", "big5"):
            with contextlib.suppress(UnicodeDecodeError, LookupError):
                decoded = data.decode(guess)
                candidates.append((_score(decoded), guess, decoded))
    except ImportError:  # pragma: no cover - a declared dependency
        pass
    if candidates:
        score, codec, text = max(candidates, key=lambda c: c[0])
        if score >= 0.9:
            return text, codec
    # A few broken bytes in otherwise good text: keep the text, mark the
    # damage with U+FFFD and report every mark.
    damaged = _decode_damaged(data)
    if damaged is not None:
        text, codec, found = damaged
        if replaced is not None:
            replaced.extend(found)
        return text, f"{codec} (with invalid bytes replaced)"
    raise InputError(f"{name}: cannot decode as UTF-8, GB18030, Big5 or UTF-16")


# Codecs a page with a few broken bytes may be read in, preferred in this
# order when they leave as few; all keep ASCII as it is, so a line break is
# a line break whatever the damage.
_DAMAGE_CODECS = ("utf-8", "gb18030", "big5")


def _decode_damaged(data: bytes) -> tuple[str, str, list[Replacement]] | None:
    """(text, codec, replacements) in the codec that leaves the fewest bytes
    undecoded, if they are few and the text reads as Chinese; else None."""
    best: tuple[str, str, list[Replacement]] | None = None
    for codec in _DAMAGE_CODECS:
        decoded = _decode_replacing(data, codec)
        if decoded is None:
            continue
        text, found = decoded
        if len(found) > max(1, len(text) // 1000) or _score(text.replace("\ufffd", "")) < 0.9:
            continue
        if best is None or len(found) < len(best[2]):
            best = (text, codec, found)
    return best


def _decode_replacing(data: bytes, codec: str) -> tuple[str, list[Replacement]] | None:
    """data decoded with every undecodable run of bytes replaced by U+FFFD,
    and where each is; None once the replacements are too many to keep."""
    spans: list[tuple[int, int]] = []
    _marks.spans, _marks.limit = spans, max(1, len(data) // 1000) + 1
    try:
        text = data.decode(codec, errors=_MARK)
    except UnicodeDecodeError:
        return None  # too many: the handler gave up
    found: list[Replacement] = []
    line, col, pos = 1, 1, 0  # where data[pos:] starts in the text
    for start, end in spans:
        between = data[pos:start]  # decodes cleanly: the decoder resumed at pos
        last = between.rfind(b"\n")
        if last < 0:
            col += len(between.decode(codec, errors="replace"))
        else:
            line += between.count(b"\n")
            col = 1 + len(between[last + 1 :].decode(codec, errors="replace"))
        found.append(Replacement(line, col, data[start:end], codec))
        col, pos = col + 1, end
    return text, found


_MARK = "cleanup-mark-invalid"
_marks = threading.local()  # the spans the handler records, per thread


def _mark_invalid(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError) or len(_marks.spans) >= _marks.limit:
        raise exc
    _marks.spans.append((exc.start, exc.end))
    return "\ufffd", exc.end


codecs.register_error(_MARK, _mark_invalid)


def _bom(data: bytes) -> tuple[str, int] | None:
    """(codec, bytes to skip before decoding) when data starts with a BOM.

    Python's gb18030 codec keeps its BOM as U+FEFF, so it is skipped; the
    other codecs drop their own.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom) if codec == "gb18030" else 0
    return None


def _magic(data: bytes) -> str | None:
    """What data is when it starts like a known binary format."""
    return next((what for magic, what in _MAGIC.items() if data.startswith(magic)), None)


def _read_error(name: str, exc: OSError) -> InputError:
    if isinstance(exc, FileNotFoundError):
        return InputError(f"{name}: no such file")
    if isinstance(exc, IsADirectoryError):
        return InputError(f"{name}: is a directory")
    if isinstance(exc, PermissionError):
        return InputError(f"{name}: permission denied")
    return InputError(f"{name}: cannot read ({exc.strerror})")


def read_text(
    path: Path, name: str | None = None, replaced: list[Replacement] | None = None
) -> tuple[str, str]:
    """(text, codec) of the file at path; errors name it as name (default: the path).

    Only a regular file is read (a FIFO or a device is refused before it is
    opened), and one that changed while it was read is refused.
    """
    name = str(path) if name is None else name
    try:
        fd, before = fsguard.open_regular(path, name)
        with os.fdopen(fd, "rb") as fh:
            data = fh.read()
            fsguard.check_unchanged(fh.fileno(), before, len(data), name)
    except OSError as exc:
        raise _read_error(name, exc) from None
    return decode(data, name, replaced)


# Files larger than this are read and decoded a chunk at a time.
STREAM_BYTES = 1 << 22
CHUNK_BYTES = 1 << 20


def read_chunks(
    path: Path,
    name: str | None = None,
    replaced: list[Replacement] | None = None,
    encoding: str | None = None,
) -> Iterator[str]:
    """The text of path, decoded exactly as ``read_text`` decodes it, in chunks.

    A big file in UTF-8, or with a BOM, is read a chunk at a time (it is
    checked to decode in a first reading that keeps nothing). Any other big
    file — one that needs charset detection, which looks at all of it — is
    read whole, as are small files. Errors are raised as the chunks are asked
    for, naming the file as name (default: the path); the last chunk is
    given only once the file is known not to have changed since the first
    was read (else InputError), so a consumer that writes its output at the
    end never writes one from half a file. With encoding, the file is read
    in that codec only, a chunk at a time.
    """
    name = str(path) if name is None else name
    try:
        fd, before = fsguard.open_regular(path, name)
    except OSError as exc:
        raise _read_error(name, exc) from None
    with os.fdopen(fd, "rb") as fh:
        try:
            if encoding is not None:  # the user's codec: a chunk at a time, whatever the size
                streamable: tuple[str, int] | None = (encoding, 0)
            else:
                streamable = _streamable(fh) if before.size > STREAM_BYTES else None
            if streamable is None:
                fh.seek(0)
                data = fh.read()
                fsguard.check_unchanged(fh.fileno(), before, len(data), name)
                yield decode(data, name, replaced)[0]
                return
            codec, skip = streamable
            decoder = codecs.getincrementaldecoder(codec)()
            fh.seek(skip)
            done = skip
            while data := fh.read(CHUNK_BYTES):
                done += len(data)
                try:
                    text = decoder.decode(data)
                except UnicodeDecodeError as exc:  # the file changed since it was checked, or a named codec
                    fsguard.check_unchanged(fh.fileno(), before, None, name)
                    at = done - len(data) + exc.start
                    reason = f"{exc.reason} at byte {at}"
                    raise InputError(f"{name}: cannot decode as {codec} ({reason})") from None
                yield text
            fsguard.check_unchanged(fh.fileno(), before, done, name)
            yield decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: cannot decode as {codec} ({exc.reason})") from None
        except OSError as exc:
            raise _read_error(name, exc) from None


def _streamable(fh: BinaryIO) -> tuple[str, int] | None:
    """(codec, bytes to skip) to read the file of fh a chunk at a time, as
    ``decode`` would read it whole; None to read it whole."""
    head = fh.read(_HEAD)
    marked = _bom(head)
    if marked is None and _magic(head) is not None:
        return None
    codec, skip = marked or ("utf-8", 0)
    fh.seek(skip)
    check = codecs.getincrementaldecoder(codec)()
    try:
        while data := fh.read(CHUNK_BYTES):
            if marked is None and b"\x00" in data:
                return None
            check.decode(data)
        check.decode(b"", final=True)
    except UnicodeDecodeError:
        return None  # reading it whole gives the error, or finds the codec
    return codec, skip


def write_atomic(path: Path, text: str) -> None:
    """Write text to path atomically, as UTF-8 (LF, no BOM)."""
    with atomic_writer(path) as fh:
        fh.write(text.encode("utf-8"))


@contextlib.contextmanager
def atomic_writer(path: Path, mode: int | None = None) -> Iterator[BinaryIO]:
    """A binary file that becomes path, whole, when the block ends without
    an error, via a temporary file and a rename; on any error or interrupt
    the temporary file is removed and path is untouched.

    The output gets ordinary permissions (0666 less the umask, or the mode of
    the file it replaces, or mode when given), not mkstemp's 0600. The
    temporary file's name is chosen before it is created, so an interrupt at
    any point removes it; it is short whatever path's name is, and carries
    this process's id, so that a later run removes it should this process be
    killed (``fsguard.remove_stale``).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            mode = None
    tmp = fsguard.temp_path(path.parent)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
        with os.fdopen(fd, "wb") as fh:
            yield fh
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        remove_quietly(tmp)
        raise


def remove_quietly(path: str | Path) -> None:
    """Remove a file of our own (a temporary one) if it is still there."""
    with contextlib.suppress(OSError):
        os.unlink(path)


def copy_atomic(source: Path, path: Path) -> None:
    """Copy source's bytes to path atomically, a chunk at a time, with source's mode."""
    with source.open("rb") as src:
        mode = stat.S_IMODE(os.fstat(src.fileno()).st_mode)
        with atomic_writer(path, mode) as fh:
            shutil.copyfileobj(src, fh, CHUNK_BYTES)
