"""A real SMTP server on loopback for the tests (aiosmtpd), on a free port.

`smtp_server` (a fixture in tests/conftest.py) starts one, points Django's SMTP backend
at it and gives the messages it received, parsed.
"""

from __future__ import annotations

import socket
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A TCP port nobody listens on now (the OS picks it), for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping every message; `refuse` makes it refuse recipients
    with `refuse_reply` (permanently, 550, unless a test says 4xx)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = False
        self.refuse_reply = "550 mailbox unavailable"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001, ANN201
        if self.refuse:
            return self.refuse_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201
        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 Message accepted for delivery"

    def body(self, message: EmailMessage, subtype: str) -> str:
        return message.get_body(preferencelist=(subtype,)).get_content()


def start_smtp_server(inbox: Inbox, port: int | None = None) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    return controller
