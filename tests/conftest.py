"""Shared paths and markers: tests over ../shared skip cleanly when it is absent."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BIREG_SHARED") or ROOT.parent / "shared")  # a worktree can point at it
EXAMPLE = ROOT / "corpus" / "ChiCTR2699000001.txt"

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is absent")


def seed(prefix: str) -> Path:
    return next((SHARED / "seeds").glob(f"{prefix}_*.txt"))


def corpus_texts() -> list[Path]:
    return sorted((SHARED / "corpus" / "text").glob("*.txt")) if SHARED.is_dir() else []
