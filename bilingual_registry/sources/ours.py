"""Records that `bireg parse` wrote (JSON or JSONL), read back as they are: our own output is an input too
(`glossary learn` over a folder of parsed records, a review of yesterday's parse)."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:
    from ..model import Record

# our records always begin with their contract version, so other JSON is told apart from its first bytes
# (`regex`, not `re`: `re` backtracks quadratically over blanks before a `[` that no `{` follows)
_OURS = regex.compile(r'\A\s*\[?\s*\{\s*"schema_version"\s*:')


def read_our_json(text: str) -> list[Record] | None:
    """The records of a `bireg parse` JSON or JSONL text; None for any other JSON.

    >>> read_our_json('{"registry_id": "x"}') is None
    True
    >>> [r.registration_number for r in read_our_json('{"schema_version": 1, "registration_number": "ChiCTR1"}')]
    ['ChiCTR1']
    """
    text = text.lstrip("\ufeff")
    if not _OURS.match(text):
        return None
    try:
        data = json.loads(text)
        items = data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        try:
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError:
            return None
    if not items or not all(isinstance(i, dict) and "schema_version" in i for i in items):
        return None
    from pydantic import ValidationError  # Records: loaded only for our own JSON, not for the API's

    from ..model import Record
    try:
        return [Record.model_validate(i) for i in items]
    except ValidationError:  # not ours after all: the other JSON readers say what it is
        return None
