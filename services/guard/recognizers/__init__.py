"""Recognizers, one per file, registered by name in ``registry.py``."""
