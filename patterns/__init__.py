"""Rule data (medspaCy rules, code tables, payer profiles); shipped as ``extractor.patterns``."""
