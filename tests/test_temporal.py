"""Temporal expressions: each resolution rule on sentences written for these tests."""
import pytest

from narrascope.extract.temporal import (PRECISIONS, find_temporal, publication_date, split_sentences,
                                         value_interval)


def expr_at(sentence, published, expr, tz=None):
    """The expression found over ``expr`` (first occurrence), or None."""
    i = sentence.index(expr)
    hits = [e for e in find_temporal(sentence, published, tz) if e.start < i + len(expr) and e.end > i]
    assert len(hits) <= 1, hits
    return hits[0] if hits else None


def check(sentence, published, expr, value, precision):
    e = expr_at(sentence, published, expr)
    assert e is not None, f"{expr!r} not found in {sentence!r}"
    assert (e.value, e.precision) == (value, precision), e
    assert sentence[e.start:e.end] == e.text


# 2022-11-29 is a Tuesday, 2024-02-25 a Sunday, 2023-01-10 a Tuesday.
WEEKDAYS = [
    # past tense: last such day on or before publication, the same day included
    ("The port authority reopened the harbour on Tuesday.", "2022-11-29", "Tuesday", "2022-11-29"),
    ("The port authority reopened the harbour on Tuesday.", "2022-11-30", "Tuesday", "2022-11-29"),
    ("The port authority reopened the harbour on Tuesday.", "2022-12-05", "Tuesday", "2022-11-29"),
    ("Voters went to the polls Saturday in a tense run-off.", "2024-02-25", "Saturday", "2024-02-24"),
    ("Prices slipped on Friday, traders said.", "2023-01-02", "Friday", "2022-12-30"),  # across New Year
    ("Last Tuesday the orchestra played its final concert.", "2022-11-29", "Last Tuesday", "2022-11-22"),
    ("Divers recovered the bell on Sunday evening.", "2024-02-26", "Sunday evening", "2024-02-25"),
    # future tense: the next one after publication
    ("The cabinet will decide on Friday whether to extend the curfew.", "2022-11-29", "Friday", "2022-12-02"),
    ("The report is due to be published on Monday.", "2024-02-25", "Monday", "2024-02-26"),
    ("The airline is expected to resume flights Wednesday.", "2023-01-10", "Wednesday", "2023-01-11"),
    ("The orchestra plays its next concert next Tuesday.", "2022-11-29", "next Tuesday", "2022-12-06"),
    ("Ahead of Sunday's derby, the coach rested three players.", "2024-02-22", "Sunday", "2024-02-25"),
    ("The council said the road would reopen on Thursday.", "2023-01-10", "Thursday", "2023-01-12"),
    ("Ministers met on Thursday and will meet again next week.", "2023-01-10", "Thursday", "2023-01-05"),
]


@pytest.mark.parametrize("sentence,published,expr,value", WEEKDAYS)
def test_weekdays_resolve_by_tense(sentence, published, expr, value):
    check(sentence, published, expr, value, "day")


MONTHS = [
    ("The dockers went on strike in March.", "2022-11-30", "March", "2022-03", "month"),
    ("In December the firm cut its forecast.", "2023-01-10", "December", "2022-12", "month"),  # year boundary
    ("Snow closed the pass in January.", "2023-01-10", "January", "2023-01", "month"),  # the month has begun
    ("The vote will take place in March.", "2022-11-30", "March", "2023-03", "month"),  # future
    ("The hearing is scheduled for April.", "2022-11-30", "April", "2023-04", "month"),
    ("The pilot was released on 12 February.", "2025-02-18", "12 February", "2025-02-12", "day"),
    ("On 18 February, the minister visited the border.", "2025-02-18", "18 February", "2025-02-18", "day"),
    ("The strike began on 20 February.", "2025-02-18", "20 February", "2024-02-20", "day"),  # after pub: a year back
    ("Since Feb. 24 the port has been closed.", "2022-11-30", "Feb. 24", "2022-02-24", "day"),
    ("The plant was shut on February 24 for repairs.", "2022-11-30", "February 24", "2022-02-24", "day"),
    ("Shops ran out of flour on Dec. 30.", "2023-01-10", "Dec. 30", "2022-12-30", "day"),
    ("The ballots will be counted on Dec. 30.", "2022-12-05", "Dec. 30", "2022-12-30", "day"),
    ("Attacks have hit the grid since early October.", "2022-11-29", "early October", "2022-10-01/2022-10-10", "range"),
    ("The deal collapsed in late May.", "2021-06-02", "late May", "2021-05-21/2021-05-31", "range"),
]


@pytest.mark.parametrize("sentence,published,expr,value,precision", MONTHS)
def test_month_without_year(sentence, published, expr, value, precision):
    check(sentence, published, expr, value, precision)


RELATIVE = [
    ("The lake froze this week for the first time in years.", "2022-11-30", "this week", "2022-W48", "week"),
    ("A ferry ran aground last week.", "2022-11-30", "last week", "2022-W47", "week"),
    ("Exports fell last month.", "2023-01-10", "last month", "2022-12", "month"),
    ("The museum received the donation last year.", "2023-01-10", "last year", "2022", "year"),
    ("Auditors found the error earlier this year.", "2022-11-30", "earlier this year", "2022", "year"),
    ("The mill burned down two years ago.", "2022-11-30", "two years ago", "2020", "year"),
    ("The scheme started 3 months ago.", "2022-11-30", "3 months ago", "2022-08", "month"),
    ("The ferry sank a decade ago.", "2022-11-30", "a decade ago", "2012", "year"),
    ("The pipe burst yesterday.", "2023-01-01", "yesterday", "2022-12-31", "day"),
    ("The mayor speaks today.", "2022-11-30", "today", "2022-11-30", "day"),
    ("Fireworks will light up the bay tonight.", "2022-11-30", "tonight", "2022-11-30", "day"),
    ("The count resumes tomorrow.", "2022-12-31", "tomorrow", "2023-01-01", "day"),
    ("Rates will rise again next year.", "2022-11-30", "next year", "2023", "year"),
]


@pytest.mark.parametrize("sentence,published,expr,value,precision", RELATIVE)
def test_relative_to_publication(sentence, published, expr, value, precision):
    check(sentence, published, expr, value, precision)


ABSOLUTE = [
    ("The alliance made the promise back in 2008.", "2022-11-30", "2008", "2008", "year"),
    ("The club has not won the cup since 2008.", "2022-11-30", "2008", "2008", "year"),
    ("The pact was signed in 2008, officials recalled.", None, "2008", "2008", "year"),
    ("On Feb. 1, 2008, the envoy sent a warning.", "2024-02-25", "Feb. 1, 2008", "2008-02-01", "day"),
    ("The tunnel opened on 6 May 1994.", None, "6 May 1994", "1994-05-06", "day"),
    ("Wages stagnated from 2009 to 2013.", None, "2009 to 2013", "2009/2013", "range"),
    ("The overtures came in late 2021 and early 2022.", None, "late 2021 and early 2022", "2021-10/2022-03", "range"),
    ("Rents soared in late 2019.", None, "late 2019", "2019-10/2019-12", "range"),
    ("The mine closed in the 1990s.", None, "1990s", "1990s", "decade"),
    ("The tram lines were ripped up in the early 1960s.", None, "early 1960s", "1960/1963", "range"),
    ("The flood struck in the spring of 2013.", None, "spring of 2013", "2013-03/2013-05", "season"),
    ("Growth slowed in August 2019.", None, "August 2019", "2019-08", "month"),
    ("The registry lists 2024-02-25 as the filing date.", None, "2024-02-25", "2024-02-25", "day"),
]


@pytest.mark.parametrize("sentence,published,expr,value,precision", ABSOLUTE)
def test_absolute_dates(sentence, published, expr, value, precision):
    check(sentence, published, expr, value, precision)


SEASONS = [
    ("The river burst its banks in the spring.", "2023-09-12", "spring", "2023-03/2023-05"),
    ("The river burst its banks in the spring.", "2023-02-12", "spring", "2022-03/2022-05"),
    ("The new wing will open in the summer.", "2024-01-15", "summer", "2024-06/2024-08"),
    ("The well ran dry last winter.", "2022-07-01", "last winter", "2021-12/2022-02"),
    ("Talks resume this autumn.", "2022-07-01", "this autumn", "2022-09/2022-11"),
]


@pytest.mark.parametrize("sentence,published,expr,value", SEASONS)
def test_seasons(sentence, published, expr, value):
    check(sentence, published, expr, value, "season")


ANCHORED = [
    ("The bridge closed on Monday. The following day, ferries doubled their runs.", "2022-11-30",
     "The following day", "2022-11-29", "day"),
    ("The strike began on 3 March 2019; a day later the port shut.", None, "a day later", "2019-03-04", "day"),
    ("The jury retired on Jan. 5, 2021, and returned its verdict the next day.", None, "the next day",
     "2021-01-06", "day"),
    ("The firm was founded in 1999 and listed two years later.", None, "two years later", "2001", "year"),
    ("Rebels took the town on 9 July 2016. The previous day, the army had withdrawn.", None,
     "The previous day", "2016-07-08", "day"),
]


@pytest.mark.parametrize("sentence,published,expr,value,precision", ANCHORED)
def test_anchored_on_previous_expression(sentence, published, expr, value, precision):
    check(sentence, published, expr, value, precision)


def test_anchor_does_not_cross_paragraphs():
    text = "The bridge closed on 2 May 2020.\n\nThe following day, nobody came."
    e = expr_at(text, None, "The following day")
    assert e.value is None and e.relative


def test_anchor_without_date_is_unresolved():
    e = expr_at("The next day, the crowd returned.", "2022-11-30", "The next day")
    assert e.value is None and e.precision == "day"


UNDATED = [
    ("The minister resigned on Tuesday.", "Tuesday", None, "day"),
    ("The port reopened this week.", "this week", None, "week"),
    ("Sales collapsed in March.", "March", None, "month"),
    ("The bank was fined last year.", "last year", None, "year"),
    ("The bank was fined two years ago.", "two years ago", None, "year"),
    ("Troops crossed the border on Feb. 24.", "Feb. 24", None, "day"),
    ("The treaty was signed on Feb. 1, 2008.", "Feb. 1, 2008", "2008-02-01", "day"),
    ("The treaty was signed in 2008.", "2008", "2008", "year"),
]


@pytest.mark.parametrize("sentence,expr,value,precision", UNDATED)
def test_undated_article_keeps_relative_unresolved(sentence, expr, value, precision):
    e = expr_at(sentence, None, expr)
    assert e is not None
    assert (e.value, e.precision) == (value, precision)
    assert e.relative == (value is None)


NOT_DATES = [
    ("Slovakia pledged 30 armored vehicles and more shells.", "30"),
    ("The agency announced $53 million for the grid.", "53"),
    ("Members agreed to spend 1% of output on defence.", "1"),
    ("Kyiv asked again for Patriot batteries.", "Patriot"),
    ("Officials worry that Russia may target them later.", "may"),
    ("Thousands joined a march to the parliament.", "march"),
    ("The March on the capital drew thousands.", "March"),
    ("He handed out 2000 leaflets before the rally.", "2000"),
    ("The index closed at 1987.5 points.", "1987.5"),
    ("Good Friday processions were cancelled.", "Friday"),
    ("The Sunday Times published the letter.", "Sunday"),
    ("She gave an interview to USA Today.", "Today"),
    ("The one day they agreed on was never fixed.", "one day"),
    ("Stocks could fall further.", "fall"),
    ("The 10-year plan was drafted by the ministry.", "10-year"),
    ("The score stood at 2-1 after 90 minutes.", "2-1"),
    ("© 2025 The Daily Example. All rights reserved.", "2025"),
]


@pytest.mark.parametrize("sentence,expr", NOT_DATES)
def test_not_dates(sentence, expr):
    assert expr_at(sentence, "2022-11-30", expr) is None


def test_offsets_point_into_text_and_flags():
    text = "Talks ended on Tuesday.\n\nThe envoy will return on Friday, after the 2008 accord lapsed."
    found = find_temporal(text, "2022-11-30")
    assert [text[e.start:e.end] for e in found] == ["Tuesday", "Friday", "2008"]
    tue, fri, y = found
    assert (tue.relative, tue.future) == (True, False)
    assert (fri.value, fri.future) == ("2022-12-02", True)
    assert (y.relative, y.future) == (False, False)


def test_publication_with_time_and_timezone():
    # 02:14 UTC on the 26th is still the 25th (a Sunday) in New York
    assert publication_date("2024-02-26T02:14:00+00:00", "America/New_York").isoformat() == "2024-02-25"
    assert publication_date("2024-02-25T21:14:00-05:00").isoformat() == "2024-02-25"
    e = expr_at("The run-off was held on Saturday.", "2024-02-26T02:14:00+00:00", "Saturday")
    assert e.value == "2024-02-24"  # with the UTC date (a Monday) it is still the 24th
    e = find_temporal("Parliament sat today.", "2024-02-26T02:14:00+00:00", tz="America/New_York")[0]
    assert e.value == "2024-02-25"
    assert publication_date(None) is None and publication_date("not a date") is None


@pytest.mark.parametrize("value,first,last", [
    ("2022-11-29", "2022-11-29", "2022-11-29"),
    ("2022-W48", "2022-11-28", "2022-12-04"),
    ("2022-02", "2022-02-01", "2022-02-28"),
    ("2008", "2008-01-01", "2008-12-31"),
    ("1990s", "1990-01-01", "1999-12-31"),
    ("2021-10/2022-03", "2021-10-01", "2022-03-31"),
    ("2021-12/2022-02", "2021-12-01", "2022-02-28"),
])
def test_value_interval(value, first, last):
    a, b = value_interval(value)
    assert (a.isoformat(), b.isoformat()) == (first, last)


@pytest.mark.parametrize("text,expected", [
    ("On Feb. 1, 2008, the U.S. envoy wrote home. He was worried.",
     ["On Feb. 1, 2008, the U.S. envoy wrote home.", "He was worried."]),
    ("Mr. Hale and Dr. Ibe met at St. Mary's. George W. Bush sent a note.",
     ["Mr. Hale and Dr. Ibe met at St. Mary's.", "George W. Bush sent a note."]),
    ('"I was there ... Representing my country," she said. Then she left.',
     ['"I was there ... Representing my country," she said.', "Then she left."]),
    ("Line one has no stop\nLine two does.", ["Line one has no stop", "Line two does."]),
    ('"It is over." The crowd cheered!', ['"It is over."', "The crowd cheered!"]),
])
def test_split_sentences(text, expected):
    assert [text[s:e] for s, e in split_sentences(text)] == expected


TOKENS = ["on", "in", "Tuesday", "Friday", "will", "said", "March", "May", "may", "Feb.", "24", "1,",
          "2008", "late", "early", "and", "the", "following", "day", "1990s", "spring", "last", "year",
          "two", "years", "ago", "next", "week", ",", ".", "\n\n", "$53", "30", "%", "-", "2021", "to"]


def test_never_raises_and_offsets_hold():
    from hypothesis import given, settings, strategies as st

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.sampled_from(TOKENS), max_size=30),
           st.sampled_from([None, "2022-11-30", "2023-01-10T08:00:00+01:00"]))
    def run(words, published):
        text = " ".join(words)
        for e in find_temporal(text, published):
            assert text[e.start:e.end] == e.text and e.precision in PRECISIONS
            assert e.value is None or value_interval(e.value) is not None

    run()
