#!/usr/bin/env python3
"""Side by side: entgraph against the Python pipeline users would otherwise glue together
(../shared/peers/peer_pipeline.py: pyahocorasick tagging, sentence co-occurrence, networkx,
node-link JSON), whole process, on the same corpus and gazetteer.

The commands run alternately (A, B, C, A, B, C, ...) so that a noisy neighbour slows all of
them alike; the script prints each command's median wall-clock time, its peak RSS, and the
ratios. Quote ratios measured in one run: the machines are shared and noisy.

usage: benches/compare_peers.py [--runs N] [--corpus FILE.jsonl] [--gazetteer seed|large ...]
                                [--memory]
needs: cargo, python3 with networkx and pyahocorasick (pip install networkx pyahocorasick), and
GNU time (Debian package `time`) for peak RSS

Default corpus: BBC + Reuters (../shared/corpora/news) as one 27.5 MB JSONL. For each
gazetteer (the peers' seed-story one and their 204k-alias one) it times
  - entgraph build -j 1 --no-discover (like for like: the peer finds only gazetteer names),
  - entgraph build -j 2 --no-discover (what a second core gives),
  - entgraph build -j 1 with discovery (the default; its cost and share of the time),
  - peer_pipeline.py pyahocorasick,
all writing graph JSON (entgraph also DOT). entgraph's compiled-gazetteer cache is warmed by a
first, untimed run of each command (the peer has no cache to warm).
--memory also measures entgraph's peak RSS on the corpus and on the corpus ten times over
(ids made unique per copy), one thread, default gazetteer: with the default settings, and
with settings that keep the output the same size (see the comment there).
"""

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
NEWS = [os.path.join(SHARED, "corpora", "news", f)
        for f in ("bbc-news-2225.jsonl.gz", "reuters21578.jsonl.gz")]
GAZETTEERS = {
    "seed": os.path.join(SHARED, "peers", "seed_gazetteer.tsv"),
    "large": os.path.join(SHARED, "peers", "large_gazetteer.tsv"),
}
BIN = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "entgraph")


GNU_TIME = "/usr/bin/time"


def run(cmd):
    """Runs cmd; returns (seconds, peak RSS in MB). Fails loudly on a non-zero status.

    The peak comes from GNU time (Debian's `time` package) when it is installed: the
    rusage of a child forked from this script counts the pages it shared with the script
    before exec, so a command smaller than Python itself (60 MB) would show Python's size.
    Without GNU time the figure is that rusage, a floor of about 60 MB."""
    timed = os.path.exists(GNU_TIME)
    argv = [GNU_TIME, "-f", "@@maxrss %M", *cmd] if timed else cmd
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    secs = time.perf_counter() - t0
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"failed ({code}): {' '.join(cmd)}\n{err}")
    peak = usage.ru_maxrss / 1024
    if timed:
        peak = int(err.rsplit("@@maxrss ", 1)[1].split()[0]) / 1024
    return secs, peak


def text_bytes(corpus):
    with open(corpus, encoding="utf-8") as f:
        return sum(len(json.loads(line)["text"].encode()) for line in f)


def alternate(commands, runs):
    """commands: [(label, argv)]. Returns {label: (median s, max peak MB)}."""
    for _, cmd in commands:
        run(cmd)  # warm-up: page cache, entgraph's gazetteer cache
    times = {label: [] for label, _ in commands}
    rss = {label: 0.0 for label, _ in commands}
    for _ in range(runs):
        for label, cmd in commands:
            s, m = run(cmd)
            times[label].append(s)
            rss[label] = max(rss[label], m)
    return {label: (statistics.median(times[label]), rss[label]) for label, _ in commands}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--corpus")
    ap.add_argument("--gazetteer", action="append", choices=sorted(GAZETTEERS))
    ap.add_argument("--memory", action="store_true")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus
        if corpus is None:
            corpus = os.path.join(tmp, "news.jsonl")
            with open(corpus, "wb") as out:
                for f in NEWS:
                    with gzip.open(f) as g:
                        out.write(g.read())
        n = text_bytes(corpus)
        print(f"corpus: {corpus}: {os.path.getsize(corpus) / 1e6:.1f} MB of JSONL, {n / 1e6:.1f} MB of text")
        print(f"{args.runs} alternating runs per command; medians; {time.strftime('%Y-%m-%d %H:%M %Z')}")
        for name in args.gazetteer or ["seed", "large"]:
            gaz = GAZETTEERS[name]
            eg = lambda *extra: [BIN, "build", *extra, "-g", gaz, "-f", "json,dot",
                                 "-o", os.path.join(tmp, "eg"), corpus]
            commands = [
                ("entgraph -j 1 --no-discover", eg("-j", "1", "--no-discover")),
                ("entgraph -j 2 --no-discover", eg("-j", "2", "--no-discover")),
                ("entgraph -j 1 (discovery on)", eg("-j", "1")),
                ("peer_pipeline.py pyahocorasick",
                 [sys.executable, os.path.join(SHARED, "peers", "peer_pipeline.py"), "pyahocorasick",
                  gaz, corpus, os.path.join(tmp, "peer.json")]),
            ]
            r = alternate(commands, args.runs)
            print(f"\ngazetteer {name} ({os.path.basename(gaz)})")
            print(f"  {'command':34} {'median':>8} {'MB/s':>7} {'peak RSS':>9}")
            for label, (s, m) in r.items():
                print(f"  {label:34} {s:7.3f}s {n / 1e6 / s:7.1f} {m:7.0f} MB")
            one, two, disc = (r[c[0]][0] for c in commands[:3])
            peer = r[commands[3][0]][0]
            print(f"  entgraph (1 thread, --no-discover) is {peer / one:.2f}x the peer's speed")
            print(f"  2 threads are {one / two:.2f}x one thread")
            print(f"  discovery adds {100 * (disc - one) / one:.0f}% ({(disc - one) / disc * 100:.0f}% of the "
                  f"discovery run; discovery run {n / 1e6 / disc:.1f} MB/s)")
        if args.memory:
            big = os.path.join(tmp, "news-x10.jsonl")
            with open(corpus, encoding="utf-8") as f, open(big, "w", encoding="utf-8") as out:
                lines = f.readlines()
                for k in range(10):
                    for line in lines:
                        d = json.loads(line)
                        d["id"] = f"{d.get('id')}-copy{k}"
                        out.write(json.dumps(d) + "\n")
            # Memory follows the output, not the input: the corpus ten times over has more
            # provisional entities passing --min-provisional (names seen in more documents)
            # and pairs holding all --evidence windows instead of one or two. The last two
            # settings hold the output fixed, to show what is left of corpus length.
            settings = [
                ("default", []),
                ("--min-provisional 1", ["--min-provisional", "1"]),
                ("--min-provisional 1 --evidence 0", ["--min-provisional", "1", "--evidence", "0"]),
                ("--no-discover --evidence 0", ["--no-discover", "--evidence", "0"]),
            ]
            print(f"\nmemory, one thread, default gazetteer, json+dot: peak RSS (graph.json size)")
            print(f"  {'settings':34} {'once':>16} {'x10':>16} {'ratio':>6}")
            for label, extra in settings:
                row = []
                for c in (corpus, big):
                    out = os.path.join(tmp, "mem")
                    _, m = run([BIN, "build", "-j", "1", *extra, "-f", "json,dot", "-o", out, c])
                    row.append((m, os.path.getsize(os.path.join(out, "graph.json")) / 1e6))
                (m1, j1), (m10, j10) = row
                print(f"  {label:34} {m1:5.0f} MB ({j1:4.0f} MB) {m10:5.0f} MB ({j10:4.0f} MB) {m10 / m1:5.2f}x")

if __name__ == "__main__":
    main()
