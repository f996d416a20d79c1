"""`allocate serve PATH|kensei`: load and check the instance once, then serve the workshop screen.

Bad input is refused exactly as `allocate PATH` refuses it (exit 2) and no
server starts. Loopback by default; another --host needs the token printed here.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket
import sys
import threading

import click

from kouiki.catalogue_command import CatalogueCommand
from kouiki.errors import InputError, UsageError
from kouiki.messages import render, text

NEEDED = ("starlette", "uvicorn", "jinja2", "multipart")  # python-multipart imports as `multipart`


def missing_extra() -> str | None:
    """The first package of the [serve] extra that cannot be imported, if any."""
    from importlib.util import find_spec

    for name in NEEDED:
        if find_spec(name) is None:
            return "python-multipart" if name == "multipart" else name
    return None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host.strip("[]"), 0))
        return probe.getsockname()[1]


EXAMPLES = {"port": "--port 0", "host": "--host 0.0.0.0", "time_limit": "--time-limit 30", "lang": "--lang en"}


@click.command(cls=CatalogueCommand, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
               usage="allocate serve PATH [OPTIONS]", about=("serve.about", "serve.path"), examples=EXAMPLES)
@click.argument("path")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, metavar="N", help="serve.port")
@click.option("--host", default="127.0.0.1", metavar="ADDRESS", help="serve.host")
@click.option("--open", "open_browser", is_flag=True, help="serve.open")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), metavar="S", help="serve.time_limit")
@click.option("--lang", type=click.Choice(["ja", "en"]), metavar="ja|en", default="ja", help="serve.lang")
def serve(path, port, host, open_browser, time_limit, lang):
    """The workshop screen (the catalogue's serve.about says it to the user)."""
    from kouiki.serve.words import word

    missing = missing_extra()
    if missing:
        click.secho(word("missing_extra", lang, missing=missing), fg="red", err=True)
        sys.exit(2)
    from kouiki.load import load

    try:
        instance = load(path)
    except InputError as error:
        for problem in error.problems:
            click.secho(render(problem, lang), fg="red", err=True)
        click.secho(text("cli.problems", lang, count=len(error.problems)), err=True)
        sys.exit(2)
    except UsageError as error:
        click.secho(render(error.args[0] if error.args else "", lang), fg="red", err=True)
        sys.exit(2)

    import uvicorn

    from kouiki.serve.app import create_app
    from kouiki.serve.workshop import Workshop

    try:
        port = port or free_port(host)
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host.strip("[]"), port))  # refuse a busy port in words, before the solver starts
    except OSError as error:
        click.secho(word("port_busy", lang, port=port, reason=error.strerror or error), fg="red", err=True)
        sys.exit(2)
    token = None if is_loopback(host) else secrets.token_urlsafe(24)
    workshop = Workshop(path, instance, time_limit=time_limit)
    app = create_app(workshop, token=token, host=host)
    shown_host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    url = f"http://{shown_host}:{port}/" + (f"?token={token}" if token else "")
    server = uvicorn.Server(uvicorn.Config(app, host=host.strip("[]"), port=port, log_level="warning", access_log=False))
    click.echo(word("serving", lang, url=url))
    if token:
        click.echo(word("token_note", lang))
    if open_browser:
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    try:
        server.run()
    finally:
        workshop.close()
        click.echo(word("stopped", lang))
