"""Shared runtime of the AISec services: settings, server bootstrap, admission
interceptor (auth, scopes, rate limits, metrics, logs), rich errors and the
audit emitter. No service re-implements any of it."""
