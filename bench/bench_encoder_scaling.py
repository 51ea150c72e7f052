"""How the USE-m span pass scales over this machine's cores: the ceiling for `zhen corpus`.

    python bench/bench_encoder_scaling.py [--procs 2] [--repeat 3]

Times the span pass (1..6-sentence spans, one BLAS thread, no cache) over four MAC-dev English
chapters in one process, then in ``--procs`` processes at once, then in one process again, and
prints the throughput of N processes against one. No engine, no I/O, no scheduling: whatever
falls short of N here is the machine's (shared caches, memory bandwidth, the hypervisor), and no
engine running one encoder a core can scale better than this over its map stages.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from _common import read_lines  # noqa: E402  (bench/ is on sys.path when run as a script)
from bench_mac import MAC_DIR  # noqa: E402

MAC_EN = MAC_DIR / "en"


def child(repeat: int) -> None:
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
    from zhen.align.encoders import encode_spans, get_encoder

    enc = get_encoder("use-m", cache=False, threads=1)
    lines = [t for ch in ("001", "002", "003", "004") for t in read_lines(MAC_EN / ch) if t]
    encode_spans(enc, lines[:50], 6, " ")  # load the model before the clock
    t0 = time.perf_counter()
    for _ in range(repeat):
        encode_spans(enc, lines, 6, " ")
    print(f"{len(lines) * repeat} {time.perf_counter() - t0:.3f}", flush=True)


def run(n: int, repeat: int) -> list[tuple[int, float]]:
    procs = [subprocess.Popen([sys.executable, __file__, "--child", "--repeat", str(repeat)],
                              stdout=subprocess.PIPE, text=True) for _ in range(n)]
    out = []
    for p in procs:
        sents, secs = p.communicate()[0].split()
        out.append((int(sents), float(secs)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        return child(a.repeat)
    if not MAC_EN.is_dir():
        sys.exit(f"needs {MAC_EN} (../shared/eval beside the clone)")
    one = [s for _, s in run(1, a.repeat)]
    many = run(a.procs, a.repeat)
    one += [s for _, s in run(1, a.repeat)]
    sents = many[0][0]
    base = sum(one) / len(one)
    print(f"one process: {sents} sentences in {' / '.join(f'{s:.2f}' for s in one)} s "
          f"({sents / base:.0f} sentences/s)")
    print(f"{a.procs} processes at once: {' / '.join(f'{s:.2f}' for _, s in many)} s each")
    total = sum(sents / s for _, s in many)
    print(f"scaling 1 -> {a.procs} processes: {total / (sents / base):.2f}x "
          f"(each process {100 * (sum(s for _, s in many) / len(many) / base - 1):.0f}% slower than alone)")


if __name__ == "__main__":
    main()
