"""Shell completion for bash, zsh and fish: commands, options, release ids, categories, languages,
tags, statuses and format names.

A completion runs on every Tab press, so it never imports Typer or Rich: the shell script calls
`prcli` with _PRCLI_COMPLETE set, `main` hands over to `complete()` here, and the commands and
options come from a table built once from the Typer app and kept in the user's cache folder
(rebuilt whenever prcli's command modules change). Release ids and tags come from the index cache
(.prcli/index.sqlite) as it is, without reading a release file; categories and languages from
prcli.toml.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

VARIABLE = "_PRCLI_COMPLETE"
SHELLS = ("bash", "zsh", "fish")
ID_ARGUMENTS = {"reference", "references", "release", "releases"}
VALUE_KINDS = {
    "category": "category",
    "language": "language",
    "tag": "tag",
    "status": "status",
}
RULE_PARAMETERS = {"explain", "code"}  # take a validation rule's code
MAX_CANDIDATES = 2000
# Up to this many matching ids are offered one by one (bash asks before showing more than 100);
# beyond it, their next distinct prefixes (see `narrow`).
FULL_LIST = 100

SCRIPTS = {
    "bash": """\
# prcli completion for bash
_prcli_completion() {
    local IFS=$'\\n'
    COMPREPLY=($(env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD="$COMP_CWORD" \\
        _PRCLI_COMPLETE=bash prcli 2>/dev/null))
}
complete -o default -F _prcli_completion prcli
""",
    "zsh": """\
#compdef prcli
# prcli completion for zsh
_prcli() {
    local -a candidates partial
    # One word a line: a word may hold spaces (--tag "air quality").
    candidates=("${(@f)$(env COMP_WORDS="${(pj:\\n:)words}" COMP_CWORD=$((CURRENT - 1)) \\
        _PRCLI_COMPLETE=zsh prcli 2>/dev/null)}")
    # A prefix of several ids (2021-10-) takes no space after it: the next Tab narrows it.
    partial=(${(M)candidates:#?*-})
    candidates=(${candidates:#?*-})
    compadd -S '' -a partial
    # -U: prcli already chose them (a tag typed without its diacritics matches: tel -> təlim);
    # zsh quotes what it inserts.
    compadd -U -a candidates
}
compdef _prcli prcli
""",
    "fish": """\
# prcli completion for fish
function __prcli_complete
    set -l words (commandline -opc) (commandline -ct)
    # One word a line, kept as one argument (string collect): a word may hold spaces.
    env COMP_WORDS=(string join \\n -- $words | string collect) COMP_CWORD=(math (count $words) - 1) \\
        _PRCLI_COMPLETE=fish prcli 2>/dev/null
end
complete -c prcli -f -a '(__prcli_complete)'
""",
}


def install_path(shell: str) -> Path:
    """Where each shell looks for completions of a user's commands without further setup."""
    home = Path.home()
    if shell == "bash":
        data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
        return data / "bash-completion" / "completions" / "prcli"
    if shell == "zsh":
        return home / ".zfunc" / "_prcli"
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    return config / "fish" / "completions" / "prcli.fish"


# -- the table of commands and options --------------------------------------------------------------


def _fingerprint() -> str:
    """Changes whenever a command module changes (size or time), so the table is never stale."""
    folder = Path(__file__).parent
    parts = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.endswith(".py"):
            stat = entry.stat()
            parts.append(f"{entry.name}:{stat.st_size}:{stat.st_mtime_ns}")
    import zlib

    from prcli import __version__

    return f"{__version__}-{zlib.crc32(';'.join(parts).encode()):08x}"


def _table_path() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "prcli" / f"completion-{_fingerprint()}.json"


def build_table() -> dict[str, Any]:
    """Commands, their options (with the kind of value each takes) and their arguments, read from
    the Typer app (duck-typed: Typer bundles its own Click)."""
    import typer.main
    from typer import _click

    from prcli.cli.app import app

    group = typer.main.get_command(app)
    context = _click.Context(group)

    def choices(parameter: Any) -> list[str] | None:
        if parameter.name in RULE_PARAMETERS:  # validate --explain CODE, rules CODE
            from prcli.validation import RULES

            return sorted(RULES)
        values = getattr(parameter.type, "choices", None)
        return None if values is None else [str(getattr(v, "value", v)) for v in values]

    def options(command: Any) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for parameter in command.params:
            if getattr(parameter, "param_type_name", "") != "option":
                continue
            listed = choices(parameter)
            if getattr(parameter, "is_flag", False) or getattr(parameter, "count", False):
                kind: Any = "flag"
            elif listed is not None:
                kind = ["choice", listed]
            elif parameter.name in VALUE_KINDS:
                kind = VALUE_KINDS[parameter.name]
            else:
                kind = "path"  # paths and free text: the shell's own completion
            for name in (*parameter.opts, *parameter.secondary_opts):
                found[name] = kind
        return found

    def arguments(command: Any) -> list[str]:
        kinds = []
        for parameter in command.params:
            if getattr(parameter, "param_type_name", "") != "argument":
                continue
            listed = choices(parameter)
            kind = "id" if parameter.name in ID_ARGUMENTS else "path"
            if listed is not None:
                kind = "choice:" + "\x1f".join(listed)
            kinds.append(kind + ("*" if parameter.nargs == -1 else ""))
        return kinds

    def describe(command: Any) -> dict[str, Any]:
        entry: dict[str, Any] = {"options": options(command), "arguments": arguments(command)}
        if hasattr(command, "list_commands"):
            entry["commands"] = {
                name: describe(sub)
                for name in command.list_commands(context)
                if (sub := command.get_command(context, name)) is not None
                and not getattr(sub, "hidden", False)
            }
        return entry

    return describe(group)


def table() -> dict[str, Any]:
    path = _table_path()
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data
    except (OSError, ValueError):
        pass
    data = build_table()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass  # no cache folder: build it again next time
    return data


# -- answering --------------------------------------------------------------------------------------


def complete(words: list[str], current_index: int) -> list[str]:
    """Candidates for the word at `current_index` of a command line (`words[0]` is prcli)."""
    current = words[current_index] if current_index < len(words) else ""
    before = words[1:current_index]
    spec = table()
    root_options: dict[str, Any] = spec["options"]
    scope: dict[str, Any] | None = None  # the command (or subcommand) being typed
    commands: dict[str, Any] = spec["commands"]
    repo: str | None = None
    positionals = 0
    expecting: Any = None
    option = ""
    for word in before:
        if expecting is not None:
            if option == "--repo" and scope is None:
                repo = word
            expecting = None
            continue
        options = scope["options"] if scope else root_options
        if word.startswith("-") and "=" not in word:
            kind = options.get(word)
            if kind is not None and kind != "flag":
                expecting, option = kind, word
            continue
        choosing = scope is None or (scope.get("commands") and positionals == 0)
        if choosing and word in commands:
            scope = commands[word]
            commands = scope.get("commands") or {}
            continue
        positionals += 1
    options = scope["options"] if scope else root_options
    if expecting is not None:
        return _values(expecting, current, repo)
    if current.startswith("-"):
        return sorted(name for name in options if name.startswith(current))
    if scope is None or (scope.get("commands") and positionals == 0):
        return sorted(name for name in commands if name.startswith(current))
    kinds: list[str] = scope["arguments"]
    if not kinds:
        return []
    kind = kinds[min(positionals, len(kinds) - 1)]
    if positionals >= len(kinds) and not kind.endswith("*"):
        return []
    return _values(kind.rstrip("*"), current, repo)


def _values(kind: Any, current: str, repo: str | None) -> list[str]:
    if isinstance(kind, list):  # ["choice", [...]]
        return [value for value in kind[1] if value.startswith(current)] or [
            value for value in kind[1] if value.casefold().startswith(current.casefold())
        ]
    if kind.startswith("choice:"):
        listed = kind[7:].split("\x1f")
        return [value for value in listed if value.startswith(current)] or [
            value for value in listed if value.casefold().startswith(current.casefold())
        ]
    if kind == "status":
        from prcli.model import Status

        return [status.value for status in Status if status.value.startswith(current)]
    if kind in ("category", "language", "tag", "id"):
        root = _repository_root(repo)
        if root is None:
            return []
        if kind == "id":
            return _ids(root, current)
        if kind == "tag":
            return _tags(root, current)
        return _configured(root, kind, current)
    return []  # paths and free text: the shell's own completion (bash -o default) takes over


def _repository_root(repo: str | None) -> Path | None:
    from prcli.paths import CONFIG_NAME

    explicit = repo or os.environ.get("PRCLI_REPO")
    if explicit:
        root = Path(explicit).expanduser()
        return root if (root / CONFIG_NAME).is_file() else None
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def _index(root: Path) -> Any:
    import sqlite3

    from prcli.paths import CACHE_NAME, WORK_FOLDER

    path = root / WORK_FOLDER / CACHE_NAME
    if not path.is_file():
        return None
    try:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.1)
    except sqlite3.Error:
        return None


def _ids(root: Path, current: str) -> list[str]:
    """Ids starting with what was typed: from the index, else from the file names; narrowed to
    prefixes when there are many (see `narrow`)."""
    import sqlite3

    connection = _index(root)
    if connection is not None:
        try:
            found = _ids_from_index(connection, current)
            if found:
                return found
        except sqlite3.Error:
            pass
        finally:
            connection.close()
    names: list[str] = []
    for _folder, _dirs, files in os.walk(root / "releases"):
        names.extend(
            name[:-3]
            for name in files
            if name.endswith(".md") and name.startswith(current) and not name.startswith(".")
        )
    return narrow(sorted(names))


def _ids_from_index(connection: Any, current: str) -> list[str]:
    """The matching ids of the index in order (prcli.idprefix, as `prcli list` reads them),
    narrowed by `narrow`."""
    from prcli.idprefix import ids_starting

    return narrow(ids_starting(connection, current))


def narrow(ids: list[str]) -> list[str]:
    """What to offer for the (sorted) ids that match: all of them when they are few (at most
    FULL_LIST), else their distinct prefixes up to the next '-' after the part all of them share:
    `2` gives `2016-` ... `2026-`, `2021-10-1` gives `2021-10-10-` ... `2021-10-19-`. The shell
    then completes up to the shared part at once (the longest common prefix of every match, never
    of a truncated list), and the next Tab narrows further."""
    if len(ids) <= FULL_LIST:
        return ids
    from prcli.idprefix import common_length

    length = common_length(ids[0], ids[-1])  # that of the first and last: that of all
    prefixes: list[str] = []
    for rid in ids:
        cut = rid.find("-", length)
        prefix = rid if cut < 0 else rid[: cut + 1]
        if not prefixes or prefixes[-1] != prefix:
            prefixes.append(prefix)
    return sorted(set(prefixes))[:MAX_CANDIDATES]


def _tags(root: Path, current: str) -> list[str]:
    """Tags as written (`təlim`) whose folded form starts with what was typed, folded: `tə`, `te`
    and `TƏ` all find it."""
    from prcli.text import fold

    typed = fold(current)
    return [tag for tag in _all_tags(root) if fold(tag).startswith(typed)][:MAX_CANDIDATES]


TAGS_MEMO = "completion-tags.v2.json"  # v2: tags as written (v1 held them folded)


def _all_tags(root: Path) -> list[str]:
    """Every tag in the index. Gathering them reads every row (a quarter second on 50,000), so
    the list is kept beside the index in .prcli/ and used while the index files are unchanged."""
    from prcli.paths import CACHE_NAME, WORK_FOLDER

    folder = root / WORK_FOLDER
    stamp: list[list[int] | None] = []
    for name in (CACHE_NAME, f"{CACHE_NAME}-wal"):
        try:
            stat = os.stat(folder / name)
            stamp.append([stat.st_mtime_ns, stat.st_size])
        except OSError:
            stamp.append(None)
    memo = folder / TAGS_MEMO
    try:
        kept = json.loads(memo.read_text(encoding="utf-8"))
        if kept["stamp"] == stamp and isinstance(kept["tags"], list):
            return [tag for tag in kept["tags"] if isinstance(tag, str)]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    tags = _tags_from_index(root)
    if tags is None:
        return []
    try:
        temporary = memo.with_name(f".{TAGS_MEMO}.{os.getpid()}")
        temporary.write_text(json.dumps({"stamp": stamp, "tags": tags}), encoding="utf-8")
        os.replace(temporary, memo)
    except OSError:
        pass  # read-only: gather them again next time
    return tags


def _tags_from_index(root: Path) -> list[str] | None:
    import sqlite3

    connection = _index(root)
    if connection is None:
        return None
    try:
        # As written, from the stored records (their JSON lacks only its closing brace).
        rows = connection.execute(
            "SELECT DISTINCT tag.value FROM releases JOIN records USING (id), "
            "json_each(json_extract(CAST(records.record AS TEXT) || '}', '$.tags')) AS tag "
            "WHERE releases.error IS NULL ORDER BY tag.value"
        )
        return [tag for (tag,) in rows if isinstance(tag, str)]
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def _configured(root: Path, kind: str, current: str) -> list[str]:
    from prcli import config
    from prcli.config import CONFIG_NAME
    from prcli.errors import PrcliError

    try:
        settings = config.load(root / CONFIG_NAME)
    except (PrcliError, OSError, ValueError):
        return []
    values = settings.categories if kind == "category" else settings.languages
    folded = current.casefold()
    return [value for value in values if value.casefold().startswith(folded)]


def run(shell: str) -> None:
    """Answer one completion request from the environment the shell script sets."""
    # The scripts join the words with newlines: a word may hold spaces ("air quality"). A zsh or
    # fish script installed by an older prcli joins them with spaces.
    joined = os.environ.get("COMP_WORDS", "")
    words = joined.split("\n" if shell == "bash" or "\n" in joined else " ")
    try:
        index = int(os.environ.get("COMP_CWORD", "0"))
    except ValueError:
        index = len(words) - 1
    typed = words[index] if 0 <= index < len(words) else ""
    try:
        plain = [unquote(word) for word in words]
        candidates = complete(plain, index)
    except Exception:  # a completion never prints a traceback into the user's prompt
        candidates = []
    if shell == "bash":
        # bash inserts a candidate as it is: escaped for the shell, unless the word was opened
        # with a quote (then bash closes it and the text goes in plain).
        opened = typed[:1] in ("'", '"')
        candidates = [c if opened else quote_for_bash(c) for c in candidates]
    sys.stdout.write("".join(f"{candidate}\n" for candidate in candidates))


def unquote(word: str) -> str:
    """A word as the shell will read it: `air\\ qu`, `"air qu` and `'air qu` are `air qu`."""
    if not any(mark in word for mark in "\\'\""):
        return word
    import shlex

    for ending in ("", '"', "'"):
        try:
            parts = shlex.split(word + ending)
        except ValueError:
            continue
        if len(parts) == 1:
            return parts[0]
    return word


def quote_for_bash(text: str) -> str:
    """Every character the shell would read as syntax, backslash-escaped (`air\\ quality`);
    letters of any script stay as they are (`təlim`)."""
    return "".join(char if char.isalnum() or char in "_-.,:/@%+=" else "\\" + char for char in text)
