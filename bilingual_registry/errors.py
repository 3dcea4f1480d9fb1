"""Typed errors for bad input: each names the file and says what is wrong with it."""
from __future__ import annotations


class RecordError(Exception):
    """An input that cannot be read as a registry record."""

    reason = "cannot be read as a registry record"

    def __init__(self, path: str | None, detail: str | None = None):
        self.path = path or "<input>"
        self.detail = detail or self.reason
        super().__init__(f"{self.path}: {self.detail}")


class EmptyInput(RecordError):
    reason = "the file is empty"


class BinaryInput(RecordError):
    reason = "the file is binary, not text"


class DecodingError(RecordError):
    reason = "the text encoding could not be determined"


class TooLarge(RecordError):
    reason = "the file is larger than the size limit"


class NotARecord(RecordError):
    reason = "no ChiCTR/ITMCTR field labels found; this is not a registry record"


class OtherRegistry(NotARecord):
    """A record of another registry (ClinicalTrials.gov, ISRCTN, ...): refused, not mangled."""
