"""`bireg review INPUTS...`: the translation review of records, as findings on stdout or a report file.

All the records of the inputs are reviewed together, so the batch checks (the same Chinese translated two
ways, one person romanised differently) look across records too. Without `--report`, findings are JSON lines
on standard output; `--report out.html|.xlsx|.csv|.json` writes that report (format by extension) whole or not
at all. A one-line summary goes to stderr. Exit 1 when an input failed or when a finding reaches
`--fail-on` (so a pipeline can gate on it), 2 for a bad command line or config.
"""
from __future__ import annotations

import argparse
import sys

from ..errors import ConfigError
from ..repair import Spellings
from ..review import ReviewConfig, list_checks, review
from ..review.report import render_report, report_format
from ..review.report.table import SEVERITIES, severity_rank
from . import options, output
from .reading import records


def _ids(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def review_config(args: argparse.Namespace) -> ReviewConfig:
    """The config file (if any) narrowed by --checks/--skip, unknown check ids refused by name (exit 2)."""
    try:
        config = ReviewConfig.load(args.config) if args.config else ReviewConfig()
        known = [cid for cid, _, _ in list_checks()]
        config.validate(known, args.config or "config")
        return config.with_selection(_ids(args.checks), _ids(args.skip)).validate(known, "--checks/--skip")
    except ConfigError as exc:
        raise output.UsageError(str(exc)) from None


def summary(findings, n_records: int) -> str:
    """`5 findings (1 error, 3 warnings, 1 info) in 2 records`."""
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    parts = ", ".join(f"{counts[s]} {s}{'s' if s != 'info' and counts[s] != 1 else ''}" for s in SEVERITIES)
    return (f"{len(findings)} finding{'s' if len(findings) != 1 else ''} ({parts}) in {n_records} "
            f"record{'s' if n_records != 1 else ''}")


def reaches(findings, fail_on: str | None) -> bool:
    """True when a finding is at least as grave as `fail_on` (error > warning > info)."""
    return fail_on is not None and any(severity_rank(f.severity) <= severity_rank(fail_on) for f in findings)


def read_batch(args: argparse.Namespace, tally: output.Tally) -> list:
    """Every record of the inputs at once (the batch checks look across them), counted on a terminal."""
    found = records(args, tally, corpus=Spellings() if args.corpus_evidence else None)
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import track
        found = track(found, description="reading records", console=Console(stderr=True), transient=True)
    return list(found)


def cmd_review(args: argparse.Namespace) -> int:
    config = review_config(args)
    fmt = None
    if args.report:
        try:
            fmt = report_format(args.report)
        except ValueError as exc:
            raise output.UsageError(str(exc)) from None
    tally = output.Tally()
    out = output.Output(args.report, args.files, binary=fmt is not None)
    batch = read_batch(args, tally)
    findings = review(batch, config=config)
    with out:
        if fmt is None:
            out.writelines(f.model_dump_json() + "\n" for f in findings)
        else:
            out.write(render_report(findings, batch, fmt))
        if tally.records:
            out.keep()
    line = summary(findings, len(batch))
    if args.report:
        line += f"; report written to {out.name}"
    if tally.failed:
        line += f"; {tally.failed} input{'s' if tally.failed != 1 else ''} failed"
    print(line, file=sys.stderr)
    if tally.failed or not tally.records:
        return 1
    return 1 if reaches(findings, args.fail_on) else 0


def review_options(p: argparse.ArgumentParser) -> None:
    """The options that choose what the review checks (shared with `bireg xliff export`)."""
    p.add_argument("--config", metavar="review.toml",
                   help="checks enabled and disabled, severities and ignore rules (see README: Review)")
    p.add_argument("--checks", metavar="ID,...", help="run only these checks")
    p.add_argument("--skip", metavar="ID,...", help="do not run these checks")


def _checks_help() -> str:
    return "checks (id, default severity, what it catches):\n" + "\n".join(
        f"  {cid:<26} {sev:<8} {title}" for cid, sev, title in list_checks())


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("review", help="review the English of records against the Chinese: findings or a report",
                       description="Review every English field against its Chinese source. Findings are JSON "
                                   "lines on standard output, or a report with --report.",
                       epilog=_checks_help(), formatter_class=argparse.RawDescriptionHelpFormatter)
    options.inputs(p)
    p.add_argument("--report", metavar="OUT",
                   help="write a report instead of JSON lines: out.html (one page, filters), out.xlsx, out.csv "
                        "or out.json, the format by the extension")
    p.add_argument("--fail-on", choices=("error", "warning"),
                   help="exit 1 when a finding is at least this grave (for a pipeline's gate)")
    review_options(p)
    options.repair(p)
    p.set_defaults(func=cmd_review)
