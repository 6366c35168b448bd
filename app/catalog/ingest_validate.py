"""Validation with frictionless, plus the region-code check, into a report of codes and params.

We drive frictionless's row stream ourselves (rather than ``Resource.validate``) so the error
count stays exact while only the first ``max_errors`` errors are kept in memory.
"""
import re
from typing import ClassVar

import attrs
from frictionless import Check, Checklist, FrictionlessException, Resource, errors

from app.catalog.ingest_common import clip

_CONSTRAINT_NOTE = re.compile(r'^constraint "(\w+)"')
_LABEL_CODES = {"duplicate-label", "blank-label", "incorrect-label", "missing-label",
                "extra-label"}


class RegionCodeError(errors.CellError):
    type = "region-code"
    title = "Region Code"
    description = "The value is not a known Kemendagri region code."
    template = 'Unknown region code "{cell}" in row "{rowNumber}" and field "{fieldName}"'


@attrs.define(kw_only=True, repr=False)
class RegionCodeCheck(Check):
    """Cells of fields marked ``"regionCode": true`` must be in ``codes`` (after strip)."""

    type: ClassVar[str] = "region-code"
    Errors: ClassVar[list] = [RegionCodeError]

    codes: frozenset = attrs.field(factory=frozenset)
    """Known codes, dotted (e.g. '32.73.01')."""

    targets: list = attrs.field(factory=list)
    """(position, field name) of the region-code fields, positions from 0."""

    def validate_row(self, row):
        for name in self.unknown(row.cells):
            yield RegionCodeError.from_row(row, note="unknown region code", field_name=name)

    def unknown(self, cells):
        """Names of the region-code fields whose cell in ``cells`` is not a known code."""
        codes = self.codes
        for index, name in self.targets:
            value = cells[index] if index < len(cells) else None
            if value is None:
                continue  # a missing cell is reported by the baseline check
            code = str(value).strip()
            if code and code not in codes:
                yield name


def region_check(schema, region_codes):
    """A RegionCodeCheck for ``schema`` (a dict), or None when there is nothing to check."""
    targets = [(index, field["name"]) for index, field in enumerate(schema["fields"])
               if field.get("regionCode")]
    if not targets or region_codes is None:
        return None
    codes = region_codes if isinstance(region_codes, frozenset) else frozenset(region_codes)
    return RegionCodeCheck(codes=codes, targets=targets)


class _Capture:
    """Wraps the row iterator so our own exceptions survive frictionless wrapping them."""

    def __init__(self, rows):
        self.rows, self.failure = rows, None

    def __iter__(self):
        try:
            yield from self.rows
        except Exception as exc:
            self.failure = exc
            raise


def validate_rows(rows, fl_schema, schema, check, max_errors, row_offset=0):
    """Validate ``rows`` (header first) against ``fl_schema`` in one pass.

    Returns (row_count, error_count, errors) with errors as report dicts, at most
    ``max_errors`` of them. Exceptions raised by ``rows`` propagate unchanged.
    """
    capture = _Capture(rows)
    resource = Resource(data=iter(capture), schema=fl_schema, format="inline")
    sink = _ErrorSink(schema, max_errors, row_offset)
    counter = _FastCounter.for_schema(fl_schema, check)
    row_count = 0
    try:
        checks = Checklist(checks=[check] if check else []).connect(resource)
        with resource:
            for item in checks:  # header problems, reported left to right
                found = item.validate_start()
                sink.add(sorted(found, key=lambda e: getattr(e, "field_number", 0)))
            for row in resource.row_stream:
                row_count += 1
                if counter is not None and sink.full:
                    sink.count += counter.count(row.cells)
                    continue
                found = [error for item in checks for error in item.validate_row(row)]
                if found:
                    sink.add(found)
    except FrictionlessException:
        if capture.failure is not None:
            raise capture.failure from None
        raise
    return row_count, sink.count, sink.kept


class _FastCounter:
    """Counts the errors frictionless would report for a row without building them.

    Every frictionless error renders an English message when created (~60 µs), which made a
    file with an error in every row ten times slower than a valid one. Once the report holds
    max_errors errors, only the count matters: this uses the same frictionless cell readers
    and the same rules (blank row, missing and extra cells, region codes).
    """

    def __init__(self, readers, check):
        self.readers, self.check = readers, check

    @classmethod
    def for_schema(cls, fl_schema, check):
        """A counter, or None when uniqueness needs frictionless's own row stream state."""
        if fl_schema.primary_key or any(f.constraints.get("unique") for f in fl_schema.fields):
            return None
        return cls([field.create_cell_reader() for field in fl_schema.fields], check)

    def count(self, cells):
        width, found, blank = len(self.readers), 0, 0
        for index, reader in enumerate(self.readers):
            if index >= len(cells):
                found, blank = found + 1, blank + 1  # missing-cell (its 'required' is dropped)
                continue
            value, notes = reader(cells[index])
            if notes:
                found += len(notes)
            if value is None and not (notes and "type" in notes):
                blank += 1
        if blank == width:
            return 1  # a blank row is one error, whatever else is wrong with it
        found += max(0, len(cells) - width)
        if self.check is not None:
            found += sum(1 for _ in self.check.unknown(cells))
        return found


class _ErrorSink:
    def __init__(self, schema, max_errors, row_offset):
        self.fields = {field["name"]: field for field in schema["fields"]}
        self.max_errors, self.row_offset = max_errors, row_offset
        self.count, self.kept = 0, []

    @property
    def full(self):
        return len(self.kept) >= self.max_errors

    def add(self, found):
        for error in _without_redundant(found):
            self.count += 1
            if len(self.kept) < self.max_errors:
                self.kept.append(self.convert(error))

    def convert(self, error):
        """One frictionless error as {"row", "column", "code", "params"}."""
        if error.type in _LABEL_CODES:
            return _label_error(error)
        row = getattr(error, "row_number", None)
        if row is not None:
            row += self.row_offset
        column = getattr(error, "field_name", None) or None
        code, params = self._code(error, self.fields.get(column, {}))
        return {"row": row, "column": column, "code": code, "params": params}

    def _code(self, error, field):
        value = clip(getattr(error, "cell", ""))
        kind = error.type
        if kind == "type-error":
            return "type", {"value": value, "type": field.get("type", "string")}
        if kind == "constraint-error":
            return _constraint(error, field, value)
        if kind == "region-code":
            return "region", {"value": value}
        if kind == "missing-cell":
            return "missing-cell", {}
        if kind == "extra-cell":
            return "extra-cell", {"value": value, "position": error.field_number}
        if kind == "blank-row":
            return "blank-row", {}
        if kind in ("unique-error", "primary-key"):
            return "unique", {"value": value}
        return "row", {"kind": kind}


def _without_redundant(found):
    """Drop 'required' next to 'missing-cell' for the same cell: one problem, one message."""
    missing = {e.field_name for e in found if e.type == "missing-cell"}
    if not missing:
        return found
    return [e for e in found if not (e.type == "constraint-error" and e.field_name in missing
                                     and _constraint_name(e) == "required")]


def _constraint_name(error):
    match = _CONSTRAINT_NOTE.match(error.note or "")
    return match.group(1) if match else ""


def _constraint(error, field, value):
    name = _constraint_name(error)
    limits = field.get("constraints", {})
    if name == "required":
        return "required", {}
    if name == "enum":
        return "enum", {"value": value, "allowed": [str(v) for v in limits.get("enum", [])]}
    if name in ("minimum", "exclusiveMinimum"):
        return "minimum", {"value": value, "limit": str(limits.get(name, ""))}
    if name in ("maximum", "exclusiveMaximum"):
        return "maximum", {"value": value, "limit": str(limits.get(name, ""))}
    return "constraint", {"value": value, "constraint": name, "limit": clip(limits.get(name))}


def _label_error(error):
    """Header problems: row None (they concern the header line), column the field or label."""
    position = error.field_number
    label = clip(error.label)
    kind = error.type
    if kind == "incorrect-label":
        params = {"expected": error.field_name, "actual": label, "position": position}
        return {"row": None, "column": error.field_name, "code": kind, "params": params}
    if kind == "missing-label":
        params = {"expected": error.field_name, "position": position}
        return {"row": None, "column": error.field_name, "code": kind, "params": params}
    params = {"label": label, "position": position}
    return {"row": None, "column": label or None, "code": kind, "params": params}
