"""The bench tools' hooks into the validator still point at what they name (a renamed function would otherwise be
switched off by adding a new attribute nobody calls, and ``bench.validator_ab`` would time nothing)."""

from __future__ import annotations

import inspect

from bench.validator_ab import FEATURES


def test_every_switchable_feature_names_an_existing_function() -> None:
    for name, (module, attr, replacement) in FEATURES.items():
        real = getattr(module, attr, None)
        assert callable(real), name
        # The stand-in takes what the real function takes.
        real_params = [p for p in inspect.signature(real).parameters.values() if p.default is p.empty]
        assert len(inspect.signature(replacement).parameters) >= len(real_params), name
