"""Questions in the terminal: one answer printed, a file of questions, or a conversation.

``qa ask --file`` answers each line on its own (a researcher's list of claims to check);
``qa chat`` keeps the conversation, so a follow-up ("And the injured?") is read with the
questions before it, as the web chat reads it. A bad question in either is reported on its
line and the rest still run; the exit code is then the first error's (``qa.errors``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO

from qa import conversation
from qa.errors import describe
from qa.types import AnswerSet

CHAT_HELP = "Follow-ups are read with the questions before them. /new starts over; /quit or Ctrl-D ends."

Ask = Callable[[str, str], AnswerSet]  # (question, its standalone rewrite or "") -> answers


def format_answer(result: AnswerSet) -> str:
    lines = []
    if result.resolved_question and result.resolved_question != result.question:
        lines.append(f"(understood as: {result.resolved_question})")
    if result.time_window and result.time_window.note:
        lines.append(f"Note: {result.time_window.note}")
    if result.no_answer:
        lines.append("No answer found in the archive.")
        for p in result.related:
            c = p.citation
            snippet = p.text if len(p.text) <= 160 else p.text[:157].rsplit(" ", 1)[0] + " …"
            lines.append(f"  related: {snippet}")
            lines.append(f"           — {c.title} · {c.as_of or 'undated'} · {c.doc_id} [{c.start}:{c.end}]")
        return "\n".join(lines)
    for i, a in enumerate(result.answers, start=1):
        c = a.citation
        support = f"; {a.corroboration}" if a.supporting else ""
        lines.append(f"{i}. {a.text}   (score {a.score:.2f}{support})")
        lines.append(f"   “{a.quote}”")
        lines.append(f"   — {c.title} · {c.as_of or 'undated'} · {c.doc_id} [{c.start}:{c.end}]")
    return "\n".join(lines)


def question_lines(stream: Iterable[str]) -> Iterable[str]:
    """The questions of a file: one per line; blank lines and ``#`` comments are skipped."""
    for line in stream:
        text = line.strip()
        if text and not text.startswith("#"):
            yield text


class _Session:
    """Prints answers and errors in the chosen form and remembers the first error's exit code."""

    def __init__(self, out: TextIO, as_json: bool) -> None:
        self.out, self.as_json, self.exit_code = out, as_json, 0

    def run(self, ask: Ask, question: str, resolved: str = "") -> bool:
        try:
            result = ask(question, resolved)
        except Exception as exc:  # a domain error is reported on its line; a bug still raises
            info = describe(exc)
            if info is None:
                raise
            self.exit_code = self.exit_code or info.exit_code
            if self.as_json:
                error = {"code": info.code, "message": info.message}
                self._print(json.dumps({"question": question, "error": error}, ensure_ascii=False))
            else:
                self._print(f"error: {info.message}")
            return False
        self._print(json.dumps(result.to_dict(), ensure_ascii=False) if self.as_json else format_answer(result))
        return True

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


def ask_each(ask: Ask, questions: Iterable[str], out: TextIO | None = None, as_json: bool = False) -> int:
    """Answer every question on its own: JSON Lines with ``as_json``, else blocks under "Q: …"."""
    session = _Session(out or sys.stdout, as_json)
    for n, question in enumerate(questions):
        if not as_json:
            print(("\n" if n else "") + f"Q: {question}", file=session.out)
        session.run(ask, question)
    return session.exit_code


def typed_lines(prompt: str = "you> ") -> Iterator[str]:
    """Lines typed at a terminal (with line editing), until Ctrl-D or Ctrl-C."""
    while True:
        try:
            yield input(prompt)
        except (EOFError, KeyboardInterrupt):
            print()
            return


def chat(ask: Ask, lines: Iterable[str], out: TextIO | None = None, as_json: bool = False) -> int:
    """A conversation: each question is read with the earlier ones (``qa.conversation``)."""
    session = _Session(out or sys.stdout, as_json)
    history: list[str] = []
    for line in lines:
        question = line.strip()
        if question in ("/quit", "/exit"):
            break
        if question == "/new":
            history = []
            if not as_json:
                print("(a new conversation)", file=session.out)
        elif question and session.run(ask, question, conversation.resolve(question, history)):
            history = [*history, question][-conversation.MAX_HISTORY_TURNS :]
    return session.exit_code
