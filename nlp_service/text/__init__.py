"""Text normalisation: raw input -> normalised text with a map back to raw offsets."""

from nlp_service.text.normalize import NormalizedText, normalize

__all__ = ["NormalizedText", "normalize"]
