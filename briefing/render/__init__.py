"""Renderers that turn a Document into PDF, Word and chart pictures."""
