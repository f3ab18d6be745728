"""HTML pages: the chat (works with and without JavaScript) and the article view.

Article text, titles and URLs are untrusted: templates autoescape them, and
links are only rendered for http(s) URLs (``safe_url``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from pydantic import ValidationError

from index.types import Article
from qa.conversation import MAX_HISTORY_TURNS
from qa.errors import describe
from qa.types import AnswerSet, Citation
from web.routes import MAX_QUESTION, AskRequest, Filters, run_question

router = APIRouter(include_in_schema=False)
# Autoescaping on for every template; no template marks article text |safe.
templates = Jinja2Templates(
    env=Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True)
)


def safe_url(url: str) -> str:
    """The URL if it is http(s), else '' (no javascript:, data:, ...)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else ""


def article_link(c: Citation) -> str:
    query = urlencode({"format": "html", "start": c.start, "end": c.end, "qs": c.quote_start, "qe": c.quote_end})
    return f"/articles/{c.doc_id}?{query}#hl"


def quote_parts(quote: str, c: Citation) -> tuple[str, str, str]:
    """The quote split around the answer span: (before, answer, after)."""
    a, b = c.start - c.quote_start, c.end - c.quote_start
    if not (0 <= a <= b <= len(quote)):
        return quote, "", ""
    return quote[:a], quote[a:b], quote[b:]


templates.env.filters["safe_url"] = safe_url
templates.env.globals.update(article_link=article_link, quote_parts=quote_parts)


# Outlets offered as suggestions in the filter form, most articles first.
OUTLETS_SUGGESTED = 200


def _context(request: Request, **extra: Any) -> dict[str, Any]:
    backend = request.app.state.backend
    outlets = [name for name, _ in backend.sources()[:OUTLETS_SUGGESTED] if name] if backend is not None else []
    context = {"info": backend.info() if backend is not None else None, "max_question": MAX_QUESTION}
    return {**context, "outlets": outlets, "form": {}, "scope": "", "scope_query": "", "scope_note": "", **extra}


def _filters(source: str, since: str, until: str) -> tuple[Filters | None, str]:
    """The form's outlet and dates as the API's ``Filters`` (the same checks), or an error message."""
    source = source.strip()
    if not (source or since or until):
        return None, ""
    try:
        fields = {"sources": [source] if source else [], "published_from": since or None, "published_to": until or None}
        return Filters.model_validate(fields), ""
    except ValidationError as exc:
        named = {"published_from": "from: ", "published_to": "to: "}  # as the form labels them
        return None, "; ".join(
            named.get(str(e["loc"][0]) if e["loc"] else "", "") + str(e["msg"]).removeprefix("Value error, ")
            for e in exc.errors()
        )


def _scope(request: Request, filters: Filters | None, typed: dict[str, str] | None = None) -> dict[str, Any]:
    """What the page shows and links for the filters: the form's values, a sentence, a query,
    and a note naming any outlet the archive has no article from (a typo finds nothing).
    Without valid filters the form keeps what was ``typed``, so a bad date can be corrected."""
    if filters is None:
        return {"form": typed} if typed else {}
    backend = request.app.state.backend
    known = {name.lower() for name, _ in backend.sources()} if backend is not None else set()
    unknown = [name for name in filters.sources if name.lower() not in known]
    form = {
        "source": filters.sources[0] if filters.sources else "",
        "from": filters.published_from.isoformat() if filters.published_from else "",
        "to": filters.published_to.isoformat() if filters.published_to else "",
    }
    query = urlencode({k: v for k, v in form.items() if v})
    note = f"No article in the archive is from {' or '.join(unknown)}." if unknown else ""
    return {"form": form, "scope": filters.describe(), "scope_query": "&" + query if query else "", "scope_note": note}


def _answer_or_error(
    request: Request, question: str, history: list[str], filters: Filters | None = None
) -> tuple[AnswerSet | None, str]:
    try:
        return run_question(request, question, history, filters=filters.to_search() if filters else None), ""
    except Exception as exc:
        info = describe(exc)
        if info is None:
            raise
        return None, info.message


@router.get("/", response_class=HTMLResponse)
def chat(
    request: Request,
    q: Annotated[str, Query(max_length=MAX_QUESTION)] = "",
    source: Annotated[str, Query(max_length=200)] = "",
    since: Annotated[str, Query(alias="from", max_length=20)] = "",
    until: Annotated[str, Query(alias="to", max_length=20)] = "",
) -> HTMLResponse:
    """The chat; ``/?q=...`` (with ``&source=``, ``&from=``, ``&to=`` when filtered) is an
    answer's permalink and renders it server-side."""
    filters, error = _filters(source, since, until)
    result = None
    if q.strip() and not error:
        result, error = _answer_or_error(request, q.strip(), [], filters)
    turns = [result] if result else []
    typed = {"source": source, "from": since, "to": until}
    context = _context(request, turns=turns, error=error, history=[], **_scope(request, filters, typed))
    return templates.TemplateResponse(request, "index.html", context, status_code=422 if error else 200)


@router.post("/", response_class=HTMLResponse)
def chat_form(
    request: Request,
    question: Annotated[str, Form(max_length=MAX_QUESTION)] = "",
    h: Annotated[list[str] | None, Form(max_length=MAX_HISTORY_TURNS)] = None,
    source: Annotated[str, Form(max_length=200)] = "",
    since: Annotated[str, Form(alias="from", max_length=20)] = "",
    until: Annotated[str, Form(alias="to", max_length=20)] = "",
) -> HTMLResponse:
    """The no-JavaScript path: a plain form POST renders the same answer."""
    history = [x[:MAX_QUESTION] for x in (h or [])][-MAX_HISTORY_TURNS:]
    filters, error = _filters(source, since, until)
    result = None
    if not error:
        result, error = (None, "the question is empty")
        if question.strip():
            result, error = _answer_or_error(request, question.strip(), history, filters)
    new_history = [*history, question.strip()] if result else history
    turns = [result] if result else []
    typed = {"source": source, "from": since, "to": until}
    context = _context(request, turns=turns, error=error, history=new_history, **_scope(request, filters, typed))
    return templates.TemplateResponse(request, "index.html", context, status_code=200 if result else 422)


@router.post("/ui/answer", response_class=HTMLResponse)
def answer_fragment(body: AskRequest, request: Request) -> HTMLResponse:
    """The answer as an HTML fragment, for the page's script (same template as the no-JS path)."""
    filters = body.filters.to_search() if body.filters else None
    result = run_question(request, body.question, [t.question for t in body.history], body.top_k, filters)
    return templates.TemplateResponse(request, "partials/turn.html", {"turn": result, **_scope(request, body.filters)})


def render_article(request: Request, article: Article, start: int | None, end: int | None) -> HTMLResponse:
    qs = request.query_params.get("qs")
    qe = request.query_params.get("qe")
    n = len(article.text)
    hl = (start, end) if start is not None and end is not None and 0 <= start < end <= n else None
    quote = None
    if hl and qs and qe and qs.isdigit() and qe.isdigit() and 0 <= int(qs) <= hl[0] and hl[1] <= int(qe) <= n:
        quote = (int(qs), int(qe))
    outer = quote or hl
    parts: dict[str, str] = {"before": article.text, "q1": "", "mark": "", "q2": "", "after": ""}
    if hl and outer:
        parts = {
            "before": article.text[: outer[0]],
            "q1": article.text[outer[0] : hl[0]],
            "mark": article.text[hl[0] : hl[1]],
            "q2": article.text[hl[1] : outer[1]],
            "after": article.text[outer[1] :],
        }
    return templates.TemplateResponse(request, "article.html", _context(request, article=article, parts=parts))
