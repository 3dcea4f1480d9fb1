"""The review's configuration: which checks run, their severities, and what to ignore (`review.toml`).

```toml
[checks]
enable = ["truncated", "number-mismatch"]   # only these (default: every check)
disable = ["spacing"]                        # never these
[severity]
institution-case = "info"
[[ignore]]                                   # a finding matching every key given is dropped
check = "spelling"
field = "sites[*].institution"               # a field key or its `group[index].key` name; shell-style wildcards
record = "ChiCTR2400084905"
text = "Tianjing"                            # a substring of either side's text
```
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Iterable, Optional

from ..errors import ConfigError
from ..model import Finding

SEVERITIES = ("info", "warning", "error")


@dataclass(frozen=True)
class Ignore:
    """One ignore rule: a finding is dropped when every part given matches."""

    check: Optional[str] = None
    field: Optional[str] = None
    record: Optional[str] = None
    text: Optional[str] = None

    def matches(self, f: Finding) -> bool:
        where = f.field if f.group is None else f"{f.group}[{f.index}].{f.field}"
        return ((self.check is None or fnmatchcase(f.check, self.check))
                and (self.field is None or fnmatchcase(f.field or "", self.field) or fnmatchcase(where or "", self.field))
                and (self.record is None or fnmatchcase(f.registration_number or "", self.record))
                and (self.text is None or self.text in f.zh_text or self.text in f.en_text))


@dataclass
class ReviewConfig:
    """Checks enabled (None: all) and disabled, severities by check id, ignore rules."""

    enable: Optional[frozenset[str]] = None
    disable: frozenset[str] = frozenset()
    severity: dict[str, str] = field(default_factory=dict)
    ignore: tuple[Ignore, ...] = ()

    def runs(self, check_id: str) -> bool:
        return (self.enable is None or check_id in self.enable) and check_id not in self.disable

    def with_selection(self, checks: Iterable[str] = (), skip: Iterable[str] = ()) -> "ReviewConfig":
        """This config narrowed by the command line's `--checks` and `--skip`."""
        checks, skip = frozenset(checks), frozenset(skip)
        enable = self.enable if not checks else (checks if self.enable is None else self.enable & checks)
        return ReviewConfig(enable, self.disable | skip, dict(self.severity), self.ignore)

    def ignored(self, f: Finding) -> bool:
        return any(rule.matches(f) for rule in self.ignore)

    def validate(self, known: Iterable[str], where: str = "config") -> "ReviewConfig":
        """Refuse unknown check ids and severities by name (a typo would silently check nothing)."""
        known = set(known)
        named = set(self.enable or ()) | set(self.disable) | set(self.severity)
        unknown = sorted(n for n in named if n not in known)
        if unknown:
            raise ConfigError(where, f"unknown check id(s): {', '.join(unknown)}")
        bad = sorted(f"{k}={v}" for k, v in self.severity.items() if v not in SEVERITIES)
        if bad:
            raise ConfigError(where, f"severity must be one of {', '.join(SEVERITIES)}: {', '.join(bad)}")
        return self

    @classmethod
    def from_dict(cls, data: dict, where: str = "config") -> "ReviewConfig":
        """A config from parsed TOML.

        >>> c = ReviewConfig.from_dict({"checks": {"disable": ["spacing"]}, "severity": {"truncated": "warning"},
        ...                             "ignore": [{"check": "spelling", "text": "Tianjing"}]})
        >>> c.runs("spacing"), c.runs("truncated"), c.severity["truncated"], c.ignore[0].text
        (False, True, 'warning', 'Tianjing')
        """
        try:
            checks = data.get("checks", {})
            enable = checks.get("enable")
            rules = tuple(Ignore(**{k: str(v) for k, v in r.items()}) for r in data.get("ignore", []))
            return cls(frozenset(enable) if enable is not None else None, frozenset(checks.get("disable", ())),
                       {str(k): str(v) for k, v in data.get("severity", {}).items()}, rules)
        except (TypeError, AttributeError) as e:
            raise ConfigError(where, f"not a review config: {e}") from None

    @classmethod
    def load(cls, path: str | Path) -> "ReviewConfig":
        """Read `review.toml`; a missing file or bad TOML is a RecordError naming the file."""
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as e:
            raise ConfigError(str(path), f"cannot read review config: {e.strerror or e}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise ConfigError(str(path), f"not valid TOML: {e}") from None
        return cls.from_dict(data, str(path))
