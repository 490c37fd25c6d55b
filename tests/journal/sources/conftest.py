"""Files made by the real tools, for the importers' tests."""

import subprocess
import sys

import pytest

ENTRIES = [
    "2024-02-14 06:05: Woke early. The house was quiet and I thought of @mirror again.",
    "2024-02-15 21:30: No full stop here but two tags @sea #Night",
    "2024-03-01 10:00: Café! Un día sin mensajes.\nA second line, then a blank one:\n\n- [ ] call",
    "2024-03-02 08:15: Starred and short. *",
    "2024-03-03 07:00: Twice.",
    "2024-03-03 07:00: Twice.",
]


@pytest.fixture(scope="module")
def jrnl_files(tmp_path_factory) -> dict[str, str]:
    """A journal written with jrnl's command line, and its JSON export."""
    folder = tmp_path_factory.mktemp("jrnl")
    config = folder / "jrnl.yaml"
    config.write_text(
        "colors: {body: none, date: none, tags: none, title: none}\n"
        "default_hour: 9\ndefault_minute: 0\neditor: ''\nencrypt: false\nhighlight: false\n"
        "indent_character: '|'\n"
        f"journals:\n  default:\n    journal: {folder / 'journal.txt'}\n"
        "linewrap: 79\ntagsymbols: '#@'\ntemplate: false\ntimeformat: '%F %r'\nversion: v4.6\n"
    )

    def jrnl(*args: str) -> str:
        command = [sys.executable, "-m", "jrnl", "--config-file", str(config), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
        return done.stdout

    for text in ENTRIES:
        jrnl(text)
    return {"text": (folder / "journal.txt").read_text(), "json": jrnl("--export", "json")}
