"""Extractors layered on the document model: numbers -> quantities -> indicators."""
