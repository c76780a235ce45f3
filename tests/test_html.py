"""HTML pages: main text found, furniture gone, every clean character traced to the HTML source."""
from narrascope.clean.html import VisibleText, align

PARAS = [
    "The regional water board voted on Thursday to cut allocations to farms in the valley by a fifth.",
    "\u201cThere is simply not enough water in the reservoirs,\u201d said board chair Irene Costa, adding that the cut was temporary.",
    "Growers said the decision would force them to leave thousands of hectares of tomatoes unplanted this summer.",
    "The board will review the allocations in September, after the autumn rain forecasts are published.",
]
PAGE = (
    "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'><title>Water board cuts farm allocations | Valley Courier</title>\n"
    "<meta property='og:site_name' content='Valley Courier'>\n<meta name='author' content='Nadia Brandt'>\n"
    "<meta property='article:published_time' content='2023-06-15T09:30:00+02:00'>\n"
    "<script>var tracking = 'do not show';</script><style>p{color:red}</style></head>\n<body>\n"
    "<nav><ul><li><a href='/'>Home</a></li><li><a href='/region'>Region</a></li><li><a href='/sport'>Sport</a></li></ul></nav>\n"
    "<div class='cookie'>We use cookies. <button>Accept</button></div>\n"
    "<article>\n<h1>Water board cuts farm allocations</h1>\n<p class='byline'>By Nadia Brandt</p>\n"
    + "".join("<p>" + p.replace("\u201c", "&ldquo;").replace("\u201d", "&rdquo;") + "</p>\n" for p in PARAS)
    + "</article>\n<aside><h3>Most read</h3><ul><li><a href='/x'>Council approves new bus lanes downtown</a></li>"
    "<li><a href='/y'>Local team wins the regional cup final</a></li></ul></aside>\n"
    "<footer><p>&copy; 2023 Valley Courier. All rights reserved.</p><p>Contact us | Privacy</p></footer>\n</body></html>\n")


def test_html_page(make_article):
    a = make_article(PAGE, source="page.html", fmt="html")
    assert a.get("title") == "Water board cuts farm allocations"
    assert a.get("publisher") == "Valley Courier"
    assert a.get("authors") == ["Nadia Brandt"]
    assert a.get("published", "").startswith("2023-06-15")
    assert a.text.startswith("The regional water board voted on Thursday")
    assert a.text.endswith("after the autumn rain forecasts are published.")
    for junk in ("Home", "Most read", "Accept", "rights reserved", "do not show", "bus lanes"):
        assert junk not in a.text


def test_html_offsets_point_into_the_source(make_article):
    a = make_article(PAGE, source="page.html", fmt="html")
    for i, ch in enumerate(a.text):
        src = a.raw.text[a.offsets.to_source(i)]
        if ch.isalnum():
            assert src == ch, (i, ch, src)
        elif ch == '"':
            assert src in '"&', (i, src)  # &ldquo; entity start


def test_visible_text_skips_scripts_and_decodes_entities():
    v = VisibleText("<p>a &amp; b</p><script>x()</script><p>c&#8217;d</p>")
    assert v.text.strip() == "a & b c\u2019d"
    assert v.pos[v.text.index("&")] == 5


def test_align_counts_lines_it_cannot_find():
    m, missed, _ = align("hello world\nnot on the page", "<p>hello   world</p>")
    assert missed == 1
    assert m.to_source(0) == 3
