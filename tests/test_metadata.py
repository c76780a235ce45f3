"""Each metadata rule on a short article written for the test."""
from narrascope.metadata.credits import parse_byline, parse_contributors, parse_copyright, parse_dateline, parse_origin

BODY = (
    "The harbour authority said on Monday that the cranes would stay idle until the dispute is settled.\n\n"
    "\"We cannot move a single container without the crews,\" said Lena Ortiz, who runs the terminal.\n\n"
    "Shipping lines have begun diverting vessels to ports further north, adding two days to each voyage.\n"
)


def test_title_dek_byline_outlet_line(make_article):
    a = make_article(
        "# Port strike enters second week\n\n"
        "Dock crews and the harbour authority remain far apart on pay and night shifts\n\n"
        "By Karim Haddad and Ines Vidal\n\n"
        "Coastline Weekly, 12 March 2023\n\n"
        "Share on Facebook\n\n" + BODY)
    assert a.get("title") == "Port strike enters second week"
    assert a.get("dek").startswith("Dock crews and the harbour authority")
    assert a.get("authors") == ["Karim Haddad", "Ines Vidal"]
    assert a.get("publisher") == "Coastline Weekly"
    assert a.get("published") == "2023-03-12"
    assert a.text.startswith("The harbour authority said on Monday")
    assert "Share on Facebook" not in a.text
    f = a.fields["publisher"]
    assert f.origin == "text" and a.raw.text[f.start:f.end] == "Coastline Weekly"


def test_nothing_said_means_null(make_article):
    a = make_article("Port strike enters second week\n\n" + BODY)
    assert a.get("authors") is None and a.get("published") is None and a.get("publisher") is None
    assert a.get("dek") is None and a.get("republished_from") is None
    assert a.text.startswith("The harbour authority")


def test_publisher_from_copyright_not_a_wire(make_article):
    a = make_article("Port strike enters second week\n\n" + BODY + "\n\u00a9 2023 Meridian Media Group. All rights reserved.\n")
    assert a.get("publisher") == "Meridian Media Group"
    b = make_article("Port strike enters second week\n\n" + BODY + "\nCopyright 2023 The Associated Press. All rights reserved.\n")
    assert b.get("publisher") is None
    assert b.get("republished_from") == {"publisher": "AP", "published": None}


def test_host_and_origin_outlet_lines(make_article):
    a = make_article(
        "Port strike enters second week\n\nBy Karim Haddad\n\nDockside Review, June 3, 2023\n\n"
        "Coastline Weekly 2 June 2023\n\nSubscribe to the Dockside Review newsletter for more.\n\n" + BODY
        + "\nAll Dockside Review articles may be reposted with a link.\n")
    assert a.get("publisher") == "Dockside Review"
    assert a.get("republished_from") == {"publisher": "Coastline Weekly", "published": "2023-06-02"}
    assert a.get("published") == "2023-06-03"


def test_source_and_originally_published_credits(make_article):
    a = make_article("Port strike enters second week\n\n" + BODY + "\nSource: Coastline Weekly.\n\nThis site uses cookies.\n")
    assert a.get("republished_from") == {"publisher": "Coastline Weekly", "published": None}
    assert "Coastline Weekly" not in a.text and "cookies" not in a.text
    b = make_article("Port strike enters second week\n\n" + BODY
                     + "\nThis article was originally published on Harbour Notes on May 30, 2023.\n")
    assert b.get("republished_from") == {"publisher": "Harbour Notes", "published": "2023-05-30"}


def test_wire_dateline_with_wire_byline_is_not_a_conflict(make_article):
    a = make_article("Port strike enters second week\n\nBy KARIM HADDAD, Associated Press\n\n"
                     "VALDORO, Spain (AP) \u2014 " + BODY + "\nAssociated Press writer Ines Vidal contributed to this report.\n")
    assert a.get("authors") == ["Karim Haddad"]
    assert a.get("wire_credit") == "AP" and a.get("dateline") == "VALDORO, Spain"
    assert a.get("contributors") == ["Ines Vidal"]
    assert a.get("republished_from") == {"publisher": "AP", "published": None}
    assert not a.flags
    assert a.text.startswith("VALDORO, Spain (AP) \u2014 The harbour")


def test_personal_byline_on_wire_story_is_flagged(make_article):
    a = make_article("Port strike enters second week\n\nBy Glenn Moray\n\n"
                     "LISBON, May 4 (Reuters) - " + BODY + "\nReporting by Ana Ruiz; Editing by Tom Hale\n")
    assert [str(f) for f in a.flags] == ["byline_conflicts_with_wire_credit"]
    assert "Ana Ruiz" in a.flags[0].reason
    assert a.get("contributors") == ["Ana Ruiz"]


def test_malformed_and_inconsistent_dates(make_article):
    a = make_article("Port strike enters second week\n\nBy Karim Haddad | March 3, 2023\n\n" + BODY + "\n2023-03-32\n")
    assert "malformed_date:2023-03-32" in [str(f) for f in a.flags]
    assert a.get("published") == "2023-03-03"
    b = make_article("Port strike enters second week\n\nPublished: March 3, 2023\n\n" + BODY + "\nMarch 19, 2023\n")
    assert any(f.code == "dates_inconsistent" for f in b.flags)


def test_ambiguous_date_settled_by_another_or_flagged(make_article):
    a = make_article("Port strike enters second week\n\n04/05/2023\n\nPublished: May 4, 2023\n\n" + BODY)
    assert a.get("published") == "2023-05-04" and not a.flags
    b = make_article("Port strike enters second week\n\n04/05/2023\n\n" + BODY)
    assert b.get("published") is None
    assert [str(f) for f in b.flags] == ["ambiguous_date:04/05/2023"]


def test_updated_is_not_published(make_article):
    a = make_article("Port strike enters second week\n\nPublished: March 3, 2023\n\nUpdated: March 5, 2023\n\n" + BODY)
    assert a.get("published") == "2023-03-03" and a.get("updated") == "2023-03-05"
    assert not a.flags


def test_name_line_next_to_byline_and_read_time(make_article):
    a = make_article("Port strike enters second week\n\nKarim Haddad\nBy Karim Haddad 5 Min Read\n\n" + BODY)
    assert a.get("authors") == ["Karim Haddad"]
    assert "Karim Haddad" not in a.text


def test_related_headline_and_read_also_in_body(make_article):
    body = BODY.split("\n\n")
    a = make_article("Port strike enters second week\n\n" + body[0] + "\n\nMinister: crews will be back at work before the harvest\n\n"
                     + body[1] + "\n\nREAD MORE: Why the port matters to the whole region\n\n" + body[2] + "\n\nRead also:\n\nFerry fares set to rise this summer\n")
    assert "Minister:" not in a.text and "READ MORE" not in a.text and "Ferry fares" not in a.text
    assert a.text.endswith("adding two days to each voyage.")
    kinds = {r.kind for r in a.removed}
    assert "related" in kinds


def test_author_bio_and_trailing_summary(make_article):
    lead = BODY.split("\n\n")[0]
    a = make_article("Port strike enters second week\n\nBy Karim Haddad\n\n" + BODY + "\n" + lead + "\n")
    assert a.text.count("cranes would stay idle") == 1
    b = make_article("Port strike enters second week\n\nBy Karim Haddad\n\n" + BODY
                     + "\nKarim Haddad is a freelance reporter who covers shipping and labour.\n")
    assert "freelance reporter" not in b.text


def test_structured_fields_win_and_say_so(make_article):
    a = make_article(BODY, source="rows.jsonl#row=1", title="Port strike enters second week", date="2023-03-03",
                     outlet="Coastline Weekly", url="https://example.org/strike")
    assert a.get("title") == "Port strike enters second week" and a.fields["title"].origin == "given"
    assert a.get("published") == "2023-03-03" and a.get("publisher") == "Coastline Weekly"
    assert a.get("url") == "https://example.org/strike"
    assert a.text.startswith("The harbour authority")


def test_language(make_article):
    assert make_article("Port strike\n\n" + BODY).get("language") == "en"


def test_parsers_directly():
    assert parse_byline("byAnna Weiss").names == ["Anna Weiss"]
    assert parse_byline("By Jan de Vries, Staff Correspondent").names == ["Jan de Vries"]
    assert parse_byline("The strike went on") is None
    assert parse_contributors("Ana Ruiz in Lisbon and Tom Hale in Porto contributed to this report.") == ["Ana Ruiz", "Tom Hale"]
    assert parse_origin("Courtesy: Harbour Notes").publisher == "Harbour Notes"
    assert parse_dateline("Port officials said").__class__.__name__ == "NoneType"
    assert parse_dateline("VALDORO (AFP) - The").wire == "AFP"
    assert parse_copyright("(c) 2020 Dockside Review, Inc.") == "Dockside Review"


def test_credit_above_the_body_does_not_swallow_it(make_article):
    a = make_article("Port strike enters second week\n\nSource: https://example.org/strike-story\n\n" + BODY)
    assert a.text.startswith("The harbour authority") and a.text.endswith("adding two days to each voyage.")
    long_tail = " ".join(["The crews met again on Friday and talked for hours about pay, shifts and safety."] * 12)
    b = make_article("Port strike enters second week\n\n" + BODY.split("\n\n")[0] + "\n\nShare this article\n\n" + long_tail + "\n")
    assert "talked for hours" in b.text  # a footer with more prose than the body was a misplaced marker


def test_words_beginning_with_by_are_not_bylines():
    assert parse_byline("BYPASS THE CENSORS") is None
    assert parse_byline("Bystanders filmed the fire") is None
    assert parse_byline("By the way, the vote is on Friday") is None
    assert parse_byline("By 2030, the port will double in size") is None


def test_author_bio_before_a_long_tail_terminates(make_article):
    tail = "\n\n".join(["The crews met again on Friday and talked for hours about pay, shifts and the safety rules."] * 6)
    a = make_article("Port strike enters second week\n\n" + BODY + "\nKarim Haddad is a reporter who covers shipping for the paper.\n\n" + tail + "\n")
    assert "talked for hours" in a.text
