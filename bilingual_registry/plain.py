"""The batch data path's JSON: a record as plain data, written by orjson byte for byte as pydantic writes it.

A batch run never needs the `Record` objects, only their JSON. Validating a record (0.34 ms) and
dumping it through pydantic (0.3 ms) cost more than reading it; orjson writes the same JSON in a tenth
of the time, provided every key is there, in the models' order, with the models' defaults. `shape`
walks the aligner's plain data (dicts, with a few `parts` or model objects inside) in the order the
models declare, read from `parts` (checked against the models by the tests, so no key can drift), so
a batch run never imports pydantic. `tests/test_plain.py` proves the bytes equal `model_dump_json`
over the corpus and generated records.

Where the two writers differ (a float of 1e16 or more: pydantic writes `1e+16`, orjson `1e16`; a lone
surrogate, which both refuse) or the data is not what the models accept (an unknown key), `record_json`
validates the record and lets pydantic write it, so the output is always the validated path's.

>>> import orjson
>>> orjson.dumps(shape({"registration_number": "ChiCTR2600000001"}))[:60]
b'{"schema_version":1,"registry":null,"registration_number":"C'
"""
from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Any, Callable, NamedTuple, Optional

import orjson

from . import parts

_MISSING = object()


class _Fallback(Exception):
    """The data holds something orjson would write otherwise than pydantic, or the models refuse."""


def _same(value: Any) -> Any:
    return value


def _float(value: Any) -> Any:
    """A float as pydantic keeps it (an int becomes a float: `1` is written `1.0`)."""
    if value is None:
        return None
    value = float(value)
    if not abs(value) < 1e16:  # 1e+16 against orjson's 1e16; inf and nan too
        raise _Fallback
    return value


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


def _of(tp: Any) -> Callable[[Any], Any]:
    """The shaper of one annotation: a model, a list or an Optional of one, a float, or anything else as it is."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(inner) == 1:
            shaper = _of(inner[0])
            return _same if shaper is _same else (lambda v: None if v is None else shaper(v))
        return _same
    if origin is list:
        (item,) = typing.get_args(tp)
        shaper = _of(item)
        shaped = _shaped_test(item) if _is_model(item) else None
        if shaped is not None:  # a record's fields: most are as the aligner made them, tested without a call of `shaper`
            return lambda v: [x if shaped(x) else shaper(x) for x in v]
        return list if shaper is _same else (lambda v: [shaper(x) for x in v])
    if tp is float:
        return _float
    if _is_model(tp):
        return _model(tp)
    return _same


@cache
def _model(cls: type) -> Callable[[Any], dict]:
    """The shaper of a model (its `parts` class): its fields in order, defaults filled in."""
    spec = []
    hints = typing.get_type_hints(cls)
    for info in dataclasses.fields(cls):
        if info.default_factory is not dataclasses.MISSING:
            default = (True, info.default_factory)
        else:
            default = (False, info.default)  # MISSING for a required field: orjson refuses it, validation says why
        spec.append((info.name, default, _of(hints[info.name])))
    names = frozenset(n for n, _, _ in spec)
    order = tuple(n for n, _, _ in spec)
    nested = tuple((n, shaper) for n, _, shaper in spec if shaper is not _same)
    shaped = _shaped_test(cls)

    def shape_one(obj: Any) -> dict:
        if type(obj) is dict:
            if shaped is not None and shaped(obj):
                return obj  # already as written: most fields of a record, as the aligner made them
            keys = tuple(obj)
            if keys == order[:len(keys)]:  # the aligner's dicts: keys in order, defaults at most left off the end
                return _fast(obj, len(keys))
            if not names.issuperset(keys):
                raise _Fallback  # an unknown key: validation says what is wrong
            get = obj.get
        else:
            get = lambda n, d: getattr(obj, n, d)  # noqa: E731 - a model or dataclass object
        out = {}
        for name, (factory, default), shaper in spec:
            value = get(name, _MISSING)
            if value is _MISSING:
                value = default() if factory else default
            out[name] = shaper(value)
        return out

    def _fast(obj: dict, given: int) -> dict:
        """Most of a record's dicts (its sides, its fields): only the nested values shaped, no key looked up."""
        if given == len(order) and not nested:
            return obj
        out = obj.copy()
        for name, (factory, default), _ in spec[given:]:
            out[name] = default() if factory else default
        for name, shaper in nested:
            out[name] = shaper(out[name])
        return out

    return shape_one


@cache
def _shaped_test(cls: type) -> Callable[[Any], bool] | None:
    """A test, compiled once per model, that a dict is already in the model's shape: every key, in order, with
    models nested in it (that hold no model or float themselves) as such dicts too, and lists of models empty.
    None for a model the test cannot cover (a float, an optional model), which is always shaped."""
    orders: dict[str, tuple] = {}

    def test(tp: Any, at: str, depth: int) -> str | None:
        origin = typing.get_origin(tp)
        if origin is list:
            (item,) = typing.get_args(tp)
            return f"type({at}) is list" + ("" if _of(item) is _same else f" and not {at}")
        if tp is float or (origin is not None and _of(tp) is not _same):
            return None
        if not _is_model(tp):
            return ""
        if depth > 1:
            return None
        name = f"O{len(orders)}"
        orders[name] = tuple(f.name for f in dataclasses.fields(tp))
        parts = [f"type({at}) is dict", f"tuple({at}) == {name}"]
        for field, annotation in typing.get_type_hints(tp).items():
            part = test(annotation, f"{at}[{field!r}]", depth + 1)
            if part is None:
                return None
            if part:
                parts.append(part)
        return " and ".join(parts)

    body = test(cls, "o", 0)
    return None if body is None else eval(f"lambda o: {body}", orders)  # noqa: S307 - built from the models only


def shape(data: Any) -> dict:
    """A record (plain data or a `Record`) as plain data in the contract's keys, order and defaults."""
    return _model(parts.Record)(data)


class Dumped(NamedTuple):
    """A record written to JSON where it was parsed, with what the summary line needs to know of it."""

    json: bytes
    registration_number: Optional[str]
    cut: Optional[str]  # the message of its `truncated` problem, when it is cut off


def dump(data: Any, indent: bool = False) -> Dumped:
    """A record given as plain data or a `Record`, written as `Record.model_dump_json` writes it
    (`indent`: as `model_dump_json(indent=2)` does)."""
    if not isinstance(data, dict):  # a Record
        return _dumped(data, indent)
    try:
        shaped = shape(data)
        json = orjson.dumps(shaped, option=orjson.OPT_INDENT_2 if indent else 0)
    except (_Fallback, TypeError):  # orjson.JSONEncodeError is a TypeError
        from .model import Record  # pydantic, loaded for the first record it must write
        return _dumped(Record.model_validate(data), indent)
    cut = next((p["message"] for p in shaped["problems"] if p["code"] == "truncated"), None)
    return Dumped(json, shaped["registration_number"], cut)


def _dumped(record, indent: bool) -> Dumped:
    cut = next((p.message for p in record.problems if p.code == "truncated"), None)
    return Dumped(record.model_dump_json(indent=2 if indent else None).encode("utf-8"), record.registration_number, cut)


def record_json(data: Any, indent: bool = False) -> bytes:
    """The JSON bytes of a record given as plain data or a `Record`."""
    return dump(data, indent).json
