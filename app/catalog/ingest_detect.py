"""Which format a file claims to be (its extension) and whether its first bytes agree."""
import codecs
import re

from app.catalog.ingest_common import EXTENSIONS, IngestError

_DRIVE = re.compile(r"^[A-Za-z]:")
_UNICODE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE,
                 codecs.BOM_UTF16_BE)
_EXE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
              b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
_OTHER_MAGIC = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # old .xls/.doc
    (b"\x1f\x8b", "gzip"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"Rar!", "archive"),
    (b"7z\xbc\xaf", "archive"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1a")  # \x1a: DOS end-of-file marker in old exports


def detect_format(filename, head):
    """Return 'CSV', 'XLSX', 'JSON' or 'PDF' for an uploaded file.

    The format comes from the extension; ``head`` (the first bytes, ideally 64 KiB) must then
    agree with it. An empty ``head`` skips the content check, so callers can vet the name
    before they have stored anything.

    :raises IngestError: 'filename' (empty name or one with path parts), 'extension'
        (unsupported), 'content-mismatch' (params: format, detected).
    """
    fmt = format_from_name(filename)
    if head:
        detected = sniff(head)
        if not _agrees(fmt, detected, head):
            raise IngestError("content-mismatch", {"format": fmt, "detected": detected})
    return fmt


def format_from_name(filename):
    """The format an upload's name claims. Raises IngestError('filename'|'extension')."""
    if not isinstance(filename, str) or not filename.strip():
        raise IngestError("filename", {"filename": ""})
    unsafe = ("/" in filename or "\\" in filename or _DRIVE.match(filename)
              or any(ord(c) < 32 for c in filename))
    stem, dot, ext = filename.rpartition(".")
    if unsafe or filename.strip(".") == "" or (dot and not stem.strip()):
        raise IngestError("filename", {"filename": filename[:255]})
    ext = ext.lower() if dot else ""
    if ext not in EXTENSIONS:
        raise IngestError("extension", {"extension": ext, "allowed": sorted(EXTENSIONS)})
    return EXTENSIONS[ext]


def sniff(head):
    """What the bytes look like: 'pdf', 'xlsx', 'zip', 'exe', 'ole', 'image', 'text', ..."""
    marker = head.find(b"%PDF-", 0, 1024)  # readers accept it anywhere in the first KiB...
    prefix = head[:marker].strip()
    if marker >= 0 and (not prefix or not _looks_like_text(prefix)):
        return "pdf"  # ...but a text file merely mentioning it is still text
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "xlsx" if b"xl/" in head else "zip"
    if head.startswith(b"#!/") or head.startswith(_EXE_MAGIC) and b"\x00" in head[:1024]:
        return "exe"  # real binaries always have NULs early; "MZ;..." could be a header
    for magic, kind in _OTHER_MAGIC:
        if head.startswith(magic):
            return kind
    return "text" if _looks_like_text(head) else "binary"


def _agrees(fmt, detected, head):
    if fmt == "PDF":
        return detected == "pdf"
    if fmt == "XLSX":
        return detected == "xlsx"
    if fmt == "JSON":
        return detected == "text" and _first_char(head) in ("[", "{")
    return detected == "text"


def _first_char(head):
    text = _decode_lenient(head).lstrip("\ufeff \t\r\n")
    return text[:1]


def _decode_lenient(head):
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return head.decode(codec, errors="ignore")
    wide = utf16_without_bom(head)
    return head.decode(wide or "utf-8", errors="ignore")


def utf16_without_bom(data):
    """'utf-16-le'/'utf-16-be' when NUL bytes sit in every other position, else None."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _looks_like_text(head):
    if head.startswith(_UNICODE_BOMS) or utf16_without_bom(head):
        text = _decode_lenient(head)
        return not any(ord(c) < 32 and ord(c) not in _TEXT_CONTROLS for c in text[:4096])
    if b"\x00" in head:
        return False
    sample = head[:8192]
    controls = sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROLS)
    return controls <= len(sample) // 100  # a stray control byte is not a binary file
