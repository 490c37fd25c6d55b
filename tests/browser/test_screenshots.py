"""`make screenshots`: every page at phone and desktop width, light and dark, as PNGs in
screenshots/ (ignored by git), so anyone can look at the whole app in a minute.

It is not part of the test suite: it runs only when MIRROR_SCREENSHOTS=1, as
`make screenshots` sets.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from journal.demo import create_demo_journal
from tests.browser.conftest import PageProblems, assert_accessible, new_page
from tests.factories import PASSWORD, make_user

pytestmark = [
    pytest.mark.screenshots,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("MIRROR_SCREENSHOTS") != "1", reason="screenshots: run `make screenshots`"
    ),
]

OUT = Path(settings.BASE_DIR) / "screenshots"
WIDTHS = {"phone": (375, 812), "desktop": (1280, 900)}
SCHEMES = ["light", "dark"]


def signed_in_pages(entry_id: str) -> dict[str, str]:
    return {
        "today": "/",
        "entries": "/entries/",
        "timeline": "/timeline/",
        "timeline-new": "/timeline/new/",
        "calendar": "/calendar/",
        "prompts": "/prompts/",
        "prompts-filtered": "/prompts/?perspective=chaser&stage=surrender",
        "entries-filtered": "/entries/?kind=reflection&mood=4",
        "entry": f"/entries/{entry_id}/",
        "entry-new": "/entries/new/",
        "entry-edit": f"/entries/{entry_id}/edit/",
        "entry-delete": f"/entries/{entry_id}/delete/",
        "entry-history": f"/entries/{entry_id}/history/",
        "search": "/entries/?q=lighthouse+OR+quiet",
        "export": "/export/",
        "export-print": "/export/print/",
        "import": "/import/",
        "profile": "/accounts/profile/",
        "two-factor": "/accounts/2fa/",
        "sessions": "/accounts/sessions/",
        "delete-account": "/accounts/delete/",
        "account-email": "/accounts/email/",
        "account-password": "/accounts/password/change/",
    }


SIGNED_OUT_PAGES = {
    "landing": "/",
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
    "password-reset": "/accounts/password/reset/",
}


def log_in(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_url(base + "/")


def test_screenshots(browser, live_server):
    OUT.mkdir(exist_ok=True)
    user = create_demo_journal("demo@example.com", days=45, password=PASSWORD)
    make_user("new@example.com", display_name="Robin")
    entry = user.entries.exclude(title="").order_by("-written_on").first()
    pages = signed_in_pages(str(entry.pk))
    written = 0
    for scheme in SCHEMES:
        for width_name, (width, height) in WIDTHS.items():
            context, page = new_page(browser, width=width, height=height, color_scheme=scheme)
            problems = PageProblems()
            problems.watch(page)
            base = live_server.url
            for name, path in SIGNED_OUT_PAGES.items():
                page.goto(base + path)
                assert_accessible(page, f"{name} ({width_name}, {scheme})")
                page.screenshot(path=OUT / f"{name}-{width_name}-{scheme}.png", full_page=True)
                written += 1
            log_in(page, base, "demo@example.com")
            for name, path in pages.items():
                page.goto(base + path)
                assert_accessible(page, f"{name} ({width_name}, {scheme})")
                page.screenshot(path=OUT / f"{name}-{width_name}-{scheme}.png", full_page=True)
                written += 1
            page.goto(base + "/entries/new/")
            page.get_by_label("Title").fill("x")
            page.get_by_role("button", name="Save entry").click()
            page.screenshot(
                path=OUT / f"entry-new-errors-{width_name}-{scheme}.png", full_page=True
            )
            page.get_by_role("button", name="Log out").click()
            log_in(page, base, "new@example.com")
            for name, path in {"today-empty": "/", "entries-empty": "/entries/"}.items():
                page.goto(base + path)
                assert_accessible(page, f"{name} ({width_name}, {scheme})")
                page.screenshot(path=OUT / f"{name}-{width_name}-{scheme}.png", full_page=True)
                written += 1
            context.close()
            assert not problems.messages, "\n".join(problems.messages)
    print(f"\n{written + 4} screenshots in {OUT}")  # noqa: T201
