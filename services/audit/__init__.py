"""Audit service: a tamper-evident, verifiable log of decisions and interactions."""
