"""Read labelled data in the task's format.

A folder holds ``*-documents/`` (one ``ID.txt`` per article; the training release
calls it ``train-documents``, others ``raw-documents``), a narratives file
(``ID<TAB>narratives<TAB>sub-narratives``, ``;``-separated) and optionally an
entity-roles file (``ID<TAB>mention<TAB>start<TAB>end<TAB>main role<TAB>fine roles...``,
offsets into the document, ``end`` inclusive as the task writes it).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import NarrascopeError
from .taxonomy import Taxonomy


@dataclass
class RoleMention:
    mention: str
    start: int               # offset of the first character
    end: int                 # offset one past the last character (Python style)
    main_role: str
    fine_roles: tuple[str, ...]


@dataclass
class Document:
    id: str
    text: str
    narratives: tuple[str, ...] = ()
    subnarratives: tuple[str, ...] = ()
    roles: list[RoleMention] = field(default_factory=list)


@dataclass
class Dataset:
    documents: list[Document]
    taxonomy: Taxonomy | None = None

    @property
    def labelled(self) -> list[Document]:
        return [d for d in self.documents if d.narratives]


def _split(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(x.strip() for x in cell.split(";") if x.strip()))


def _find(folder: Path, patterns: tuple[str, ...]) -> Path | None:
    for pat in patterns:
        hits = sorted(folder.glob(pat))
        if hits:
            return hits[0]
    return None


def read_narratives(path: Path) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.rstrip("\n").split("\t")
        if len(cells) >= 3 and cells[0].strip():
            out[cells[0].strip()] = (_split(cells[1]), _split(cells[2]))
    return out


def read_roles(path: Path) -> dict[str, list[RoleMention]]:
    out: dict[str, list[RoleMention]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) < 6 or not cells[2].isdigit():
            continue
        start, end = int(cells[2]), int(cells[3]) + 1
        out.setdefault(cells[0], []).append(
            RoleMention(cells[1], start, end, cells[4], tuple(c for c in cells[5:] if c)))
    return out


def load_dataset(folder: str | Path) -> Dataset:
    """Documents of a task-format folder with whatever labels it has."""
    folder = Path(folder)
    docs_dir = next((p for p in sorted(folder.glob("*documents")) if p.is_dir()), None)
    if docs_dir is None:
        raise NarrascopeError(f"{folder}: no '*-documents' folder of articles (the task's layout)")
    narr_file = _find(folder, ("*subtask-2*.txt", "*narratives*.txt"))
    role_file = _find(folder, ("*subtask-1*.txt", "*entit*roles*.txt"))
    tax_file = _find(folder, ("taxonomy.json",))
    narratives = read_narratives(narr_file) if narr_file else {}
    roles = read_roles(role_file) if role_file else {}
    docs = []
    for p in sorted(docs_dir.glob("*.txt")):
        n, s = narratives.get(p.name, ((), ()))
        docs.append(Document(p.name, p.read_text(encoding="utf-8"), n, s, roles.get(p.name, [])))
    return Dataset(docs, Taxonomy.load(tax_file) if tax_file else None)


def _name_key(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\u2019", "'")).strip().lower()


def read_definitions(folder: str | Path, taxonomy: Taxonomy) -> dict[str, str]:
    """Definitions of the taxonomy's labels from the task's ``narrative-definitions.csv`` and
    ``subnarrative-definitions.csv`` (``{full label: definition}``; empty when the files are absent).

    The files name a narrative without its domain; a name used in two domains ("Hidden plots
    by secret schemes of powerful groups") is given to the domains in the order the rows come,
    which is the taxonomy's order.
    """
    folder = Path(folder)
    out: dict[str, str] = {}
    subs = [s for n in taxonomy.narratives for s in taxonomy.subnarratives[n] if not s.endswith(": Other")]
    for fname, labels in (("narrative-definitions.csv", list(taxonomy.narratives)), ("subnarrative-definitions.csv", subs)):
        path = folder / fname
        if not path.exists():
            continue
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f):
                if len(row) < 2 or row[0].strip().lower() in ("narrative", "subnarrative"):
                    continue
                key, definition = _name_key(row[0]), row[1].strip()
                free = [l for l in labels if l not in out and _name_key(l.rsplit(": ", 1)[-1]) == key]
                if not free and fname.startswith("narrative"):
                    free = [l for l in labels if l not in out and _name_key(l.split(": ", 1)[-1]) == key]
                if free and definition:
                    out[free[0]] = definition
    return out
