"""HotCounter/HotHistogram update the values directly under one lock (the value's own, the histogram's
sum's): counts, sums and buckets stay exact with several writers and several wrappers of one child,
and values of another kind (multiprocess mode) are updated through their own inc()."""

from __future__ import annotations

import threading
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram

from services.common.metrics import LATENCY_BUCKETS, HotCounter, HotHistogram

THREADS = 6
EACH = 20_000


def test_concurrent_hot_updates_are_exact() -> None:
    registry = CollectorRegistry()
    counter = Counter("c", "c", ["a"], registry=registry)
    histogram = Histogram("h", "h", ["a"], buckets=LATENCY_BUCKETS, registry=registry)
    child = histogram.labels("x")
    # Several HotHistograms over one child (as two wrappers of one method would be) share its lock.
    hots = [(HotCounter(counter.labels("x")), HotHistogram(child)) for _ in range(THREADS)]
    amounts = (2.0**-14, 2.0**-12, 2.0**-9, 8.0, 128.0)  # exact in binary: sums in any order; 128 in +Inf only
    start = threading.Barrier(THREADS)

    def work(hot_counter: HotCounter, hot_histogram: HotHistogram) -> None:
        start.wait()
        for i in range(EACH):
            hot_counter.inc()
            hot_histogram.observe(amounts[i % len(amounts)])

    threads = [threading.Thread(target=work, args=pair) for pair in hots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    total = THREADS * EACH
    assert registry.get_sample_value("c_total", {"a": "x"}) == total
    assert registry.get_sample_value("h_count", {"a": "x"}) == total
    per_amount = total // len(amounts)
    assert registry.get_sample_value("h_sum", {"a": "x"}) == sum(a * per_amount for a in amounts)
    assert registry.get_sample_value("h_bucket", {"a": "x", "le": "0.0001"}) == per_amount
    assert registry.get_sample_value("h_bucket", {"a": "x", "le": "0.0005"}) == 2 * per_amount
    assert registry.get_sample_value("h_bucket", {"a": "x", "le": "10.0"}) == 4 * per_amount


class CountingValue:
    """A value that is not prometheus_client's MutexValue (as in multiprocess mode): only inc()."""

    def __init__(self) -> None:
        self.incs: list[float] = []

    def inc(self, amount: float) -> None:
        self.incs.append(amount)


class FakeChild:
    def __init__(self, bounds: tuple[float, ...] = ()) -> None:
        self._value = CountingValue()
        self._sum = CountingValue()
        self._upper_bounds = list(bounds)
        self._buckets = [CountingValue() for _ in bounds]

    def _raise_if_not_observable(self) -> None:
        pass


def test_other_value_kinds_go_through_their_inc() -> None:
    child: Any = FakeChild()
    HotCounter(child).inc()
    assert child._value.incs == [1]
    histogram: Any = FakeChild((1.0, float("inf")))
    hot = HotHistogram(histogram)
    hot.observe(0.5)
    hot.observe(3.0)
    hot.observe(float("nan"))
    assert histogram._sum.incs[:2] == [0.5, 3.0] and len(histogram._sum.incs) == 3
    assert histogram._buckets[0].incs == [1] and histogram._buckets[1].incs == [1]
