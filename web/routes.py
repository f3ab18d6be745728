"""The JSON API: POST /ask, GET /articles/{doc_id}, GET /healthz."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator, model_validator

from index.types import SearchFilters, parse_day
from qa import conversation
from qa.answerer import answer
from qa.errors import ArticleNotFound, Forbidden, IndexNotLoaded
from qa.service import answer_config, reader_status
from qa.types import AnswerSet

router = APIRouter()
log = logging.getLogger("qa.web")
MAX_QUESTION = 1000


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: StrictStr = Field(max_length=MAX_QUESTION)
    answer: StrictStr = Field(default="", max_length=MAX_QUESTION)


class Filters(BaseModel):
    """Which articles may answer: outlets (any case) and an inclusive range of publication dates;
    a range whose published_from is after its published_to is refused (422)."""

    model_config = ConfigDict(extra="forbid")
    sources: list[Annotated[StrictStr, Field(max_length=200)]] = Field(default_factory=list, max_length=20)
    published_from: dt.date | None = None
    published_to: dt.date | None = None

    @field_validator("published_from", "published_to", mode="before")
    @classmethod
    def _iso_text_only(cls, value: object) -> object:
        # pydantic alone would read numbers and digit strings as Unix timestamps and
        # accept datetimes; a filter date is exactly "YYYY-MM-DD" (RFC 3339 full-date)
        if value is None or isinstance(value, dt.date):
            return value
        return parse_day(value)

    @model_validator(mode="after")
    def _ordered(self) -> Filters:
        if self.published_from and self.published_to and self.published_from > self.published_to:
            raise ValueError(f"published_from ({self.published_from}) is after published_to ({self.published_to})")
        return self

    def describe(self) -> str:
        """The filters in words, for the page: "only from usatoday.com, published 2023-01-01 to …"."""
        parts = [f"only from {', '.join(self.sources)}"] if self.sources else []
        if self.published_from or self.published_to:
            since, until = self.published_from or "…", self.published_to or "…"
            parts.append(f"published {since} to {until}")
        return ", ".join(parts)

    def to_search(self) -> SearchFilters:
        return SearchFilters(
            sources=tuple(self.sources),
            published_from=self.published_from.isoformat() if self.published_from else "",
            published_to=self.published_to.isoformat() if self.published_to else "",
        )


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"question": "How many prisoners escaped?", "top_k": 10}]},
    )
    question: StrictStr = Field(
        min_length=1,
        max_length=MAX_QUESTION,
        # at least one character that is not whitespace (JSON Schema's \s plus what Python strips)
        pattern=r"[^\s\x1c-\x1f\x85]",
        description="1-1000 characters, not only whitespace",
    )
    top_k: int | None = Field(default=None, ge=1, le=20, description="passages to read")
    history: list[Turn] = Field(
        default_factory=list, max_length=conversation.MAX_HISTORY_TURNS, description="earlier turns, oldest first"
    )
    filters: Filters | None = None

    @field_validator("top_k", mode="before")
    @classmethod
    def _json_integer(cls, value: object) -> object:
        # JSON Schema integers include 5.0 but not "5" or true
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise ValueError("expected an integer")

    @field_validator("question")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("the question is empty")
        return value


class CitationOut(BaseModel):
    doc_id: str
    title: str
    source: str
    published: str
    url: str
    start: int
    end: int
    quote_start: int
    quote_end: int


class AnswerOut(BaseModel):
    text: str
    quote: str
    score: float = Field(
        description="confidence in [0, 1]: the answer ranker's score of the answer's evidence (the reader's margin, "
        "agreeing articles, retrieval ranks, age, ...) or, without one, the span picker's confidence; the server "
        "abstains when the best answer is below its min_score (default 0.25)"
    )
    kind: str
    as_of: str
    citation: CitationOut
    supporting: list[CitationOut]
    corroboration: dict[str, int]


class PassageOut(BaseModel):
    text: str
    score: float = Field(description="the retriever's fused (reciprocal rank) score of the passage")
    citation: CitationOut


class TimeWindowOut(BaseModel):
    phrase: str = Field(description='the time the question names, as it names it ("last week", "in 2022")')
    from_: str = Field(alias="from", description="first day of that window (ISO date)")
    to: str = Field(description="last day of that window (ISO date)")
    archive_has_it: bool = Field(description="whether a search restricted to the window found any passage")
    answered_from_it: bool = Field(description="whether any answer shown cites an article dated in the window")
    note: str = Field(description='what to tell the user when the answers come from other dates ("" otherwise)')


class AskResponse(BaseModel):
    question: str
    resolved_question: str
    answers: list[AnswerOut]
    no_answer: bool
    related: list[PassageOut]
    time_window: TimeWindowOut | None = Field(
        description="present when the question names a time: answers from articles published in it are preferred"
    )
    took_ms: float


class ErrorOut(BaseModel):
    error: dict[str, str]


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in (
        (404, "unknown article"),
        (413, "body over 64 KB"),
        (422, "invalid request"),
        (503, "index not loaded"),
    )
}


def get_backend(request: Request) -> Any:
    """The loaded index, switched to a newly published version if there is one."""
    backend = request.app.state.backend
    if backend is None:
        reason = request.app.state.load_error or "the index is not loaded"
        raise IndexNotLoaded(reason)
    reload = getattr(backend, "maybe_reload", None)
    if reload is not None:
        try:
            if reload():
                log.info("switched to index version %s", backend.info().get("version"))
        except Exception as exc:  # a bad new version never takes the server down
            log.error("new index version not loaded, still serving the old one: %s", exc)
    return backend


def pinned(request: Request) -> Any:
    """One index version for the whole request."""
    backend = get_backend(request)
    return backend.pinned() if hasattr(backend, "pinned") else backend


def run_question(
    request: Request, question: str, history: list[str], top_k: int | None = None, filters: SearchFilters | None = None
) -> AnswerSet:
    """Shared by the API and the HTML pages."""
    backend = pinned(request)
    settings = request.app.state.settings
    config = answer_config(settings)
    if top_k is not None:
        config = replace(config, top_k=top_k)
    resolved = conversation.resolve(question, history)
    return answer(question, backend, config, filters=filters, resolved_question=resolved)


@router.post("/ask", response_model=AskResponse, responses=ERRORS, tags=["qa"])
def ask(body: AskRequest, request: Request) -> dict[str, Any]:
    """Answer a question from the archive with verbatim quotes and citations."""
    filters = body.filters.to_search() if body.filters else None
    result = run_question(request, body.question, [t.question for t in body.history], body.top_k, filters)
    return result.to_dict()


@router.get("/articles/{doc_id}", responses=ERRORS, tags=["articles"], response_model=None)
def get_article(
    doc_id: str,
    request: Request,
    format: Annotated[str, Query(pattern="^(json|html)$")] = "json",
    start: Annotated[int | None, Query(ge=0)] = None,
    end: Annotated[int | None, Query(ge=0)] = None,
) -> JSONResponse | HTMLResponse:
    """The stored article; ``format=html`` shows it with ``start:end`` highlighted."""
    article = pinned(request).get_article(doc_id)
    if article is None:
        raise ArticleNotFound(f"no article with id {doc_id!r}")
    if format == "html":
        from web.pages import render_article

        return render_article(request, article, start, end)
    return JSONResponse(
        {
            "doc_id": article.doc_id,
            "title": article.title,
            "source": article.source,
            "published": article.published,
            "url": article.url,
            "credit": article.credit,
            "also_in": list(article.also_in),
            "text": article.text,
        }
    )


@router.get("/healthz", tags=["ops"])
def healthz(request: Request) -> JSONResponse:
    """Liveness, the loaded index's manifest summary and the reader's arithmetic (503 when no
    index is loaded)."""
    backend = request.app.state.backend
    if backend is None:
        return JSONResponse({"status": "unavailable", "error": request.app.state.load_error}, status_code=503)
    return JSONResponse({"status": "ok", "index": backend.info(), "reader": reader_status(request.app.state.settings)})


@router.post("/admin/reload", tags=["admin"], responses={403: {"model": ErrorOut}, 503: {"model": ErrorOut}})
def admin_reload(request: Request, authorization: Annotated[str, Header()] = "") -> JSONResponse:
    """Switch to the newest published index version now (the server also does this
    by itself between requests). Needs ``Authorization: Bearer $QA_ADMIN_TOKEN``."""
    token = request.app.state.settings.admin_token
    if not token:
        raise Forbidden("admin endpoints are disabled; set QA_ADMIN_TOKEN to enable them")
    given = authorization.removeprefix("Bearer ").strip()
    if not secrets.compare_digest(given.encode(), token.encode()):
        raise Forbidden("missing or wrong admin token")
    backend = request.app.state.backend
    if backend is None:
        raise IndexNotLoaded(request.app.state.load_error or "the index is not loaded")
    switched = backend.reload()
    return JSONResponse({"reloaded": switched, "index": backend.info()})
