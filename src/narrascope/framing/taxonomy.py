"""The SemEval-2025 Task 10 label sets: narratives, sub-narratives and entity roles.

Narrative labels are written the way the task writes them: ``"URW: Discrediting
Ukraine"`` for a narrative, ``"URW: Discrediting Ukraine: Ukraine is associated
with nazism"`` for a sub-narrative, ``"URW: Discrediting Ukraine: Other"`` when the
narrative holds without one of its sub-narratives, and ``"Other"`` for an article
that carries none.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

OTHER = "Other"

# Main roles and their fine roles (the task's entity-framing taxonomy).
ROLES: dict[str, tuple[str, ...]] = {
    "Protagonist": ("Guardian", "Martyr", "Peacemaker", "Rebel", "Underdog", "Virtuous"),
    "Antagonist": ("Instigator", "Conspirator", "Tyrant", "Foreign Adversary", "Traitor", "Spy",
                   "Saboteur", "Corrupt", "Incompetent", "Terrorist", "Deceiver", "Bigot"),
    "Innocent": ("Forgotten", "Exploited", "Victim", "Scapegoat"),
}
MAIN_ROLES: tuple[str, ...] = tuple(ROLES)
FINE_ROLES: tuple[str, ...] = tuple(r for fines in ROLES.values() for r in fines)


@dataclass(frozen=True)
class Taxonomy:
    """Narratives by domain, each with its sub-narratives (task labels, full form)."""

    narratives: tuple[str, ...]               # "URW: Discrediting Ukraine"
    subnarratives: dict[str, tuple[str, ...]]  # narrative -> its sub labels, "X: Other" last

    @property
    def fine_labels(self) -> tuple[str, ...]:
        return tuple(s for n in self.narratives for s in self.subnarratives[n])

    def parent(self, sub: str) -> str:
        """Narrative of a sub-narrative label ("URW: A: b" -> "URW: A")."""
        for n in self.narratives:
            if sub.startswith(n + ": "):
                return n
        raise KeyError(sub)

    @classmethod
    def from_json(cls, data: dict) -> "Taxonomy":
        narratives, subs = [], {}
        for domain, by_narrative in data.items():
            for name, fines in by_narrative.items():
                label = f"{domain}: {name}"
                narratives.append(label)
                subs[label] = tuple(f"{label}: {s}" for s in fines) + (f"{label}: {OTHER}",)
        return cls(tuple(narratives), subs)

    @classmethod
    def load(cls, path: str | Path) -> "Taxonomy":
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))

    def to_json(self) -> dict:
        out: dict[str, dict[str, list[str]]] = {}
        for n in self.narratives:
            domain, name = n.split(": ", 1)
            out.setdefault(domain, {})[name] = [s[len(n) + 2:] for s in self.subnarratives[n]
                                               if not s.endswith(f": {OTHER}")]
        return out
