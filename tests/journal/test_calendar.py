"""The calendar page: a year of days as a heat map, the mood by month, the feelings most
often named, year navigation, and the SVG as XML.

The geometry (journal.pictures.calendar) is tested in numbers and dates; the words, which
the templates compose (templates/journal/pictures/), are read from the page."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal.figures import journal_changed
from journal.pictures.calendar import (
    HM_COLUMNS,
    HM_TOP,
    HM_WIDTH,
    STEP,
    Month,
    YearOfEntries,
    build_heatmap,
    build_mood_picture,
)
from tests.factories import make_entry, sign_in

pytestmark = pytest.mark.django_db

CALENDAR = reverse("journal:calendar")
SVG = "{http://www.w3.org/2000/svg}"


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def cells_by_day(response) -> dict:
    return {cell.day: cell for cell in response.context["heatmap"].cells}


def day_link(day: str) -> str:
    return f'href="/entries/?from={day}&amp;to={day}"'


def parse(html: str) -> ET.Element:
    """The pictures are XML-compatible markup: parse them whole, legend and all."""
    return ET.fromstring(f"<root>{html}</root>")


def heatmap_of(response) -> ET.Element:
    return parse(_fragment(response.text, '<div class="hm-picture">', "</ul></div>"))


def mood_of(response) -> ET.Element:
    return parse(_fragment(response.text, '<div class="mo-picture">', "</ul></div>"))


def image_of(root: ET.Element) -> ET.Element:
    (image,) = [svg for svg in root.iter(f"{SVG}svg") if svg.get("role") == "img"]
    return image


def words_by_day(response) -> dict[dt.date, str]:
    """Each day's words as the page says them: a day with entries in its link's title, a
    day without in its cell's."""
    root = heatmap_of(response)
    cells = response.context["heatmap"].cells
    (days,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "hm-days"]
    words = {}
    for cell, g in zip(cells, days.findall(f"{SVG}g"), strict=True):
        title = g.find(f"{SVG}title")
        if title is not None:
            words[cell.day] = title.text
    for link in root.iter(f"{SVG}a"):
        day = d(link.get("href").rsplit("=", 1)[1])
        assert day not in words  # every day says its words once
        words[day] = link.find(f"{SVG}title").text
    assert sorted(words) == [cell.day for cell in cells]
    return words


def legend_of(root: ET.Element, name: str) -> list[str]:
    legend = next(e for e in root.iter("ul") if e.get("class") == name)
    return [" ".join("".join(li.itertext()).split()) for li in legend]


def empty_year(year: int) -> YearOfEntries:
    months = tuple(
        Month(n, dt.date(year, n, 1), dt.date(year, n, 1), 0, 0, 0, ()) for n in range(1, 13)
    )
    return YearOfEntries(year=year, days={}, months=months)


# Who may see it


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(CALENDAR)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_post_is_refused(alice_client):
    assert alice_client.post(CALENDAR).status_code == 405


def test_other_user_sees_none_of_alices_days(bob_client, alice, bob):
    make_entry(alice, written_on=d("2024-05-05"), mood=2, feelings=["fear"])
    make_entry(bob, written_on=d("2025-06-01"))

    response = bob_client.get(CALENDAR, {"year": 2024})

    # Bob's journal starts in 2025: 2024 is not his to page back to.
    assert response.context["year"] == 2025
    days = cells_by_day(response)
    assert [day for day, cell in days.items() if cell.entries] == [d("2025-06-01")]
    assert day_link("2024-05-05") not in response.text
    assert "Fear" not in response.text


# The grid


def test_a_leap_year_has_366_cells_and_29_february_links_to_its_entries(alice_client, alice):
    make_entry(alice, written_on=d("2024-02-29"), mood=4)

    response = alice_client.get(CALENDAR, {"year": 2024})

    assert response.status_code == 200
    days = cells_by_day(response)
    assert len(days) == 366
    assert min(days) == d("2024-01-01") and max(days) == d("2024-12-31")
    leap_day = days[d("2024-02-29")]
    assert leap_day.entries == 1
    assert leap_day.mood == 4
    assert words_by_day(response)[d("2024-02-29")] == "29 February 2024: 1 entry, mood 4"
    assert day_link("2024-02-29") in response.text
    assert len(cells_by_day(alice_client.get(CALENDAR, {"year": 2025}))) == 365


def test_weeks_are_columns_and_weekdays_rows_from_monday() -> None:
    for year in range(2010, 2031):
        heatmap = build_heatmap(empty_year(year), today=dt.date(2040, 1, 1), shade="count")
        positions = {(cell.x, cell.y) for cell in heatmap.cells}
        assert len(positions) == len(heatmap.cells)  # no two days share a cell
        for cell in heatmap.cells:
            assert (cell.y - HM_TOP) // STEP == cell.day.weekday()
            assert cell.x + heatmap.cell <= HM_WIDTH
        # A new week, a new column: Monday follows Sunday one column to the right.
        for before, after in zip(heatmap.cells, heatmap.cells[1:], strict=False):
            same_week = after.day.weekday() != 0
            assert (after.x == before.x) == same_week
            assert after.x - before.x in {0, STEP}
    # 2012 is a leap year that starts on a Sunday: 54 weekly columns, all drawn.
    heatmap = build_heatmap(empty_year(2012), today=dt.date(2040, 1, 1), shade="count")
    assert len({cell.x for cell in heatmap.cells}) == HM_COLUMNS


def test_months_and_weekdays_are_labelled(alice_client, alice):
    heatmap = build_heatmap(empty_year(2025), today=dt.date(2040, 1, 1), shade="count")
    assert [month.first for month in heatmap.months] == [dt.date(2025, n, 1) for n in range(1, 13)]
    xs = [month.at for month in heatmap.months]
    assert xs == sorted(xs)
    assert [tick.day.weekday() for tick in heatmap.weekdays] == list(range(7))
    assert [len(month.cells) for month in heatmap.months][:3] == [31, 28, 31]

    make_entry(alice, written_on=d("2025-05-05"))
    root = heatmap_of(alice_client.get(CALENDAR, {"year": 2025}))
    (labels,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "hm-labels"]
    assert [text.text for text in labels] == [
        *("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()),
        *("Mon Tue Wed Thu Fri Sat Sun".split()),
    ]


def test_days_count_entries_and_average_their_mood(alice_client, alice):
    make_entry(alice, written_on=d("2025-03-03"), mood=3)
    make_entry(alice, written_on=d("2025-03-03"), mood=4)
    make_entry(alice, written_on=d("2025-03-04"))
    make_entry(alice, written_on=d("2025-03-05"), mood=2)
    make_entry(alice, written_on=d("2025-03-05"))
    for _ in range(4):
        make_entry(alice, written_on=d("2025-03-06"), mood=5)

    response = alice_client.get(CALENDAR, {"year": 2025})

    days = cells_by_day(response)
    assert [days[d(f"2025-03-0{n}")].mood for n in range(3, 8)] == [3.5, None, 2, 5, None]
    words = words_by_day(response)
    assert words[d("2025-03-03")] == "3 March 2025: 2 entries, mood 3.5"
    assert words[d("2025-03-04")] == "4 March 2025: 1 entry"
    assert words[d("2025-03-05")] == "5 March 2025: 2 entries, mood 2"
    assert words[d("2025-03-06")] == "6 March 2025: 4 entries, mood 5"
    assert words[d("2025-03-07")] == "7 March 2025: no entries"
    shades = {day: days[d(day)].shade for day in ["2025-03-03", "2025-03-04", "2025-03-06"]}
    assert shades == {"2025-03-03": "c2", "2025-03-04": "c1", "2025-03-06": "c3"}
    assert days[d("2025-03-07")].shade == ""
    # Fewer entries, a smaller square: the count reads without colour.
    sizes = [days[d(day)].fill_size for day in ["2025-03-04", "2025-03-03", "2025-03-06"]]
    assert sizes == sorted(sizes) and len(set(sizes)) == 3
    assert "<title>3 March 2025: 2 entries, mood 3.5</title>" in response.text
    assert image_of(heatmap_of(response)).find(f"{SVG}desc").text == (
        "9 entries on 4 days of 2025. The most in one day: 4, on 6 March 2025."
    )
    links = response.context["heatmap"].linked
    assert [cell.day for cell in links] == [d(f"2025-03-0{n}") for n in (3, 4, 5, 6)]


def test_shade_by_mood_tells_days_without_mood_from_days_without_entries(alice_client, alice):
    make_entry(alice, written_on=d("2025-01-10"), mood=1)
    make_entry(alice, written_on=d("2025-01-11"), mood=2)
    make_entry(alice, written_on=d("2025-01-11"), mood=3)  # 2.5 is shaded as 3
    make_entry(alice, written_on=d("2025-01-12"), mood=5)
    make_entry(alice, written_on=d("2025-01-13"))

    response = alice_client.get(CALENDAR, {"year": 2025, "shade": "mood"})

    assert response.context["shade"] == "mood"
    days = cells_by_day(response)
    shades = [days[d(f"2025-01-{n}")].shade for n in range(10, 15)]
    assert shades == ["m1", "m3", "m5", "unrated", ""]
    assert 'fill="url(#hm-pat-unrated)"' in response.text
    root = heatmap_of(response)
    assert image_of(root).find(f"{SVG}title").text == "Average mood per day, 2025"
    assert legend_of(root, "hm-legend")[:7] == [
        "No entry",
        "Entries, no mood",
        "1 · Very low",
        "2 · Low",
        "3 · Steady",
        "4 · Good",
        "5 · Bright",
    ]
    assert 'href="?year=2025" aria-current' not in response.text
    assert 'href="?year=2025&amp;shade=mood" aria-current="true"' in response.text


def test_a_change_is_drawn_at_once_in_the_month_it_touched(alice_client, alice):
    """Each month is drawn once for what it shows: a new entry redraws its month, and the
    other months come back exactly as they were."""
    make_entry(alice, written_on=d("2025-03-03"))
    make_entry(alice, written_on=d("2025-07-10"))
    before = words_by_day(alice_client.get(CALENDAR, {"year": 2025}))

    make_entry(alice, written_on=d("2025-03-03"), mood=4)
    make_entry(alice, written_on=d("2025-03-20"))
    after = words_by_day(alice_client.get(CALENDAR, {"year": 2025}))

    assert after[d("2025-03-03")] == "3 March 2025: 2 entries, mood 4"
    assert after[d("2025-03-20")] == "20 March 2025: 1 entry"
    assert {day: words for day, words in after.items() if day.month != 3} == {
        day: words for day, words in before.items() if day.month != 3
    }


def test_an_unknown_shade_means_count(alice_client):
    response = alice_client.get(CALENDAR, {"shade": "<script>"})
    assert response.status_code == 200
    assert response.context["shade"] == "count"
    assert "<script>" not in response.text


def test_today_is_marked_and_later_days_are_still_to_come(alice_client, alice):
    today = alice.today()
    make_entry(alice, written_on=dt.date(today.year - 1, 5, 1))
    response = alice_client.get(CALENDAR)

    assert response.context["year"] == today.year
    heatmap = response.context["heatmap"]
    assert heatmap.today.day == today
    words = words_by_day(response)
    assert words[today] == f"{today.day} {today:%B %Y} (today): no entries"
    assert 'class="hm-today"' in response.text
    later = [cell for cell in heatmap.cells if cell.day > today]
    assert all(cell.is_future for cell in later)
    assert all(words[cell.day].endswith(": still to come") for cell in later)
    assert ("Still to come" in legend_of(heatmap_of(response), "hm-legend")) == bool(later)

    last_year = alice_client.get(CALENDAR, {"year": today.year - 1})
    assert last_year.context["heatmap"].today is None
    assert 'class="hm-today"' not in last_year.text


def test_an_entry_of_31_december_belongs_to_the_old_year(alice_client, alice):
    today = alice.today()
    old_year = today.year - 1
    make_entry(alice, written_on=dt.date(old_year, 12, 31), title="Last night of the year")
    make_entry(alice, written_on=dt.date(today.year, 1, 1), title="First morning")

    old = cells_by_day(alice_client.get(CALENDAR, {"year": old_year}))
    new = cells_by_day(alice_client.get(CALENDAR, {"year": today.year}))

    assert old[dt.date(old_year, 12, 31)].entries == 1
    assert [day for day, cell in old.items() if cell.entries] == [dt.date(old_year, 12, 31)]
    assert [day for day, cell in new.items() if cell.entries] == [dt.date(today.year, 1, 1)]


def test_the_default_year_is_this_year_where_the_user_lives(client, alice):
    # Kiritimati is 14 hours ahead of UTC: its new year comes first.
    alice.time_zone = "Pacific/Kiritimati"
    alice.save()
    sign_in(client, alice)
    response = client.get(CALENDAR)
    assert response.context["year"] == alice.today().year
    assert response.context["heatmap"].today.day == alice.today()


# Year navigation


def test_years_go_back_to_the_first_entry_and_forward_to_this_one(alice_client, alice):
    this_year = alice.today().year
    make_entry(alice, written_on=dt.date(this_year - 2, 6, 1))

    now = alice_client.get(CALENDAR)
    assert now.context["previous_url"] == f"?year={this_year - 1}"
    assert now.context["next_url"] == ""
    assert 'rel="next"' not in now.text

    first = alice_client.get(CALENDAR, {"year": this_year - 2, "shade": "mood"})
    assert first.context["previous_url"] == ""
    assert 'rel="prev"' not in first.text
    assert f'rel="next" href="?year={this_year - 1}&amp;shade=mood"' in first.text

    middle = alice_client.get(CALENDAR, {"year": this_year - 1})
    assert f'rel="prev" href="?year={this_year - 2}"' in middle.text
    assert f'rel="next" href="?year={this_year}"' in middle.text


def test_an_empty_journal_has_only_this_year(alice_client, alice):
    response = alice_client.get(CALENDAR, {"year": 2001})
    assert response.context["year"] == alice.today().year
    assert response.context["previous_url"] == response.context["next_url"] == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("abc", "this year"),
        ("", "this year"),
        ("-2024", "this year"),
        ("2024.0", "this year"),
        ("٢٠٢٤", "this year"),  # Arabic-Indic digits: not a year parameter
        ("9" * 10_000, "this year"),  # longer than int() parses by default
        ("99999", "this year"),  # clamped to the last year there is
        ("0", "first year"),  # clamped to the first year there is
        ("0001", "first year"),
        ("2023", "first year"),
    ],
)
def test_odd_years_answer_with_a_year_never_an_error(alice_client, alice, value, expected):
    this_year = alice.today().year
    make_entry(alice, written_on=dt.date(this_year - 1, 3, 1))
    response = alice_client.get(CALENDAR, {"year": value})
    assert response.status_code == 200
    assert response.context["year"] == (this_year if expected == "this year" else this_year - 1)


# An empty year


def test_an_empty_year_still_shows_its_grid_and_the_way_to_other_years(alice_client, alice):
    this_year = alice.today().year
    make_entry(alice, written_on=dt.date(this_year - 2, 6, 1))

    response = alice_client.get(CALENDAR, {"year": this_year - 1})

    assert f"Nothing written in {this_year - 1}." in response.text
    assert len(response.context["heatmap"].cells) in {365, 366}
    assert response.context["heatmap"].linked == ()
    image = image_of(heatmap_of(response))
    assert image.find(f"{SVG}desc").text == f"No entries in {this_year - 1}."
    assert "Select a day" not in response.text
    assert 'rel="prev"' in response.text and 'rel="next"' in response.text
    assert "Month by month" not in response.text
    assert alice_client.get(CALENDAR).context["data"].is_empty
    assert "Write an entry" in alice_client.get(CALENDAR).text


# Mood over time and feelings


def test_monthly_mood_averages_entries_and_leaves_gaps(alice_client, alice):
    make_entry(alice, written_on=d("2025-01-05"), mood=1)
    make_entry(alice, written_on=d("2025-01-05"), mood=5)
    make_entry(alice, written_on=d("2025-01-20"), mood=5)  # the month: 11 / 3, not 4
    make_entry(alice, written_on=d("2025-02-02"), mood=2)
    make_entry(alice, written_on=d("2025-03-03"))  # an entry without a mood: a gap
    make_entry(alice, written_on=d("2025-04-04"), mood=4)

    response = alice_client.get(CALENDAR, {"year": 2025})

    months = response.context["data"].months
    assert [m.mood for m in months[:5]] == [pytest.approx(11 / 3), 2, None, 4, None]
    assert [m.entries for m in months[:5]] == [3, 1, 1, 1, 0]
    picture = response.context["mood_picture"]
    assert len(picture.points) == 3
    (line,) = picture.lines  # January-February; April stands alone
    assert line.count(",") == 2
    assert (picture.high.number, picture.low.number, picture.missing) == (4, 2, 9)
    image = image_of(mood_of(response))
    assert [c.find(f"{SVG}title").text for c in image.iter(f"{SVG}circle")] == [
        "January 2025: mood 3.7 (3 of 3 entries with a mood)",
        "February 2025: mood 2.0 (1 of 1 entry with a mood)",
        "April 2025: mood 4.0 (1 of 1 entry with a mood)",
    ]
    assert image.find(f"{SVG}desc").text == (
        "Average mood by month in 2025, from 1 (very low) to 5 (bright): highest in April (4.0), "
        "lowest in February (2.0). 9 months have no mood."
    )
    # Higher mood, higher on the picture.
    assert picture.points[2].y < picture.points[0].y < picture.points[1].y


def test_no_mood_in_the_year_draws_no_line(alice_client, alice):
    make_entry(alice, written_on=d("2025-05-05"))
    response = alice_client.get(CALENDAR, {"year": 2025})
    assert not response.context["mood_picture"]
    assert "there is no line to draw" in response.text
    assert 'class="mo-picture"' not in response.text
    assert "Month by month in 2025" in response.text


def test_the_feelings_most_often_named_per_month(alice_client, alice):
    make_entry(alice, written_on=d("2025-02-01"), feelings=["fear", "longing"])
    make_entry(alice, written_on=d("2025-02-02"), feelings=["fear", "hope", "fear"])
    make_entry(alice, written_on=d("2025-02-03"), feelings=["fear", "longing", "grief"])
    make_entry(alice, written_on=d("2025-02-04"), feelings=["anger", "grief"])
    make_entry(alice, written_on=d("2025-03-01"), feelings=["peace", "retired-feeling"])
    make_entry(alice, written_on=d("2025-04-01"), feelings=[])
    make_entry(alice, written_on=d("2024-02-01"), feelings=["shame"])  # another year

    response = alice_client.get(CALENDAR, {"year": 2025})

    months = response.context["data"].months
    # Counted once per entry; ties in alphabetical order.
    assert months[1].feelings == (("Fear", 3), ("Grief", 2), ("Longing", 2))
    assert months[2].feelings == (("Peace", 1), ("retired-feeling", 1))
    assert months[3].feelings == ()
    assert months[0].feelings == ()
    assert "Shame" not in response.text
    assert 'Fear <span class="count">(3)</span>' in response.text


def test_the_month_table_is_the_text_alternative(alice_client, alice):
    make_entry(alice, written_on=d("2025-02-10"), mood=3, feelings=["hope"])

    response = alice_client.get(CALENDAR, {"year": 2025})

    root = ET.fromstring(_fragment(response.text, '<table class="cal-months">', "</table>"))
    assert root.find("caption").text.startswith("Month by month in 2025")
    assert [th.get("scope") for th in root.find("thead").iter("th")] == ["col"] * 4
    rows = root.find("tbody").findall("tr")
    assert len(rows) == 12  # a past year: every month
    assert all(row.find("th").get("scope") == "row" for row in rows)
    february = rows[1]
    link = february.find("th/a")
    assert link.text == "February"
    assert link.get("href") == "/entries/?from=2025-02-01&to=2025-02-28"
    assert ["".join(td.itertext()).strip() for td in february.findall("td")] == [
        "1",
        "3.0",
        "Hope (1)",
    ]
    assert rows[0].find("th").text == "January"  # no entries, no link


def test_the_table_of_this_year_stops_at_this_month(alice_client, alice):
    today = alice.today()
    make_entry(alice, written_on=dt.date(today.year, 1, 1))
    response = alice_client.get(CALENDAR)
    assert [m.number for m in response.context["months"]] == list(range(1, today.month + 1))


# Queries


def test_queries_do_not_grow_with_the_journal(alice_client, alice, django_assert_max_num_queries):
    make_entry(alice, written_on=d("2025-01-01"), mood=3, feelings=["hope"])
    with CaptureQueriesContext(connection) as small:
        alice_client.get(CALENDAR, {"year": 2025})

    day = d("2024-12-01")
    for n in range(400):
        make_entry(
            alice,
            written_on=day + dt.timedelta(days=n % 200),
            mood=n % 5 + 1,
            feelings=["fear", "hope"][: n % 3],
        )
    with django_assert_max_num_queries(6):
        response = alice_client.get(CALENDAR, {"year": 2025, "shade": "mood"})
    assert response.context["data"].entries == 1 + 400 - 31 * 2  # December 2024 is not 2025
    journal_changed(alice.pk)  # a first request after a change, as the small one was
    with CaptureQueriesContext(connection) as big:
        alice_client.get(CALENDAR, {"year": 2025})
    assert len(big) == len(small)


# The SVG


def test_the_heatmap_svg_is_well_formed_accessible_and_csp_safe(alice_client, alice):
    make_entry(alice, written_on=d("2025-03-03"), mood=3, feelings=["fear"])
    make_entry(alice, written_on=d("2025-03-04"))
    response = alice_client.get(CALENDAR, {"year": 2025, "shade": "mood"})

    html = render_to_string(
        "journal/pictures/heatmap.html", {"heatmap": response.context["heatmap"]}
    )
    root = parse(html)

    (image,) = [svg for svg in root.iter(f"{SVG}svg") if svg.get("role") == "img"]
    assert image.get("aria-labelledby") == "hm-title hm-desc"
    assert image.find(f"{SVG}title").text == "Average mood per day, 2025"
    assert image.find(f"{SVG}desc").text == (
        "2 entries on 2 days of 2025. Mood averaged 3 out of 5."
    )
    # The picture's, and each day's without entries: a day with entries says it in its link.
    assert len(list(image.iter(f"{SVG}title"))) == 1 + 365 - 2
    assert not list(image.iter(f"{SVG}a"))  # links inside role=img would be hidden
    links = list(root.iter(f"{SVG}a"))
    assert [a.get("href") for a in links] == [
        "/entries/?from=2025-03-03&to=2025-03-03",
        "/entries/?from=2025-03-04&to=2025-03-04",
    ]
    assert [a.find(f"{SVG}title").text for a in links] == [
        "3 March 2025: 1 entry, mood 3",
        "4 March 2025: 1 entry",
    ]
    _assert_csp_safe(root)
    (scroll,) = [e for e in root.iter("div") if e.get("class") == "hm-scroll"]
    assert scroll.get("tabindex") == "0"
    assert scroll.get("role") == "region" and scroll.get("aria-label")
    legend = next(e for e in root.iter("ul") if e.get("class") == "hm-legend")
    assert [" ".join("".join(li.itertext()).split()) for li in legend] == [
        "No entry",
        "Entries, no mood",
        "1 · Very low",
        "2 · Low",
        "3 · Steady",
        "4 · Good",
        "5 · Bright",
    ]


def test_the_mood_svg_is_well_formed_accessible_and_csp_safe(alice_client, alice):
    make_entry(alice, written_on=d("2025-03-03"), mood=2)
    make_entry(alice, written_on=d("2025-04-03"), mood=4)
    response = alice_client.get(CALENDAR, {"year": 2025})

    root = parse(
        render_to_string(
            "journal/pictures/mood.html", {"picture": response.context["mood_picture"]}
        )
    )

    (image,) = [svg for svg in root.iter(f"{SVG}svg") if svg.get("role") == "img"]
    assert image.get("aria-labelledby") == "mo-title mo-desc"
    assert image.find(f"{SVG}title").text == "Mood by month, 2025"
    assert len(list(image.iter(f"{SVG}polyline"))) == 1
    assert len(list(image.iter(f"{SVG}circle"))) == 2
    _assert_csp_safe(root)
    (scroll,) = [e for e in root.iter("div") if e.get("class") == "mo-scroll"]
    assert scroll.get("tabindex") == "0" and scroll.get("role") == "region"


def test_the_picture_numbers_are_not_localized(alice_client, alice, settings):
    settings.LANGUAGE_CODE = "de"
    settings.USE_THOUSAND_SEPARATOR = True
    make_entry(alice, written_on=d("2025-01-03"), mood=2)
    make_entry(alice, written_on=d("2025-02-03"), mood=3)
    response = alice_client.get(CALENDAR, {"year": 2025}, HTTP_ACCEPT_LANGUAGE="de")
    assert 'cx="77.9" cy="136"' in response.text
    assert 'viewBox="0 0 962 145"' in response.text


def test_build_mood_picture_is_none_for_an_empty_year() -> None:
    assert build_mood_picture(empty_year(2025)) is None


def _assert_csp_safe(root: ET.Element) -> None:
    assert not [e for e in root.iter() if "style" in e.attrib]
    assert not [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] in {"script", "style"}]
    assert not [e for e in root.iter() if any(a.startswith("on") for a in e.attrib)]


def _fragment(text: str, start: str, end: str) -> str:
    begin = text.index(start)
    return text[begin : text.index(end, begin) + len(end)]
