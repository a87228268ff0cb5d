"""Logs, metrics and redaction. Light at import: nothing here pulls in SQLAlchemy or FastAPI."""
