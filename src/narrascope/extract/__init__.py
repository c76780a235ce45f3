"""Extraction stages over clean article text: temporal expressions, dated events, timelines."""
from .events import Event, extract_events
from .temporal import TimeExpr, find_temporal
from .timeline import Timeline, TimelineEntry, apply_inferred, build_timeline, infer_published

__all__ = ["TimeExpr", "find_temporal", "Event", "extract_events", "Timeline", "TimelineEntry",
           "build_timeline", "infer_published", "apply_inferred"]
