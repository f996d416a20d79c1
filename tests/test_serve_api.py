"""The workshop screen's HTTP interface, without a browser (issue 12).

A small region (tests/conftest.py: A市 and two towns, fire and waste) is served
by the real application and the real solving process; each what-if posted
from the page must give the report the library gives for the same what-if.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed (pip install '.[serve]')")
pytest.importorskip("httpx", reason="Starlette's TestClient needs httpx")

from starlette.testclient import TestClient  # noqa: E402

from conftest import small_region  # noqa: E402
from kouiki.load import load  # noqa: E402
from kouiki.request import RunRequest  # noqa: E402
from kouiki.run import compute  # noqa: E402
from kouiki.serve.app import create_app  # noqa: E402
from kouiki.serve.workshop import Workshop  # noqa: E402
from kouiki.whatif import WhatIf  # noqa: E402

WAIT = 300  # seconds a solve may take on a busy machine before the test gives up (never asserted)


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    return small_region(tmp_path_factory.mktemp("serve") / "region")


@pytest.fixture(scope="module")
def workshop(region):
    session = Workshop(str(region), load(str(region)))
    yield session
    session.close()


@pytest.fixture(scope="module")
def client(workshop):
    with TestClient(create_app(workshop), raise_server_exceptions=False) as c:
        yield c


def finished(client, number: int) -> dict:
    """The scenario's JSON once its solve is over."""
    limit = time.monotonic() + WAIT
    while time.monotonic() < limit:
        found = client.get(f"/api/scenarios/{number}").json()
        if found["status"] not in ("pending", "running"):
            return found
        time.sleep(0.1)
    raise AssertionError(f"scenario {number} was not solved within {WAIT} s")


def post_what_if(client, base: int, kind: str, **fields):
    return client.post("/whatif", data={"kind": kind, "base": str(base), **fields}, follow_redirects=False)


def scenario_from(response) -> int:
    assert response.status_code == 303, response.text
    return int(response.headers["location"].split("s=")[1])


def library_arrangements(region: Path, what_ifs: list[tuple[str, str]], n_options: int = 1) -> bytes:
    """arrangements.csv as `allocate PATH --KIND ARG …` computes it."""
    request = RunRequest(path=str(region), what_ifs=tuple(WhatIf(k, a, "command line") for k, a in what_ifs),
                         n_options=n_options)
    result = compute(load(str(region)), request)
    return result.files.get("arrangements.csv", b"")


EVERY_WHAT_IF = [
    ("burden-cap", {"amount": "1億"}, ("burden-cap", "100000000")),
    ("burden-cap", {"amount": "-5000万"}, ("burden-cap", "-50000000")),
    ("exclude", {"municipality": "B町"}, ("exclude", "B町")),
    ("require", {"task": "waste", "municipality": "C町"}, ("require", "waste:C町")),
    ("force", {"task": "waste", "method": "delegation", "hub": "A市"}, ("force", "waste=delegation@A市")),
    ("force", {"task": "waste", "method": "joint_body", "hub": ""}, ("force", "waste=joint_body")),
    ("forbid", {"task": "fire", "method": "delegation"}, ("forbid", "fire=delegation")),
    ("forbid-method", {"method": "delegation"}, ("forbid-method", "delegation")),
    ("fee-ratio", {"method": "delegation", "ratio": "0.6"}, ("fee-ratio", "delegation=0.6")),
    ("keep-current", {}, ("keep-current", "")),
    ("merge", {"first": "B町", "second": "C町", "new": "BC町"}, ("merge", "B町+C町=BC町")),
    ("max-arrangements", {"count": "1"}, ("max-arrangements", "1")),
    ("min-town-saving", {"ratio": "0.1"}, ("min-town-saving", "0.1")),
]


@pytest.mark.parametrize("kind, fields, cli", EVERY_WHAT_IF, ids=[f"{k}-{c[1]}" for k, _, c in EVERY_WHAT_IF])
def test_each_what_if_from_the_page_gives_the_clis_plan(client, region, kind, fields, cli):
    finished(client, 0)
    number = scenario_from(post_what_if(client, 0, kind, **fields))
    found = finished(client, number)
    assert [(w["what_if"], w["argument"]) for w in found["what_ifs"]] == [cli]
    assert found["status"] in ("solved", "infeasible")
    report = client.get(f"/report/{number}.zip")
    assert report.status_code == 200
    import io
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(report.content))
    names = {Path(n).name: n for n in archive.namelist()}
    assert {"run.json", "report.xlsx"} <= set(names)
    if found["status"] == "solved":
        assert archive.read(names["arrangements.csv"]) == library_arrangements(region, [cli])


def test_what_ifs_build_on_the_scenario_shown_and_a_single_value_is_replaced(client):
    first = scenario_from(post_what_if(client, 0, "burden-cap", amount="1000"))
    second = scenario_from(post_what_if(client, first, "exclude", municipality="C町"))
    third = scenario_from(post_what_if(client, second, "burden-cap", amount="2000"))
    found = finished(client, third)
    assert [(w["what_if"], w["argument"]) for w in found["what_ifs"]] == [("exclude", "C町"), ("burden-cap", "2000")]
    dropped = scenario_from(client.post("/drop", data={"base": str(third), "index": "0"}, follow_redirects=False))
    assert [(w["what_if"], w["argument"]) for w in finished(client, dropped)["what_ifs"]] == [("burden-cap", "2000")]


def test_number_of_options_comes_back_as_that_many_plans(client, region):
    number = scenario_from(client.post("/options", data={"base": "0", "count": "2"}, follow_redirects=False))
    assert finished(client, number)["n_options"] == 2
    page = client.get(f"/?s={number}&o=2")
    assert page.status_code == 200
    archive = client.get(f"/report/{number}.zip").content
    import io
    import zipfile

    zipped = zipfile.ZipFile(io.BytesIO(archive))
    name = next(n for n in zipped.namelist() if n.endswith("arrangements.csv"))
    assert zipped.read(name) == library_arrangements(region, [], n_options=2)


def test_an_infeasible_what_if_names_the_conflict_with_a_drop_button(client):
    excluded = scenario_from(post_what_if(client, 0, "exclude", municipality="A市"))
    both = scenario_from(post_what_if(client, excluded, "force", task="fire", method="delegation", hub="A市"))
    found = finished(client, both)
    assert found["status"] == "infeasible"
    named = [text for rule, text in found["reasons"] if rule == "what-if"]
    assert any("--exclude A市" in t for t in named) and any("--force fire=delegation@A市" in t for t in named)
    page = client.get(f"/?s={both}").text
    assert 'id="conflict"' in page and page.count('class="drop" data-index=') == 2


def test_comparing_scenarios_shows_each_side_by_side(client):
    other = scenario_from(post_what_if(client, 0, "exclude", municipality="C町"))
    finished(client, other)
    page = client.get(f"/compare?s=0&s={other}")
    assert page.status_code == 200
    assert 'id="comparison"' in page.text and "案A" in page.text
    assert client.get("/compare?s=0").status_code == 400  # one scenario is not a comparison


def test_the_page_speaks_english_with_the_switch(client):
    page = client.get("/?s=0&lang=en")
    assert page.status_code == 200 and "Total savings" in page.text and "What-ifs" in page.text
    assert client.cookies.get("kouiki_lang") == "en"
    client.cookies.delete("kouiki_lang")
    assert "節減額の合計" in client.get("/?s=0").text


BAD_REQUESTS = [
    ("unknown kind", {"kind": "explode", "base": "0"}, "explode"),
    ("unknown municipality", {"kind": "exclude", "base": "0", "municipality": "Z町"}, "Z町"),
    ("money in words", {"kind": "burden-cap", "base": "0", "amount": "たくさん億"}, "たくさん億"),
    ("not a number", {"kind": "burden-cap", "base": "0", "amount": "12x"}, "12x"),
    ("ratio out of range", {"kind": "fee-ratio", "base": "0", "method": "delegation", "ratio": "1.5"}, "1.5"),
    ("fractional count", {"kind": "max-arrangements", "base": "0", "count": "1.5"}, "1.5"),
    ("unknown method", {"kind": "forbid-method", "base": "0", "method": "magic"}, "magic"),
    ("missing field", {"kind": "exclude", "base": "0"}, "municipality"),
    ("unexpected field", {"kind": "exclude", "base": "0", "municipality": "B町", "path": "/etc/passwd"}, "path"),
    ("too long", {"kind": "exclude", "base": "0", "municipality": "B" * 500}, "100"),
    ("control character", {"kind": "exclude", "base": "0", "municipality": "B町\x00"}, "municipality"),
    ("no such base", {"kind": "exclude", "base": "9999", "municipality": "B町"}, "9999"),
    ("base not a number", {"kind": "exclude", "base": "../0", "municipality": "B町"}, "base"),
    ("merge with itself", {"kind": "merge", "base": "0", "first": "B町", "second": "B町"}, "B町+B町"),
]


@pytest.mark.parametrize("case, data, said", BAD_REQUESTS, ids=[c for c, _, _ in BAD_REQUESTS])
def test_a_bad_parameter_is_refused_in_words_and_the_server_keeps_running(client, workshop, case, data, said):
    before = len(workshop.all())
    response = client.post("/whatif", data=data, follow_redirects=False)
    assert 400 <= response.status_code < 500
    assert said in response.text and "Traceback" not in response.text
    assert len(workshop.all()) == before  # nothing queued
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("url", ["/?s=abc", "/?s=-1", "/?o=99", "/?lang=fr", "/?file=x", "/report/abc.zip",
                                 "/report/999.zip", "/api/scenarios/x", "/compare?s=0&s=zz", "/nowhere",
                                 "/static/../pyproject.toml"])
def test_bad_query_values_get_a_4xx_sentence(client, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, url
    assert "Traceback" not in response.text


def test_an_internal_error_shows_a_sentence_not_a_traceback(client, monkeypatch):
    from kouiki.serve import present

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail /home/someone")

    monkeypatch.setattr(present, "plan_page", broken)
    response = client.get("/?s=0")
    assert response.status_code == 500
    assert "Traceback" not in response.text and "secret detail" not in response.text
    assert "内部エラー" in response.text


def test_a_form_from_another_site_is_refused(client, workshop):
    before = len(workshop.all())
    response = client.post("/whatif", data={"kind": "exclude", "base": "0", "municipality": "B町"},
                           headers={"origin": "http://evil.example"}, follow_redirects=False)
    assert response.status_code == 403 and len(workshop.all()) == before


def test_on_loopback_a_foreign_host_name_is_refused(client):
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400


def test_off_loopback_only_the_token_may_change_anything(workshop):
    app = create_app(workshop, token="s3cret-token", host="0.0.0.0")
    with TestClient(app, raise_server_exceptions=False) as stranger:
        before = len(workshop.all())
        page = stranger.get("/")
        assert page.status_code == 200 and 'id="read-only"' in page.text and 'action="/whatif"' not in page.text
        refused = stranger.post("/whatif", data={"kind": "exclude", "base": "0", "municipality": "B町"}, follow_redirects=False)
        assert refused.status_code == 403
        assert stranger.post("/whatif", data={"kind": "exclude", "base": "0", "municipality": "B町", "token": "guess"},
                             follow_redirects=False).status_code == 403
        assert stranger.post("/cancel", data={"s": "0"}, follow_redirects=False).status_code == 403
        assert stranger.get("/?token=guess").status_code == 403
        assert len(workshop.all()) == before
    with TestClient(app, raise_server_exceptions=False) as facilitator:
        entered = facilitator.get("/?token=s3cret-token", follow_redirects=False)
        assert entered.status_code == 303 and facilitator.cookies.get("kouiki_token") == "s3cret-token"
        assert 'action="/whatif"' in facilitator.get("/").text
        number = scenario_from(facilitator.post("/whatif", data={"kind": "exclude", "base": "0", "municipality": "B町"},
                                                follow_redirects=False))
        assert finished(facilitator, number)["status"] == "solved"


def test_cancel_stops_a_running_solve_and_the_next_one_still_runs():
    """Kensei's first solve takes seconds; a cancel kills its process, and a fresh one answers the next."""
    session = Workshop("kensei", load("kensei"))
    try:
        with TestClient(create_app(session), raise_server_exceptions=False) as c:
            pid = session.solving.pid
            limit = time.monotonic() + WAIT
            while c.get("/api/scenarios/0").json()["status"] == "pending" and time.monotonic() < limit:
                time.sleep(0.05)
            assert c.post("/cancel", data={"s": "0"}, follow_redirects=False).status_code == 303
            assert finished(c, 0)["status"] == "cancelled"
            assert session.solving.pid != pid  # the solving process was replaced
            waiting = scenario_from(post_what_if(c, 0, "forbid-method", method="union"))
            queued = scenario_from(post_what_if(c, 0, "forbid-method", method="council"))
            assert c.post("/cancel", data={"s": str(queued)}, follow_redirects=False).status_code == 303
            assert finished(c, queued)["status"] == "cancelled"  # taken off the queue, never solved
            assert finished(c, waiting)["status"] == "solved"
    finally:
        session.close()


def test_a_scenario_can_be_renamed_and_reopened(client):
    other = scenario_from(post_what_if(client, 0, "exclude", municipality="B町"))
    renamed = client.post("/rename", data={"s": str(other), "name": "箱なし案"}, follow_redirects=False)
    assert renamed.status_code == 303
    finished(client, other)
    reopened = client.get(f"/?s={other}").text
    assert "箱なし案" in reopened and 'data-argument="B町"' in reopened
    assert client.get("/api/scenarios/0").json()["name"] == "案A"


class CountingSolver:
    """The solving process's interface, solving in this process and counting the jobs it is given."""

    def __init__(self, instance, status: str | None = None):
        self.instance, self.status, self.jobs, self.closed, self.pid = instance, status, [], False, None

    def run(self, job, cancelled):
        from dataclasses import replace

        from kouiki.serve.worker import solve

        self.jobs.append(job)
        answer = solve(self.instance, job)
        if self.status and answer.view:  # as if a time limit had cut every option short
            view = dict(answer.view, options=[dict(o, status=self.status if o["number"] >= 1 else o["status"])
                                              for o in answer.view["options"]])
            answer = replace(answer, view=view)
        return answer

    def stop(self):
        pass


def settled(session, scenario):
    limit = time.monotonic() + WAIT
    while not scenario.done and time.monotonic() < limit:
        time.sleep(0.02)
    assert scenario.done, f"scenario {scenario.id} was not solved within {WAIT} s"
    return scenario


def test_a_scenario_tried_again_is_answered_from_the_first_try_without_solving(region):
    instance = load(str(region))
    solver = CountingSolver(instance)
    session = Workshop(str(region), instance, solving=solver)
    try:
        plain = settled(session, session.latest())
        out = settled(session, session.add(plain, WhatIf("exclude", "B町", "")))
        assert len(solver.jobs) == 2
        again = settled(session, session.drop(out, 0))  # back to the plain run
        out_again = settled(session, session.add(again, WhatIf("exclude", "B町", "")))
        assert len(solver.jobs) == 2  # both answered from the earlier tries
        assert again.view == plain.view and out_again.view == out.view
        assert again.answer.number == again.id and out_again.answer.number == out_again.id
        assert again.status == "solved" and out_again.answer.files == out.answer.files
        more = settled(session, session.with_options(out, 2))  # another number of options is another job
        assert len(solver.jobs) == 3 and more.status == "solved"
    finally:
        session.close()


def test_an_answer_cut_short_by_the_time_limit_is_solved_again(region):
    instance = load(str(region))
    solver = CountingSolver(instance, status="time_limit")
    session = Workshop(str(region), instance, solving=solver)
    try:
        plain = settled(session, session.latest())
        settled(session, session.propose((), 1))
        assert len(solver.jobs) == 2 and plain.status == "solved"
    finally:
        session.close()
