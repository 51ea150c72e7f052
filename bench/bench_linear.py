"""Every stage is linear: double the input three times and print each time ratio (≤ 2.3×).

Two shapes of input, both made from the bundled slide deck:
* ``lines``: the deck repeated (a large document of ordinary lines);
* ``long-line``: the deck's Chinese lines joined into one line and its English lines into the
  next (what a PDF extraction without line breaks gives), repeated.

Each stage runs through the CLI in this process, as a user would call it, with the ``hash``
encoder (the sentence encoders are linear by construction and slow to repeat; this measures
zhen's own code) and a cold embedding cache for every call. ``python bench/bench_linear.py [--base N] [--stages run,check,...]``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from typer.testing import CliRunner

from zhen import corpora
from zhen.cli import app
from zhen.corpora.scripts import text_lang

RATIO_LIMIT = 2.3
STAGES = ("segment", "align", "glossary", "normalise", "check", "run")


def deck_lines() -> list[str]:
    text = corpora.load_source("budget-slides-2026").text
    return [line for line in text.splitlines() if line.strip()]


def make_input(shape: str, copies: int, folder: Path) -> Path:
    lines = deck_lines()
    if shape == "lines":
        body = "\n".join(lines * copies) + "\n"
    else:
        zh = [x for x in lines if text_lang(x) == "zh"]
        en = [x for x in lines if text_lang(x) != "zh"]
        body = "".join(" ".join(zh * copies) + "\n" + " ".join(en * copies) + "\n")
    path = folder / f"{shape}-{copies}.txt"
    path.write_text(body, encoding="utf-8")
    return path


def run_stage(stage: str, doc: Path, work: Path, glossary: Path) -> float:
    runner = CliRunner()
    out = work / f"{stage}-{doc.stem}"
    args = {
        "segment": ["segment", str(doc), "-o", str(out.with_suffix(".jsonl"))],
        "align": ["align", str(doc), "--encoder", "hash", "-o", str(out.with_suffix(".tsv"))],
        "glossary": ["glossary", "build", str(doc), "--encoder", "hash", "-o", str(out.with_suffix(".csv"))],
        "normalise": ["normalise", str(doc), "--glossary", str(glossary), "--out", str(out)],
        "check": ["check", "--glossary", str(glossary), str(work / f"pairs-{doc.stem}.tsv"), "--format", "csv",
                  "-o", str(out.with_suffix(".csv"))],
        "run": ["run", str(doc), "--encoder", "hash", "--out", str(out)],
    }[stage]
    if stage == "check":
        pairs = work / f"pairs-{doc.stem}.tsv"
        if not pairs.exists():
            done = runner.invoke(app, ["align", str(doc), "--encoder", "hash", "-o", str(pairs)])
            assert done.exit_code == 0, done.output
    # A cold embedding cache for every call: the deck's sentences repeat, and a warm cache would
    # hide the encoder's (linear) share of the work differently at each size.
    os.environ["ZHEN_CACHE_DIR"] = tempfile.mkdtemp(dir=work)
    started = time.perf_counter()
    result = runner.invoke(app, args)
    elapsed = time.perf_counter() - started
    allowed = (0, 1) if stage == "check" else (0,)  # 1: QA findings
    if result.exit_code not in allowed or (result.exception and not isinstance(result.exception, SystemExit)):
        raise SystemExit(f"{stage} on {doc.name} failed ({result.exit_code}): {result.exception!r} {result.output}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=int, default=4, help="copies of the deck at the smallest size")
    ap.add_argument("--repeat", type=int, default=2, help="runs per size; the fastest counts")
    ap.add_argument("--stages", default=",".join(STAGES))
    ap.add_argument("--shapes", default="lines,long-line")
    args = ap.parse_args()
    stages = [s for s in args.stages.split(",") if s]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        glossary = work / "deck-glossary.csv"
        made = CliRunner().invoke(app, ["glossary", "build", "--encoder", "hash", "-o", str(glossary)])
        assert made.exit_code == 0, made.output
        print(f"{'stage':<10} {'shape':<10} {'chars':>30}  {'seconds':>34}  ratios (limit {RATIO_LIMIT}×)")
        worst = 0.0
        for shape in args.shapes.split(","):
            docs = [make_input(shape, args.base * 2 ** k, work) for k in range(4)]
            sizes = [len(d.read_text(encoding="utf-8")) for d in docs]
            for stage in stages:
                run_stage(stage, docs[0], work, glossary)  # warm-up: imports, dictionaries, caches
                times = [min(run_stage(stage, d, work, glossary) for _ in range(args.repeat)) for d in docs]
                ratios = [b / a if a > 0 else float("inf") for a, b in zip(times, times[1:])]
                worst = max(worst, *ratios)
                flag = "ok" if max(ratios) <= RATIO_LIMIT else "OVER"
                print(f"{stage:<10} {shape:<10} {' '.join(f'{n:>7}' for n in sizes):>30}  "
                      f"{' '.join(f'{t:8.2f}' for t in times):>34}  "
                      f"{' '.join(f'{r:4.2f}' for r in ratios)}  {flag}")
        print(f"worst ratio {worst:.2f} (limit {RATIO_LIMIT})")


if __name__ == "__main__":
    main()
