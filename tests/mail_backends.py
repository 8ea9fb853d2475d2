"""E-mail backends for tests."""

from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    """Every send fails, as an unreachable SMTP server would."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server refused the connection")
