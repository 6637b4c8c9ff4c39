"""Segmentation: paragraphs, sentences and words, each as spans."""
