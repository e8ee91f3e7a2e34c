"""Reading release files strictly and writing them canonically."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from prcli import safeyaml
from prcli.errors import InvalidRelease
from prcli.model import Contact, Status
from prcli.repository import parse_release, render

from .helpers import make_release

GOOD = """\
---
id: "2021-10-15-cis"
title: "CIS security chiefs meet"
status: "published"
category: "Events"
language: "en"
date: 2021-10-15
---

Body line one.

Body line two.
"""


def parse(text: str | bytes):  # type: ignore[no-untyped-def]
    data = text.encode("utf-8") if isinstance(text, str) else text
    entry = parse_release(Path("releases/2021/x.md"), data)
    return entry.release, entry.format


def error_of(text: str | bytes) -> InvalidRelease:
    with pytest.raises(InvalidRelease) as caught:
        parse(text)
    return caught.value


def test_reads_a_release() -> None:
    release, fmt = parse(GOOD)
    assert fmt == "yaml"
    assert release.id == "2021-10-15-cis"
    assert release.status is Status.PUBLISHED
    assert release.date == date(2021, 10, 15)
    assert release.body == "Body line one.\n\nBody line two."


def test_canonical_write_is_stable_and_ordered() -> None:
    release = make_release(
        tags=("b", "a"), contacts=(Contact(name="Press", email="p@example.org"),)
    )
    text = render(release, "yaml").decode()
    front = text.split("---\n")[1]
    keys = [line.split(":")[0] for line in front.splitlines() if line[0].isalpha()]
    assert keys == [
        "id",
        "title",
        "status",
        "category",
        "language",
        "date",
        "tags",
        "contacts",
        "history",
    ]
    again, _ = parse(text)
    assert again == release
    assert render(again, "yaml").decode() == text
    assert text.endswith("Moscow on October 13.\n")


def test_bom_is_removed_not_fatal() -> None:
    release, _ = parse("\ufeff" + GOOD)
    assert release.title == "CIS security chiefs meet"


def test_crlf_line_endings_read_as_lf() -> None:
    release, _ = parse(GOOD.replace("\n", "\r\n"))
    assert release.body == "Body line one.\n\nBody line two."
    assert "\r" not in release.title


def test_yaml11_guesses_stay_text() -> None:
    text = GOOD.replace('title: "CIS security chiefs meet"', "title: NO").replace(
        'category: "Events"', "category: 12:30\nsubtitle: 1.10\ndateline: on"
    )
    release, _ = parse(text)
    assert release.title == "NO"
    assert release.category == "12:30"
    assert release.subtitle == "1.10"
    assert release.dateline == "on"


def test_quoted_values_are_written_for_yaml11_words() -> None:
    release = make_release(title="NO", subtitle="1.10", dateline="12:30")
    text = render(release, "yaml").decode()
    assert 'title: "NO"' in text and 'subtitle: "1.10"' in text and 'dateline: "12:30"' in text


def test_missing_closing_delimiter_names_line_and_fix() -> None:
    error = error_of(GOOD.replace("---\n\nBody", "\nBody"))
    assert error.line == 1
    assert "never closed" in error.message
    assert "---" in error.hint


def test_no_front_matter() -> None:
    error = error_of("# Just Markdown\n")
    assert "no front matter" in error.message


def test_alias_bomb_is_rejected_quickly() -> None:
    bomb = (
        "---\n"
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
        "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
        "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
        "---\n"
    )
    error = error_of(bomb)
    assert "aliases" in error.message
    assert error.line == 2  # where the aliased value is anchored (line 1 is ---)


def test_plain_alias_is_rejected() -> None:
    error = error_of(GOOD.replace('category: "Events"', "category: &c Events\nsubtitle: *c"))
    assert "aliases" in error.message


def test_duplicate_keys_are_rejected_with_both_lines() -> None:
    error = error_of(GOOD.replace('language: "en"', 'language: "en"\ntitle: "Second"'))
    assert "duplicate key 'title'" in error.message
    assert "first on line 3" in error.message
    assert error.line == 7


def test_tabs_are_a_syntax_error_with_line() -> None:
    error = error_of(GOOD.replace('language: "en"', 'tags:\n\t- "x"'))
    assert "YAML syntax error" in error.message
    assert error.line is not None and error.line >= 7


def test_binary_content() -> None:
    error = error_of(b"---\nid: x\n\x00\x01\x02")
    assert "binary" in error.message
    assert error.line == 3


def test_not_utf8_names_the_line() -> None:
    error = error_of(GOOD.replace("Body line two.", "Body \xe9").encode("latin-1"))
    assert "not UTF-8" in error.message
    assert error.line == 12


def test_body_starting_with_a_rule_keeps_every_line() -> None:
    release, _ = parse(GOOD.replace("Body line one.", "---\n\nAfter the rule"))
    assert release.body.startswith("---\n\nAfter the rule")


def test_wrong_type_names_the_key_line() -> None:
    error = error_of(GOOD.replace("date: 2021-10-15", "date: tomorrow"))
    assert error.line == 7
    assert "'date'" in error.message
    assert "YYYY-MM-DD" in error.hint


def test_impossible_date() -> None:
    error = error_of(GOOD.replace("date: 2021-10-15", "date: 2021-02-30"))
    assert "not a real date" in error.message


def test_naive_embargo_is_rejected() -> None:
    error = error_of(
        GOOD.replace("date: 2021-10-15", "date: 2021-10-15\nembargo_until: 2021-10-15T09:00:00")
    )
    assert "no timezone" in error.message
    assert error.line == 8


def test_missing_required_field() -> None:
    error = error_of(GOOD.replace('title: "CIS security chiefs meet"\n', ""))
    assert "missing required field 'title'" in error.message
    assert error.code == "PR002"


def test_unknown_status_lists_the_allowed_ones() -> None:
    error = error_of(GOOD.replace('status: "published"', 'status: "live"'))
    assert "unknown status 'live'" in error.message
    assert "draft" in error.hint


def test_unknown_fields_are_kept_and_written_back() -> None:
    release, _ = parse(GOOD.replace('language: "en"', 'language: "en"\nauthor: "Ali"\nweight: 3'))
    assert release.unknown == {"author": "Ali", "weight": 3}
    again, _ = parse(render(release, "yaml"))
    assert again.unknown == {"author": "Ali", "weight": 3}


def test_custom_tags_are_rejected() -> None:
    error = error_of(GOOD.replace('category: "Events"', "category: !!python/object:os.system x"))
    assert "unsupported YAML tag" in error.message


def test_toml_front_matter_round_trip() -> None:
    release = make_release(summary="Lead", tags=("a",), contacts=(Contact(name="Press"),))
    data = render(release, "toml")
    assert data.startswith(b"+++\n")
    again, fmt = parse(data)
    assert fmt == "toml"
    assert again == release


def test_toml_syntax_error_has_file_line() -> None:
    error = error_of('+++\nid = "x"\ntitle = \n+++\n')
    assert "TOML syntax error" in error.message
    assert error.line == 3


def test_control_characters_survive_a_round_trip() -> None:
    title = 'Quote " back\\slash \x07 bell \x85 nel \u2028 sep \ufeff bom'
    release = make_release(title=title, id="2021-10-15-x")
    again, _ = parse(render(release, "yaml"))
    assert again.title == title


def test_safe_yaml_reports_libyaml_in_use() -> None:
    # Without libyaml PyYAML silently parses 6-7 x slower; the benchmark notes depend on this.
    assert safeyaml.HAS_LIBYAML


def test_python_frontmatter_reads_our_files_the_same() -> None:
    frontmatter = pytest.importorskip("frontmatter")
    release = make_release(
        title="NO: 12:30 — Şuşa",
        tags=("yes", "1.10"),
        contacts=(Contact(name="Press", phone="+994 12"),),
        body="Para one.\n\n---\n\nAfter a rule.",
    )
    post = frontmatter.loads(render(release, "yaml").decode())
    assert post["title"] == release.title
    assert post["tags"] == ["yes", "1.10"]
    assert post["contacts"] == [{"name": "Press", "phone": "+994 12"}]
    assert post.content == release.body


@pytest.mark.parametrize(
    ("quote", "said"),
    [
        # closed by the first quote of line 4 (status: "published"), where the parser breaks
        ('"', 'the quote " opened on this line runs on to line 4 (did not find expected key)'),
        # never closed: the parser stops at the end of the front matter (line 7)
        ("'", "the quote ' opened on this line is never closed"),
    ],
)
def test_an_unclosed_quote_is_reported_on_the_line_it_opens(quote: str, said: str) -> None:
    error = error_of(GOOD.replace('"CIS security chiefs meet"', f"{quote}CIS security"))
    assert error.line == 3 and said in error.message, error
    last = error_of(GOOD.replace("date: 2021-10-15", f"date: {quote}2021-10-15"))
    assert last.line == 7 and "never closed" in last.message, last


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        # indentation: a key indented under a plain value
        ('category: "Events"', 'category: "Events"\n  extra: "x"', 6, "expected key"),
        # a tab where indentation is expected
        ('language: "en"', 'tags:\n\t- "x"', 7, "cannot start any token"),
        # a flow list never closed: found at the next key, opened on the line before
        ('language: "en"', 'tags: ["a", "b"', 7, "[ opened on line 6"),
        # ... and at the end of the front matter
        ("date: 2021-10-15", 'date: 2021-10-15\ntags: ["a",\n  "b"', 9, "[ opened on line 8"),
        # a quote closed, then text after it on the same line
        ('title: "CIS security chiefs meet"', 'title: "CIS" meet', 3, "YAML syntax error"),
    ],
)
def test_other_yaml_errors_keep_their_lines(old: str, new: str, line: int, words: str) -> None:
    error = error_of(GOOD.replace(old, new))
    assert error.line == line and words in error.message, error
