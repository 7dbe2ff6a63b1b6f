"""yeonpyo (연표, "chronology"): a bilingual static timeline generator with source citations."""

__version__ = "0.1.0"
