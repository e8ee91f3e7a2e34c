"""The [smtp], [distribution] and [wire] tables of prcli.toml, read into typed values.

Passwords never come from prcli.toml: a `password` key there is an error naming the two places a
password may come from (an environment variable, the system keyring).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from prcli.config import Config, SettingsReader
from prcli.errors import ConfigError

DEFAULT_PASSWORD_VARIABLE = "PRCLI_SMTP_PASSWORD"
DEFAULT_PRIVATE_FOLDER = "private"
SECURITY_MODES = ("starttls", "ssl", "none")
END_MARKS = ("###", "-30-", "end")


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str = ""
    port: int = 0  # 0: the usual port of the security mode (587, 465, 25)
    security: str = "starttls"
    user: str = ""
    password_env: str = DEFAULT_PASSWORD_VARIABLE
    keyring_service: str = "prcli"
    timeout: float = 30.0
    # At most this many messages a minute (0: no limit).
    rate_per_minute: float = 60.0
    # Temporary failures (4xx, dropped connections) are retried this many times per message,
    # waiting backoff, 2 x backoff, 4 x backoff ... seconds (capped at backoff_max).
    retries: int = 3
    backoff: float = 2.0
    backoff_max: float = 60.0

    @property
    def effective_port(self) -> int:
        if self.port:
            return self.port
        return {"ssl": 465, "starttls": 587}.get(self.security, 25)


@dataclass(frozen=True, slots=True)
class WireProfile:
    name: str = "default"
    width: int = 72  # 0: no wrapping
    end_mark: str = "###"
    release_line: bool = True  # FOR IMMEDIATE RELEASE / EMBARGOED UNTIL ...
    max_length: int = 0  # characters of the whole copy; 0: no limit
    ascii_only: bool = False  # some wire systems still take only ASCII
    links: str = "footnotes"  # or "inline"


@dataclass(frozen=True, slots=True)
class DistributionSettings:
    sender: str = ""  # From: "Press Office <press@example.org>"
    reply_to: str = ""
    unsubscribe: str = ""  # List-Unsubscribe target: mailto: or https: address
    private_folder: str = DEFAULT_PRIVATE_FOLDER
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    profiles: Mapping[str, WireProfile] = field(default_factory=dict)

    def profile(self, name: str | None) -> WireProfile:
        chosen = name or "default"
        if chosen in self.profiles:
            return self.profiles[chosen]
        if name is None or chosen == "default":
            return WireProfile()
        known = ", ".join(sorted({"default", *self.profiles}))
        raise ConfigError(
            Path("prcli.toml"),
            f"no wire profile '{chosen}'",
            hint=f"profiles: {known}; add [wire.profiles.{chosen}] to prcli.toml",
        )

    def private_path(self, root: Path) -> Path:
        return (root / Path(self.private_folder).expanduser()).resolve()


def load(settings: Config) -> DistributionSettings:
    reader = SettingsReader(settings.path, settings.raw)
    dist = reader.table("distribution")
    smtp_table = reader.table("smtp")
    for forbidden in ("password", "pass", "secret"):
        if forbidden in smtp_table:
            raise ConfigError(
                settings.path,
                f"smtp.{forbidden} is not read from prcli.toml: a password in the repository "
                "would be in every clone and in git history",
                hint=f"remove it; set the {DEFAULT_PASSWORD_VARIABLE} environment variable or "
                "store it in the system keyring (see prcli send --help)",
            )
    security = reader.text(smtp_table, "smtp.security", "starttls").lower()
    if security not in SECURITY_MODES:
        raise ConfigError(
            settings.path, f"smtp.security must be one of {', '.join(SECURITY_MODES)}"
        )
    smtp = SmtpSettings(
        host=reader.text(smtp_table, "smtp.host", ""),
        port=reader.integer(smtp_table, "smtp.port", 0, 0, 65535),
        security=security,
        user=reader.text(smtp_table, "smtp.user", ""),
        password_env=reader.text(smtp_table, "smtp.password_env", DEFAULT_PASSWORD_VARIABLE),
        keyring_service=reader.text(smtp_table, "smtp.keyring_service", "prcli"),
        timeout=reader.number(smtp_table, "smtp.timeout", 30.0, 0.01),
        rate_per_minute=reader.number(smtp_table, "smtp.rate_per_minute", 60.0, 0.0),
        retries=reader.integer(smtp_table, "smtp.retries", 3, 0, 20),
        backoff=reader.number(smtp_table, "smtp.backoff", 2.0, 0.0),
        backoff_max=reader.number(smtp_table, "smtp.backoff_max", 60.0, 0.0),
    )
    folder = reader.text(dist, "distribution.private_folder", DEFAULT_PRIVATE_FOLDER)
    if not folder.strip():
        raise ConfigError(settings.path, "distribution.private_folder must not be empty")
    unsubscribe = reader.text(dist, "distribution.unsubscribe", "")
    if unsubscribe and not unsubscribe.startswith(("mailto:", "https:", "http:")):
        raise ConfigError(
            settings.path,
            "distribution.unsubscribe must be a mailto: or https: address",
            hint='e.g. unsubscribe = "mailto:press@example.org?subject=unsubscribe"',
        )
    wire = reader.table("wire")
    profiles = {}
    for name, table in reader.table("wire.profiles", wire).items():
        if not isinstance(table, Mapping):
            raise ConfigError(settings.path, f"[wire.profiles.{name}] must be a table")
        dotted = f"wire.profiles.{name}"
        links = reader.text(table, f"{dotted}.links", "footnotes")
        if links not in ("footnotes", "inline"):
            raise ConfigError(settings.path, f"{dotted}.links must be footnotes or inline")
        profiles[name] = WireProfile(
            name=name,
            width=reader.integer(table, f"{dotted}.width", 72, 0, 1000),
            end_mark=reader.text(table, f"{dotted}.end_mark", "###"),
            release_line=reader.boolean(table, f"{dotted}.release_line", True),
            max_length=reader.integer(table, f"{dotted}.max_length", 0, 0, 10_000_000),
            ascii_only=reader.boolean(table, f"{dotted}.ascii_only", False),
            links=links,
        )
    sender = reader.text(dist, "distribution.from", "")
    return DistributionSettings(
        sender=sender,
        reply_to=reader.text(dist, "distribution.reply_to", ""),
        unsubscribe=unsubscribe,
        private_folder=folder,
        smtp=smtp,
        profiles=profiles,
    )
