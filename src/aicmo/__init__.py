"""AICMO: an AI marketing operations console for agencies."""

__version__ = "0.1.0"
