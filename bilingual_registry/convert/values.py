"""Value normalisers for the English row: dates, timestamps, periods, ages, sizes, ICTRP's cell forms.

Each reads what registrants and the registry's pages write and returns a typed value, or None when the
text holds nothing of that kind: a value is never guessed.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?"
                   r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_INT = re.compile(r"\d+")
_NUMBER = r"(\d+(?:\.\d+)?)"
# unit words after an age, in either language → the unit's length in years
_UNITS = (("years", 1.0), ("year", 1.0), ("岁", 1.0), ("周岁", 1.0), ("months", 1 / 12), ("month", 1 / 12),
          ("个月", 1 / 12), ("月", 1 / 12), ("weeks", 7 / 365.25), ("week", 7 / 365.25), ("周", 7 / 365.25),
          ("days", 1 / 365.25), ("day", 1 / 365.25), ("天", 1 / 365.25), ("日", 1 / 365.25))
_AGE = {side: re.compile(rf"(?:{words})\s*[:：]?\s*{_NUMBER}?\s*((?:{'|'.join(re.escape(u) for u, _ in _UNITS)})?)", re.I)
        for side, words in (("min", "Min(?:imum)?\\s*age|最小(?:年龄)?"), ("max", "Max(?:imum)?\\s*age|最大(?:年龄)?"))}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def timestamps(text: str) -> list[dt.datetime]:
    """Every date (with its time when written) in a text, in order.

    >>> timestamps("From 2026-03-23 00:00:00 To 2029-02-23 00:00:00")
    [datetime.datetime(2026, 3, 23, 0, 0), datetime.datetime(2029, 2, 23, 0, 0)]
    >>> timestamps("从 From 2024-06-01 00:00:00至 To 2029-10-01 00:00:00")[1].date()
    datetime.date(2029, 10, 1)
    >>> timestamps("2026/03/23 17:16:18")
    [datetime.datetime(2026, 3, 23, 17, 16, 18)]
    >>> timestamps("2020-02-30"), timestamps("KY26030")
    ([], [])
    """
    out = []
    for m in _DATE.finditer(text or ""):
        y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
        try:
            out.append(dt.datetime(y, mo, d, h, mi, s))
        except ValueError:
            continue
    return out


def first_date(text: str, nth: int = 0) -> Optional[dt.date]:
    """The nth date of a text (0: the first; a period's start), or None.

    >>> first_date("2026-03-23 00:00:00"), first_date("From 2020-04-10", 1)
    (datetime.date(2026, 3, 23), None)
    """
    found = timestamps(text)
    return found[nth].date() if len(found) > nth else None


def first_timestamp(text: str) -> Optional[dt.datetime]:
    found = timestamps(text)
    return found[0] if found else None


def ictrp_day(day: dt.date) -> str:
    """ICTRP's `Last Refreshed on` form: day without a leading zero, the month's English name.

    >>> ictrp_day(dt.date(2020, 2, 17)), ictrp_day(dt.datetime(2020, 3, 2, 8, 0))
    ('17 February 2020', '2 March 2020')
    """
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def ictrp_datetime(day: dt.date) -> str:
    """The form of dates in ICTRP's full export (SQL Server's default): `May 10 2019 12:00AM`.

    >>> ictrp_datetime(dt.date(2019, 8, 2))
    'Aug  2 2019 12:00AM'
    """
    return f"{_MONTHS[day.month - 1][:3]} {day.day:>2} {day.year} 12:00AM"


def size(text: str) -> Optional[int]:
    """A sample size: the first whole number in the cell (`250`, `250例`, `n=30`), or None.

    >>> size("250"), size("250例"), size(""), size("NA")
    (250, 250, None, None)
    """
    m = _INT.search(text or "")
    return int(m.group()) if m else None


def age(text: str, which: str) -> tuple[Optional[str], Optional[float]]:
    """The minimum or maximum age of an age range: the number as written and the age in years.

    The page writes `最小 Min age 18 years` / `最大 Max age years` (an empty maximum), or with the Chinese
    unit too (`最小 Min age 18 岁 years`); ages in months or days are turned into years.

    >>> age("最小 Min age 18 years\\n最大 Max age years", "min"), age("最小 Min age 18 years\\n最大 Max age years", "max")
    (('18', 18.0), (None, None))
    >>> age("最小 Min age 6 月 months 最大 Max age 75 岁 years", "min")
    ('6', 0.5)
    >>> age("Min age 18 years\\nMax age 80 years", "max")
    ('80', 80.0)
    """
    m = next((m for m in _AGE[which].finditer(text or "") if m.group(1)), None)
    if m is None:
        return None, None
    number, unit = m.group(1), m.group(2).lower()
    per_year = dict(_UNITS).get(unit, 1.0)
    years = float(number) * per_year
    return number, round(years, 4)


def ictrp_text(text: str) -> str:
    """ICTRP writes a line break inside a cell as CR and a literal `<br>`.

    >>> ictrp_text("1. Aged >=18 years;\\n2. Diagnosed")
    '1. Aged >=18 years;\\r<br>2. Diagnosed'
    """
    return text.replace("\r\n", "\n").replace("\n", "\r<br>")


def ictrp_list(items, pairs: bool = False) -> str:
    """ICTRP's flattened lists: `A;B;` and `group:value;` (each item closed by `;`).

    >>> ictrp_list(["Fatality rate", "Lung function"]), ictrp_list([("Experimental group", "30"), ("Control group", "30")], pairs=True)
    ('Fatality rate;Lung function;', 'Experimental group:30;Control group:30;')
    >>> ictrp_list([])
    ''
    """
    if pairs:
        return "".join(f"{ictrp_text(a)}:{ictrp_text(b)};" for a, b in items)
    return "".join(f"{ictrp_text(a)};" for a in items)
