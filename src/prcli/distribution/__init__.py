"""Distribution: wire copy, RFC 5322 messages, SMTP sending and the send log. No Typer, no Rich."""
