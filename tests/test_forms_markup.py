"""What a person filling in Mirror's forms depends on in their markup. Forms render through
Django's own form templates (FORM_RENDERER = TemplatesSetting) with the project's overrides
in templates/django/forms/; on every form page:

- each field stands in its wrapper with its label (or its fieldset with a legend), the page
  shows every visible field of its form, and a hidden field is its input alone;
- help text and an error message stand in the field's wrapper, tied to the control through
  aria-describedby, and a field with an error says aria-invalid;
- required fields say so, what the user typed comes back, and comes back escaped.

Pages are parsed as a browser would (html5lib), not searched as strings."""

import datetime as dt
from xml.etree.ElementTree import Element

import html5lib
import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.test import Client
from django.urls import reverse

from journal.models import EventKind, Prompt, TimelineEvent
from tests.factories import PASSWORD, sign_in
from tests.journal.test_entries import VALID

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script> & "quotes" \'single\''
CONTROLS = ("input", "select", "textarea")
# Visible fields a page shows only when they apply.
SHOWN_WHEN_ASKED = {"confirm_future"}  # the entry form, once a date still to come is given


def parsed(response) -> Element:
    assert response.status_code == 200, response.status_code
    return html5lib.parse(response.text, treebuilder="etree", namespaceHTMLElements=False)


def classes(element: Element) -> list[str]:
    return element.get("class", "").split()


def wrappers(page: Element) -> list[Element]:
    return [div for div in page.iter("div") if "field" in classes(div)]


def controls(element: Element) -> list[Element]:
    return [
        control
        for control in element.iter()
        if control.tag in CONTROLS and control.get("type") != "hidden"
    ]


def wrapper_of(page: Element, name: str) -> Element:
    [wrapper] = [w for w in wrappers(page) if any(c.get("name") == name for c in controls(w))]
    return wrapper


def control_of(page: Element, name: str) -> Element:
    [control] = [c for c in controls(wrapper_of(page, name)) if c.get("name") == name]
    return control


def described_by(wrapper: Element) -> list[str]:
    """The ids the field's description points at: on its fieldset, or on its one control."""
    fieldset = wrapper.find(".//fieldset")
    holder = fieldset if fieldset is not None else controls(wrapper)[0]
    return holder.get("aria-describedby", "").split()


def chosen(select: Element) -> list[str]:
    return [option.get("value") for option in select if option.get("selected") is not None]


def text_of(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def check_fields(page: Element, form) -> None:
    """Every visible field of `form` in a wrapper of its own, labelled, its help and errors
    inside the wrapper and tied to it."""
    shown = {c.get("name") for w in wrappers(page) for c in controls(w)}
    for field in form.visible_fields():
        assert field.html_name in shown or field.name in SHOWN_WHEN_ASKED, field.html_name
    # No label stands for a hidden input, or for nothing.
    visible = {control.get("id") for control in controls(page)}
    assert {label.get("for") for label in page.iter("label") if label.get("for")} <= visible
    for wrapper in wrappers(page):
        ids = {element.get("id") for element in wrapper.iter() if element.get("id")}
        fieldset = wrapper.find(".//fieldset")
        if fieldset is not None:
            assert text_of(fieldset.find("legend")), "a fieldset without a legend"
        for control in controls(wrapper):
            label = wrapper.find(f".//label[@for='{control.get('id')}']")
            assert label is not None and text_of(label), control.get("name")
            assert not text_of(label).endswith(":"), text_of(label)
        described = described_by(wrapper)
        assert set(described) <= ids, f"aria-describedby points outside the field: {described}"
        help_text = wrapper.find(".//div[@class='helptext']")
        if help_text is not None:
            assert help_text.get("id") in described
        errors = wrapper.find(".//ul[@class='errorlist']")
        invalid = "field--invalid" in classes(wrapper)
        assert invalid == (errors is not None)
        if errors is not None:
            assert text_of(errors)
            assert errors.get("id") in described
            assert all(c.get("aria-invalid") == "true" for c in controls(wrapper))
        else:
            assert all(c.get("aria-invalid") is None for c in controls(wrapper))


@pytest.fixture
def journal(alice, entry):
    """A journal with an entry and a separation, so the entry list shows its filters with
    a period among them, and the export its periods."""
    TimelineEvent.objects.create(
        user=alice, kind=EventKind.MEETING, occurred_on=dt.date(2024, 1, 2)
    )
    TimelineEvent.objects.create(
        user=alice, kind=EventKind.SEPARATION, initiator="them", occurred_on=dt.date(2025, 1, 2)
    )
    return alice


ENTRY_ERRORS = {**VALID, "title": "x" * 201, "body": "", "mood": "9", "feelings": ["joy-ish"]}
EVENT_ERRORS = {"kind": "novel", "occurred_on": "2025-02-30", "initiator": "nobody"}
FILTER_ERRORS = {"from": "2025-13-01", "to": "soon", "mood": "7", "period": "x", "kind": "x"}


def form_page(name, url, data=None, *, form="form", post=False, signed_in=True):
    """A form page: unbound, or with data that has errors (`name` ends in "errors")."""
    return pytest.param(url, data or {}, form, post, signed_in, name.endswith("errors"), id=name)


FORM_PAGES = [
    form_page("new entry", "journal:entry-create"),
    form_page("new entry, errors", "journal:entry-create", ENTRY_ERRORS, post=True),
    form_page("entry filters", "journal:entry-list", form="filters"),
    form_page("entry filters, errors", "journal:entry-list", FILTER_ERRORS, form="filters"),
    form_page("prompt filters, errors", "journal:prompt-list", {"theme": "x"}, form="filters"),
    form_page("new prompt", "journal:prompt-create"),
    form_page("new prompt, errors", "journal:prompt-create", {"text": " "}, post=True),
    form_page("new event", "journal:event-create"),
    form_page("new event, errors", "journal:event-create", EVENT_ERRORS, post=True),
    form_page("export", "journal:export"),
    form_page("export, errors", "journal:export", {"from": "2025-02-30", "period": "x"}),
    form_page("import, errors", "journal:import", post=True),
    form_page("profile", "accounts:profile"),
    form_page("profile, errors", "accounts:profile", {"time_zone": "Mars/Olympus"}, post=True),
    form_page("account deletion, errors", "accounts:delete", {"password": ""}, post=True),
    form_page("log in", "account_login", signed_in=False),
    form_page("log in, errors", "account_login", {"login": "x"}, post=True, signed_in=False),
    form_page("sign up, errors", "account_signup", {"email": "no"}, post=True, signed_in=False),
]


@pytest.mark.parametrize(("url", "data", "form", "post", "signed_in", "errors"), FORM_PAGES)
def test_every_form_page_labels_and_describes_its_fields(
    client, journal, url, data, form, post, signed_in, errors
):
    if signed_in:
        sign_in(client, journal)
    response = (client.post if post else client.get)(reverse(url), data)
    check_fields(parsed(response), response.context[form])
    assert bool(response.context[form].errors) == errors


def test_an_error_stands_beside_its_field_and_is_announced(alice_client):
    response = alice_client.post(reverse("journal:entry-create"), {**VALID, "title": "x" * 201})
    page = parsed(response)
    title = control_of(page, "title")
    assert title.get("aria-invalid") == "true"
    assert title.get("aria-describedby") == "id_title_error"
    errors = wrapper_of(page, "title").find(".//ul[@id='id_title_error']")
    assert "Keep the title under 200 characters" in text_of(errors)
    # The cursor goes to it, and the fields without an error say nothing of one.
    assert title.get("autofocus") is not None
    assert control_of(page, "body").get("aria-invalid") is None
    assert control_of(page, "body").get("aria-describedby") == "id_body_helptext"


def test_an_error_in_a_group_of_choices_is_tied_to_its_fieldset(alice_client):
    response = alice_client.post(reverse("journal:entry-create"), {**VALID, "mood": "9"})
    wrapper = wrapper_of(parsed(response), "mood")
    fieldset = wrapper.find("fieldset")
    assert text_of(fieldset.find("legend")) == "Mood"
    assert fieldset.get("aria-describedby") == "id_mood_error"
    assert "Choose a mood from 1 (very low) to 5 (bright)" in text_of(
        fieldset.find(".//ul[@id='id_mood_error']")
    )
    assert {c.get("aria-invalid") for c in controls(wrapper)} == {"true"}


def test_a_hidden_field_has_no_label_but_keeps_its_error(alice_client, journal):
    page = parsed(alice_client.get(reverse("journal:entry-list"), {"prompt": "9" * 30}))
    [prompt] = [i for i in page.iter("input") if i.get("name") == "prompt"]
    assert prompt.get("type") == "hidden" and prompt.get("value") == "9" * 30
    assert page.find(".//label[@for='id_prompt']") is None
    assert text_of(page.find(".//ul[@id='id_prompt_error']"))


def test_help_text_is_read_with_its_field(alice_client, journal):
    page = parsed(alice_client.get(reverse("journal:entry-create")))
    help_text = wrapper_of(page, "written_on").find(".//div[@id='id_written_on_helptext']")
    assert text_of(help_text) == "The day this entry is about."
    assert control_of(page, "written_on").get("aria-describedby") == "id_written_on_helptext"
    feelings = wrapper_of(page, "feelings").find("fieldset")
    assert feelings.get("aria-describedby") == "id_feelings_helptext"
    # With an error as well, both are read: the help first.
    page = parsed(alice_client.get(reverse("journal:export"), {"period": "nope"}))
    described = control_of(page, "period").get("aria-describedby")
    assert described == "id_period_helptext id_period_error"


def test_required_fields_say_so(alice_client):
    page = parsed(alice_client.get(reverse("journal:entry-create")))
    assert control_of(page, "body").get("required") is not None
    assert control_of(page, "written_on").get("required") is not None
    assert control_of(page, "title").get("required") is None
    assert control_of(page, "tags").get("required") is None
    page = parsed(Client().get(reverse("account_login")))
    assert control_of(page, "login").get("required") is not None
    assert control_of(page, "password").get("required") is not None


def test_what_was_typed_is_kept_after_an_error(alice_client, journal):
    response = alice_client.get(
        reverse("journal:entry-list"),
        {"q": "quiet", "kind": "dream", "period": "separation-1", "tag": "mirror", "to": "soon"},
    )
    page = parsed(response)
    assert response.context["filters"].errors
    assert control_of(page, "q").get("value") == "quiet"
    assert control_of(page, "tag").get("value") == "mirror"
    assert control_of(page, "to").get("value") == "soon"
    assert chosen(control_of(page, "kind")) == ["dream"]
    assert chosen(control_of(page, "period")) == ["separation-1"]

    response = alice_client.post(
        reverse("journal:entry-create"), {**VALID, "mood": "9", "body": "Kept\n\nwords"}
    )
    page = parsed(response)
    assert control_of(page, "title").get("value") == VALID["title"]
    assert text_of(control_of(page, "body")) == "Kept words"
    assert control_of(page, "body").text == "Kept\n\nwords"
    feelings = controls(wrapper_of(page, "feelings"))
    assert {c.get("value") for c in feelings if c.get("checked") is not None} == {"fear", "longing"}
    assert chosen(control_of(page, "kind")) == [VALID["kind"]]


def test_a_hostile_value_comes_back_escaped(alice_client, alice, journal):
    response = alice_client.post(
        reverse("journal:entry-create"),
        {**VALID, "title": HOSTILE, "body": HOSTILE, "tags": HOSTILE, "written_on": HOSTILE},
    )
    assert "<script>alert" not in response.text
    page = parsed(response)
    assert [s.get("src") for s in page.iter("script") if not s.get("src")] == []
    for name in ["title", "tags", "written_on"]:
        assert control_of(page, name).get("value") == HOSTILE, name
    assert control_of(page, "body").text == HOSTILE

    response = alice_client.get(reverse("journal:entry-list"), {"q": HOSTILE, "tag": HOSTILE})
    assert "<script>alert" not in response.text
    page = parsed(response)
    assert control_of(page, "q").get("value") == HOSTILE
    assert control_of(page, "tag").get("value") == HOSTILE

    # A choice the user named: their own prompt's theme, among the prompt list's filters.
    # (A theme is at most 40 characters, as the database keeps it.)
    theme = "<script>alert('x')</script> & \"q\""
    Prompt.objects.create(user=alice, text="Why?", theme=theme)
    response = alice_client.get(reverse("journal:prompt-list"), {"theme": theme})
    assert "<script>alert" not in response.text
    # (The page also holds the form for a new prompt, with a theme of its own.)
    [themes] = [s for s in parsed(response).iter("select") if s.get("name") == "theme"]
    assert chosen(themes) == [theme]
    [option] = [o for o in themes if o.get("value") == theme]
    assert text_of(option) == " ".join(theme.capitalize().split())


def test_a_signed_out_visitor_keeps_what_they_typed(client, alice):
    response = client.post(reverse("account_login"), {"login": HOSTILE, "password": PASSWORD})
    assert "<script>alert" not in response.text
    assert control_of(parsed(response), "login").get("value") == HOSTILE


class MarkedSelect(forms.SelectMultiple):
    """Options with attributes of their own: one disabled, one marked."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"] |= {"b": {"disabled": True}, "c": {"data-note": '"<c>"'}}.get(value, {})
        return option


class OwnOptionSelect(forms.Select):
    option_template_name = "django/forms/widgets/radio_option.html"


@pytest.mark.parametrize(
    "widget", [forms.Select(attrs={"data-x": "<y>"}), MarkedSelect(), OwnOptionSelect()]
)
@pytest.mark.parametrize("value", [None, "a", ["a", "c"], 'x"<'])
def test_a_select_is_djangos_own_markup(widget, value):
    """templates/django/forms/widgets/select.html writes its options out itself (for speed);
    the markup stays what Django's own templates make of any select."""
    widget.choices = [("", "Any"), ("Group <1>", [("a", 'A "1"'), ("b", "B & b")]), ("c", 3)]
    ours = widget.render("w", value, renderer=TemplatesSetting())
    assert ours == widget.render("w", value, renderer=DjangoTemplates())
    assert "Group &lt;1&gt;" in ours
