"""Events, the main event, the cross-article timeline and publication-date inference."""
import json

import pytest

from conftest import GOLD, SEEDS, needs
from narrascope.extract.events import Event, extract_events, participants_of
from narrascope.extract.timeline import (apply_inferred, build_timeline, dates_compatible,
                                         infer_published)

# A small story told by four outlets (written for these tests). 2023-03-07 is a Tuesday.
COURIER = """Engineers on Tuesday began draining the Kessler reservoir after cracks were found in the dam wall above Dunmore.

The regional water authority said the cracks were first spotted by a maintenance crew on Feb. 27, 2023. The dam was built in 1962 and last strengthened in 2004.

"We are lowering the water level as a precaution," authority director Helen Markby said on Tuesday.

Residents of Dunmore were evacuated in 2004 during the strengthening works, when the reservoir was emptied for three months.

The authority will hold a public meeting on Friday in Dunmore town hall."""

POST = """Workers began draining the Kessler reservoir on Tuesday after engineers found cracks in the wall of the dam that towers over Dunmore.

Helen Markby, who heads the water authority, said the cracks were noticed during a routine inspection in late February.

The 1962 dam had been reinforced in 2004, a project that forced Dunmore families out of their homes for three months.

A public meeting on the draining is due to take place on Friday."""

WIRE = """Engineers on Tuesday began draining the Kessler reservoir after cracks were found in the dam wall above Dunmore, officials said.

The reservoir supplies drinking water to about 40,000 homes. Bottled water will be handed out from Thursday.

The dam opened in 1962."""

GAZETTE = """On Tuesday, a landslide closed the A82 road north of Dunmore for six hours.

Police said on Tuesday that no one was hurt.

The water authority opened the public meeting on Friday, where residents questioned Helen Markby about the 2004 evacuation."""

STORY = [
    {"id": "courier", "publisher": "Northern Courier", "published": "2023-03-08",
     "title": "Engineers drain Kessler reservoir after dam cracks found", "text": COURIER},
    {"id": "post", "publisher": "Valley Post", "published": "2023-03-07",
     "title": "Cracked dam: Kessler reservoir being drained", "text": POST},
    {"id": "wire", "publisher": None, "published": None, "title": "Kessler reservoir drained", "text": WIRE},
    {"id": "gazette", "publisher": "Hill Gazette", "published": "2023-03-10",
     "title": "Landslide shuts A82; dam meeting heated", "text": GAZETTE},
]


def with_events(docs):
    return [dict(d, events=extract_events(d["text"], d["published"], d.get("title"))) for d in docs]


def entry_with(timeline, doc_id, needle, date=None):
    """The entry holding doc_id's sentence containing needle (of that date, when given)."""
    hits = [e for e in timeline.entries
            if any(s["doc_id"] == doc_id and needle in s["text"] and date in (None, s["date"])
                   for s in e.sources)]
    assert len(hits) == 1, (doc_id, needle, hits)
    return hits[0]


def doc_ids(entry):
    return {s["doc_id"] for s in entry.sources}


# ------------------------------------------------------------------ events
def test_events_one_per_resolved_date_with_offsets():
    evs = extract_events(COURIER, "2023-03-08")
    got = [(e.date, COURIER[e.expr_start:e.expr_end]) for e in evs]
    assert got == [("2023-03-07", "Tuesday"), ("2023-02-27", "Feb. 27, 2023"), ("1962", "1962"),
                   ("2004", "2004"), ("2023-03-07", "Tuesday"), ("2004", "2004"), ("2023-03-10", "Friday")]
    for e in evs:
        assert COURIER[e.start:e.end] == e.text and e.start <= e.expr_start < e.expr_end <= e.end
    # the sentence with "Feb." is not cut at the abbreviation
    assert evs[1].text == ("The regional water authority said the cracks were first spotted by a "
                           "maintenance crew on Feb. 27, 2023.")
    # two dates in one sentence: two events over the same sentence
    assert evs[2].text == evs[3].text == "The dam was built in 1962 and last strengthened in 2004."
    assert evs[-1].precision == "day" and not any(e.inferred for e in evs)


def test_more_precise_date_in_a_sentence_wins():
    evs = extract_events("In 2022, on Feb. 24, the columns crossed the border.", "2022-11-30")
    assert [(e.date, e.precision) for e in evs] == [("2022-02-24", "day")]


def test_unresolved_dates_make_no_events():
    assert [e.date for e in extract_events(WIRE, None)] == ["1962"]
    assert extract_events("The bridge reopened on Tuesday.", None) == []


def test_main_event_matches_title():
    evs = extract_events(COURIER, "2023-03-08", STORY[0]["title"])
    main = [e for e in evs if e.main]
    assert len(main) == 1 and main[0].text.startswith("Engineers on Tuesday began draining")


def test_main_event_without_title_is_first_near_publication():
    text = "The pier was built in 1911. It collapsed on Sunday. Divers searched on Monday."
    evs = extract_events(text, "2023-03-07")
    assert [e.text for e in evs if e.main] == ["It collapsed on Sunday."]
    assert not any(e.main for e in extract_events("The pier was built in 1911.", "2023-03-07"))


@pytest.mark.parametrize("sentence,names", [
    ("CIA Director William Burns wrote to the Joint Chiefs of Staff in 2008.",
     ["CIA", "William Burns", "Joint Chiefs of Staff"]),
    ("On Friday, President Ana Ortiz met Mr. Tomas Ruiz in San Pedro.", ["Ana Ortiz", "Tomas Ruiz", "San Pedro"]),
    ("Residents of Dunmore were evacuated.", ["Dunmore"]),
    ("European Commission President Ursula von der Leyen spoke.", ["European Commission", "Ursula von der Leyen"]),
])
def test_participants(sentence, names):
    assert participants_of(sentence) == names


def test_event_round_trips_as_dict():
    e = extract_events(COURIER, "2023-03-08")[0]
    assert Event.from_dict(e.as_dict()) == e


# ------------------------------------------------------------------ timeline
@pytest.mark.parametrize("a,b,ok", [
    ("2008", "2008-04-03", True), ("2008-04-03", "2008", True), ("2022-11-29", "2022-11-29", True),
    ("2022-11-29", "2022-11-30", False), ("2022-W48", "2022-11-29", True), ("2022-02", "2022-03-01", False),
    ("2021-10/2022-03", "2022-02-24", True), ("1990s", "1994", True), ("2008", "2009", False),
])
def test_dates_compatible(a, b, ok):
    assert dates_compatible(a, b) is ok


@pytest.fixture(scope="module")
def story_timeline():
    docs = with_events(STORY)
    inferred = infer_published(docs)
    return inferred, build_timeline(apply_inferred(docs, inferred))


def test_same_happening_merges_across_outlets(story_timeline):
    _, tl = story_timeline
    draining = entry_with(tl, "courier", "Engineers on Tuesday began draining")
    assert draining.date == "2023-03-07" and draining.precision == "day"
    assert doc_ids(draining) == {"courier", "post", "wire"}
    meeting = entry_with(tl, "gazette", "opened the public meeting", "2023-03-10")
    assert meeting.date == "2023-03-10" and doc_ids(meeting) == {"courier", "post", "gazette"}
    built = entry_with(tl, "wire", "The dam opened in 1962.")
    assert doc_ids(built) == {"courier", "post", "wire"}
    # a day and a range that contains it: "on Feb. 27, 2023" and "in late February"
    cracks = entry_with(tl, "post", "routine inspection")
    assert doc_ids(cracks) == {"courier", "post"} and cracks.date == "2023-02-27"
    evac = entry_with(tl, "gazette", "2004 evacuation", "2004")
    assert "courier" in doc_ids(evac)


def test_same_day_different_happening_stays_apart(story_timeline):
    _, tl = story_timeline
    landslide = entry_with(tl, "gazette", "landslide")
    assert "courier" not in doc_ids(landslide) and landslide.date == "2023-03-07"


def test_entries_have_ids_labels_sources(story_timeline):
    _, tl = story_timeline
    dates = [e.date for e in tl.entries]
    assert dates[0] == "1962"
    for e in tl.entries:
        assert len(e.event_id) == 16 and e.label and e.sources
        for s in e.sources:
            assert set(s) >= {"doc_id", "publisher", "text", "start", "end"}


def test_event_ids_do_not_depend_on_input_order(story_timeline):
    inferred, tl = story_timeline
    docs = apply_inferred(with_events(STORY), inferred)
    again = build_timeline(list(reversed(docs)))
    assert sorted(e.event_id for e in again.entries) == sorted(e.event_id for e in tl.entries)


def test_infer_published_from_shared_sentence(story_timeline):
    inferred, tl = story_timeline
    assert set(inferred) == {"wire"}
    date, evidence = inferred["wire"]
    assert date == "2023-03-07"
    assert evidence["doc_id"] == "courier" and evidence["expr"] == "Tuesday"
    assert "draining the Kessler reservoir" in evidence["sentence"]
    assert "draining the Kessler reservoir" in evidence["matched"]
    # re-resolved against the inferred date: "from Thursday" (future) is 2023-03-09
    water = entry_with(tl, "wire", "Bottled water")
    assert water.date == "2023-03-09" and water.sources[0]["inferred"] is True
    built = [s for s in entry_with(tl, "wire", "The dam opened").sources if s["doc_id"] == "wire"]
    assert built[0]["inferred"] is False  # "in 1962" never needed the date


def test_no_inference_without_a_shared_event():
    docs = with_events([STORY[0], {"id": "x", "published": None, "text": "The choir sang on Tuesday."}])
    assert infer_published(docs) == {}


def test_inference_checks_the_weekday():
    # same wording, but the undated doc says Monday: the Tuesday event cannot date it
    text = COURIER.split("\n\n")[0].replace("Tuesday", "Monday")
    docs = with_events([STORY[0], {"id": "x", "published": None, "text": text}])
    assert infer_published(docs) == {}


# ------------------------------------------------------------------ seeds (read at test time)
@pytest.fixture(scope="module")
def seeds():
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["documents"]
    docs = []
    for name, g in gold.items():
        text = open(SEEDS / name, encoding="utf-8").read()
        docs.append({"id": name, "publisher": g["publisher"], "published": g["published"],
                     "title": g["title"], "text": text,
                     "events": extract_events(text, g["published"], g["title"])})
    inferred = infer_published(docs)
    return gold, docs, inferred, apply_inferred(docs, inferred)


def _matches(ev, g):
    return ev.date.startswith(g["date"]) and any(m in ev.text for m in g["mentions"])


@needs(GOLD)
def test_seed_gold_events_found(seeds):
    gold, docs, inferred, redone = seeds
    missing = []
    for d, r in zip(docs, redone):
        events = d["events"] + (r["events"] if r is not d else [])
        for g in gold[d["id"]]["events"]:
            if not any(_matches(ev, g) for ev in events):
                missing.append((d["id"], g["date"], g["mentions"]))
    assert not missing


@needs(GOLD)
def test_seed_undated_article_dated_through_shared_event(seeds):
    gold, docs, inferred, _ = seeds
    undated = {d["id"] for d in docs if not d["published"]}
    doc003 = next(i for i in undated if i.startswith("003_"))
    date, evidence = inferred[doc003]
    assert date == "2022-11-29"
    assert evidence["doc_id"].startswith("000_") and evidence["expr"] == "Tuesday"
    assert "doubled down" in evidence["sentence"] and "doubled down" in evidence["matched"]
    assert not any(i.startswith("002_") for i in inferred)  # nothing it shares is dated


def _in_entry(entry, doc_id, ev):
    return any(s["doc_id"] == doc_id and s["start"] == ev.start and s["expr_start"] == ev.expr_start
               for s in entry.sources)


@needs(GOLD)
def test_seed_bucharest_summit_is_one_entry(seeds):
    gold, _, _, redone = seeds
    tl = build_timeline(redone)
    by_prefix = {d["id"][:3]: d["id"] for d in redone}
    summit = entry_with(tl, by_prefix["003"], "met in Bucharest in 2008")
    cable = entry_with(tl, by_prefix["004"], "Nyet means Nyet")
    assert summit.event_id != cable.event_id
    assert summit.date == "2008" and cable.date == "2008-02-01"
    assert {s["doc_id"][:3] for s in summit.sources} == {"000", "001", "002", "003"}
    assert {s["doc_id"][:3] for s in cable.sources} == {"000", "002", "004"}
    # every gold 2008 event of every seed is told in one of the two entries
    for d in redone:
        for g in gold[d["id"]]["events"]:
            if g["date"].startswith("2008"):
                entry = cable if "Burns" in g["what"] else summit
                assert any(_in_entry(entry, d["id"], ev) for ev in d["events"] if _matches(ev, g)), (d["id"], g)


@needs(GOLD)
def test_seed_same_tuesday_meeting_merges(seeds):
    _, _, _, redone = seeds
    tl = build_timeline(redone)
    hits = [e for e in tl.entries if e.date == "2022-11-29"
            and sum("doubled down" in s["text"] for s in e.sources) == 2]
    assert len(hits) == 1
    assert {s["doc_id"][:3] for s in hits[0].sources} == {"000", "003"}
