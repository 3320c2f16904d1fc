"""HotCounter/HotHistogram record exactly what prometheus_client's inc()/observe() record."""

from __future__ import annotations

import math

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from services.common.metrics import LATENCY_BUCKETS, HotCounter, HotHistogram

AMOUNTS = [
    0.0, 0.0001, 0.00010001, 0.00025, 0.0003, 0.001, 0.7, 1, 2.5, 9.99, 10, 10.5, 1e9, -1.0, math.inf, math.nan,
    *(i * 0.000037 for i in range(400)),
]  # fmt: skip


def exposition(hot: bool) -> bytes:
    registry = CollectorRegistry()
    counter = Counter("c", "c", ["a"], registry=registry)
    histogram = Histogram("h", "h", ["a"], buckets=LATENCY_BUCKETS, registry=registry)
    plain = Histogram("p", "p", buckets=(64, 256, 1024), registry=registry)
    if hot:
        c, h, p = HotCounter(counter.labels("x")), HotHistogram(histogram.labels("x")), HotHistogram(plain)
    else:
        c, h, p = counter.labels("x"), histogram.labels("x"), plain
    for amount in AMOUNTS:
        c.inc()
        h.observe(amount)
        p.observe(amount * 1000)
    text = generate_latest(registry)
    # _created timestamps differ between the two registries; everything else must not.
    return b"\n".join(line for line in text.splitlines() if b"_created" not in line)


def test_hot_metrics_expose_the_same_samples_as_prometheus_client() -> None:
    assert exposition(hot=True) == exposition(hot=False)


def test_hot_metrics_refuse_a_parent_metric_without_labels() -> None:
    registry = CollectorRegistry()
    counter = Counter("c", "c", ["a"], registry=registry)
    try:
        HotCounter(counter)
    except ValueError:
        pass
    else:
        raise AssertionError("a labelled parent is not observable")
