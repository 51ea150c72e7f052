"""Segmentation throughput: the bundled corpus, repeated, and one 5 MB single line.

    python bench/bench_segment.py [--repeat 40]

Prints MB/s for whole documents and for a pathological single line (must stay linear).
"""

from __future__ import annotations

import argparse
import resource
import time


from zhen import corpora  # noqa: E402
from zhen.corpora.segment import segment_text  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=40)
    args = ap.parse_args()
    docs = [corpora.load_source(s.id) for s in corpora.list_sources()]
    corpus_mb = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    t = time.perf_counter()
    n = 0
    for _ in range(args.repeat):
        for d in docs:
            n += len(segment_text(d.text, d.id, kind=d.kind, main_lang=d.main_lang))
    dt = time.perf_counter() - t
    print(f"corpus x{args.repeat}: {corpus_mb * args.repeat:.1f} MB, {n} segments, {dt:.2f} s, "
          f"{corpus_mb * args.repeat / dt:.2f} MB/s")
    for size_mb in (1, 5):
        unit = "創新科技及工業局推動新型工業化，The Bureau promotes new industrialisation. "
        line = unit * int(size_mb * 1e6 / len(unit.encode("utf-8")))
        t = time.perf_counter()
        segs = segment_text(line, "long")
        dt = time.perf_counter() - t
        print(f"single line {size_mb} MB: {len(segs)} segments, {dt:.2f} s, {size_mb / dt:.2f} MB/s")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
