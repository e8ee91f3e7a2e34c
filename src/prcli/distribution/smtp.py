"""Talking to the SMTP server: connect (STARTTLS, SSL or plain on loopback), log in, and hand over
one message for one recipient, telling temporary from permanent refusals.

The password comes from an environment variable (PRCLI_SMTP_PASSWORD unless [smtp] password_env
names another) or from the system keyring (service "prcli", the [smtp] user), never from a file in
the repository. The keyring package is optional and imported only when it is needed.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Callable

from prcli.distribution.settings import SmtpSettings
from prcli.errors import PrcliError


class SmtpError(PrcliError):
    """The server cannot be used at all: not configured, not answering, login refused."""


class TemporaryFailure(Exception):
    """4xx, or the connection dropped before the server answered: worth another try."""

    def __init__(self, reply: str, *, connection_lost: bool = False) -> None:
        super().__init__(reply)
        self.reply = reply
        self.connection_lost = connection_lost


class PermanentFailure(Exception):
    """5xx for this recipient or message: not retried."""

    def __init__(self, reply: str) -> None:
        super().__init__(reply)
        self.reply = reply


def password(settings: SmtpSettings) -> str | None:
    """The SMTP password, or None when no user is configured (no AUTH)."""
    if not settings.user:
        return None
    value = os.environ.get(settings.password_env)
    if value:
        return value
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        raise SmtpError(
            f"no password for SMTP user {settings.user}: {settings.password_env} is not set",
            hint=f"set {settings.password_env} in the environment, or install the keyring package "
            f"(pip install keyring) and run: keyring set {settings.keyring_service} {settings.user}",
        ) from None
    try:
        stored = keyring.get_password(settings.keyring_service, settings.user)
    except KeyringError as error:
        raise SmtpError(
            f"the system keyring could not be read: {error}",
            hint=f"set {settings.password_env} in the environment instead",
        ) from None
    if not stored:
        raise SmtpError(
            f"no password for SMTP user {settings.user}: {settings.password_env} is not set and "
            f"the keyring has none under service '{settings.keyring_service}'",
            hint=f"run: keyring set {settings.keyring_service} {settings.user}  "
            f"(or set {settings.password_env})",
        )
    return str(stored)


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}".strip()


def _classify(code: int, text: bytes | str) -> Exception:
    reply = _reply(code, text)
    if 400 <= code < 500:
        return TemporaryFailure(reply)
    return PermanentFailure(reply)


class Connection:
    """One SMTP session. `send` raises TemporaryFailure or PermanentFailure; SmtpError when the
    server cannot be reached or refuses the login."""

    def __init__(self, settings: SmtpSettings, secret: str | None) -> None:
        self.settings = settings
        self.secret = secret
        self.client: smtplib.SMTP | None = None

    @property
    def where(self) -> str:
        return f"{self.settings.host}:{self.settings.effective_port}"

    def open(self) -> None:
        settings = self.settings
        if not settings.host:
            raise SmtpError(
                "no SMTP server configured",
                hint='add [smtp] with host = "smtp.example.org" (port, security, user) to prcli.toml',
            )
        context = ssl.create_default_context()
        try:
            if settings.security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    settings.host,
                    settings.effective_port,
                    timeout=settings.timeout,
                    context=context,
                )
            else:
                client = smtplib.SMTP(
                    settings.host, settings.effective_port, timeout=settings.timeout
                )
            client.ehlo()
            if settings.security == "starttls":
                if not client.has_extn("starttls"):
                    client.close()
                    raise SmtpError(
                        f"{self.where} does not offer STARTTLS; the password would travel in clear",
                        hint='use security = "ssl" (port 465), or "none" only for a local relay',
                    )
                client.starttls(context=context)
                client.ehlo()
        except (TimeoutError, smtplib.SMTPServerDisconnected) as error:
            if not isinstance(error, TimeoutError) and "timed out" not in str(error):
                raise SmtpError(
                    f"the SMTP server {self.where} closed the connection: {error}",
                    hint="check [smtp] host, port and security in prcli.toml; nothing was sent",
                ) from None
            raise SmtpError(
                f"the SMTP server {self.where} did not answer within {settings.timeout:g} s",
                hint="check [smtp] host and port, and the network; nothing was sent",
            ) from None
        except (OSError, smtplib.SMTPException) as error:
            raise SmtpError(
                f"cannot connect to the SMTP server {self.where}: {error}",
                hint="check [smtp] host, port and security in prcli.toml; nothing was sent",
            ) from None
        if settings.user:
            try:
                client.login(settings.user, self.secret or "")
            except smtplib.SMTPAuthenticationError as error:
                client.close()
                raise SmtpError(
                    f"the SMTP server refused the login of {settings.user}: "
                    f"{_reply(error.smtp_code, error.smtp_error)}",
                    hint=f"check the password in {settings.password_env} or the keyring; nothing "
                    "was sent",
                ) from None
            except smtplib.SMTPNotSupportedError:
                client.close()
                raise SmtpError(
                    f"{self.where} offers no login (AUTH) but [smtp] user is set",
                    hint="remove user from [smtp], or use the server's submission port",
                ) from None
            except (OSError, smtplib.SMTPException) as error:
                client.close()
                raise SmtpError(f"login to {self.where} failed: {error}") from None
        self.client = client

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.quit()
            except (OSError, smtplib.SMTPException):
                self.client.close()
            self.client = None

    def send(
        self, sender: str, recipient: str, data: bytes, before_data: Callable[[], None]
    ) -> str:
        """Hand over one message; `before_data` runs (and must be durable) just before DATA.

        Returns the server's reply to the message. A connection that drops before DATA or during
        it with no answer is a TemporaryFailure with connection_lost set.
        """
        if self.client is None:  # the connection was lost: open it again
            try:
                self.open()
            except SmtpError as error:
                raise TemporaryFailure(error.message, connection_lost=True) from None
        client = self.client
        assert client is not None
        try:
            code, text = client.mail(sender)
            if code != 250:
                client.rset()
                raise _classify(code, text)
            code, text = client.rcpt(recipient)
            if code not in (250, 251):
                client.rset()
                raise _classify(code, text)
            before_data()
            code, text = client.data(data)
            if code != 250:
                raise _classify(code, text)
            return _reply(code, text)
        except smtplib.SMTPServerDisconnected as error:
            self.client = None
            raise TemporaryFailure(f"connection lost: {error}", connection_lost=True) from None
        except smtplib.SMTPResponseException as error:
            raise _classify(error.smtp_code, error.smtp_error) from None
        except (OSError, smtplib.SMTPException) as error:
            try:
                client.close()
            finally:
                self.client = None
            raise TemporaryFailure(f"connection lost: {error}", connection_lost=True) from None
