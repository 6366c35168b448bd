"""Pages and text of a PDF, read from its bytes: just enough for the PDFs WeasyPrint writes.

No PDF reader is installed (neither poppler's pdftotext nor pypdf), and a test of the served
file must read the served bytes, not re-render the HTML. WeasyPrint (through pydyf) writes
PDF 1.7 with its objects in compressed object streams, Flate-compressed content streams, and
Type0 fonts whose glyphs map back to text through a ToUnicode CMap. This module reads exactly
that: the page tree in order, each page's content (and form XObjects), the Tf/Tj/TJ text
operators, and the fonts' bfchar/bfrange maps.

It can only fail closed: anything it does not understand yields missing text, so a test that
looks for every title fails rather than passes by accident.
"""
import re
import zlib

_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_REF = re.compile(rb"(\d+)\s+0\s+R")
_BODY_END = re.compile(rb"stream\r?\n|endobj")
_TOKEN = re.compile(rb"""
    (?P<hex><[0-9A-Fa-f\s]*>)
  | (?P<str>\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\))
  | (?P<name>/[^\s/\[\]()<>{}%]+)
  | (?P<num>[-+]?(?:\d+\.?\d*|\.\d+))
  | (?P<open>\[) | (?P<close>\])
  | (?P<dict><<.*?>>)
  | (?P<op>[A-Za-z'"*]+)
""", re.S | re.X)


class PdfError(ValueError):
    pass


class Pdf:
    def __init__(self, data):
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
            raise PdfError("not a complete PDF file")
        self.data = data
        self.objects = {}  # number -> (dictionary bytes, decoded stream bytes or None)
        self._scan()

    # ------------------------------------------------------------ objects

    def _scan(self):
        data, pos = self.data, 0
        while match := _OBJ.search(data, pos):
            number, start = int(match.group(1)), match.end()
            marker = _BODY_END.search(data, start)
            if marker is None:
                break
            head, stream, end = data[start:marker.start()], None, marker.start()
            if marker.group().startswith(b"stream"):
                # Streams are binary: their end comes from /Length, never from a search.
                length = re.search(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", head)
                if length:
                    after = marker.end() + int(length.group(1))
                else:
                    after = data.find(b"endstream", marker.end())
                stream = self._decode(head, data[marker.end():after])
                end = data.find(b"endobj", after)
            self.objects[number] = (head.strip(), stream)
            pos = end + len(b"endobj")
        for head, stream in list(self.objects.values()):
            if re.search(rb"/Type\s*/ObjStm", head) and stream is not None:
                self._unpack_object_stream(head, stream)

    @staticmethod
    def _decode(head, raw):
        if b"/FlateDecode" in head:
            return zlib.decompress(raw)
        if b"/Filter" in head:
            raise PdfError("unsupported stream filter")
        return raw

    def _unpack_object_stream(self, head, stream):
        count = int(re.search(rb"/N\s+(\d+)", head).group(1))
        first = int(re.search(rb"/First\s+(\d+)", head).group(1))
        numbers = [int(n) for n in stream[:first].split()]
        pairs = list(zip(numbers[0::2], numbers[1::2], strict=True))[:count]
        for i, (number, offset) in enumerate(pairs):
            end = first + pairs[i + 1][1] if i + 1 < len(pairs) else len(stream)
            self.objects.setdefault(number, (stream[first + offset:end].strip(), None))

    def head(self, number):
        return self.objects[number][0]

    def stream(self, number):
        return self.objects[number][1]

    def _value(self, head, key):
        """The raw value of /key in a dictionary: a reference number, a dict or an array."""
        match = re.search(rb"/" + key + rb"\s*(\d+\s+0\s+R|<<|\[)", head)
        if not match:
            return None
        token = match.group(1)
        if token.endswith(b"R"):
            return int(token.split()[0])
        return _balanced(head, match.start(1))

    def _resolve(self, value):
        return self.head(value) if isinstance(value, int) else value

    # ------------------------------------------------------------ pages

    def pages(self):
        """Page dictionaries' object numbers, in reading order."""
        roots = re.findall(rb"/Root\s+(\d+)\s+0\s+R", self.data)
        if not roots:
            raise PdfError("no document catalog")
        root = int(roots[-1])
        tree = self._value(self.head(root), b"Pages")
        found = []
        self._walk(tree, found)
        return found

    def _walk(self, number, found):
        head = self.head(number)
        if re.search(rb"/Type\s*/Pages\b", head):
            kids = self._value(head, b"Kids")
            for kid in _REF.findall(kids):
                self._walk(int(kid), found)
        elif re.search(rb"/Type\s*/Page\b", head):
            found.append(number)

    def page_text(self, number):
        head = self.head(number)
        contents = self._value(head, b"Contents")
        refs = [contents] if isinstance(contents, int) else [int(r) for r in _REF.findall(
            contents or b"")]
        data = b"\n".join(self.stream(r) or b"" for r in refs)
        return self._text(data, self._resources(head))

    def _resources(self, head):
        """A page's or form's /Resources, inherited from the page tree when absent."""
        while head is not None:
            value = self._value(head, b"Resources")
            if value is not None:
                return self._resolve(value)
            parent = self._value(head, b"Parent")
            head = self.head(parent) if isinstance(parent, int) else None
        return b""

    def _fonts(self, resources):
        """Font resource name -> (ToUnicode map or None, bytes per character code)."""
        fonts = {}
        table = self._resolve(self._value(resources, b"Font"))
        for name, ref in re.findall(rb"/([^\s/<>\[\]]+)\s+(\d+)\s+0\s+R", table or b""):
            head = self.head(int(ref))
            unicode = self._value(head, b"ToUnicode")
            cmap = _parse_cmap(self.stream(unicode) or b"") if isinstance(unicode, int) else None
            fonts[name] = (cmap, 2 if re.search(rb"/Subtype\s*/Type0", head) else 1)
        return fonts

    def _text(self, content, resources, depth=0):
        fonts = self._fonts(resources)
        xobjects = self._resolve(self._value(resources, b"XObject")) or b""
        out, font, operands = [], (None, 1), []
        for kind, value in _tokens(content):
            if kind != "op":
                operands.append((kind, value))
                continue
            if value == b"Tf" and len(operands) >= 2 and operands[-2][0] == "name":
                font = fonts.get(operands[-2][1][1:], (None, 1))
            elif value in (b"Tj", b"'", b'"') and operands:
                out.append(_show(operands[-1], font))
            elif value == b"TJ" and operands and operands[-1][0] == "array":
                out.append("".join(_show(item, font) for item in operands[-1][1]))
            elif value in (b"ET", b"Td", b"TD", b"T*", b"Tm"):
                out.append("\n")
            elif value == b"Do" and operands and depth < 5:
                ref = re.search(rb"/" + re.escape(operands[-1][1][1:]) + rb"\s+(\d+)\s+0\s+R",
                                xobjects)
                if ref and b"/Form" in self.head(int(ref.group(1))):
                    form = int(ref.group(1))
                    out.append(self._text(self.stream(form) or b"",
                                          self._resources(self.head(form)) or resources,
                                          depth + 1))
            operands = []
        return "".join(out)


def _balanced(data, start):
    """The << >> dictionary or [ ] array starting at `start`."""
    opener = data[start:start + 2]
    pairs = (b"<<", b">>") if opener == b"<<" else (b"[", b"]")
    depth, i = 0, start
    while i < len(data):
        if data.startswith(pairs[0], i):
            depth, i = depth + 1, i + len(pairs[0])
        elif data.startswith(pairs[1], i):
            depth, i = depth - 1, i + len(pairs[1])
            if depth == 0:
                return data[start:i]
        else:
            i += 1
    raise PdfError("unbalanced dictionary or array")


def _tokens(content):
    """(kind, value) of a content stream; arrays come back whole as ("array", [tokens])."""
    stack = [[]]
    for match in _TOKEN.finditer(content):
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "open":
            stack.append([])
        elif kind == "close" and len(stack) > 1:
            items = stack.pop()
            stack[-1].append(("array", items))
        else:
            stack[-1].append((kind, value))
        if len(stack) == 1:
            yield from stack[0]
            stack[0] = []


def _parse_cmap(data):
    cmap = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            cmap[int(src, 16)] = _utf16(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>",
                                      block):
            base = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                cmap[code] = chr(base + offset)
    return cmap


def _utf16(hex_bytes):
    return bytes.fromhex(hex_bytes.decode()).decode("utf-16-be", errors="replace")


def _show(token, font):
    kind, value = token
    if kind == "hex":
        raw = bytes.fromhex(re.sub(rb"\s", b"", value[1:-1]).decode())
    elif kind == "str":
        raw = _literal(value[1:-1])
    else:
        return ""  # a kerning number inside TJ
    cmap, width = font
    if cmap is None:
        return raw.decode("latin-1")
    codes = [int.from_bytes(raw[i:i + width], "big") for i in range(0, len(raw), width)]
    return "".join(cmap.get(code, "") for code in codes)


def _literal(body):
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    out, i = bytearray(), 0
    while i < len(body):
        char = body[i:i + 1]
        if char != b"\\":
            out += char
            i += 1
            continue
        nxt = body[i + 1:i + 2]
        octal = re.match(rb"[0-7]{1,3}", body[i + 1:i + 4])
        if octal:
            out.append(int(octal.group(0), 8) & 0xFF)
            i += 1 + len(octal.group(0))
        else:
            out += escapes.get(nxt, nxt)
            i += 2
    return bytes(out)


def pdf_pages(data):
    """[text of each page] of a PDF's bytes. :raises PdfError if it is not a complete PDF."""
    pdf = Pdf(data)
    return [pdf.page_text(number) for number in pdf.pages()]


def squeeze(text):
    """`text` without any whitespace: a title that a narrow table cell wrapped over several
    lines, at a space or inside a long word, still matches its squeezed self."""
    return "".join(text.split())
