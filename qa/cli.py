"""The ``qa`` command: build and update indexes, ask questions, serve the web app.

Every error is one line on stderr and a non-zero exit code (``qa.errors``);
tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.types import BuildReport, SearchFilters, parse_day
from qa.errors import BadSetting, BadSource, describe
from qa.settings import Settings, load_settings
from qa.types import AnswerSet

if TYPE_CHECKING:  # (the index's imports take seconds: only when a command needs it)
    from index.backend import LocalHybridIndex

EXIT_IO = 74  # sysexits EX_IOERR


OUTLETS_SHOWN = 10  # `qa index info` lists the outlets with most articles


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index", type=Path, help="index directory (default: $QA_INDEX or DATA_DIR/index)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bars or info messages")


def _iso_date(text: str) -> str:
    """A filter date exactly as YYYY-MM-DD, checked before any model loads."""
    try:
        return parse_day(text).isoformat()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Question answering over news archives.")
    sub = parser.add_subparsers(dest="command", required=True)

    index = sub.add_parser("index", help="build, update and inspect an index")
    isub = index.add_subparsers(dest="index_command", required=True)
    for name, helptext in (
        ("build", "build a new index from SOURCES (replaces the old one atomically)"),
        ("add", "add or update articles from SOURCES without re-embedding the rest"),
    ):
        p = isub.add_parser(name, help=helptext)
        p.add_argument("sources", nargs="+", type=Path, help="files or directories (.txt, .jsonl[.gz], .csv, .html)")
        p.add_argument("--strict", action="store_true", help="fail (exit 6) if any input was skipped")
        p.add_argument("--model", help="embedding model (build only; default all-MiniLM-L6-v2)")
        p.add_argument("--precision", choices=["auto", "bf16", "fp32"], help="embedding precision")
        _common(p)
    p = isub.add_parser("remove", help="remove articles by id")
    p.add_argument("doc_ids", nargs="+")
    _common(p)
    p = isub.add_parser("compact", help="drop the hidden rows removed and replaced articles left (no re-embedding)")
    _common(p)
    p = isub.add_parser("info", help="show the index manifest summary")
    p.add_argument("--json", action="store_true")
    _common(p)

    ask = sub.add_parser("ask", help="ask a question, or each question of a file")
    ask.add_argument("question", nargs="?")
    ask.add_argument(
        "--file", type=Path, help="answer each line of FILE on its own ('-': standard input; # starts a comment)"
    )
    chat = sub.add_parser("chat", help="a conversation in the terminal: follow-ups read with earlier questions")
    for p in (ask, chat):
        p.add_argument("--top-k", type=int, help="chunks to read (1-50)")
        p.add_argument("--max-answers", type=int, help="answers to show (1-20)")
        p.add_argument("--source", action="append", default=[], help="only articles from this outlet (repeatable)")
        p.add_argument("--from", dest="published_from", type=_iso_date, help="only articles published from YYYY-MM-DD")
        p.add_argument("--to", dest="published_to", type=_iso_date, help="only articles published until YYYY-MM-DD")
        p.add_argument("--json", action="store_true", help="print answers as JSON (one line each for several)")
        _reader_flags(p)
        _common(p)

    serve = sub.add_parser("serve", help="serve the chat UI and the /ask API")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    _reader_flags(serve)
    _common(serve)
    return parser


def _reader_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reader", choices=["auto", "learned", "rules"], help="span picker (default auto: learned if shipped)"
    )


def _print_report(report: BuildReport, verb: str) -> None:
    print(
        f"{verb}: {report.articles_indexed} articles, {report.chunks_indexed} chunks embedded "
        f"({report.articles_in} read from {report.files_read} files; {report.exact_duplicates} exact and "
        f"{report.near_duplicates} near duplicates folded; {report.repeated_paragraphs} repeated paragraphs dropped; "
        f"{report.unchanged} unchanged, {report.updated} with new metadata, {report.replaced} replaced, "
        f"{report.removed} removed; "
        f"{len(report.problems)} skipped"
        + (f"; {report.compacted} hidden rows compacted" if report.compacted else "")
        + f") in {report.seconds:.1f}s"
    )


def _warn_problems(report: BuildReport) -> None:
    for problem in report.problems:
        print(f"warning: skipped {problem.path}: {problem.reason}", file=sys.stderr)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "serve":
        from web.server import serve

        serve(settings)
        return 0
    if args.command in ("ask", "chat"):
        return _run_questions(args, settings)
    return _run_index(args, settings)


def _run_questions(args: argparse.Namespace, settings: Settings) -> int:
    from qa import service, terminal
    from qa.answerer import answer

    if args.command == "ask" and (args.question is None) == (args.file is None):
        raise BadSetting("give one question, or --file FILE ('-' reads standard input), not both")
    questions = _read_questions(args.file) if args.command == "ask" and args.file is not None else []
    filters = SearchFilters(tuple(args.source), args.published_from or "", args.published_to or "")
    if filters.published_from and filters.published_to and filters.published_from > filters.published_to:
        raise BadSetting(f"--from {filters.published_from} is after --to {filters.published_to}")
    backend = service.open_index(settings, quiet=args.quiet)
    config = service.answer_config(settings)
    known = {name.lower() for name, _ in backend.sources()}
    for name in filters.sources:
        if name.lower() not in known:  # a typo would otherwise just find nothing
            print(f"warning: no article in the archive is from {name!r} (qa index info lists them)", file=sys.stderr)

    def ask(question: str, resolved: str = "") -> AnswerSet:
        return answer(question, backend, config, filters=filters, resolved_question=resolved)

    if questions:
        return terminal.ask_each(ask, questions, as_json=args.json)
    if args.command == "ask":
        result = ask(args.question)
        print(
            json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if args.json else terminal.format_answer(result)
        )
        return 0
    if sys.stdin.isatty():
        articles = backend.info()["articles"]
        print(f"Ask about the archive ({articles:,} article{'' if articles == 1 else 's'}). {terminal.CHAT_HELP}")
        return terminal.chat(ask, terminal.typed_lines(), as_json=args.json)
    return terminal.chat(ask, _stdin_lines(), as_json=args.json)


def _read_questions(path: Path) -> list[str]:
    """The questions of ``--file`` (read whole: a file of questions is small)."""
    from qa import terminal

    raw = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadSetting(f"{path}: not UTF-8 text (byte {exc.start})") from None
    questions = list(terminal.question_lines(text.splitlines()))
    if not questions:
        raise BadSetting(f"{path}: no questions (one per line; blank lines and # comments are skipped)")
    return questions


def _stdin_lines() -> Iterable[str]:
    """Standard input's lines as they arrive; undecodable bytes become U+FFFD, not a crash."""
    buffer = getattr(sys.stdin, "buffer", None)
    return io.TextIOWrapper(buffer, encoding="utf-8", errors="replace") if buffer is not None else sys.stdin


def _print_info(backend: LocalHybridIndex, as_json: bool) -> None:
    info: dict[str, Any] = backend.info()
    # the outlets are what `qa ask --source` and the API's filters.sources accept
    info["by_outlet"] = {source or "(none named)": n for source, n in backend.sources()[:OUTLETS_SHOWN]}
    if as_json:
        print(json.dumps(info, indent=2))
    else:
        outlets = ", ".join(f"{s} ({n:,})" for s, n in info.pop("by_outlet").items())
        print("\n".join(f"{k}: {v}" for k, v in info.items()) + f"\ntop outlets: {outlets}")


def _run_index(args: argparse.Namespace, settings: Settings) -> int:
    from index.builder import build_index
    from index.embedding import load_embedder
    from qa import service

    cmd = args.index_command
    if cmd == "build":
        embedder = load_embedder(settings.model, settings.precision)
        report = build_index(
            args.sources, settings.index_dir, embedder, service.index_config(settings), quiet=args.quiet
        )
        verb = "built"
    else:  # an existing index: listing, removing and compacting never need the model (add loads it)
        backend = service.open_index(settings, bootstrap=False, load_model=False)
        if cmd == "info":
            _print_info(backend, args.json)
            return 0
        if cmd == "add":
            report, verb = backend.add(args.sources, quiet=args.quiet), "added"
        elif cmd == "remove":
            report, verb = backend.remove(args.doc_ids), "removed"
        else:
            report, verb = backend.compact(), "compacted"
    _warn_problems(report)
    _print_report(report, verb)
    print(f"index: {settings.index_dir}")
    if getattr(args, "strict", False) and report.problems:
        raise BadSource(f"{len(report.problems)} input(s) skipped and --strict was given (the index was still updated)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    parser = make_parser()
    args = parser.parse_args(argv)
    # Off a terminal, info messages stay off, but long work still logs its progress (index.progress).
    chatty = not args.quiet and sys.stderr.isatty()
    logging.basicConfig(level=logging.INFO if chatty else logging.WARNING, format="%(message)s")
    _silence_libraries()
    try:
        settings = load_settings(
            index=args.index,
            model=getattr(args, "model", None),
            precision=getattr(args, "precision", None),
            top_k=getattr(args, "top_k", None),
            max_answers=getattr(args, "max_answers", None),
            host=getattr(args, "host", None),
            port=getattr(args, "port", None),
            reader=getattr(args, "reader", None),
        )
        return _run(args, settings)
    except KeyboardInterrupt:
        print("interrupted; the index was left as it was", file=sys.stderr)
        return 130
    except Exception as exc:  # domain errors become one line; anything else is a bug
        info = describe(exc)
        if info is None and isinstance(exc, OSError):  # disk full, permissions, ...
            where = f": {exc.filename}" if exc.filename else ""
            print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
            return EXIT_IO
        if info is None:
            raise
        print(f"error: {info.message}", file=sys.stderr)
        return info.exit_code


def _silence_libraries() -> None:
    for name in ("sentence_transformers", "transformers", "bm25s", "faiss", "httpx"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if "transformers" not in sys.modules:
        # Read when transformers is imported, which only commands that load a model do:
        # importing it here to quiet it cost `qa index info` and `remove` 0.75 s.
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        return
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
