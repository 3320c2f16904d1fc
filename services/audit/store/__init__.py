"""LogStore backends: SQLite (embedded default) and PostgreSQL (shared by replicas)."""
