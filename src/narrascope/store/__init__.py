"""Storage: one DuckDB file behind one class, ``Store`` (schema in ``migrations``)."""
from ..errors import StoreError
from .db import EXPORT_KEYS, INGESTED, UNCHANGED, VERSION, AmbiguousId, ArticleNotFound, Store
from .migrations import LATEST as SCHEMA_VERSION
from .migrations import MIGRATIONS

__all__ = ["Store", "StoreError", "AmbiguousId", "ArticleNotFound", "EXPORT_KEYS", "MIGRATIONS",
           "SCHEMA_VERSION", "INGESTED", "VERSION", "UNCHANGED"]
