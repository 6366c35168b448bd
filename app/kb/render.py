"""An article's plain-text body as safe HTML: paragraphs, "- " lists, numbered lists, links.

Everything the author wrote is escaped; the only tags are the ones made here. A blank line
starts a new paragraph; lines starting with "- " or "* " make a bulleted list, lines starting
with "1. " a numbered one; http(s) addresses become links.
"""
import re

from markupsafe import Markup, escape

_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_NUMBER = re.compile(r"^\s*\d+[.)]\s+(.*)$")
# An address ends at whitespace or a quote, and before punctuation that closes a sentence.
_URL = re.compile(r"https?://[^\s<>\"']+?(?=[.,;:!?)\]]*(?:[\s<>\"']|$))")


def _inline(text):
    out, last = [], 0
    for match in _URL.finditer(text):
        out.append(escape(text[last:match.start()]))
        url = match.group()
        out.append(Markup('<a href="%s" rel="nofollow noopener">%s</a>') % (url, url))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _blocks(body):
    """(kind, lines) runs: kind is "p", "ul" or "ol"."""
    kind, lines = None, []
    for raw in (body or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            if lines:
                yield kind, lines
            kind, lines = None, []
            continue
        item = _BULLET.match(line) or _NUMBER.match(line)
        this = ("ul" if _BULLET.match(line) else "ol") if item else "p"
        if kind is not None and this != kind:
            yield kind, lines
            lines = []
        kind = this
        lines.append(item.group(1) if item else line)
    if lines:
        yield kind, lines


def render_body(body):
    parts = []
    for kind, lines in _blocks(body):
        if kind == "p":
            inner = Markup("<br>\n").join(_inline(line) for line in lines)
            parts.append(Markup("<p>%s</p>") % inner)
        else:
            items = Markup("").join(Markup("<li>%s</li>") % _inline(line) for line in lines)
            parts.append(Markup("<%s>%s</%s>") % (Markup(kind), items, Markup(kind)))
    return Markup("\n").join(parts)
