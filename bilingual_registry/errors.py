"""Typed errors for bad input: each names the file and says what is wrong with it."""
from __future__ import annotations


class RecordError(Exception):
    """An input that cannot be read as a registry record."""

    reason = "cannot be read as a registry record"

    def __init__(self, path: str | None, detail: str | None = None):
        self.path = path or "<input>"
        self.detail = detail or self.reason
        super().__init__(f"{self.path}: {self.detail}")

    def __reduce__(self):  # pickled as it was made: a `-j` worker's error reaches the parent intact
        return type(self), (self.path, self.detail)


class EmptyInput(RecordError):
    reason = "the file is empty"


class BinaryInput(RecordError):
    reason = "the file is binary, not text"


class DecodingError(RecordError):
    reason = "the text encoding could not be determined"


class TooLarge(RecordError):
    reason = "the file is larger than the size limit"


class XliffError(RecordError):
    """A corrected XLIFF that cannot be applied: not XLIFF 2.x, not Chinese into English, not well-formed."""

    reason = "the file is not XLIFF 2.0 from Chinese into English"


class NotARecord(RecordError):
    reason = "no ChiCTR/ITMCTR field labels found; this is not a registry record"


class OtherRegistry(NotARecord):
    """A record of another registry (ClinicalTrials.gov, ISRCTN, ...): refused, not mangled."""


class HostileInput(RecordError):
    """Input built to harm a reader (entity expansion, external entities, zip slip, zip bomb): refused."""

    reason = "the input looks built to attack a parser and was refused"


class ReaderFailure(RecordError):
    """A reader that broke on one input (a bug): that input fails, the rest of the batch goes on."""

    reason = "the reader failed on this input (a bug in bireg; please report it with the file)"


class Skipped(RecordError):
    """A file met inside a folder or archive that holds no record of ours (a README, a TSV, another
    registry's record): counted and left out, not a failure. `cause` says what it is."""

    reason = "skipped: not a ChiCTR/ITMCTR record"

    def __init__(self, path: str | None, cause: RecordError):
        self.cause = cause
        super().__init__(path, f"skipped ({cause.detail})")


class SomeInputsFailed(RecordError):
    """A directory or archive read in part: the records that parsed and the entries that did not."""

    reason = "some entries could not be read"

    def __init__(self, path: str | None, records: list, failures: list[tuple[str, RecordError]]):
        self.records = records
        self.failures = failures
        super().__init__(path, f"{len(failures)} entries could not be read: "
                         + "; ".join(str(e) for _, e in failures[:3]) + (" ..." if len(failures) > 3 else ""))


class ConfigError(RecordError):
    """A review configuration (review.toml, --checks/--skip) that cannot be used."""

    reason = "not a valid review configuration"
