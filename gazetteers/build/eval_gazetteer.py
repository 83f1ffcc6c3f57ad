#!/usr/bin/env python3
"""Measure the generated gazetteer with the real entgraph tagger.

usage: eval_gazetteer.py ENTGRAPH [GAZ_DIR_OR_FILE...] [--shared ../shared] [--gold tests/fixtures/seeds.gold.jsonl]
  (a) tags ~3 MB of BBC News and prints the 100 most frequent (surface, id, type) mentions
  (b) tags the seed articles and scores strict span+type P/R/F1 (PERSON, ORG, LOC) against gold
  (c) times `entgraph tag` on an empty input (start-up: parse + automaton build)
No article text is printed or stored: only entity surface forms (names) and counts.
"""
import argparse, collections, gzip, json, os, shutil, subprocess, sys, tempfile, time

ap = argparse.ArgumentParser()
ap.add_argument("entgraph")
ap.add_argument("gaz", nargs="*", help="gazetteers to use (default: the embedded one)")
ap.add_argument("--shared", default="../shared")
ap.add_argument("--gold", default="tests/fixtures/seeds.gold.jsonl")
ap.add_argument("--mb", type=float, default=3.0)
ap.add_argument("--top", type=int, default=100)
ap.add_argument("--ambiguous", action="store_true")
a = ap.parse_args()
gflags = [x for g in a.gaz for x in ("-g", g)]

# (a) BBC
src = os.path.join(a.shared, "corpora/news/bbc-news-2225.jsonl.gz")
tmp = tempfile.mkdtemp()
sample = os.path.join(tmp, "bbc-sample.jsonl")
n = size = 0
texts = {}
with gzip.open(src, "rt") as f, open(sample, "w") as out:
    for line in f:
        d = json.loads(line)
        out.write(json.dumps({"id": d["id"], "text": d["text"]}) + "\n")
        texts[str(d["id"])] = d["text"]
        size += len(d["text"].encode())
        n += 1
        if size >= a.mb * 1e6:
            break
res = subprocess.run([a.entgraph, "tag", *gflags, sample], capture_output=True, text=True)
shutil.rmtree(tmp)  # the sample holds article text: never keep it
if res.returncode != 0:
    sys.exit(res.stderr)
counts = collections.Counter()
amb = collections.Counter()
types = collections.Counter()
for line in res.stdout.splitlines():
    d = json.loads(line)
    t = texts.get(str(d["doc"]).split(":")[-1]) or ""
    for m in d["mentions"]:
        counts[(m["text"], m["id"], m["type"])] += 1
        types[m["type"]] += 1
    for m in d.get("ambiguous", []):
        amb[(m.get("text", ""), tuple(m.get("candidates", [])))] += 1
print(f"(a) BBC sample: {n} docs, {size/1e6:.2f} MB, {sum(counts.values())} mentions {dict(types)}, {sum(amb.values())} ambiguous occurrences")
for i, ((s, eid, ty), c) in enumerate(counts.most_common(a.top), 1):
    print(f"{i:3d}\t{c}\t{s}\t{eid}\t{ty}")
if a.ambiguous:
    print("ambiguous (top 40):")
    for (s, c), k in amb.most_common(40):
        print(f"\t{k}\t{s}\t{','.join(map(str, c))}")

# (b) seeds
res = subprocess.run([a.entgraph, "tag", *gflags, os.path.join(a.shared, "seeds")], capture_output=True, text=True)
pred = {}
for line in res.stdout.splitlines():
    d = json.loads(line)
    pred[os.path.basename(d["doc"])] = {(m["start"], m["end"], m["type"]) for m in d["mentions"] if m["type"] in ("PERSON", "ORG", "LOC")}
tp = fp = fn = 0
diffs = []
for line in open(a.gold):
    g = json.loads(line)
    gold = {(e["start"], e["end"], e["type"]) for e in g["entities"] if e["type"] in ("PERSON", "ORG", "LOC")}
    p = pred.get(g["id"], set())
    tp += len(gold & p); fp += len(p - gold); fn += len(gold - p)
    for x in sorted(p - gold):
        diffs.append(("FP", g["id"], x))
    for x in sorted(gold - p):
        diffs.append(("FN", g["id"], x))
P = tp / (tp + fp) if tp + fp else 0; R = tp / (tp + fn) if tp + fn else 0
F = 2 * P * R / (P + R) if P + R else 0
print(f"(b) seeds: tp={tp} fp={fp} fn={fn} P={P:.4f} R={R:.4f} F1={F:.4f}")
seeds = os.path.join(a.shared, "seeds")
for kind, doc, (s, e, t) in diffs:
    txt = open(os.path.join(seeds, doc), "rb").read()[s:e].decode("utf-8", "replace")
    print(f"\t{kind}\t{doc}\t{s}-{e}\t{t}\t{txt}")

# (c) start-up
ts = []
for _ in range(5):
    t0 = time.perf_counter()
    subprocess.run([a.entgraph, "tag", *gflags, "-"], input="\n", capture_output=True, text=True)
    ts.append(time.perf_counter() - t0)
print(f"(c) start-up on empty input: min {min(ts)*1000:.0f} ms, median {sorted(ts)[2]*1000:.0f} ms")
