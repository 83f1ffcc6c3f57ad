#!/usr/bin/env bash
# Side-by-side run of entgraph and the Python pipeline a user would otherwise glue together
# (../shared/peers/peer_pipeline.py: FlashText or pyahocorasick tagging, sentence
# co-occurrence, networkx, node-link JSON), on the same corpus and gazetteer.
#
# usage: benches/compare_peers.sh [CORPUS.jsonl.gz] [GAZETTEER.tsv]
# needs: python3 with networkx, pyahocorasick, flashtext (pip install networkx pyahocorasick flashtext)
# Prints wall-clock seconds per tool and the ratio, from one run each on this machine: the
# machines are shared and noisy, so quote ratios measured in one run, not absolute times.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
corpus=${1:-$shared/corpora/news/bbc-news-2225.jsonl.gz}
gaz=${2:-$shared/peers/seed_gazetteer.tsv}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cargo build --release --quiet
bytes=$(python3 -c "import gzip,json,sys; print(sum(len(json.loads(l)['text'].encode()) for l in gzip.open(sys.argv[1],'rt')))" "$corpus")
echo "corpus: $corpus ($bytes bytes of text); gazetteer: $gaz"

time_of() { # prints seconds taken by the command
  local t0 t1
  t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
  python3 -c "print(f'{$t1 - $t0:.3f}')"
}

# Like for like: the peers find only the gazetteer's names, so entgraph runs with --no-discover;
# the default run (discovery on) is timed too.
eg1=$(time_of target/release/entgraph build -j 1 --no-discover -g "$gaz" --format json -o "$out/eg1" "$corpus")
eg=$(time_of target/release/entgraph build --no-discover -g "$gaz" --format json -o "$out/eg" "$corpus")
egd=$(time_of target/release/entgraph build -j 1 -g "$gaz" --format json -o "$out/egd" "$corpus")
printf '%-34s %8s s  %7.1f MB/s\n' "entgraph build --no-discover (1 thread)" "$eg1" "$(python3 -c "print($bytes/1e6/$eg1)")"
printf '%-34s %8s s  %7.1f MB/s\n' "entgraph build --no-discover (all cores)" "$eg" "$(python3 -c "print($bytes/1e6/$eg)")"
printf '%-34s %8s s  %7.1f MB/s\n' "entgraph build, discovery on (1 thread)" "$egd" "$(python3 -c "print($bytes/1e6/$egd)")"
for engine in pyahocorasick flashtext; do
  t=$(time_of python3 $shared/peers/peer_pipeline.py "$engine" "$gaz" "$corpus" "$out/$engine.json")
  printf '%-34s %8s s  %7.1f MB/s   entgraph (1 thread) is %.1fx faster\n' "peer_pipeline.py $engine" "$t" \
    "$(python3 -c "print($bytes/1e6/$t)")" "$(python3 -c "print($t/$eg1)")"
done
# Output comparison: nodes and edges found by each.
python3 - "$out" <<'PY'
import json, sys, os
d = sys.argv[1]
def load(p):
    g = json.load(open(p))
    return {n["id"] for n in g["nodes"]}, {tuple(sorted((l["source"], l["target"]))) for l in g.get("links", g.get("edges", []))}
eg = load(os.path.join(d, "eg1", "graph.json"))
for engine in ("pyahocorasick", "flashtext"):
    peer = load(os.path.join(d, f"{engine}.json"))
    print(f"{engine:14} nodes {len(peer[0]):4} (entgraph {len(eg[0])}), edges {len(peer[1]):5} (entgraph {len(eg[1])}), "
          f"edges only in peer {len(peer[1]-eg[1])}, only in entgraph {len(eg[1]-peer[1])}")
PY
