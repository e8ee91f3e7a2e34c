"""The `[git]` table of prcli.toml:

[git]
autocommit = true      # workflow commands commit what they change, one commit per release
pull = "rebase"        # how `prcli sync` takes in the remote's commits: "rebase" or "merge"
                       # (default: git's own pull.rebase setting, else rebase)
remote = "origin"      # default: the branch's upstream remote, else origin
"""

from __future__ import annotations

from dataclasses import dataclass

from prcli.config import Config
from prcli.errors import ConfigError

PULL_MODES = ("rebase", "merge")


@dataclass(frozen=True, slots=True)
class GitSettings:
    autocommit: bool = False
    pull: str = ""  # "" = as git is configured
    remote: str = ""


def git_settings(config: Config) -> GitSettings:
    table = config.raw.get("git", {})
    if not isinstance(table, dict):
        raise ConfigError(config.path, "[git] must be a table")
    autocommit = table.get("autocommit", False)
    if not isinstance(autocommit, bool):
        raise ConfigError(config.path, "git.autocommit must be true or false")
    pull = table.get("pull", "")
    if pull not in ("", *PULL_MODES):
        raise ConfigError(config.path, f'git.pull must be "rebase" or "merge", not {pull!r}')
    remote = table.get("remote", "")
    if not isinstance(remote, str):
        raise ConfigError(config.path, "git.remote must be text (a remote's name)")
    for key in table:
        if key not in ("autocommit", "pull", "remote"):
            raise ConfigError(
                config.path,
                f"[git] has an unknown key '{key}'",
                hint="known: autocommit, pull, remote",
            )
    return GitSettings(autocommit, pull, remote)
