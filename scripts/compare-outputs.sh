#!/usr/bin/env bash
# Builds entgraph at BASE (a git revision) and at the working tree, runs the same commands with
# both on examples/news, the seed articles and the BBC corpus, and reports for every output
# whether it is byte-identical. graph.json is compared after removing evidence `spans` (added
# on purpose by issue 9). graph.html is compared as is and differs by design (the type-style
# table moved into its data, marks come from the spans); tests/integration/no_discover.rs
# checks the rest of the page byte for byte.
#
#   scripts/compare-outputs.sh BASE [EXTRA_FLAGS]     e.g. scripts/compare-outputs.sh a92dae2 --no-discover
#
# Needs ../shared beside the checkout and python3. Exit status 1 if any output differs.
set -euo pipefail
base=${1:?usage: compare-outputs.sh BASE [FLAGS]}
shift
flags=("$@")
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$root" worktree add -q --detach "$work/base" "$base"
# The base build is kept under target/ (git-ignored) so that a second comparison reuses it.
base_target="$root/target/compare-base"
CARGO_TARGET_DIR="$base_target" cargo build -q --release --manifest-path "$work/base/Cargo.toml"
cargo build -q --release --manifest-path "$root/Cargo.toml"
old="$base_target/release/entgraph"
new="$root/target/release/entgraph"
bbc="$root/../shared/corpora/news/bbc-news-2225.jsonl.gz"
seeds="$root/../shared/seeds"
status=0
strip_spans() {
  python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for key in ("links", "edges"):
    for l in d.get(key, []):
        for e in l.get("evidence", []):
            e.pop("spans", None)
for el in d.get("elements", {}).get("edges", []):
    for e in el.get("data", {}).get("evidence", []):
        e.pop("spans", None)
print(json.dumps(d, sort_keys=True))
PY
}
compare() { # name file-old file-new
  local a=$2 b=$3
  if [[ $1 == *graph.json ]]; then a=$(strip_spans "$2" | sha256sum); b=$(strip_spans "$3" | sha256sum);
  else a=$(sha256sum < "$2"); b=$(sha256sum < "$3"); fi
  if [[ $a == "$b" ]]; then echo "same  $1"; else echo "DIFF  $1"; status=1; fi
}
for input in "$root/examples/news" "$seeds" "$bbc"; do
  name=$(basename "$input")
  for v in old new; do
    bin=${!v}
    out="$work/$v/$name"
    mkdir -p "$out"
    (cd "$root" && "$bin" build "${flags[@]}" -f dot,json,html -o "$out/build" "$input" 2>/dev/null)
    (cd "$root" && "$bin" tag "${flags[@]}" "$input" > "$out/tag.jsonl" 2>/dev/null)
    (cd "$root" && "$bin" tag "${flags[@]}" -f conll "$input" > "$out/tag.conll" 2>/dev/null)
    (cd "$root" && "$bin" report "${flags[@]}" -f csv "$input" > "$out/report.csv" 2>/dev/null)
    (cd "$root" && "$bin" report "${flags[@]}" -f markdown "$input" > "$out/report.md" 2>/dev/null)
  done
  for f in build/graph.dot build/graph.json build/graph.html tag.jsonl tag.conll report.csv report.md; do
    compare "$name/$f" "$work/old/$name/$f" "$work/new/$name/$f"
  done
done
exit $status
