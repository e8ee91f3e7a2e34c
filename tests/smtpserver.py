"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the distribution tests, with scripted trouble:
permanent refusals per recipient, temporary refusals, a dropped connection, a login check."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "press@example.org"
PASSWORD = "correct horse"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Script:
    refuse: dict[str, str] = field(default_factory=dict)  # recipient -> "550 ..." for RCPT
    # recipient -> how many times RCPT answers 451 before it is accepted
    temporary: dict[str, int] = field(default_factory=dict)
    # drop the connection when MAIL FROM of message number N (1-based, counting attempts) arrives
    drop_at_mail: set[int] = field(default_factory=set)
    deny_logins: bool = False  # every login fails (a server whose auth backend went away)


class Handler:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.script = Script()
        self.mail_count = 0
        self.logins: list[str] = []
        self.lock = threading.Lock()

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        with self.lock:
            self.mail_count += 1
            number = self.mail_count
        if number in self.script.drop_at_mail:
            server.transport.close()
            return "421 closing"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.script.refuse:
            return self.script.refuse[address]
        left = self.script.temporary.get(address, 0)
        if left:
            self.script.temporary[address] = left - 1
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
            )
        return "250 2.0.0 queued as test"

    def by_recipient(self) -> dict[str, list[Received]]:
        out: dict[str, list[Received]] = {}
        for item in self.received:
            for recipient in item.recipients:
                out.setdefault(recipient, []).append(item)
        return out


def _authenticator(handler: Handler) -> Any:
    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        if isinstance(data, LoginPassword):
            login = data.login.decode()
            handler.logins.append(login)
            if handler.script.deny_logins:
                return AuthResult(success=False, handled=False)
            if login == USER and data.password.decode() == PASSWORD:
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    return check


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, *, auth: bool = True) -> None:
        self.handler = Handler()
        self.port = free_port()
        kwargs: dict[str, Any] = {}
        if auth:
            kwargs.update(
                authenticator=_authenticator(self.handler),
                auth_require_tls=False,  # loopback only, no certificate in tests
                auth_required=True,
            )
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **kwargs)

    def __enter__(self) -> Server:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    def config(self, *, user: bool = True, rate: float = 0, retries: int = 3) -> str:
        user_line = f'user = "{USER}"\n' if user else ""
        return (
            "\n[smtp]\n"
            'host = "127.0.0.1"\n'
            f"port = {self.port}\n"
            'security = "none"\n'
            f"{user_line}"
            "timeout = 5\n"
            f"rate_per_minute = {rate}\n"
            f"retries = {retries}\n"
            "backoff = 0.01\n"
            "backoff_max = 0.05\n"
            "\n[distribution]\n"
            'from = "Press Office <press@example.org>"\n'
            'unsubscribe = "mailto:press@example.org?subject=unsubscribe"\n'
        )
