"""The short fuzz round (the long one is benchmarks/fuzz.py): a few hundred mutants of the real corpus,
the pathological shapes made small, and the filesystem cases, each under the harness's time and memory
budget in a worker process. No traceback, no hang, no budget breach, no record lost."""
from __future__ import annotations

import os
import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

from fuzz import corpus_sources, mutant_cases  # noqa: E402
from fuzzing.harness import Budget, run_all  # noqa: E402
from fuzzing.outputs import output_cases, pipe_and_interrupt_failures, run_output_case  # noqa: E402
from fuzzing.shapes import fs_cases, shape_cases  # noqa: E402

MUTANTS = int(os.environ.get("BIREG_FUZZ_MUTANTS", "300"))
SEED = int(os.environ.get("BIREG_FUZZ_SEED", "20261202"))


@pytest.fixture(scope="module")
def tally():
    cases = [c for c in fs_cases() if "500" not in c.name] + shape_cases(0.01)
    return run_all([*cases, *mutant_cases(MUTANTS, SEED, corpus_sources())], Budget())


def test_no_traceback_hang_budget_breach_or_lost_record(tally):
    assert sum(tally.cases.values()) >= MUTANTS
    assert (dict(tally.tracebacks), tally.hangs, dict(tally.breaches)) == ({}, [], {}), tally.report()
    assert dict(tally.failures) == {}, tally.report()  # json ≠ jsonl, a record lost, text that is no JSON
    assert tally.outcomes["record"] > MUTANTS // 10  # the mutants reach the aligner, not only the refusals


@pytest.mark.parametrize("case", output_cases(), ids=lambda c: c.name)
def test_output_case_leaves_other_files_alone_and_out_whole_or_as_it_was(case):
    assert run_output_case(case) == []


def test_closed_pipe_and_ctrl_c_end_quietly():
    assert pipe_and_interrupt_failures(folder_of=300) == []
