"""The form renderer draws the commonest widgets and the field template in Python
(config/renderers.py). Each of the project's forms must come out the same as through the
templates — unbound, bound with good values, and bound with errors — and escape what the
user typed."""

import datetime as dt
import re

import pytest
from allauth.account.forms import LoginForm
from django.forms.renderers import TemplatesSetting

from accounts.forms import AccountDeleteForm, ProfileForm, SignupForm
from config.renderers import FormRenderer
from journal.forms import (
    EntryFilterForm,
    EntryForm,
    ExportForm,
    PromptFilterForm,
    PromptForm,
    TimelineEventForm,
)
from journal.models import EventKind, TimelineEvent
from journal.timeline import Timeline

HOSTILE = '<script>alert("x")</script> & "quotes" \'single\''


def normalized(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def both_ways(form) -> tuple[str, str]:
    drawn = "".join(FormRenderer().render(f.template_name, f.get_context()) for f in form)
    form.renderer = TemplatesSetting()
    for field in form:
        field.form.renderer = form.renderer
    templated = "".join(str(field.as_field_group()) for field in form)
    return normalized(drawn), normalized(templated)


def forms_of(user):
    TimelineEvent.objects.create(user=user, kind=EventKind.MEETING, occurred_on=dt.date(2024, 1, 2))
    TimelineEvent.objects.create(
        user=user, kind=EventKind.SEPARATION, initiator="them", occurred_on=dt.date(2025, 1, 2)
    )
    timeline = Timeline(user, dt.date(2025, 6, 1))
    today = dt.date(2025, 6, 1)
    bad_entry = {"title": HOSTILE, "body": HOSTILE, "written_on": "not a date", "mood": "9"}
    return {
        "entry, unbound": EntryForm(user=user),
        "entry, errors": EntryForm(bad_entry, user=user),
        "entry filters, unbound": EntryFilterForm(timeline=timeline),
        "entry filters, values": EntryFilterForm(
            {"q": HOSTILE, "kind": "dream", "mood": "2", "period": "separation-1", "tag": "x"},
            timeline=timeline,
        ),
        "entry filters, errors": EntryFilterForm(
            {"from": "2025-13-01", "to": HOSTILE, "mood": "7", "period": "nope"},
            timeline=timeline,
        ),
        "prompt, errors": PromptForm({"text": "", "theme": HOSTILE}, user=user),
        "prompt filters": PromptFilterForm({"theme": "fear"}, themes=["fear", "mirror"]),
        "timeline event, errors": TimelineEventForm(
            {"kind": "separation", "note": HOSTILE}, user=user, today=today
        ),
        "export": ExportForm({"from": "2025-02-30"}, timeline=timeline),
        "profile": ProfileForm(instance=user),
        "account deletion, errors": AccountDeleteForm({"password": ""}, user=user),
        "login": LoginForm({"login": HOSTILE, "password": ""}),
        "signup": SignupForm({"email": HOSTILE}),
    }


@pytest.mark.django_db
def test_every_form_renders_as_through_the_templates(alice):
    for name, form in forms_of(alice).items():
        drawn, templated = both_ways(form)
        assert drawn == templated, name


@pytest.mark.django_db
def test_what_the_user_typed_comes_back_escaped(alice):
    form = forms_of(alice)["entry filters, values"]
    html = "".join(str(field) for field in form)
    assert "<script>" not in html
    escaped = (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot; "
        "&#x27;single&#x27;"
    )
    assert f'value="{escaped}"' in html
