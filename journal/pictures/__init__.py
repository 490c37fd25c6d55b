"""The pictures: their geometry, computed in Python as small dataclasses of numbers and
dates, and drawn by SVG templates in templates/journal/pictures/ (the timeline in
`timeline`, the calendar's heat map and mood chart in `calendar`)."""
