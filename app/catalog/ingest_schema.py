"""Table Schemas: inferred from a sample, checked, and edited by the producer."""
import copy
import re

from app.catalog.ingest_common import ALLOWED_TYPES, NUMERIC_TYPES, IngestError

# Tried in this order; integer before year so that a column of years is a plain integer.
_CANDIDATE_TYPES = ("datetime", "date", "integer", "number", "boolean", "year")
_TYPE_SHARE = 0.9
_READERS = {}
_LEADING_ZERO = re.compile(r"^[+-]?0\d")
_REGION_SHARE = 0.9  # share of sampled values found in the region list to call a column codes
# Constraints each product type accepts (a subset of frictionless's, all it needs).
_CONSTRAINTS = {
    "string": {"required", "unique", "enum", "minLength", "maxLength", "pattern"},
    "integer": {"required", "unique", "enum", "minimum", "maximum"},
    "number": {"required", "unique", "enum", "minimum", "maximum"},
    "year": {"required", "unique", "enum", "minimum", "maximum"},
    "date": {"required", "unique", "enum", "minimum", "maximum"},
    "datetime": {"required", "unique", "enum", "minimum", "maximum"},
    "boolean": {"required", "enum"},
}


def infer_schema(header, sample, region_codes=None):
    """A Table Schema for ``header`` from ``sample`` rows (lists of str).

    Each column gets the first type that reads at least 90 % of its non-empty sampled values,
    so a stray "-" or "n/a" in a numeric column is reported as an error, not silently typed
    as text. Columns whose values look like identifiers (leading zeros, more than 15 digits)
    become strings, and a string column whose values are mostly known region codes is marked
    ``regionCode``.
    """
    fields = []
    for index, name in enumerate(_field_names(header)):
        values = _column(sample, index)
        ftype = _best_type(values)
        if ftype in NUMERIC_TYPES and _identifier_like(values):
            ftype = "string"
        descriptor = {"name": name, "type": ftype, "title": _title(name)}
        if region_codes and _mostly_regions(values, region_codes):
            descriptor.update(type="string", regionCode=True)
        fields.append(descriptor)
    return {"fields": fields}


def _field_names(header):
    """Usable, unique names, as frictionless makes them: a blank label becomes 'field3', a
    repeated one gets its position ('kode2'). The report still lists both label errors."""
    names, seen = [], set()
    for position, label in enumerate(header, start=1):
        name = label.strip() or f"field{position}"
        if name in seen:
            name = f"{name}{position}"
        seen.add(name)
        names.append(name)
    return names


def _best_type(values):
    # frictionless's own detector scores a misfit as -1 against every candidate, so one odd
    # word anywhere but the last tenth of the sample turned a whole numeric column into text.
    if not values:
        return "string"
    for ftype in _CANDIDATE_TYPES:
        read = _reader(ftype)
        fits = sum(1 for value in values if read(value))
        if fits >= _TYPE_SHARE * len(values):
            return ftype
    return "string"


def _reader(ftype):
    """A predicate: does frictionless read this text as ``ftype`` without complaint?"""
    if ftype not in _READERS:
        from frictionless import Field

        field = Field.from_descriptor({"name": "x", "type": ftype})
        _READERS[ftype] = lambda value: not field.read_cell(value)[1]
    return _READERS[ftype]


def _column(sample, index):
    return [row[index].strip() for row in sample if len(row) > index and row[index].strip()]


def _identifier_like(values):
    # '0812...' or a 16-digit NIK typed as a number would lose its zeros or its last digits
    return any(_LEADING_ZERO.match(v) or sum(c.isdigit() for c in v) > 15 for v in values)


def _mostly_regions(values, region_codes):
    if not values:
        return False
    known = sum(1 for value in values if value in region_codes)
    return known >= _REGION_SHARE * len(values)


def _title(name):
    return " ".join(word.capitalize() for word in re.split(r"[_\s]+", name) if word) or name


def check_schema(schema):
    """A frictionless Schema for ``schema`` (a dict). Raises IngestError('schema')."""
    from frictionless import FrictionlessException, Schema

    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        raise IngestError("schema", {"field": None, "reason": "invalid"})
    for field in schema["fields"]:
        if not isinstance(field, dict) or not field.get("name"):
            raise IngestError("schema", {"field": None, "reason": "invalid"})
        if field.get("type", "string") not in ALLOWED_TYPES:
            raise IngestError("schema", {"field": field["name"], "reason": "unknown-type",
                                         "type": str(field.get("type"))})
    try:
        return Schema.from_descriptor(copy.deepcopy(schema))
    except FrictionlessException:
        raise IngestError("schema", {"field": None, "reason": "invalid"}) from None


def merge_schema_edit(schema, edits):
    """Apply the producer's edits to a copy of ``schema`` and return it.

    Each edit is {name, type, unit, required, enum, regionCode, title}; keys left out keep
    their current value. A changed type drops constraints the new type cannot have.

    :raises IngestError: 'schema' with params {field, reason}: reason 'unknown-column',
        'unknown-type' (+ type) or 'enum-value' (+ value, an allowed value the type rejects).
    """
    merged = copy.deepcopy(schema)
    fields = {field["name"]: field for field in merged.get("fields", [])}
    for edit in edits:
        name = edit.get("name")
        if name not in fields:
            raise IngestError("schema", {"field": name, "reason": "unknown-column"})
        _apply_edit(fields[name], edit)
    check_schema(merged)
    return merged


def _apply_edit(field, edit):
    name = field["name"]
    if "type" in edit:
        if edit["type"] not in ALLOWED_TYPES:
            raise IngestError("schema", {"field": name, "reason": "unknown-type",
                                         "type": str(edit["type"])})
        if edit["type"] != field.get("type"):
            field["type"] = edit["type"]
            field.pop("format", None)  # a date format means nothing to an integer
    _set_text(field, "title", edit)
    _set_text(field, "unit", edit)
    if "regionCode" in edit:
        _set_flag(field, "regionCode", bool(edit["regionCode"]))
    constraints = field.setdefault("constraints", {})
    if "required" in edit:
        _set_flag(constraints, "required", bool(edit["required"]))
    if "enum" in edit:
        values = _clean_enum(edit["enum"])
        if values:
            constraints["enum"] = values
        else:
            constraints.pop("enum", None)
    allowed = _CONSTRAINTS.get(field.get("type", "string"), set())
    for key in [key for key in constraints if key not in allowed]:
        del constraints[key]
    if not constraints:
        del field["constraints"]
    _check_enum(field)


def _set_text(target, key, edit):
    if key not in edit:
        return
    value = (edit[key] or "").strip()
    if value:
        target[key] = value
    else:
        target.pop(key, None)


def _set_flag(target, key, on):
    if on:
        target[key] = True
    else:
        target.pop(key, None)


def _clean_enum(values):
    seen = {}
    for value in values or []:
        text = str(value).strip()
        if text:
            seen.setdefault(text, None)
    return list(seen)


def _check_enum(field):
    """Every allowed value must be readable as the field's type, or nothing could match."""
    values = field.get("constraints", {}).get("enum")
    if not values:
        return
    from frictionless import Field

    reader = Field.from_descriptor({"name": field["name"], "type": field.get("type", "string")})
    for value in values:
        _, notes = reader.read_cell(value)
        if notes:
            raise IngestError("schema", {"field": field["name"], "reason": "enum-value",
                                         "value": value})
