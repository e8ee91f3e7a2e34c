"""Shell completion: commands, options, choices, ids from the index, configured values; fast path
without Typer; the scripts and their installation."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from prcli.cli.completion import complete
from prcli.repository import Repository

from .conftest import Run
from .helpers import make_release, write_release


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def words(line: str) -> tuple[list[str], int]:
    parts = line.split(" ")
    return parts, len(parts) - 1


def answer(line: str) -> list[str]:
    return complete(*words(line))


def test_commands_options_and_choices(repository: Repository) -> None:
    assert {"list", "show", "search", "completion"} <= set(answer("prcli "))
    assert answer("prcli li") == ["list"]
    assert {"--format", "--category", "--status", "--all"} <= set(answer("prcli list --"))
    assert answer("prcli list --format ") == ["table", "json", "jsonl", "csv", "ids"]
    assert answer("prcli list --format j") == ["json", "jsonl"]
    assert answer("prcli list --status a") == ["approved", "archived"]
    assert answer("prcli completion ") == ["bash", "zsh", "fish"]
    assert "add" in answer("prcli contacts ")


def test_configured_values_and_ids_from_the_index(repository: Repository, run: Run) -> None:
    assert answer("prcli list -c ") == ["Events", "Official", "Statements"]
    assert answer("prcli list --category st") == ["Statements"]
    assert answer("prcli list --language ") == ["en", "az", "ru"]
    write_release(repository, make_release(title="Alpha release", tags=("Security", "Baku")))
    write_release(repository, make_release(title="Beta release", tags=("Security",)))
    assert answer("prcli show 2021-10-15-a") == ["2021-10-15-alpha-release"]  # from file names
    assert run("list", "--format", "ids").exit_code == 0  # builds the index
    assert answer("prcli show 2021-10-15-") == [
        "2021-10-15-alpha-release",
        "2021-10-15-beta-release",
    ]
    assert answer("prcli --now 2021-01-01 publish 2021-10-15-b") == ["2021-10-15-beta-release"]
    assert answer("prcli list --tag ") == ["Baku", "Security"]
    assert answer("prcli show 2021-10-15-alpha-release ") == []  # show takes one release


def test_outside_a_repository_nothing_breaks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert answer("prcli show 2021") == []
    assert answer("prcli list -c ") == []


def test_a_tab_press_answers_without_typer(repository: Repository, run: Run) -> None:
    write_release(repository, make_release(title="Alpha release"))
    assert run("list", "--format", "ids").exit_code == 0
    answer("prcli ")  # the table of commands is built once, then kept in the cache folder
    probe = (
        "import sys, json\n"
        "from prcli.cli.main import main\n"
        "main()\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    environment = dict(
        os.environ, _PRCLI_COMPLETE="bash", COMP_WORDS="prcli\nshow\n2021-10-15-al", COMP_CWORD="2"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=environment, check=True
    )
    assert result.stdout == "2021-10-15-alpha-release\n"
    modules = set(json.loads(result.stderr.strip().splitlines()[-1]))
    assert "typer" not in modules and "rich" not in modules and "yaml" not in modules


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_scripts_print_and_install(run: Run, shell: str, tmp_path: Path) -> None:
    printed = run("completion", shell)
    assert printed.exit_code == 0 and "_PRCLI_COMPLETE=" + shell in printed.stdout
    installed = run("completion", shell, "--install")
    assert installed.exit_code == 0, installed
    target = {
        "bash": tmp_path / "data" / "bash-completion" / "completions" / "prcli",
        "zsh": tmp_path / "home" / ".zfunc" / "_prcli",
        "fish": tmp_path / "config" / "fish" / "completions" / "prcli.fish",
    }[shell]
    assert target.read_text() == printed.stdout
    assert str(target) in installed.stderr


def test_bash_script_completes_in_a_real_bash(repository: Repository, run: Run) -> None:
    import shutil

    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    write_release(repository, make_release(title="Alpha release"))
    assert run("list", "--format", "ids").exit_code == 0
    script = run("completion", "bash").stdout
    prcli = Path(sys.executable).with_name("prcli")
    if not prcli.exists():
        pytest.skip("prcli is not installed next to this Python")
    program = (
        f"{script}\n"
        "COMP_WORDS=(prcli show 2021-10-15-al); COMP_CWORD=2\n"
        "_prcli_completion\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
    )
    environment = dict(os.environ, PATH=f"{prcli.parent}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(
        ["bash", "-c", program], capture_output=True, text=True, check=True, env=environment
    )
    assert result.stdout == "2021-10-15-alpha-release\n"


def test_many_ids_are_narrowed_to_their_next_prefixes(repository: Repository, run: Run) -> None:
    """Past FULL_LIST matches the candidates are the next distinct prefixes (so the shell
    completes exactly the part every match shares, never that of a truncated list); few matches
    are offered whole. The index and the file names answer alike."""
    from datetime import date, timedelta

    from prcli.cli.completion import FULL_LIST

    start = date(2020, 12, 20)
    for n in range(FULL_LIST + 30):  # 130 releases, 2020-12-20 to 2021-04-28, one a day
        day = start + timedelta(days=n)
        title = f"Release number {n}" if n != 40 else "Release"
        write_release(repository, make_release(title=title, date=day))
    cases = {
        "prcli show ": ["2020-", "2021-"],
        "prcli show 2": ["2020-", "2021-"],
        "prcli show 2021-": ["2021-01-", "2021-02-", "2021-03-", "2021-04-"],
        "prcli show 2021-01-2": [
            *(f"2021-01-{d}-release-number-{d + 11}" for d in range(20, 29)),
            "2021-01-29-release",
        ],
        "prcli show 2021-01-29": ["2021-01-29-release"],  # a unique prefix: the whole id
    }
    from_files = {line: answer(line) for line in cases}
    assert run("list", "--format", "ids").exit_code == 0  # builds the index
    from_index = {line: answer(line) for line in cases}
    assert from_files == from_index == cases


def test_narrow_keeps_an_id_that_is_a_prefix_of_others() -> None:
    from prcli.cli.completion import FULL_LIST, narrow

    ids = sorted(["2021-10-15-cis", *(f"2021-10-15-cis-{n:03}" for n in range(FULL_LIST))])
    assert narrow(ids) == ["2021-10-15-cis", "2021-10-15-cis-"]
    assert narrow(ids[:3]) == ids[:3]


def test_tags_are_kept_beside_the_index_until_it_changes(repository: Repository, run: Run) -> None:
    write_release(repository, make_release(title="Alpha release", tags=("Security",)))
    assert run("list", "--format", "ids").exit_code == 0
    assert answer("prcli list --tag ") == ["Security"]
    memo = repository.root / ".prcli" / "completion-tags.v2.json"
    assert json.loads(memo.read_text())["tags"] == ["Security"]
    write_release(repository, make_release(title="Beta release", tags=("Baku",)))
    assert answer("prcli list --tag ") == ["Security"]  # the index has not seen Beta yet
    assert run("list", "--format", "ids").exit_code == 0  # the index changes: the memo is stale
    assert answer("prcli list --tag ") == ["Baku", "Security"]
    memo.write_text("{not json")
    assert answer("prcli list --tag b") == ["Baku"]


def test_tags_are_offered_as_written_and_match_with_or_without_diacritics(
    repository: Repository, run: Run
) -> None:
    write_release(repository, make_release(title="Alpha release", tags=("təlim", "air quality")))
    assert run("list", "--format", "ids").exit_code == 0
    assert answer("prcli list --tag tə") == ["təlim"]
    assert answer("prcli list --tag te") == ["təlim"]
    assert answer("prcli list --tag TƏL") == ["təlim"]
    assert answer("prcli list --tag air") == ["air quality"]


def test_rule_codes_are_offered_for_explain_and_rules() -> None:
    found = answer("prcli validate --explain PR3")
    assert found and all(code.startswith("PR3") for code in found)
    assert "PR307" in found
    assert answer("prcli validate --explain pr30") == answer("prcli validate --explain PR30")
    assert "PR307" in answer("prcli rules PR30")


def _bash_insert(typed: str, script: str, environment: dict[str, str]) -> list[str]:
    """What real bash makes of `prcli list --tag TYPED<Tab>`: COMP_WORDS holds the word as typed
    (quote or backslash included, as bash gives it), each candidate replaces it (bash closes a
    quote the word opened) and the line is read back by bash into the command's words."""
    quote = typed[:1] if typed[:1] in ("'", '"') else ""
    program = (
        f"{script}\n"
        f"COMP_WORDS=(prcli list --tag {shlex.quote(typed)}); COMP_CWORD=3; q={shlex.quote(quote)}\n"
        "_prcli_completion\n"
        'for c in "${COMPREPLY[@]}"; do\n'
        '  eval "set -- prcli list --tag $q$c$q"; printf "%s\\n" "$4"\n'
        "done\n"
    )
    result = subprocess.run(
        ["bash", "-c", program], capture_output=True, text=True, check=True, env=environment
    )
    return result.stdout.splitlines()


def test_bash_inserts_a_tag_with_a_space_as_one_word(repository: Repository, run: Run) -> None:
    import shutil

    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    prcli = Path(sys.executable).with_name("prcli")
    if not prcli.exists():
        pytest.skip("prcli is not installed next to this Python")
    write_release(repository, make_release(title="Alpha release", tags=("air quality", "təlim")))
    assert run("list", "--format", "ids").exit_code == 0
    script = run("completion", "bash").stdout
    environment = dict(os.environ, PATH=f"{prcli.parent}{os.pathsep}{os.environ['PATH']}")
    for typed in ("air", '"air', "'air q", "air\\ q"):
        assert _bash_insert(typed, script, environment) == ["air quality"], typed
    assert _bash_insert("te", script, environment) == ["təlim"]
