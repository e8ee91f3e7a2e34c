"""`prcli sync`: commit prcli's changes, take in the team's (rebase or merge, with the release merge
driver), validate what the merge left, push, and try again when someone pushed first.

Nothing is ever lost: sync refuses to start in the middle of another git operation, never forces a
push, and when it stops (a conflict it cannot settle, a push rejected three times) every commit is
still on the local branch and the message names the git command that continues.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from prcli.errors import PrcliError
from prcli.gitsync import commits, git, install
from prcli.gitsync.settings import GitSettings, git_settings
from prcli.repository import Repository
from prcli.validation.types import Finding

PUSH_ATTEMPTS = 3
# Findings that a merge leaves and that must not travel to the rest of the team.
HOLDING_CODES = frozenset({"PR601", "PR602", "PR006"})

Say = Callable[[str], None]


class SyncError(PrcliError):
    """Sync stopped: the repository is not in a state to sync, or git refused a step."""


@dataclass
class SyncReport:
    committed: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    integrated: str = ""  # "rebase" / "merge" when commits came in
    pushed: int = 0  # commits pushed
    attempts: int = 0
    held: list[Finding] = field(default_factory=list)  # merge findings that stopped the push
    errors: int = 0  # other validation errors (reported, not holding)


@dataclass(frozen=True, slots=True)
class Target:
    top: Path
    branch: str
    remote: str
    remote_branch: str
    has_upstream: bool

    @property
    def tracking(self) -> str:
        return f"refs/remotes/{self.remote}/{self.remote_branch}"


def check_ready(root: Path, settings: GitSettings) -> Target:
    """Refuse, naming the git command, when this clone cannot be synced as it is."""
    top = git.toplevel(root)
    if not git.has_commits(top):
        raise SyncError(
            "this clone has no commit yet", hint='git add -A && git commit -m "First releases"'
        )
    unfinished = git.unfinished_operation(top)
    if unfinished is not None:
        what, command = unfinished
        raise SyncError(
            f"{what} is in progress in {top}; sync will not start another",
            hint=f"finish it first: {command}; then prcli sync",
        )
    branch = git.current_branch(top)
    if branch is None:
        raise SyncError(
            "HEAD is detached (no branch is checked out), so there is no branch to sync",
            hint="git switch main (or git switch -c NEW-BRANCH to keep commits made here)",
        )
    unmerged = git.unmerged_paths(top)
    if unmerged:
        raise SyncError(
            f"{len(unmerged)} file(s) are still in conflict: {', '.join(unmerged[:3])}",
            hint="fix them, `git add` them and commit; then prcli sync",
        )
    known = git.remotes(top)
    if not known:
        raise SyncError(
            "this clone has no remote to sync with",
            hint="git remote add origin URL-OF-THE-TEAM-REPOSITORY; then prcli sync",
        )
    configured = git.config_get(top, f"branch.{branch}.remote")
    remote = settings.remote or configured or ("origin" if "origin" in known else known[0])
    if remote not in known:
        raise SyncError(
            f"there is no remote named '{remote}'", hint=f"remotes here: {', '.join(known)}"
        )
    merge = git.config_get(top, f"branch.{branch}.merge").removeprefix("refs/heads/")
    return Target(top, branch, remote, merge or branch, bool(configured))


def pull_mode(top: Path, settings: GitSettings) -> str:
    if settings.pull:
        return settings.pull
    return "merge" if git.config_get(top, "pull.rebase").lower() == "false" else "rebase"


def sync(
    repository: Repository,
    *,
    now: datetime,
    say: Say,
    attempts: int = PUSH_ATTEMPTS,
    pause: float = 0.25,
) -> SyncReport:
    root = repository.root
    folder = repository.config.releases_folder
    settings = git_settings(repository.config)
    target = check_ready(root, settings)
    report = SyncReport()
    if install.ensure_attributes(root, folder):
        say(f"added '{install.attribute_line(folder)}' to .gitattributes")
    if install.ensure_config(root):
        say("installed the merge driver for release files in this clone (.git/config)")
    report.committed += _commit(root, folder, say)
    last_refusal = ""
    for attempt in range(1, attempts + 1):
        report.attempts = attempt
        _fetch(target)
        tracked = _has_tracking(target)
        if tracked and _count(target.top, f"HEAD..{target.tracking}"):
            _take_in(repository, target, settings, report, say)
        if not _validated(repository, now, report, say):
            return report
        ahead = _count(target.top, f"{target.tracking}..HEAD" if tracked else "HEAD")
        if not ahead:
            say(f"{target.branch} is up to date with {target.remote}/{target.remote_branch}")
            return report
        refusal = _push(target)
        if not refusal:
            report.pushed = ahead
            say(
                f"pushed {ahead} commit(s) of {target.branch} to "
                f"{target.remote}/{target.remote_branch}"
            )
            return report
        last_refusal = refusal
        if attempt < attempts:
            say(f"the push was rejected ({refusal}); taking in the new commits and trying again")
            time.sleep(pause * attempt * (0.5 + random.random()))
    raise SyncError(
        f"the push to {target.remote} was rejected {attempts} times ({last_refusal}); nothing was "
        f"lost: your commits are on {target.branch} here",
        hint="run prcli sync again in a moment; `git log --oneline @{u}..` lists what waits to be "
        "pushed",
    )


def _commit(root: Path, folder: str, say: Say) -> list[str]:
    subjects = commits.commit_pending(root, folder)
    for subject in subjects:
        say(f"committed: {subject}")
    return subjects


def _fetch(target: Target) -> None:
    result = git.run(target.top, "fetch", "--quiet", target.remote, check=False)
    if result.returncode != 0:
        raise SyncError(
            f"could not fetch from {target.remote}: {git.last_line(result.stderr)}",
            hint="check the network and `git remote -v`; your commits are safe here",
        )


def _has_tracking(target: Target) -> bool:
    return (
        git.run(
            target.top, "rev-parse", "--verify", "--quiet", target.tracking, check=False
        ).returncode
        == 0
    )


def _count(top: Path, revisions: str) -> int:
    return int(git.output(top, "rev-list", "--count", revisions) or 0)


def _take_in(
    repository: Repository, target: Target, settings: GitSettings, report: SyncReport, say: Say
) -> None:
    mode = pull_mode(target.top, settings)
    renamed = _settle_collisions(repository, target, say)
    report.renamed += renamed
    if renamed and mode == "rebase":
        # Replaying the commit that created the id would collide again; a merge takes in the net
        # result (the release under its new name) in one step.
        mode = "merge"
        say("merging instead of rebasing this time, so the renamed release travels as renamed")
    elif mode == "rebase" and git.output(
        target.top, "rev-list", "--merges", f"{target.tracking}..HEAD"
    ):
        # A rebase would flatten the merge made earlier (say, after a rename) and replay the
        # commits it already settled.
        mode = "merge"
    upstream = f"{target.remote}/{target.remote_branch}"
    if mode == "rebase":
        result = git.run(target.top, "rebase", "--autostash", target.tracking, check=False)
    else:
        result = git.run(
            target.top,
            "merge",
            "--no-edit",
            "--autostash",
            "-m",
            f"prcli sync: merge {upstream} into {target.branch}",
            target.tracking,
            check=False,
        )
    for line in (result.stdout + result.stderr).splitlines():
        if line.startswith("prcli: "):
            say(line.removeprefix("prcli: "))
    if result.returncode != 0:
        unmerged = git.unmerged_paths(target.top)
        ongoing = git.unfinished_operation(target.top)
        command = ongoing[1] if ongoing else f"git {mode} {upstream}"
        if unmerged:
            raise SyncError(
                f"git stopped the {mode} of {upstream}: {len(unmerged)} file(s) in conflict "
                f"({', '.join(unmerged[:3])}); nothing was lost",
                hint=f"fix them (prcli validate names release problems), `git add` them, then "
                f"{command.split(' (')[0]}; then prcli sync",
            )
        raise SyncError(
            f"git could not {mode} {upstream}: {git.last_line(result.stderr or result.stdout)}",
            hint=f"run `git {mode} {upstream}` to see the whole message",
        )
    report.integrated = mode
    say(f"took in the commits of {upstream} ({mode})")


def _settle_collisions(repository: Repository, target: Target, say: Say) -> list[str]:
    """Releases both sides created under the same id since they parted: ours gets a new id."""
    from prcli.renaming import rename

    top = target.top
    base = git.run(top, "merge-base", "HEAD", target.tracking, check=False)
    if base.returncode != 0:
        return []
    fork = base.stdout.strip()
    pattern = f":(glob){_folder_spec(repository, top)}/**/*.md"

    def added(tip: str) -> set[str]:
        text = git.output(top, "diff", "--name-only", "--diff-filter=A", fork, tip, "--", pattern)
        return {line for line in text.splitlines() if line}

    renamed: list[str] = []
    for path in sorted(added("HEAD") & added(target.tracking)):
        ours = git.output(top, "rev-parse", f"HEAD:{path}")
        if ours == git.output(top, "rev-parse", f"{target.tracking}:{path}"):
            continue  # the very same file on both sides
        repository.written.clear()
        done = rename(repository, top / path, force=True)
        renamed.append(f"{done.old_id} -> {done.new_id}")
        say(
            f"{done.old_id} was also created on {target.remote} by someone else; yours is now "
            f"{done.new_id}"
        )
        base_top = top.resolve()
        commits.commit_paths(
            top,
            [p.resolve().relative_to(base_top).as_posix() for p in repository.written],
            repository.root,
        )
    return renamed


def _folder_spec(repository: Repository, top: Path) -> str:
    return repository.releases_dir.resolve().relative_to(top.resolve()).as_posix()


def _validated(repository: Repository, now: datetime, report: SyncReport, say: Say) -> bool:
    """Validate the merged repository; False (do not push) when a merge left something to settle."""
    from prcli.validation import Severity, validate

    fresh = Repository.open(repository.root, use_cache=repository.use_cache)
    result = validate(fresh, now)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    report.held = [f for f in errors if f.code in HOLDING_CODES]
    report.errors = len(errors) - len(report.held)
    if report.errors:
        say(
            f"validate: {report.errors} other error(s) in the repository (prcli validate lists them)"
        )
    return not report.held


def _push(target: Target) -> str:
    """Push; '' when it went through, the reason when the remote rejected it."""
    arguments = ["push", "--porcelain"]
    if not target.has_upstream:
        arguments.append("--set-upstream")
    arguments += [target.remote, f"HEAD:refs/heads/{target.remote_branch}"]
    result = git.run(target.top, *arguments, check=False)
    if result.returncode == 0:
        return ""
    text = result.stdout + result.stderr
    for marker, reason in (
        ("[rejected]", "someone pushed first"),
        ("[remote rejected]", "the remote refused it"),
        ("non-fast-forward", "someone pushed first"),
        ("fetch first", "someone pushed first"),
    ):
        if marker in text:
            detail = next(
                (
                    line.split("(", 1)[-1].rstrip(")")
                    for line in text.splitlines()
                    if marker in line and "(" in line
                ),
                "",
            )
            return f"{reason}: {detail}" if detail else reason
    raise SyncError(
        f"could not push to {target.remote}: {git.last_line(result.stderr)}",
        hint="check access to the remote (`git push` shows the whole message); your commits are "
        "safe here",
    )
