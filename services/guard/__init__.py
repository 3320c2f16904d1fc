"""Guard: PII and secret redaction of model output, whole texts and token streams."""
