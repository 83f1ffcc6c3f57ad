#!/usr/bin/env bash
# Benchmark, not a test: how long Graphviz's sfdp takes to draw the BBC corpus as entgraph
# writes it, with default flags and with --picture, plus Graphviz's own node/edge count
# (`gc -n -e`, no layout) of each DOT file. For comparison it also times the default DOT with
# the `splines=curved` entgraph wrote before sizes chose the splines (stopped at the timeout).
#
#   benches/render_bbc.sh                 # CORPUS, OUT, TIMEOUT can be set in the environment
#
# Needs Graphviz (sfdp, gc), coreutils `timeout`, and ../shared beside the checkout.
# Writes OUT/{default,picture}/graph.{dot,svg} and OUT/picture/graph.png.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${CORPUS:-../shared/corpora/news/bbc-news-2225.jsonl.gz}
OUT=${OUT:-${CARGO_TARGET_DIR:-target}/render-bbc}
TIMEOUT=${TIMEOUT:-120}
cargo build --release --quiet
ENTGRAPH=${CARGO_TARGET_DIR:-target}/release/entgraph

# Seconds taken by "$@", or "> TIMEOUT s (stopped)" when timeout stopped it.
timed() {
  local start end
  start=$(date +%s.%N)
  if timeout "$TIMEOUT" "$@"; then
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f s", b - a }'
  else
    printf '> %s s (stopped)' "$TIMEOUT"
  fi
}

echo "sfdp $(sfdp -V 2>&1 | sed 's/.*version //'), $(nproc) cores, corpus $CORPUS"
for preset in default picture; do
  flags=()
  [ "$preset" = picture ] && flags=(--picture)
  dir=$OUT/$preset
  "$ENTGRAPH" build "${flags[@]}" --format dot -o "$dir" "$CORPUS" 2>&1 | grep -v '^entgraph: wrote'
  read -r nodes edges _ < <(gc -n -e "$dir/graph.dot")
  splines=$(grep -o 'splines=[a-z]*' "$dir/graph.dot")
  svg=$(timed sfdp -Tsvg "$dir/graph.dot" -o "$dir/graph.svg")
  echo "$preset: gc -n -e: $nodes nodes, $edges edges; $splines; sfdp -Tsvg: $svg"
done
png=$(timed sfdp -Tpng "$OUT/picture/graph.dot" -o "$OUT/picture/graph.png")
echo "picture: sfdp -Tpng: $png ($OUT/picture/graph.png)"
sed 's/splines=[a-z]*/splines=curved/' "$OUT/default/graph.dot" > "$OUT/default/curved.dot"
echo "default with the old splines=curved: sfdp -Tsvg: $(timed sfdp -Tsvg "$OUT/default/curved.dot" -o /dev/null)"
