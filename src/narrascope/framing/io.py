"""The packaged framing model: ``model.json`` (vocabularies, labels, decisions, provenance)
and ``weights.npz`` (idf vectors and int8 weights) in one folder; the multilingual narrative
model beside them in ``multilingual.json`` and ``multilingual.npz`` (optional)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..errors import NarrascopeError
from .lexical import GroupedVectorizer, LinearHead, Vectorizer
from .narratives import Decision, NarrativeModel
from .roles import RoleDecision, RoleModel
from .taxonomy import Taxonomy

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "data" / "framing"
DEFINITIONS = "definitions.json"
ML_META, ML_WEIGHTS = "multilingual.json", "multilingual.npz"
ML_FORMAT = 1   # {label: definition} of the taxonomy, for the language-model backend
FORMAT = 2  # 2: role features in groups (GroupedVectorizer)


def save(folder: str | Path, narratives: NarrativeModel, roles: RoleModel | None, taxonomy: Taxonomy,
         about: dict | None = None) -> None:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    meta: dict = {"format": FORMAT, "about": about or {}, "taxonomy": taxonomy.to_json(),
                  "decision": narratives.decision.as_dict()}
    arrays: dict[str, np.ndarray] = {}
    parts = [("nv", narratives.vectorizer), ("nc", narratives.coarse), ("nf", narratives.fine)]
    if roles is not None:
        meta["role_decision"] = roles.decision.as_dict()
        parts += [("rv", roles.vectorizer), ("rm", roles.main), ("rf", roles.fine)]
    for prefix, part in parts:
        m, a = part.to_arrays(prefix)
        meta.update(m)
        arrays.update(a)
    (folder / "model.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    np.savez_compressed(folder / "weights.npz", **arrays)


def load(folder: str | Path = DEFAULT_DIR) -> tuple[NarrativeModel, RoleModel | None, Taxonomy, dict]:
    folder = Path(folder)
    if not (folder / "model.json").exists() or not (folder / "weights.npz").exists():
        raise NarrascopeError(f"{folder}: no framing model here (run `make train` to build one)")
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise NarrascopeError(f"{folder}: framing model format {meta.get('format')}, expected {FORMAT}; retrain it")
    with np.load(folder / "weights.npz") as z:
        arrays = {k: z[k] for k in z.files}
    narr = NarrativeModel(Vectorizer.from_arrays("nv", meta, arrays), LinearHead.from_arrays("nc", meta, arrays),
                          LinearHead.from_arrays("nf", meta, arrays), Decision(**meta["decision"]))
    roles = None
    if "role_decision" in meta:
        roles = RoleModel(GroupedVectorizer.from_arrays("rv", meta, arrays), LinearHead.from_arrays("rm", meta, arrays),
                          LinearHead.from_arrays("rf", meta, arrays), RoleDecision(**meta["role_decision"]))
    return narr, roles, Taxonomy.from_json(meta["taxonomy"]), meta.get("about", {})


def save_definitions(folder: str | Path, definitions: dict[str, str]) -> None:
    Path(folder).mkdir(parents=True, exist_ok=True)
    (Path(folder) / DEFINITIONS).write_text(json.dumps(definitions, ensure_ascii=False, indent=0), encoding="utf-8")


def load_definitions(folder: str | Path = DEFAULT_DIR) -> dict[str, str]:
    """The label definitions shipped with the model in ``folder`` (empty when it has none)."""
    path = Path(folder) / DEFINITIONS
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as e:
        raise NarrascopeError(f"{path}: not valid JSON ({e})") from e
    if not isinstance(data, dict):
        raise NarrascopeError(f"{path}: expected an object of label -> definition")
    return {str(k): str(v) for k, v in data.items()}


def save_multilingual(folder: str | Path, model, languages: list[str], about: dict | None = None) -> None:
    """The multilingual narrative model and the languages it answers for."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    meta, arrays = model.to_arrays()
    meta.update({"format": ML_FORMAT, "serves": sorted(languages), "about": about or {}})
    (folder / ML_META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    np.savez_compressed(folder / ML_WEIGHTS, **arrays)


def load_multilingual(folder: str | Path = DEFAULT_DIR):
    """``(model, languages it serves, about)``, or ``None`` when the folder has no multilingual model."""
    from .multilingual import MultilingualNarrativeModel

    folder = Path(folder)
    if not (folder / ML_META).exists() or not (folder / ML_WEIGHTS).exists():
        return None
    meta = json.loads((folder / ML_META).read_text(encoding="utf-8"))
    if meta.get("format") != ML_FORMAT:
        raise NarrascopeError(f"{folder}: multilingual framing model format {meta.get('format')}, "
                              f"expected {ML_FORMAT}; retrain it")
    with np.load(folder / ML_WEIGHTS) as z:
        arrays = {k: z[k] for k in z.files}
    return MultilingualNarrativeModel.from_arrays(meta, arrays), frozenset(meta["serves"]), meta.get("about", {})
