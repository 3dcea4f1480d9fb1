"""Fuzzing bireg: mutants of the real corpus, pathological shapes and filesystem cases, each run under a
time and memory budget (see `harness`). `tests/test_fuzz.py` runs a short round; `benchmarks/fuzz.py`
the long one."""
