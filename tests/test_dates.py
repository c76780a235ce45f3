import pytest

from narrascope.metadata.dates import find_dates, parse_date, same_day

CASES = [
    ("Metro Ledger, March 9, 2021", "2021-03-09", "day"),
    ("Harbour Post 14 July 2019", "2019-07-14", "day"),
    ("Posted: 2020-06-01", "2020-06-01", "day"),
    ("21/10/2023", "2023-10-21", "day"),
    ("10/21/2023", "2023-10-21", "day"),
    ("Thursday, 2 November 2023 06:30 AM EST", "2023-11-02T06:30:00-05:00", "minute"),
    ("Nov. 2, 2023 at 4:15 p.m. ET", "2023-11-02T16:15:00-04:00", "minute"),
    ("Jan 15, 2024 8:05 PM PT", "2024-01-15T20:05:00-08:00", "minute"),
    ("2022-08-30T14:20:00Z", "2022-08-30T14:20:00+00:00", "minute"),
    ("2022-08-30T14:20:00+0300", "2022-08-30T14:20:00+03:00", "minute"),
    ("the 3rd of May 2018", "2018-05-03", "day"),
    ("December 2020", "2020-12", "month"),
    ("Sept. 9, 2001", "2001-09-09", "day"),
]


@pytest.mark.parametrize("text,value,precision", CASES)
def test_dates(text, value, precision):
    hits = [h for h in find_dates(text) if h.value]
    assert hits, text
    assert hits[0].value == value
    assert hits[0].precision == precision


@pytest.mark.parametrize("text", ["2023-13-02", "2021-02-30", "31/31/2020", "April 31, 2022", "0000-01-01"])
def test_malformed(text):
    (h,) = find_dates(text)
    assert h.malformed and h.value is None and h.text == text


def test_ambiguous_keeps_both_readings():
    (h,) = find_dates("05/06/2022")
    assert h.ambiguous and h.value is None
    assert set(h.alternatives) == {"2022-06-05", "2022-05-06"}


def test_parse_date_year_only_and_garbage():
    assert parse_date("2019").value == "2019"
    assert parse_date("yesterday") is None


def test_same_day():
    assert same_day("2024-02-25T21:14:00-05:00", "2024-02-25")
    assert same_day("2024-02-25", "2024-02-26")
    assert not same_day("2024-02-25", "2024-02-28")
