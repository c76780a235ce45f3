"""Each family of page furniture, and the body sentences that only look like it."""
import pytest

from narrascope.clean import patterns as P
from narrascope.clean.layout import classify, headline_like
from narrascope.clean.markup import make_blocks

FURNITURE = [
    ("Sign up for the Evening Digest newsletter and get the day's news in your inbox.", "newsletter"),
    ("Get our free newsletter", "newsletter"),
    ("Follow us on Mastodon and Bluesky for more coverage.", "social"),
    ("Join our WhatsApp channel", "social"),
    ("Facebook Twitter Email Copy link", "social"),
    ("Please feel free to share this piece with your friends.", "social"),
    ("Share this article", "share_footer"),
    ("Share on LinkedIn", "share"),
    ("Listen to this article (4 min)", "share"),
    ("Leave a comment", "comments"),
    ("37 Comments", "comments"),
    ("Comments are closed for this story.", "comments"),
    ("This site uses cookies to improve your experience.", "cookies"),
    ("Accept all cookies", "cookies"),
    ("Got it", "cookies"),
    ("Support our journalism from just $2 a month", "donate"),
    ("Become a patron and read ad-free", "donate"),
    ("Donate now to keep the newsroom independent", "donate"),
    ("This page can be read in 40 languages with the translate button.", "translate"),
    ("Advertisement", "advert"),
    ("Story continues below advertisement", "advert"),
    ("4 min read", "reading_time"),
    ("Reading time: 6 minutes", "reading_time"),
    ("1,204 views", "views"),
    ("512", "counter"),
    ("- - - -", "separator"),
    ("Skip to main content", "nav"),
    ("Analysis", "label"),
    ("Read more:", "read_also"),
    ("You might also like", "read_also"),
    ("Most read", "read_also"),
    ("Copyright 2019 Harbour Post Ltd. All rights reserved.", "copyright"),
    ("\u00a9 Meridian Media 2022", "copyright"),
    ("Disclaimer: opinions in this column belong to the writer alone.", "disclaimer"),
    ("The views expressed in this article are those of the author.", "disclaimer"),
    ("Editor's note: this piece has been updated with new figures.", "note"),
    ("Correction: an earlier version misspelled the minister's name.", "correction"),
    ("Source: Harbour Post", "credit"),
    ("This story was originally published by Coastline Weekly.", "credit"),
    ("Reporting by Ana Ruiz; Editing by Tom Hale", "credit"),
    ("Pedro Alves in Lisbon contributed reporting.", "credit"),
    ("Featured image: a harbour crane at dusk", "credit"),
    ("Tags: drought, farming, water rights", "tags"),
    ("Filed under: Courts", "tags"),
    ("drought, farming, water rights, reservoirs", "tags"),
    ("#drought #farming #water", "tags"),
]


@pytest.mark.parametrize("text,family", FURNITURE)
def test_furniture_family(text, family):
    (b,) = make_blocks(text)
    got = P.furniture(b.text)
    assert got is not None, text
    assert got[0] == family


BODY = [
    "He pledged to donate his salary to a veterans' charity.",
    "Protesters said they would follow him to every campaign stop on the tour.",
    "The company's newsletter, sent to 40,000 staff, announced the layoffs on Monday.",
    "Regulators found that the app uses cookies to track children across websites.",
    "Video footage shared by residents showed water pouring into the station.",
    "The photo, taken in 1968, shows the bridge before the collapse.",
    "Support for the measure fell to 41% in the latest poll.",
    "Share prices fell 8% after the announcement.",
    "A source close to the negotiations said the talks would resume.",
    "Comments by the minister drew criticism from the opposition.",
]


@pytest.mark.parametrize("text", BODY)
def test_body_sentences_are_not_furniture(text):
    (b,) = make_blocks(text)
    assert classify(b) == "text", text


CAPTIONS = [
    "Firefighters at the scene on Sunday. (Photo: Marta Lind/Harbour Post)",
    "The governor speaks to reporters (Getty Images)",
    "Photo: Depot archive",
    "Residents queue for water in Valdoro. REUTERS/Ana Ruiz",
    "A flooded street in the old town. Image credit: city council",
    "Picture courtesy of the museum",
]


@pytest.mark.parametrize("text", CAPTIONS)
def test_captions(text):
    (b,) = make_blocks(text)
    assert P.is_caption(b.text), text


@pytest.mark.parametrize("text,expected", [
    ("Minister: port strike will end before the harvest", True),
    ("Court Blocks Water Transfer To Southern Farms", True),
    ("Why the reservoir plan failed and what comes next for the valley", True),
    ("What happens next", False),          # a short subheading stays
    ("The strike ended on Friday.", False),
    ("Burns wrote:", False),
    ("- First point of a bulleted list without a full stop", False),
])
def test_headline_like(text, expected):
    assert headline_like(text) is expected


def _clean(text: str):
    from narrascope.model import RawInput, content_id
    from narrascope.pipeline import CLEAN_STAGES, check_order, process
    data = text.encode("utf-8")
    text = "Central bank lifts rates again\n\n" + text         # the first line of a text file is its title
    return process(RawInput("mem.txt", text, "text", "file", content_hash=content_id(data)),
                   stages=check_order(CLEAN_STAGES[:4]))


BODY = [
    "The central bank raised its main rate by half a point on Thursday, the third rise this year.",
    "Markets had expected a smaller step, and the currency climbed against the dollar within minutes.",
    "Officials said the decision was unanimous and that further rises could not be ruled out this spring.",
]


def test_a_source_described_mid_article_is_not_an_author_bio():
    middle = ("Lucie Marchetti is a French economist who has studied wage inflation in southern Europe for "
              "two decades.")
    after = ["She said the rise would hurt small firms first, because their loans reset every quarter.",
             "Retailers in the capital reported weaker sales in the first week of the month as shoppers held back.",
             "The bank will publish its next forecast in June, when the board meets again in the northern city."]
    a = _clean("\n\n".join(BODY + [middle] + after))
    assert middle in a.text and all(p in a.text for p in after)
    assert [r.kind for r in a.removed] == ["title"]


def test_an_author_bio_at_the_tail_is_cut_and_only_it():
    bio = "Tomas Lindgren is a reporter who covers economics and central banks for the paper."
    a = _clean("\n\n".join(BODY + [bio]))
    assert all(p in a.text for p in BODY) and bio not in a.text
    assert [r.kind for r in a.removed if r.kind != "title"] == ["hard:bio"]


def test_a_picture_credit_mid_article_drops_only_itself():
    after = ["In my view the metal is fairly priced, and the market has simply caught up with a decade of debt.",
             "Central banks bought more of it last year than in any year since records began in the fifties.",
             "If that buying slows, the price could fall back quickly, as it did after the last great rally."]
    a = _clean("\n\n".join(BODY + ["Courtesy: Example Charts"] + after))
    assert all(p in a.text for p in BODY + after) and "Example Charts" not in a.text


def test_the_signature_of_an_embedded_post_is_not_body():
    post = "The bridge will reopen in spring, and not a day later."
    sig = "\u2014 Harbour Authority (@HarbourAuth) March 3, 2024"
    a = _clean("\n\n".join(BODY + [post, sig] + ["Engineers said the repairs were on schedule and within the budget."
                                                  " The mayor thanked the crews for working through the winter storms."]))
    assert post in a.text and sig not in a.text
    assert [r.kind for r in a.removed if r.kind != "title"] == ["soft:embedded_post"]
