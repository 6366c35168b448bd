"""Files people attach to tickets: identity documents, clarifications, staff answers.

What is accepted, and why:

- PDF, PNG, JPEG, CSV, TXT, XLSX, DOCX, ODS, ODT: documents, scans and tables.
- Not HTML, SVG or XML (a browser runs their scripts when staff open them), executables or
  scripts, macro-enabled Office files (a ``vbaProject.bin`` inside), old binary Office files
  (XLS/DOC: macros again), and not ZIP or other archives: they cannot be previewed, may hide
  any of the above, and several files can simply be attached one by one.

The extension says what a file claims to be; its first bytes must agree (a small magic-byte
table here, no dependency). Office formats are ZIP containers, so the PK header alone proves
little: an XLSX must hold an ``xl/`` entry and a DOCX a ``word/`` entry among the entry names
readable in the first bytes (Office, LibreOffice and openpyxl write those within the first
few KiB), and an ODS/ODT must start with its stored ``mimetype`` entry, as the OpenDocument
standard requires. Callers pass at least the first 8 KiB; 64 KiB is better.

PNG and JPEG are interchangeable: a phone photo of a KTP named .png is accepted and stored
under the type its bytes show, since both are equally harmless.
"""
import codecs
import re
import struct
import unicodedata

from flask_babel import lazy_gettext as _l

from app.core.errors import ValidationError

MAX_FILENAME = 150  # characters, extension included (the column holds 255)

# extension -> (media type, kind its bytes must show)
ALLOWED = {
    "pdf": ("application/pdf", "pdf"),
    "png": ("image/png", "png"),
    "jpg": ("image/jpeg", "jpeg"),
    "jpeg": ("image/jpeg", "jpeg"),
    "csv": ("text/csv", "text"),
    "txt": ("text/plain", "text"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "docx"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "ods"),
    "odt": ("application/vnd.oasis.opendocument.text", "odt"),
}
_CANONICAL_EXT = {"jpeg": "jpg"}
_IMAGES = {"png": "png", "jpeg": "jpg"}  # kind -> extension, for the PNG/JPEG swap
# Named in the refusal so people know it is not an oversight.
_RUNNABLE = frozenset({
    "exe", "com", "bat", "cmd", "msi", "scr", "pif", "cpl", "dll", "ps1", "vbs", "vbe", "js",
    "jse", "wsf", "wsh", "hta", "lnk", "jar", "apk", "sh", "py", "html", "htm", "xhtml",
    "shtml", "svg", "svgz", "xml", "xsl", "mht", "mhtml", "xlsm", "docm", "pptm", "xlam",
    "dotm", "iso", "img",
})

_PDF = b"%PDF-"
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_EXE = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
        b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
_OTHER_MAGIC = (
    (b"GIF87a", "image"), (b"GIF89a", "image"), (b"II*\x00", "image"), (b"MM\x00*", "image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"\x1f\x8b", "archive"), (b"Rar!", "archive"), (b"7z\xbc\xaf", "archive"),
    (b"BZh", "archive"), (b"\xfd7zXZ\x00", "archive"),
)
_ODF_TYPES = {b"application/vnd.oasis.opendocument.spreadsheet": "ods",
              b"application/vnd.oasis.opendocument.text": "odt"}
_ZIP_LOCAL = struct.Struct("<4sHHHHHIIIHH")          # 30 bytes, then name, extra, data
_ZIP_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")  # 46 bytes, then name
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1a")  # \x1a: DOS end-of-file in old exports
_MARKUP = re.compile(r"<(!doctype\s+html|html|head|body|script|iframe|meta|!--|svg|\?xml)",
                     re.IGNORECASE)
_WINDOWS_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                               *(f"LPT{i}" for i in range(1, 10))})
_UNSAFE_CHARS = re.compile(r'[<>:"|?*]')

_DETECTED_LABELS = {
    "pdf": _l("dokumen PDF"),
    "png": _l("gambar PNG"),
    "jpeg": _l("gambar JPEG"),
    "image": _l("gambar"),
    "xlsx": _l("lembar kerja Excel (XLSX)"),
    "docx": _l("dokumen Word (DOCX)"),
    "pptx": _l("presentasi PowerPoint (PPTX)"),
    "ooxml": _l("dokumen Office"),
    "ods": _l("lembar kerja OpenDocument (ODS)"),
    "odt": _l("dokumen OpenDocument (ODT)"),
    "odf": _l("dokumen OpenDocument"),
    "zip": _l("arsip ZIP"),
    "archive": _l("arsip terkompresi"),
    "exe": _l("program yang dapat dijalankan"),
    "ole": _l("dokumen Office lama (XLS/DOC)"),
    "html": _l("halaman web (HTML)"),
    "svg": _l("gambar SVG"),
    "xml": _l("dokumen XML"),
    "text": _l("teks biasa"),
    "binary": _l("berkas biner"),
}


def safe_filename(name):
    """A name fit to store and show: the last path part, no control or format characters.

    Unicode letters stay (NFC); characters Windows refuses become "_"; leading and trailing
    dots and spaces go (Windows drops trailing ones, turning "x.exe." into "x.exe"); the
    extension is lower-cased and kept when the name is cut to MAX_FILENAME characters.
    Format characters are removed too: U+202E (right-to-left override) makes "fdp.exe" look
    like "exe.pdf". Returns "" when nothing usable is left.
    """
    if not isinstance(name, str):
        return ""
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]
    name = re.sub(r"^[A-Za-z]:", "", name)  # "C:ktp.pdf", a drive-relative Windows path
    name = "".join(" " if c.isspace() else c for c in name
                   if c.isspace() or not unicodedata.category(c).startswith("C"))
    name = _UNSAFE_CHARS.sub("_", " ".join(name.split())).rstrip(" .")
    if not name.strip(" ."):
        return ""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem, ext = stem.strip(" ."), ext.strip(" ").lower()[:16]
    if not stem:
        stem = "berkas"
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    room = MAX_FILENAME - (len(ext) + 1 if ext else 0)
    stem = stem[:room].rstrip(" .") or "berkas"
    return f"{stem}.{ext}" if ext else stem


def check_filename(filename):
    """The (media type, extension) a name claims, before any byte is stored.

    :raises ValidationError: ('file') no usable name, or an extension that is not accepted.
    """
    name = safe_filename(filename)
    if not name:
        raise _error(_l("Nama berkas tidak valid."))
    _stem, dot, ext = name.rpartition(".")
    allowed = ", ".join(e.upper() for e in ALLOWED)
    if not dot:
        raise _error(_l("Nama berkas tidak memiliki ekstensi. Format yang didukung: "
                        "%(allowed)s.", allowed=allowed))
    if ext in _RUNNABLE:
        raise _error(_l("Berkas .%(extension)s tidak diterima karena dapat menjalankan program "
                        "atau skrip. Format yang didukung: %(allowed)s.",
                        extension=ext, allowed=allowed))
    if ext not in ALLOWED:
        raise _error(_l("Format berkas \"%(extension)s\" tidak didukung. Format yang didukung: "
                        "%(allowed)s.", extension=ext, allowed=allowed))
    return ALLOWED[ext][0], _CANONICAL_EXT.get(ext, ext)


def check_upload(filename, head_bytes, size, max_bytes):
    """Whether an attachment may be kept: returns (media type, extension to store it under).

    ``head_bytes`` are the file's first bytes (8 KiB or more), ``size`` its full length.
    The extension returned has no dot and is canonical ("jpg" for .jpeg); for a PNG named
    .jpg (or the reverse) it is the one the content shows.

    :raises ValidationError: ('file') a bad name or extension, too large (the limit is given
        in MB), empty, content that is not what the extension says (a disguised file), or a
        macro-enabled Office document.
    """
    media_type, ext = check_filename(filename)
    if max_bytes is not None and size > max_bytes:
        raise _error(_l("Berkas terlalu besar: batasnya %(mb)s MB.", mb=_megabytes(max_bytes)))
    if not size or not head_bytes:
        raise _error(_l("Berkas kosong."))
    expected = ALLOWED[ext][1]
    detected = sniff(head_bytes)
    if detected == expected:
        return media_type, ext
    if expected in _IMAGES and detected in _IMAGES:
        real = _IMAGES[detected]
        return ALLOWED[real][0], real
    if detected == "macro":
        raise _error(_l("Berkas .%(extension)s ini berisi makro (VBA) dan tidak diterima. "
                        "Simpan ulang tanpa makro, misalnya sebagai PDF.", extension=ext))
    raise _error(_l("Isi berkas tidak sesuai dengan ekstensinya (.%(extension)s): isinya tampak "
                    "seperti %(detected)s.", extension=ext,
                    detected=_DETECTED_LABELS.get(detected, detected)))


def sniff(head):
    """What the first bytes are: 'pdf', 'png', 'jpeg', 'xlsx', 'docx', 'ods', 'odt', 'text',
    or a refused kind ('exe', 'html', 'svg', 'xml', 'zip', 'macro', 'ole', 'archive', ...)."""
    if head.startswith(_EXE):
        # A text file may start with "MZ" or "#!" too: real binaries have NULs early, and a
        # script names its interpreter's path.
        weak = head.startswith(b"MZ") or (head.startswith(b"#!") and head[2:3] != b"/")
        if not weak or b"\x00" in head[:1024]:
            return "exe"
    if head.lstrip(b" \t\r\n").removeprefix(codecs.BOM_UTF8).startswith(_PDF):
        return "pdf"
    if head.startswith(_PNG):
        return "png"
    if head.startswith(_JPEG):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(head)
    for magic, kind in _OTHER_MAGIC:
        if head.startswith(magic):
            return kind
    text = _as_text(head)
    if text is None:
        return "binary"
    markup = _MARKUP.match(text.lstrip("\ufeff \t\r\n"))
    if markup:
        tag = markup.group(1).lower()
        if tag == "svg" or (tag == "?xml" and "<svg" in text[:4096].lower()):
            return "svg"
        return "xml" if tag == "?xml" else "html"
    return "text"


def _sniff_zip(head):
    odf = _odf_kind(head)
    if odf:
        return odf
    names = _zip_names(head)
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return "macro"
    for prefix, kind in (("xl/", "xlsx"), ("word/", "docx"), ("ppt/", "pptx")):
        if any(n.startswith(prefix) for n in names):
            return kind
    return "ooxml" if "[Content_Types].xml" in names else "zip"


def _odf_kind(head):
    """'ods'/'odt'/'odf' when the first entry is the stored 'mimetype' file, else None."""
    if len(head) < _ZIP_LOCAL.size:
        return None
    _sig, _ver, _flags, method, _t, _d, _crc, csize, _usize, nlen, xlen = \
        _ZIP_LOCAL.unpack_from(head)
    start = _ZIP_LOCAL.size
    if method != 0 or head[start:start + nlen] != b"mimetype":
        return None
    content = head[start + nlen + xlen:start + nlen + xlen + csize]
    return _ODF_TYPES.get(content, "odf")


def _zip_names(head, limit=2000):
    """Entry names from every local and central-directory header found in ``head``.

    Found by scanning for the signatures rather than by walking the entries, so entries
    whose sizes are only in a trailing data descriptor do not stop the search.
    """
    names = []
    for match in re.finditer(rb"PK\x03\x04|PK\x01\x02", head):
        pos = match.start()
        header = _ZIP_LOCAL if match.group() == b"PK\x03\x04" else _ZIP_CENTRAL
        if pos + header.size > len(head):
            break
        fields = header.unpack_from(head, pos)
        nlen = fields[9] if header is _ZIP_LOCAL else fields[10]
        raw = head[pos + header.size:pos + header.size + nlen]
        if len(raw) == nlen:
            names.append(raw.decode("utf-8", errors="replace"))
        if len(names) >= limit:
            break
    return names


def _as_text(head):
    """The head decoded when it looks like text (UTF-8, legacy 8-bit, UTF-16 with BOM)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", errors="ignore")
        bad = sum(1 for c in text[:4096] if ord(c) < 32 and ord(c) not in _TEXT_CONTROLS)
        return text if bad <= len(text[:4096]) // 100 else None
    if b"\x00" in head:
        return None
    sample = head[:8192]
    controls = sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROLS)
    if controls > len(sample) // 100:  # a stray control byte is not a binary file
        return None
    return head.decode("utf-8", errors="replace")


def _megabytes(max_bytes):
    mb = max_bytes / (1024 * 1024)
    return int(mb) if mb == int(mb) else round(mb, 1)


def _error(message):
    return ValidationError({"file": [message]})
