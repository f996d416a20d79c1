"""The workshop screen's web application (Starlette): server-rendered HTML, no script, no network.

Routes read the session (`Workshop`) and render it; forms post a change and are
sent back to the page of the new scenario, which refreshes itself until its plan
is there. Every request value is checked before use, none is ever a file path,
and an error is a sentence, never a traceback.
"""

from __future__ import annotations

import io
import logging
import secrets
import zipfile
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kouiki.errors import UsageError
from kouiki.serve import present
from kouiki.serve.form import MAX_OPTIONS, WHAT_IF_FORMS, RequestRefused, allowed_fields, count_of, fields_of, what_if_from
from kouiki.serve.words import LANGS, man_yen, word
from kouiki.serve.workshop import Workshop

log = logging.getLogger("kouiki.serve")
LANG_COOKIE = "kouiki_lang"
TOKEN_COOKIE = "kouiki_token"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class Refusal(Exception):
    """A request answered with a sentence and an HTTP status (403 read-only, 404 …)."""

    def __init__(self, status: int, text: str):
        super().__init__(text)
        self.status = status
        self.text = text


def create_app(workshop: Workshop, token: str | None = None, host: str = "127.0.0.1") -> Starlette:
    """The screen for one workshop; with a `token`, only requests carrying it may change anything."""
    pages = Environment(loader=PackageLoader("kouiki.serve", "templates"), autoescape=select_autoescape(["html"]))
    pages.globals["word"] = word

    def present_total(scenario, lang: str) -> str:
        best = present.option(scenario.view, 1)
        return man_yen(best["total_savings"], lang) if best else ""

    pages.globals["present_total"] = present_total

    def lang_of(request: Request) -> str:
        asked = request.query_params.get("lang")
        if asked is not None:
            if asked not in LANGS:
                raise Refusal(400, word("bad_request", "ja", reason=word("bad_field", "ja", field="lang")))
            return asked
        kept = request.cookies.get(LANG_COOKIE)
        return kept if kept in LANGS else "ja"

    def may_change(request: Request, form=None) -> bool:
        if token is None:
            return True
        offered = request.cookies.get(TOKEN_COOKIE) or (form.get("token") if form is not None else None) or ""
        return secrets.compare_digest(str(offered).encode(), token.encode())

    def render(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        lang = context["lang"] = context["lang"] if "lang" in context else lang_of(request)
        context.setdefault("instance", workshop.instance.name)
        context.setdefault("writable", may_change(request))
        html = pages.get_template(name).render(**context)
        response = HTMLResponse(html, status_code=status)
        if request.query_params.get("lang") in LANGS:
            response.set_cookie(LANG_COOKIE, lang, httponly=True, samesite="strict")
        return response

    def scenario_number(text: str | None, lang: str, name: str = "s") -> int:
        if text is None or not text.isdigit() or len(text) > 6:
            raise RequestRefused(word("bad_request", lang, reason=word("bad_field", lang, field=name)))
        return int(text)

    async def posted(request: Request, allowed: tuple[str, ...]):
        """The form of a POST that may change the session: same site, token if needed, known fields."""
        lang = lang_of(request)
        origin = request.headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
            raise Refusal(403, word("bad_request", lang, reason=word("wrong_origin", lang)))
        form = await request.form()
        if not may_change(request, form):
            raise Refusal(403, word("bad_request", lang, reason=word("forbidden", lang)))
        return fields_of(form, allowed, lang), lang

    def to_scenario(scenario) -> RedirectResponse:
        return RedirectResponse(f"/?s={scenario.id}", status_code=303)

    async def page(request: Request):
        lang = lang_of(request)
        if "token" in request.query_params and token is not None:
            if not secrets.compare_digest(request.query_params["token"].encode(), token.encode()):
                raise Refusal(403, word("bad_request", lang, reason=word("forbidden", lang)))
            response = RedirectResponse("/", status_code=303)
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
            return response
        unknown = set(request.query_params) - {"s", "o", "lang", "token"}
        if unknown:
            raise RequestRefused(word("bad_request", lang, reason=word("bad_field", lang, field=sorted(unknown)[0][:40])))
        shown = workshop.get(scenario_number(request.query_params["s"], lang)) if "s" in request.query_params else workshop.latest()
        number = count_of(request.query_params.get("o", "1"), 0, MAX_OPTIONS, "o", lang)
        plan = present.plan_page(shown.view, number, lang) if shown and shown.view and shown.view["options"] else None
        return render(request, "page.html", shown=shown, plan=plan, history=workshop.all(),
                      conflicting=shown.conflicting() if shown else {}, data=workshop.instance,
                      forms=WHAT_IF_FORMS, max_options=MAX_OPTIONS, lang=lang)

    async def add_what_if(request: Request):
        kind = (await request.form()).get("kind", "")
        if kind not in WHAT_IF_FORMS:
            lang = lang_of(request)
            raise RequestRefused(word("bad_request", lang, reason=word("unknown_kind", lang, kind=str(kind)[:40])))
        fields, lang = await posted(request, allowed_fields(kind))
        base = workshop.get(scenario_number(fields.get("base"), lang, "base"), lang)
        return to_scenario(workshop.add(base, what_if_from(kind, fields, "screen"), lang))

    async def drop_what_if(request: Request):
        fields, lang = await posted(request, ("base", "index", "token"))
        base = workshop.get(scenario_number(fields.get("base"), lang, "base"), lang)
        return to_scenario(workshop.drop(base, count_of(fields.get("index"), 0, 10_000, "index", lang), lang))

    async def set_options(request: Request):
        fields, lang = await posted(request, ("base", "count", "token"))
        base = workshop.get(scenario_number(fields.get("base"), lang, "base"), lang)
        return to_scenario(workshop.with_options(base, count_of(fields.get("count"), 1, MAX_OPTIONS, "count", lang), lang))

    async def cancel(request: Request):
        fields, lang = await posted(request, ("s", "token"))
        scenario = workshop.get(scenario_number(fields.get("s"), lang), lang)
        workshop.cancel(scenario)
        return to_scenario(scenario)

    async def rename(request: Request):
        fields, lang = await posted(request, ("s", "name", "token"))
        scenario = workshop.get(scenario_number(fields.get("s"), lang), lang)
        workshop.rename(scenario, fields.get("name")[:40])
        return to_scenario(scenario)

    async def compare(request: Request):
        lang = lang_of(request)
        if set(request.query_params) - {"s", "lang"}:
            raise RequestRefused(word("bad_request", lang, reason=word("bad_field", lang, field="?")))
        numbers = sorted({scenario_number(s, lang) for s in request.query_params.getlist("s")})  # oldest first
        if len(numbers) < 2 or len(numbers) > 12:
            raise RequestRefused(word("compare_need_two", lang))
        chosen = [workshop.get(n, lang) for n in numbers]
        return render(request, "compare.html", table=present.comparison(chosen, lang), chosen=chosen, lang=lang)

    async def report(request: Request):
        lang = lang_of(request)
        scenario = workshop.get(scenario_number(request.path_params["number"], lang), lang)
        if not scenario.answer or not scenario.answer.files:
            raise Refusal(404, word("not_ready", lang, name=scenario.name))
        answer = scenario.answer
        if answer.workbook is not None and "report.xlsx" not in answer.files:
            # built at the first download, off the event loop, then kept
            answer.files["report.xlsx"] = await run_in_threadpool(answer.workbook.build)
        buffer = io.BytesIO()
        folder = f"{workshop.instance.name}-{scenario.name}"
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in sorted(scenario.answer.files.items()):
                archive.writestr(f"{folder}/{name}", content)
        return Response(buffer.getvalue(), media_type="application/zip", headers={
            "Content-Disposition": f"attachment; filename=\"report-{scenario.id}.zip\"; filename*=UTF-8''{quote(folder)}.zip"})

    async def scenario_json(request: Request):
        lang = lang_of(request)
        scenario = workshop.get(scenario_number(request.path_params["number"], lang), lang)
        view = scenario.view
        best = present.option(view, 1) if view else None
        return JSONResponse({
            "id": scenario.id, "name": scenario.name, "status": scenario.status, "n_options": scenario.n_options,
            "what_ifs": [{"what_if": w.kind, "argument": w.argument, "source": w.source} for w in scenario.what_ifs],
            "reasons": view["reasons"] if view else [],
            "total_savings": None if best is None else best["total_savings"],
            "arrangements": [] if best is None else best["arrangements"],
            "message": scenario.answer.message if scenario.answer else "",
        })

    async def refused(request: Request, error: Exception):
        lang = "ja"
        try:
            lang = lang_of(request)
        except Refusal:
            pass
        if isinstance(error, Refusal):
            status, text = error.status, error.text
        elif isinstance(error, HTTPException):
            status = error.status_code
            text = word("not_found", lang) if status == 404 else word("bad_request", lang, reason=str(error.detail))
        else:  # RequestRefused, UsageError: a request or a what-if the library refuses, in its words
            status, text = 400, str(error)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": text}, status_code=status)
        return render(request, "error.html", status=status, message=text, lang=lang)

    async def internal(request: Request, error: Exception):
        log.exception("request %s %s failed", request.method, request.url.path, exc_info=error)
        return HTMLResponse(f"<!doctype html><meta charset=utf-8><p>{word('internal', 'ja')}<br>{word('internal', 'en')}</p>",
                            status_code=500)

    middleware = []
    if host in LOOPBACK:
        # DNS rebinding: a page elsewhere may resolve its own name to 127.0.0.1; answer only our own names
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost", "[::1]", "testserver"]))
    app = Starlette(
        routes=[
            Route("/", page),
            Route("/whatif", add_what_if, methods=["POST"]),
            Route("/drop", drop_what_if, methods=["POST"]),
            Route("/options", set_options, methods=["POST"]),
            Route("/cancel", cancel, methods=["POST"]),
            Route("/rename", rename, methods=["POST"]),
            Route("/compare", compare),
            Route("/report/{number}.zip", report),
            Route("/api/scenarios/{number}", scenario_json),
            Mount("/static", StaticFiles(packages=[("kouiki.serve", "static")]), name="static"),
        ],
        middleware=middleware,
        exception_handlers={Refusal: refused, RequestRefused: refused, UsageError: refused, HTTPException: refused,
                            Exception: internal},
    )
    app.state.workshop = workshop
    return app
