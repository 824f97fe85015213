"""Bytes at the edge: cleanup.io.decode, read_text, read_chunks and the atomic writers."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

import cleanup.io
from cleanup import clean_text
from cleanup.errors import InputError
from cleanup.io import atomic_writer, copy_atomic, decode, read_chunks, read_text, write_atomic

# A simplified-Chinese paragraph as a newspaper prints it: full-width
# punctuation, curly quotes, an ASCII space in the byline.
PARAGRAPH = (
    "本报讯（通讯员 伊宣）为营造良好的人居环境，切实改善生态环境，努力实现“水清、岸绿”的目标，"
    "近日，伊通满族自治县小孤山镇党委、政府积极部署，迅速行动，开展了“清河行动”。"
)
# The same paragraph in traditional characters (Big5 has no curly quotes: 「」).
TRADITIONAL = (
    "本報訊（通訊員 伊宣）為營造良好的人居環境，切實改善生態環境，努力實現「水清、岸綠」的目標，"
    "近日，伊通滿族自治縣小孤山鎮黨委、政府積極部署，迅速行動，開展了「清河行動」。"
)


def _temp_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or p.name.startswith("."))


# --- decode: text encodings ----------------------------------------------


def test_utf8_is_decoded_as_utf8() -> None:
    assert decode(PARAGRAPH.encode("utf-8")) == (PARAGRAPH, "utf-8")


def test_utf8_bom_is_removed() -> None:
    text, codec = decode(codecs.BOM_UTF8 + PARAGRAPH.encode("utf-8"))
    assert text == PARAGRAPH
    assert not text.startswith("\ufeff")
    assert codec == "utf-8-sig"


@pytest.mark.parametrize("codec", ["gb18030", "gbk"])
def test_gb_bytes_of_a_chinese_paragraph(codec: str) -> None:
    text, used = decode(PARAGRAPH.encode(codec))
    assert text == PARAGRAPH
    assert used == "gb18030"  # GBK is a subset of GB18030


def test_gb18030_four_byte_characters() -> None:
    # 𠮷 (U+20BB7) is outside GBK: GB18030 encodes it in four bytes.
    text = "吉祥的𠮷字。" + PARAGRAPH
    assert decode(text.encode("gb18030")) == (text, "gb18030")


def test_big5_bytes_of_a_traditional_paragraph() -> None:
    text, used = decode(TRADITIONAL.encode("big5"))
    assert text == TRADITIONAL
    assert used == "big5"


def test_big5_without_punctuation_is_not_read_as_gbk() -> None:
    # Every Big5 pair is also a valid GBK pair; only the score tells them apart.
    trad = "為營造良好的人居環境切實改善生態環境"
    assert decode(trad.encode("big5")) == (trad, "big5")


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_utf16_and_utf32_with_bom(bom: bytes, codec: str) -> None:
    text, used = decode(bom + PARAGRAPH.encode(codec))
    assert text == PARAGRAPH  # the BOM is removed
    assert used == codec[:6]


def test_gb18030_bom_is_removed() -> None:
    text, used = decode(b"\x84\x31\x95\x33" + PARAGRAPH.encode("gb18030"))
    assert (text, used) == (PARAGRAPH, "gb18030")


@pytest.mark.parametrize(
    "text",
    [
        PARAGRAPH,  # a few NULs (from the ASCII space), far fewer than every other byte
        TRADITIONAL,
        "本报讯通讯员伊宣为营造良好的人居环境",  # no NUL byte at all
        "本报讯",  # short
        "党建引领促发展",  # a headline whose GB18030 misreading has control characters
        "Page 3 of the 2024 edition",  # ASCII: NULs in every other byte
    ],
    ids=["paragraph", "traditional", "no-nul", "short", "headline", "ascii"],
)
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(text: str, codec: str) -> None:
    data = text.encode(codec)
    assert not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    assert decode(data) == (text, "utf-16")


def test_crlf_is_kept_by_decode_and_removed_by_the_pipeline() -> None:
    lf = "本报讯(通讯员 伊宣)为营\n造良好的人居环境。\n第二段。\n"
    crlf = lf.replace("\n", "\r\n")
    text, _ = decode(crlf.encode("utf-8"))
    assert text == crlf  # decode does not touch line ends
    cleaned = clean_text(text)
    assert "\r" not in cleaned
    assert cleaned == clean_text(lf)


def test_lone_cr_line_ends_are_normalised_by_the_pipeline() -> None:
    lf = "本报讯(通讯员 伊宣)为营\n造良好的人居环境。\n"
    cleaned = clean_text(decode(lf.replace("\n", "\r").encode("utf-8"))[0])
    assert "\r" not in cleaned
    assert cleaned == clean_text(lf)


def test_mostly_utf8_with_one_broken_byte_keeps_the_text() -> None:
    data = PARAGRAPH.encode("utf-8") * 20
    data = data[:500] + b"\xff" + data[500:]
    text, used = decode(data)
    assert text.count("\ufffd") == 1
    assert "replaced" in used


def test_empty_bytes_decode_to_empty_text() -> None:
    assert decode(b"")[0] == ""


# --- decode / read_text: binary refusal ----------------------------------

BINARY = {
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", "PDF"),
    "gzip": (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(256)), "gzip"),
    "nul": ("本报讯（通讯员 伊宣）为营\x00造良好的人居环境。".encode(), "NUL"),
}


@pytest.mark.parametrize("kind", sorted(BINARY))
def test_binary_input_is_refused_with_one_line_naming_the_file(kind: str, tmp_path: Path) -> None:
    data, word = BINARY[kind]
    path = tmp_path / f"page_{kind}.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_text(path)
    message = str(info.value)
    assert str(path) in message
    assert word in message
    assert "\n" not in message


@pytest.mark.parametrize("kind", sorted(BINARY))
def test_decode_names_the_given_name(kind: str) -> None:
    with pytest.raises(InputError, match=r"^scan\.txt: not text"):
        decode(BINARY[kind][0], "scan.txt")


@pytest.mark.parametrize("codec", ["utf-8", "gb18030"])
@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_nul_bytes_inside_chinese_text_are_refused(codec: str, where: str) -> None:
    data = PARAGRAPH.encode(codec)
    pos = {"start": 0, "middle": len(data) // 2 + 1, "end": len(data)}[where]
    with pytest.raises(InputError, match="NUL"):
        decode(data[:pos] + b"\x00" + data[pos:], "x.txt")


def test_undecodable_bytes_are_refused(tmp_path: Path) -> None:
    # Lone UTF-8 lead bytes and C1 controls: no codec reads this as Chinese.
    data = bytes([0xC3, 0x28, 0x80, 0x81, 0xFF, 0x01, 0x02]) * 50
    path = tmp_path / "noise.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_text(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_read_text_decodes_a_file(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(TRADITIONAL.encode("big5"))
    assert read_text(path) == (TRADITIONAL, "big5")


def test_read_text_of_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert read_text(path)[0] == ""


def test_read_text_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path)


# --- write_atomic --------------------------------------------------------


def test_write_atomic_writes_utf8_without_bom_with_lf(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    write_atomic(path, "第一段。\n第二段“引号”。\n")
    data = path.read_bytes()
    assert data == "第一段。\n第二段“引号”。\n".encode()
    assert not data.startswith(codecs.BOM_UTF8)
    assert b"\r" not in data
    assert _temp_leftovers(tmp_path) == []


def test_write_atomic_replaces_and_creates_folders(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "out.txt"
    write_atomic(path, "旧\n")
    write_atomic(path, "新\n")
    assert path.read_text(encoding="utf-8") == "新\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["out.txt"]


def test_write_atomic_failure_keeps_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out.txt"
    path.write_bytes("旧的内容\n".encode())

    def broken_replace(src: object, dst: object) -> None:
        assert Path(str(src)).exists()  # the temp file was written before the rename
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space"):
        write_atomic(path, "新的内容\n" * 1000)
    assert path.read_bytes() == "旧的内容\n".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_write_atomic_interrupted_while_writing_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out.txt"
    path.write_bytes(b"old\n")
    real_fdopen = os.fdopen

    class Exploding:
        def __init__(self, *args: object, **kwargs: object) -> None:
            self.fh = real_fdopen(*args, **kwargs)  # type: ignore[arg-type]

        def __enter__(self) -> Exploding:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

        def write(self, text: str) -> None:
            self.fh.write(text[:3])
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "fdopen", Exploding)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, "新的内容\n")
    assert path.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


# --- read_chunks: big files a chunk at a time ------------------------------


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stream every file over 64 bytes, 7 bytes at a time (multi-byte
    characters and BOMs are cut across chunks)."""
    monkeypatch.setattr(cleanup.io, "STREAM_BYTES", 64)
    monkeypatch.setattr(cleanup.io, "CHUNK_BYTES", 7)


@pytest.mark.parametrize(
    "prefix, codec",
    [
        (b"", "utf-8"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (b"\x84\x31\x95\x33", "gb18030"),
        (b"", "gb18030"),  # charset detection: read whole
        (b"", "big5"),
    ],
)
def test_read_chunks_decodes_as_read_text_does(
    prefix: bytes, codec: str, tmp_path: Path, small_chunks: None
) -> None:
    text = (TRADITIONAL if codec == "big5" else PARAGRAPH + "𠀀\r\n") * 5
    path = tmp_path / "page.txt"
    path.write_bytes(prefix + text.encode(codec))
    chunks = list(read_chunks(path))
    assert "".join(chunks) == read_text(path)[0]
    streamed = codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le") or prefix
    assert (len(chunks) > 2) == bool(streamed)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"%PDF" + PARAGRAPH.encode() * 3, r"not text \(PDF document\)"),
        (PARAGRAPH.encode() * 3 + b"\x00", "contains NUL bytes"),
        (codecs.BOM_UTF8 + PARAGRAPH.encode() * 3 + b"\xff\xfe\xfd", "starts with a utf-8-sig BOM"),
    ],
)
def test_read_chunks_refuses_what_read_text_refuses(
    data: bytes, message: str, tmp_path: Path, small_chunks: None
) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        list(read_chunks(path))


def test_read_chunks_of_a_file_that_changes_while_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(PARAGRAPH.encode() * 300)  # more than the reader's buffer
    chunks = read_chunks(path)
    next(chunks)  # checked as UTF-8, now reading
    path.write_bytes(b"\xff" * 60_000)
    with pytest.raises(InputError, match="changed while being read"):
        list(chunks)


def test_atomic_writer_writes_pieces_and_removes_the_temp_on_error(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_bytes(b"old\n")
    with pytest.raises(RuntimeError), atomic_writer(path) as fh:
        fh.write(b"new ")
        raise RuntimeError("page 2 failed")
    assert path.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]
    with atomic_writer(path) as fh:
        fh.write(b"new ")
        fh.write(b"text\n")
    assert path.read_bytes() == b"new text\n"


def test_copy_atomic_copies_bytes(tmp_path: Path, small_chunks: None) -> None:
    src = tmp_path / "in.txt"
    src.write_bytes(PARAGRAPH.encode("gb18030") * 3)
    copy_atomic(src, tmp_path / "in.txt.orig")
    assert (tmp_path / "in.txt.orig").read_bytes() == src.read_bytes()
