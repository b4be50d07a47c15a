"""Briefing: assemble bilingual Arabic/English briefing reports and export them."""

from __future__ import annotations

__version__ = "0.1.0"
