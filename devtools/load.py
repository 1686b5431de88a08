"""Many concurrent writers of pins, for the load test and the store benchmark.

Writers are threads spread over a few stores, as sessions are spread over a few
app processes. Each writer places its pins one by one, as participants do, and
repeats every tenth save with the same token (a double-click).
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field

from rules.pins import PinDraft
from store import Store, open_store

QUARTER = "320"  # Brackel
_BOX = (7.54, 51.51, 7.57, 51.53)
PINS_PER_PARTICIPANT = 4  # below the rate limit of 6 a minute


@dataclass
class LoadResult:
    writers: int
    seconds: float
    confirmed: dict[str, int] = field(default_factory=dict)  # token -> pin id, as confirmed
    latencies_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def writes_per_s(self) -> float:
        return len(self.latencies_s) / self.seconds if self.seconds else 0.0


def draft(writer: int, number: int, rng: random.Random) -> PinDraft:
    west, south, east, north = _BOX
    return PinDraft(
        quarter_id=QUARTER,
        lon=rng.uniform(west, east),
        lat=rng.uniform(south, north),
        category=rng.choice(["dark", "traffic", "groups", "lonely"]),
        time_band=rng.choice(["day", "evening", "night"]),
        severity=rng.choice([1, 2, 3, None]),
        text="",
        token=f"w{writer}-p{number}",
        participant=f"w{writer}-{number // PINS_PER_PARTICIPANT}",
    )


def run_writers(url: str, *, writers: int, pins_each: int, processes: int = 5) -> LoadResult:
    """`writers` threads over `processes` stores on `url`, `pins_each` pins each."""
    stores = [open_store(url) for _ in range(min(processes, writers))]
    result = LoadResult(writers=writers, seconds=0.0)
    lock = threading.Lock()
    barrier = threading.Barrier(writers + 1)

    def write(writer: int) -> None:
        store: Store = stores[writer % len(stores)]
        rng = random.Random(writer)
        barrier.wait()
        for number in range(pins_each):
            one = draft(writer, number, rng)
            try:
                started = time.perf_counter()
                pin = store.add_pin(one)
                took = time.perf_counter() - started
                again = store.add_pin(one) if number % 10 == 0 else pin
            except Exception as exc:  # every error counts against the run
                with lock:
                    result.errors.append(f"{one.token}: {exc!r}")
                continue
            with lock:
                result.latencies_s.append(took)
                result.confirmed[one.token] = pin.id
                if again.id != pin.id:
                    result.errors.append(f"{one.token}: saved twice ({pin.id}, {again.id})")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    for store in stores:
        store.close()
    return result


def missing(url: str, confirmed: dict[str, int]) -> list[str]:
    """Tokens confirmed to a writer that the store does not hold (under the same id)."""
    store = open_store(url)
    try:
        stored = {p.token: p.id for p in store.pins_in_quarter(QUARTER)}
    finally:
        store.close()
    return [token for token, pin_id in confirmed.items() if stored.get(token) != pin_id]
