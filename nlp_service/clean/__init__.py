"""The article cleaner: repeated paragraphs and broken paragraphs inside one article.

:mod:`.repeats` finds paragraphs that repeat another of the same article (exact, contained and
OCR-noisy near copies) and :mod:`.layout` rejoins paragraphs that a page layout broke in the middle
of a sentence; the pipeline's cleaning components (:mod:`nlp_service.components`) run both before
extraction. Deduplication across documents and archives is :mod:`nlp_service.dedup`.
"""
