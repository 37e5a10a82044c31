"""The growth timer copes with a burst of load and still reports growth that is really super-linear."""

from __future__ import annotations

import time
from collections.abc import Callable

from .watchdog import growth


def _sleeper(seconds: Callable[[int], float]) -> Callable[[], None]:
    calls = [0]

    def work() -> None:
        calls[0] += 1
        time.sleep(seconds(calls[0]))

    return work


def test_a_burst_of_load_on_the_large_runs_of_one_round_is_measured_again() -> None:
    small = _sleeper(lambda call: 0.01)
    large = _sleeper(lambda call: 0.6 if call <= 3 else 0.05)  # the first round's three runs are slowed
    small_seconds, large_seconds = growth(small, large, bound=8.0, pause=0.0)
    assert large_seconds < 8.0 * small_seconds


def test_growth_over_the_bound_in_every_round_is_reported() -> None:
    small = _sleeper(lambda call: 0.01)
    large = _sleeper(lambda call: 0.15)
    small_seconds, large_seconds = growth(small, large, bound=8.0, pause=0.0)
    assert not large_seconds < 8.0 * small_seconds
