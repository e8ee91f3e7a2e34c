"""prcli validate and prcli rules from the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from prcli.repository import Repository, render

from .conftest import Run
from .helpers import write_release, write_text_release
from .test_validation import good

Add = Callable[..., Path]


@pytest.fixture
def mixed(repository: Repository) -> Repository:
    write_release(repository, good())
    write_release(repository, good(id="2021-10-15-shouting", title="SHOUTING HEADLINE HERE"))
    write_release(
        repository, good(id="2021-10-15-bad-category", title="Bad category", category="Gossip")
    )
    write_text_release(repository, "2021-10-15-broken.md", '---\ntitle: "x"\ntitle: "y"\n---\n')
    return repository


def test_table_groups_by_file_and_exits_1_on_errors(mixed: Repository, run: Run) -> None:
    result = run("validate")
    assert result.exit_code == 1
    out = result.stdout
    assert "releases/2021/2021-10-15-bad-category.md" in out
    assert "PR102 category-value" in out and "unknown category 'Gossip'" in out
    assert "PR302 title-all-caps" in out
    assert "releases/2021/2021-10-15-broken.md" in out and "duplicate key 'title'" in out
    assert "2 errors, 1 warning, 0 infos in 3 file(s); 4 release(s) checked." in result.stderr


def test_json_is_a_documented_list(mixed: Repository, run: Run) -> None:
    result = run("validate", "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert {tuple(sorted(f)) for f in findings} == {
        ("code", "hint", "line", "message", "path", "rule", "severity")
    }
    assert [(f["path"], f["line"], f["code"], f["severity"]) for f in findings] == [
        ("releases/2021/2021-10-15-bad-category.md", 5, "PR102", "error"),
        ("releases/2021/2021-10-15-broken.md", 3, "PR001", "error"),
        ("releases/2021/2021-10-15-shouting.md", 3, "PR302", "warning"),
    ]


def test_github_annotations(mixed: Repository, run: Run) -> None:
    lines = run("validate", "--format", "github").stdout.splitlines()
    assert lines[0] == (
        "::error file=releases/2021/2021-10-15-bad-category.md,line=5,title=PR102 category-value"
        "::unknown category 'Gossip' (use one of: Events, Official, Statements)"
    )
    assert lines[2].startswith("::warning file=releases/2021/2021-10-15-shouting.md,line=3,")


def test_github_escapes_newlines_and_commas(repository: Repository, run: Run) -> None:
    """Workflow commands: in properties (file=) %, CR, LF, ':' and ',' are escaped; in the message
    %, CR and LF. Both parts here hold a newline, a comma and a colon."""
    release = good(unknown={"a,b:\nc%": 1})
    folder = repository.releases_dir / "2021" / "odd, name:\nhere"
    folder.mkdir(parents=True)
    (folder / f"{release.id}.md").write_bytes(render(release, "yaml"))
    output = run("validate", "--format", "github").stdout
    lines = output.splitlines()
    assert all(line.startswith("::") for line in lines), output
    (line,) = [line for line in lines if "unknown field" in line]
    properties, message = line.split("::")[1:3]
    assert "file=releases/2021/odd%2C name%3A%0Ahere/2021-10-15-" in properties
    assert "unknown field 'a,b:%0Ac%25'" in message


def test_warnings_pass_unless_strict(repository: Repository, run: Run) -> None:
    write_release(repository, good(title="ALL CAPITALS TITLE"))
    assert run("validate").exit_code == 0
    strict = run("validate", "--strict", "--format", "json")
    assert strict.exit_code == 1
    assert json.loads(strict.stdout)[0]["severity"] == "error"


def test_clean_repository(repository: Repository, run: Run) -> None:
    write_release(repository, good())
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "1 release(s) checked: no problems." in result.stderr


def test_named_releases_only(mixed: Repository, run: Run) -> None:
    result = run("validate", "2021-10-15-shouting", "--format", "json")
    assert result.exit_code == 0
    assert [f["code"] for f in json.loads(result.stdout)] == ["PR302"]
    broken = run("validate", "releases/2021/2021-10-15-broken.md", "--format", "json")
    assert broken.exit_code == 1
    assert [f["code"] for f in json.loads(broken.stdout)] == ["PR001"]


def test_explain_and_rules(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no repository needed to read the rule book
    explained = run("validate", "--explain", "PR310")
    assert explained.exit_code == 0
    assert explained.stdout.startswith("PR310 hidden-characters (error by default)")
    assert "CVE-2021-42574" in explained.stdout
    assert run("rules", "hidden-characters").stdout == explained.stdout
    unknown = run("validate", "--explain", "PR999")
    assert unknown.exit_code == 2 and "unknown rule 'PR999'" in unknown.stderr
    listed = run("rules", "--format", "json")
    rules = json.loads(listed.stdout)
    assert [r["code"] for r in rules] == sorted(r["code"] for r in rules)
    assert {"PR001", "PR310", "PR403"} <= {r["code"] for r in rules}
    table = run("rules")
    assert "PR307" in table.stdout and "placeholder" in table.stdout


def test_rules_shows_the_repository_overrides(repo_root: Path, run: Run) -> None:
    config = repo_root / "prcli.toml"
    config.write_text(config.read_text() + '\n[validation.rules]\nPR305 = "off"\n')
    rules = {r["code"]: r for r in json.loads(run("rules", "--format", "json").stdout)}
    assert rules["PR305"]["severity"] == "off"
    assert rules["PR305"]["default_severity"] == "warning"


def test_new_reports_the_findings_of_the_new_release(repository: Repository, run: Run) -> None:
    result = run("new", "ALL CAPS TITLE.", "-c", "Events", "--no-input")
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 1  # still only the path on stdout
    assert "warning: line 3: title is in capitals [PR302 title-all-caps]" in result.stderr
    assert "[PR303 title-full-stop]" in result.stderr


def test_edit_reports_findings(repository: Repository, run: Run, fake_editor) -> None:  # type: ignore[no-untyped-def]
    write_release(repository, good())
    fake_editor(append="\nTODO: add a quote\n")
    result = run("edit", "2021-10-15-cis", "--minor")
    assert result.exit_code == 0
    assert "error: line" in result.stderr and "placeholder 'TODO' in the body" in result.stderr
