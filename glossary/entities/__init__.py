"""Entity names across sources: one registry from the glossary, the sources' own definitions
and a seed file; recognition and normalisation (``zhen normalise``)."""
