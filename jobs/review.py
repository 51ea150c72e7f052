"""``zhen review``: a glossary's candidates reviewed in the browser, every decision saved at once.

The page (``review_static/``) is plain HTML, CSS and JavaScript served by Starlette under
uvicorn, bound to 127.0.0.1 only. Security follows Jupyter's model: a random token in the URL
(sent back by the page in the ``X-Zhen-Token`` header), a Host check against DNS rebinding, a
same-origin check (Origin, else Referer) on every state-changing request, a strict
Content-Security-Policy, and the page builds its DOM with ``textContent`` only, so no glossary or
document text is ever parsed as HTML. The only files opened are the glossary and pairs named on
the command line and the page's own assets, looked up by fixed name.

Each decision is one request naming the entries it touches and the version (a hash of the entry)
the page last saw: a stale version is a 409 conflict, never an overwrite. A decision is written
through :func:`zhen.glossary.write_glossary` (atomic, re-signed) before the reply, so killing the
server loses nothing decided; the decisions use only what :mod:`zhen.glossary.merge` keeps
(status, edited text, variants, a note), so a rebuild with ``--merge`` keeps them too.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import socket
import threading
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from zhen.corpora.errors import InvalidArgument, OutputError
from zhen.glossary.model import ENTRY_STATUSES, TERM_STATUSES, TERM_TYPES, Entry, Evidence, Glossary, Term, concept_id

TOKEN_HEADER = "X-Zhen-Token"
#: The page's assets, by the only names a request can ask for.
ASSETS = {"review.js": "text/javascript", "review.css": "text/css"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


class Conflict(Exception):
    """The page acted on an entry that changed since it last saw it (another tab, or a reload)."""

    def __init__(self, message: str, entries: list[Entry]):
        super().__init__(message)
        self.entries = entries


def entry_version(e: Entry) -> str:
    """The entry's version: a hash of everything it holds, so it survives a restart."""
    return hashlib.sha256(json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def entry_view(e: Entry) -> dict:
    """What the page gets for one entry (the evidence texts come on request)."""
    d = e.to_dict()
    d["version"] = entry_version(e)
    d["kinds"] = sorted({ev.source for ev in e.evidence})
    return d


def _terms(items, lang: str) -> tuple[Term, ...]:
    if not isinstance(items, list):
        raise InvalidArgument(f"{lang}_variants must be a list")
    out = []
    for t in items:
        if not isinstance(t, dict) or not str(t.get("text", "")).strip():
            raise InvalidArgument(f"a {lang} variant needs a text")
        out.append(Term(str(t["text"]).strip(), str(t.get("type", "variant")), str(t.get("status", "admitted"))))
    return tuple(out)


def _append_note(note: str, line: str) -> str:
    return f"{note}; {line}" if note else line


@dataclass
class ReviewSession:
    """One glossary file under review: its entries, the last decisions (for undo) and the
    evidence pairs by ``pair_id``. Thread-safe: uvicorn may run requests concurrently."""

    path: Path
    fmt: str | None = None
    pairs: dict[str, tuple[str, str]] = field(default_factory=dict)
    glossary: Glossary = field(default_factory=Glossary)
    undo: list[tuple[dict[str, Entry | None], dict[str, str | None]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    on_disk: str = ""  # SHA-256 of the file as this session last read or wrote it

    @classmethod
    def open(cls, path: str | Path, *, pairs: str | Path | None = None) -> ReviewSession:
        from zhen.corpora.output import check_writable
        from zhen.glossary import read_glossary
        from zhen.glossary.formats import guess_format

        fmt = guess_format(path, None)
        g = read_glossary(path, fmt)
        check_writable(path)
        session = cls(Path(path), fmt, glossary=g)
        if pairs is not None:
            from zhen.jobs.glossary import aligned_pairs

            session.pairs = {p.pair_id: (p.src_text, p.tgt_text) for p in aligned_pairs([str(pairs)])}
        session.on_disk = session._disk_hash()
        return session

    def _disk_hash(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest() if self.path.exists() else ""

    def state(self) -> dict:
        with self.lock:
            return {"file": self.path.name, "entries": [entry_view(e) for e in self.glossary.entries],
                    "can_undo": bool(self.undo), "has_pairs": bool(self.pairs)}

    def evidence(self, cid: str) -> list[dict]:
        with self.lock:
            e = self.glossary.get(cid)
        if e is None:
            raise KeyError(cid)
        seen: dict[str, dict] = {}
        for ev in e.evidence:
            row = seen.setdefault(ev.pair_id, {"pair_id": ev.pair_id, "doc": ev.doc, "sources": [],
                                               "zh": None, "en": None})
            row["sources"].append(ev.source)
            if ev.pair_id in self.pairs:
                row["zh"], row["en"] = self.pairs[ev.pair_id]
        return list(seen.values())

    # --- decisions ---------------------------------------------------------------------------

    def apply(self, request: dict) -> tuple[list[Entry], list[str]]:
        """Carry out one decision from the page and save the glossary: the entries it changed
        or added, and the ids it removed. A stale version raises :class:`Conflict`."""
        with self.lock:
            if request.get("op") == "undo":
                return self._undo()
            changes = self._decide(request.get("op"), self._current(request), request)
            previous = {cid: self.glossary.get(cid) for cid in changes}
            self._save(changes)
            produced = {cid: (e := self.glossary.get(cid)) and entry_version(e) for cid in changes}
            self.undo = [*self.undo[-49:], (previous, produced)]
            return self._outcome(changes)

    def _undo(self) -> tuple[list[Entry], list[str]]:
        if not self.undo:
            raise Conflict("nothing to undo", [])
        previous, produced = self.undo[-1]
        now = {cid: (e := self.glossary.get(cid)) and entry_version(e) for cid in produced}
        if now != produced:
            self.undo.clear()
            raise Conflict("the last decision was changed since (in another tab); nothing undone", [])
        self._save(previous)
        self.undo.pop()
        return self._outcome(previous)

    def _outcome(self, changes: dict[str, Entry | None]) -> tuple[list[Entry], list[str]]:
        kept = [self.glossary.get(cid) for cid, e in changes.items() if e is not None]
        return [e for e in kept if e is not None], [cid for cid, e in changes.items() if e is None]

    def _current(self, request: dict) -> list[Entry]:
        ids, versions = request.get("ids"), request.get("versions")
        if not isinstance(ids, list) or not isinstance(versions, list) or len(ids) != len(versions) or not ids:
            raise InvalidArgument("a decision names its entries (ids) and the versions the page saw")
        out, stale = [], []
        for cid, version in zip(ids, versions):
            e = self.glossary.get(str(cid))
            if e is None:
                raise Conflict(f"entry {cid} is no longer in the glossary (merged or undone elsewhere)", [])
            if entry_version(e) != version:
                stale.append(e)
            out.append(e)
        if stale:
            raise Conflict("this entry was changed in another tab or window; it is shown as it is now", stale)
        return out

    def _decide(self, op, entries: list[Entry], request: dict) -> dict[str, Entry | None]:
        e = entries[0]
        if op == "status":
            status = request.get("status")
            if status not in ENTRY_STATUSES:
                raise InvalidArgument(f"status must be one of {', '.join(ENTRY_STATUSES)}")
            return {e.concept_id: replace(e, status=status)}
        if op == "edit":
            fields = {}
            for lang in ("en", "zh"):
                if lang in request:
                    text = str(request[lang]).strip()
                    if not text:
                        raise InvalidArgument(f"the {lang} term cannot be empty")
                    fields[lang] = text
                if f"{lang}_variants" in request:
                    fields[f"{lang}_variants"] = _terms(request[f"{lang}_variants"], lang)
            if "note" in request:
                fields["note"] = str(request["note"]).strip()
            return {e.concept_id: replace(e, **fields)}
        if op == "merge":
            if len(entries) != 2 or entries[0].concept_id == entries[1].concept_id:
                raise InvalidArgument("merge names two entries: the one kept and the one merged into it")
            keep, gone = entries
            variants = {}
            for lang in ("en", "zh"):
                have = set(keep.terms(lang))
                extra = [Term(t) for t in gone.terms(lang)[:1] if t not in have]
                extra += [t for t in getattr(gone, f"{lang}_variants") if t.text not in have]
                variants[f"{lang}_variants"] = getattr(keep, f"{lang}_variants") + tuple(extra)
            merged = replace(keep, **variants, evidence=keep.evidence + gone.evidence,
                             frequency=keep.frequency + gone.frequency, score=max(keep.score, gone.score),
                             note=_append_note(keep.note, f"merged {gone.en} / {gone.zh}"))
            return {keep.concept_id: merged, gone.concept_id: None}
        if op == "split":
            lang, text = request.get("lang"), str(request.get("text", ""))
            if lang not in ("en", "zh"):
                raise InvalidArgument("split names the variant's language, en or zh")
            variants = getattr(e, f"{lang}_variants")
            if text not in [t.text for t in variants]:
                raise InvalidArgument(f"{text!r} is not a {lang} variant of this entry")
            en, zh = (text, e.zh) if lang == "en" else (e.en, text)
            new = Entry(concept_id(en, zh), en, zh, score=e.score, frequency=e.frequency, evidence=e.evidence,
                        note=f"split from {e.en} / {e.zh}")
            if self.glossary.get(new.concept_id) is not None:
                raise Conflict(f"{en} / {zh} is already an entry of its own", [])
            kept = replace(e, **{f"{lang}_variants": tuple(t for t in variants if t.text != text)},
                           note=_append_note(e.note, f"split off {text}"))
            return {e.concept_id: kept, new.concept_id: new}
        raise InvalidArgument(f"unknown decision {op!r}")

    def _save(self, changes: dict[str, Entry | None]) -> None:
        from zhen.glossary import write_glossary

        if self._disk_hash() != self.on_disk:
            raise OutputError(self.path, "changed on disk since zhen review read it",
                              hint="restart zhen review to review the file as it is now")
        entries = {e.concept_id: e for e in self.glossary.entries}
        for cid, e in changes.items():
            if e is None:
                entries.pop(cid, None)
            else:
                entries[cid] = e
        g = Glossary.of(entries.values(), self.glossary.meta)
        # The file is the one this session read (checked above), so replacing it is the
        # reviewer's own decision even when a person had edited it before.
        write_glossary(g, self.path, self.fmt, force=True)
        self.glossary = g
        self.on_disk = self._disk_hash()


# --- the web app ----------------------------------------------------------------------------

def _asset(name: str) -> bytes:
    return resources.files("zhen.jobs").joinpath("review_static", name).read_bytes()


def create_app(session: ReviewSession, *, token: str, port: int):
    """The Starlette app for one session. ``port`` is the one it is served on: the Host and
    Origin checks compare against it."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.responses import JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    origins = {f"http://127.0.0.1:{port}", f"http://localhost:{port}"}
    headers = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
               "Referrer-Policy": "same-origin", "Cache-Control": "no-store", "X-Frame-Options": "DENY"}

    def refused(message: str, status: int = 403):
        return PlainTextResponse(message, status_code=status, headers=headers)

    def authorised(request) -> bool:
        given = request.headers.get(TOKEN_HEADER) or request.query_params.get("token") or ""
        return secrets.compare_digest(given.encode(), token.encode())

    def same_origin(request) -> bool:
        origin = request.headers.get("origin")
        if origin is not None:
            return origin in origins
        referer = request.headers.get("referer", "")
        return any(referer == o or referer.startswith(o + "/") for o in origins)

    async def index(request):
        if not authorised(request):
            return refused("zhen review: open the URL it printed (with its token)")
        return Response(_asset("index.html"), media_type="text/html; charset=utf-8", headers=headers)

    async def asset(request):
        name = request.path_params["name"]
        if name not in ASSETS:
            return refused("not found", 404)
        return Response(_asset(name), media_type=ASSETS[name] + "; charset=utf-8", headers=headers)

    async def glossary(request):
        if not authorised(request):
            return refused("missing or wrong token")
        return JSONResponse(await _run(session.state), headers=headers)

    async def evidence(request):
        if not authorised(request):
            return refused("missing or wrong token")
        try:
            rows = await _run(session.evidence, request.path_params["cid"])
        except KeyError:
            return refused("no such entry", 404)
        return JSONResponse(rows, headers=headers)

    async def decide(request):
        from zhen.corpora.errors import ZhenError

        if not authorised(request):
            return refused("missing or wrong token")
        if not same_origin(request):
            return refused("cross-origin request refused")
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return refused("send JSON", 415)
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return refused("malformed JSON", 400)
        if not isinstance(body, dict):
            return refused("send a JSON object", 400)
        try:
            changed, removed = await _run(session.apply, body)
        except Conflict as exc:
            return JSONResponse({"error": "conflict", "message": str(exc),
                                 "entries": [entry_view(e) for e in exc.entries]}, status_code=409, headers=headers)
        except ZhenError as exc:
            return JSONResponse({"error": "invalid", "message": str(exc)}, status_code=400, headers=headers)
        return JSONResponse({"ok": True, "changed": [entry_view(e) for e in changed], "removed": removed,
                             "can_undo": bool(session.undo)}, headers=headers)

    routes = [
        Route("/", index), Route("/static/{name}", asset),
        Route("/api/glossary", glossary), Route("/api/evidence/{cid}", evidence),
        Route("/api/decide", decide, methods=["POST"]),
    ]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost"])]
    return Starlette(routes=routes, middleware=middleware)


async def _run(func, *args):
    # Saving fsyncs: keep it off the event loop so the page's other requests still answer.
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(func, *args)


@dataclass
class ReviewServer:
    """A bound loopback socket and the app behind it; ``url`` is known before ``serve``."""

    session: ReviewSession
    sock: socket.socket
    token: str

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?token={self.token}"

    def serve(self) -> None:
        """Serve until Ctrl+C (uvicorn then finishes the requests in flight and returns)."""
        import uvicorn

        app = create_app(self.session, token=self.token, port=self.port)
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        try:
            uvicorn.Server(config).run(sockets=[self.sock])
        except KeyboardInterrupt:
            # uvicorn shuts down gracefully first, then re-raises the signal it caught for
            # whoever embeds it: by then the server has stopped and every decision is saved.
            pass


def review_server(glossary: str | Path, *, pairs: str | Path | None = None, port: int = 0) -> ReviewServer:
    """Open the glossary (and pairs) and bind 127.0.0.1:``port`` (0: any free port)."""
    session = ReviewSession.open(glossary, pairs=pairs)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as exc:
        sock.close()
        raise OutputError(f"127.0.0.1:{port}", f"cannot listen there ({exc.strerror})",
                          hint="choose another --port, or 0 for any free one") from None
    sock.listen(64)
    return ReviewServer(session, sock, secrets.token_urlsafe(24))
