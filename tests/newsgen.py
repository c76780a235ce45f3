"""Small news articles written from templates of our own, for crash and concurrency tests.

    paths = write_articles(tmp_path / "in", 40)     # 40 .txt files, a few stories told by several outlets

Each happening ("story") is reported by several outlets on nearby days with a
quote from a named official, a dated lead and a closing line of its own, so
every stage (metadata, events, entities, quotes, claims, stories, copies) has
something to find and every file's content is distinct.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

OUTLETS = ["Coastal Herald", "Harbour Times", "Northern Ledger", "Valley Courier", "Port Gazette", "Evening Signal"]
REPORTERS = ["Piet Andersen", "Ada Lind", "Irene Costa", "Tomas Berg", "Mara Vidal", "Jonas Reyes", "Elif Demir"]
STORIES = [
    ("Lisbon", "Lena Okafor", "deputy harbour master",
     "closed the northern pier after inspectors found cracks in two of its concrete supports",
     "Nobody will walk on that pier until the engineers sign it off",
     "The closure led to long queues at the southern quay, where fishing boats now unload."),
    ("Gdansk", "Marek Nowicki", "mayor",
     "approved a plan to plant four thousand trees along the river before the summer",
     "Every street near the water will have shade within three years",
     "Residents had asked for more trees after the heatwave of 2022 triggered water restrictions."),
    ("Bergen", "Sigrid Haugen", "transport director",
     "suspended the night ferry service after a collision with a cargo barge",
     "Safety comes before the timetable, and the ferry stays in port",
     "The collision caused damage to the ferry's bow but injured nobody, the coast guard said."),
    ("Valencia", "Rosa Ibarra", "chief of the water board",
     "cut the hours of irrigation for rice farmers as the reservoir fell to a record low",
     "We are sharing what little water is left as fairly as we can",
     "Farmers' groups said the cuts would lead to a smaller harvest than last year."),
    ("Tallinn", "Kristjan Tamm", "head of the city's libraries",
     "opened a new public library in a former tram depot",
     "A library should be the warmest room in the neighbourhood",
     "The project was delayed by a dispute over the depot's listed facade."),
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
START = date(2023, 3, 6)


def article(i: int, n_stories: int = len(STORIES)) -> tuple[str, str]:
    """(file name, text) of the ``i``-th article."""
    s = i % n_stories
    place, official, role, action, quote, background = STORIES[s]
    outlet = OUTLETS[(i // n_stories) % len(OUTLETS)]
    reporter = REPORTERS[(i * 3 + s) % len(REPORTERS)]
    happened = START + timedelta(days=9 * s)
    published = happened + timedelta(days=(i // n_stories) % 3)
    weekday = WEEKDAYS[happened.weekday()]
    surname = official.split()[-1]
    title = f"{place} {action.split(' after ')[0].split(' as ')[0].replace('closed', 'closes')}"[:90]
    text = (f"{title[0].upper()}{title[1:]}\n\n"
            f"By {reporter}\n\n"
            f"{outlet}, {published:%d %B %Y}\n\n"
            f"{place.upper()} \u2014 The authorities in {place} {action} on {weekday}, officials said.\n\n"
            f"\u201c{quote},\u201d said {official}, the {role}, at a briefing on {weekday}.\n\n"
            f"{background}\n\n"
            f"{surname} said a further announcement would follow within two weeks.\n\n"
            f"This report was filed from desk {i + 1} of the {outlet}.\n")
    return f"{i:04d}-{outlet.lower().replace(' ', '-')}.txt", text


def write_articles(folder: Path, n: int, start: int = 0) -> list[Path]:
    """Write articles ``start .. start+n-1`` into ``folder`` (created); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        name, text = article(i)
        p = folder / name
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths
