"""Applying the custodian's personal-data decisions (UU 27/2022) to what the public gets.

A flagged column the custodian marked 'masked' is shown with most characters hidden; one
marked 'removed' is left out; 'justified' leaves it as it is. The producer's file stays
untouched for the producer and the custodian; everyone else gets the redacted copy.
"""
import csv
import re

from app.catalog.ingest_common import PREVIEW_ROWS

_DIGITS = re.compile(r"\d")


def mask(value):
    """Hide most of a value but keep its shape: '3201********0001', 'Y**** F*******',
    'b***@example.go.id', '0812****7890'."""
    value = value.strip()
    if not value:
        return value
    if "@" in value:
        local, _, domain = value.partition("@")
        return local[:1] + "*" * max(len(local) - 1, 1) + "@" + domain
    digits = len(_DIGITS.findall(value))
    if digits >= 8 and digits >= len(value) * 0.7:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    return " ".join(word[:1] + "*" * (len(word) - 1) for word in value.split())


def plan(header, decisions):
    """Per column: 'keep', 'mask' or 'drop', from {column: decision}."""
    action = {"masked": "mask", "removed": "drop"}
    return [action.get(decisions.get(name), "keep") for name in header]


def needs_redaction(decisions):
    return any(d in ("masked", "removed") for d in decisions.values())


def redact_schema(schema, decisions):
    fields = [f for f in schema["fields"] if decisions.get(f["name"]) != "removed"]
    for field in fields:
        if decisions.get(field["name"]) == "masked":
            # A masked NIK is no longer an integer or a region code: keep it as text.
            field.update(type="string")
            field.pop("regionCode", None)
            field.pop("constraints", None)
    return {**schema, "fields": fields}


def redact_csv(src_path, dst_path, decisions):
    """Write the redacted table; returns its preview ({"header", "rows"})."""
    with open(src_path, encoding="utf-8", newline="") as src, \
            open(dst_path, "w", encoding="utf-8", newline="") as dst:
        reader, writer = csv.reader(src), csv.writer(dst)
        header = next(reader, [])
        actions = plan(header, decisions)
        out_header = _apply(header, actions, masker=lambda v: v)
        writer.writerow(out_header)
        preview = []
        for row in reader:
            out = _apply(row, actions, masker=mask)
            writer.writerow(out)
            if len(preview) < PREVIEW_ROWS:
                preview.append(out)
    return {"header": out_header, "rows": preview}


def _apply(row, actions, masker):
    out = []
    for value, action in zip(row, actions, strict=False):
        if action == "drop":
            continue
        out.append(masker(value) if action == "mask" else value)
    return out
