"""Development only: read the e-mails the portal sent (the .eml files in EMAIL_FILE_PATH)."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_sameorigin


def _folder() -> Path:
    if not settings.SHOW_DEV_MAILBOX:
        raise Http404
    return Path(settings.EMAIL_FILE_PATH)


def _parse(path: Path):
    with path.open("rb") as fh:
        return BytesParser(policy=policy.default).parse(fh)


def mailbox(request):
    folder = _folder()
    files = sorted(folder.glob("*.eml"), reverse=True)[:200] if folder.exists() else []
    items = []
    for path in files:
        message = _parse(path)
        items.append(
            {
                "name": path.name,
                "to": message["To"],
                "subject": message["Subject"],
                "date": message["Date"],
            }
        )
    return render(request, "dev/mailbox.html", {"items": items})


@xframe_options_sameorigin
def mail_message(request, name):
    folder = _folder()
    path = folder / name
    if "/" in name or not path.is_file() or path.suffix != ".eml":
        raise Http404
    message = _parse(path)
    if request.GET.get("part") == "html":
        html = message.get_body(preferencelist=("html",))
        return HttpResponse(html.get_content() if html else "", content_type="text/html")
    text = message.get_body(preferencelist=("plain",))
    return render(
        request,
        "dev/mail_message.html",
        {"name": name, "message": message, "text": text.get_content() if text else ""},
    )
