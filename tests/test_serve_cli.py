"""`allocate serve`: refusals before any server starts, and the room's way of writing money (issue 12)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kouiki.serve_cli import is_loopback, serve


def test_bad_input_is_refused_like_the_cli_and_no_server_starts(tmp_path):
    (tmp_path / "instance.csv").write_text("task,municipality,volume\nfire,A,-1\n", encoding="utf-8")
    result = CliRunner().invoke(serve, [str(tmp_path / "instance.csv"), "--port", "1", "--lang", "en"])
    assert result.exit_code == 2
    assert "nothing was written" in result.output and "tasks.csv" in result.output


def test_without_the_extra_it_says_how_to_install_it(monkeypatch):
    import kouiki.serve_cli as serve_cli

    monkeypatch.setattr(serve_cli, "missing_extra", lambda: "starlette")
    result = CliRunner().invoke(serve, ["kensei"])
    assert result.exit_code == 2
    assert 'pip install ".[serve]"' in result.output and "starlette" in result.output
    english = CliRunner().invoke(serve, ["kensei", "--lang", "en"])
    assert "needs the serve extra" in english.output


def test_a_busy_port_is_refused_in_words():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(serve, ["kensei", "--port", str(port)])
    assert result.exit_code == 2 and str(port) in result.output


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True),
                                            ("0.0.0.0", False), ("192.168.1.10", False), ("example.org", False)])
def test_only_loopback_addresses_go_without_a_token(host, loopback):
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("text, yen", [("1億", "100000000"), ("5000万", "50000000"), ("1億2000万円", "120000000"),
                                       ("-5000万", "-50000000"), ("１億", "100000000"), ("1.5億", "150000000"),
                                       ("120000000", "120000000"), ("1,000", "1,000")])
def test_amounts_written_with_oku_and_man_become_yen(text, yen):
    from kouiki.serve.form import yen_text

    assert yen_text(text, "ja") == yen


def test_an_amount_that_cannot_be_read_is_refused_in_words():
    from kouiki.serve.form import RequestRefused, yen_text

    with pytest.raises(RequestRefused, match="金額"):
        yen_text("億万", "ja")
