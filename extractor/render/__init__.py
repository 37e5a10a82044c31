"""Renderers of a CodingResult for people (text) and integrators (JSON, FHIR, X12)."""
