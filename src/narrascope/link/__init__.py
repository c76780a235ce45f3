"""Cross-article stages: what only a corpus can say (timeline; later duplicates, stories, claims)."""
