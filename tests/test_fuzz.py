"""Issue 11: the fuzzing suite, bounded for CI. Every reader path gets hostile generated input and
must answer with prcli's own error or a release that is safe to write and to export: never a
traceback, never a wrong acceptance (see tests/fuzzcases.py; benchmarks/fuzz.py runs thousands)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from .fuzzcases import PATHS, classify

EXAMPLES = 120  # per path: a few seconds each on 2 cores


@pytest.mark.parametrize("name", sorted(PATHS))
def test_every_reader_path_survives_hostile_input(name: str) -> None:
    path = PATHS[name]
    seen: dict[str, int] = {}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=path.strategy)
    def check(case: Any) -> None:
        outcome, detail = classify(path, case)
        seen[outcome] = seen.get(outcome, 0) + 1
        assert outcome in ("clean", "accepted"), f"{outcome}: {detail} for {case!r}"[:2000]

    check()
    assert seen.get("clean", 0) + seen.get("accepted", 0) >= EXAMPLES // 2
