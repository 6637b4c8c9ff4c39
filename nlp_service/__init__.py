"""nlp_service: structured extraction from Chinese policy texts.

The core package is plain Python: text in, frozen result objects out.
``nlp_service.api`` (FastAPI) and ``nlp_service.cli`` are thin shells over it.
"""

__version__ = "0.1.0"
