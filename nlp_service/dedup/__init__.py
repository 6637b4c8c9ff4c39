"""Deduplication: repeated paragraphs inside an article, layout repair."""
