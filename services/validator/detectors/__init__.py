"""Detectors: one per file, listed explicitly in :mod:`services.validator.detectors.registry`."""
