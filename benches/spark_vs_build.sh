#!/usr/bin/env bash
# Benchmark, not a test: `entgraph build -j 2` against the Spark job (contrib/spark) on
# local[2], on BBC + Reuters ten times over (each copy's ids suffixed `-copyK`, K = 1..10, so
# that no document is counted twice), and the cost of `entgraph merge` per part.
#
#   benches/spark_vs_build.sh        # ROUNDS (default 3), PARTITIONS (default 8), COPIES
#                                    # (default 10), KEEP=1 (keep the temporary directory)
#
# The two commands are timed alternately: ROUNDS rounds of hyperfine, one run of each per
# round, after one untimed run of each (the warm-up: page cache, compiled-gazetteer cache).
# The merge cost: BBC + Reuters (once) cut into 8, 16 and 32 shards by line, each shard
# counted with `entgraph count`, then `hyperfine` times `entgraph merge` of all N parts at once
# (5 runs); per part is the median over N. Also the job's fixed cost: a one-document corpus.
#
# Needs hyperfine (installed with apt-get when missing), Python 3, spark-submit (pip install
# pyspark) and Java 17, and ../shared beside the checkout. The release binary is built first.
# Prints a Markdown table to quote.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
PARTITIONS=${PARTITIONS:-8}
COPIES=${COPIES:-10}
NEWS=../shared/corpora/news
CORPORA=("$NEWS/bbc-news-2225.jsonl.gz" "$NEWS/reuters21578.jsonl.gz")

command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
command -v spark-submit >/dev/null || { echo "spark-submit missing: python3 -m pip install pyspark" >&2; exit 2; }
command -v java >/dev/null || { echo "java missing: apt-get install default-jre-headless" >&2; exit 2; }
cargo build --release --quiet
ENTGRAPH=$(realpath "${CARGO_TARGET_DIR:-target}/release/entgraph")

TMP=$(mktemp -d "${TMPDIR:-/tmp}/entgraph-spark-bench.XXXXXX")
[ "${KEEP:-}" = 1 ] || trap 'rm -rf "$TMP"' EXIT
export ENTGRAPH_CACHE_DIR=$TMP/cache SPARK_LOCAL_IP=127.0.0.1

# BBC + Reuters COPIES times, one plain JSONL file per copy, each id suffixed -copyK.
# Shards for the merge cost: the corpus once, cut into N files by line (round robin).
python3 - "$TMP" "$COPIES" "${CORPORA[@]}" <<'EOF'
import gzip, json, os, sys
tmp, copies, inputs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
docs = [json.loads(l) for f in inputs for l in gzip.open(f, "rt", encoding="utf-8") if l.strip()]
os.makedirs(os.path.join(tmp, "corpus"))
for k in range(1, copies + 1):
    with open(os.path.join(tmp, "corpus", "copy%02d.jsonl" % k), "w", encoding="utf-8") as out:
        for d in docs:
            out.write(json.dumps(dict(d, id="%s-copy%d" % (d["id"], k)), ensure_ascii=False) + "\n")
lines = [json.dumps(d, ensure_ascii=False) + "\n" for d in docs]
for n in (8, 16, 32):
    os.makedirs(os.path.join(tmp, "shards%d" % n))
    for i in range(n):
        with open(os.path.join(tmp, "shards%d" % n, "s%02d.jsonl" % i), "w", encoding="utf-8") as out:
            out.writelines(lines[i::n])
EOF
MB=$(du -sm "$TMP/corpus" | cut -f1)

BUILD="$ENTGRAPH build -j 2 -o $TMP/build $TMP/corpus/*.jsonl"
SPARK="spark-submit --master local[2] --driver-memory 4g --conf spark.ui.enabled=false \
contrib/spark/entgraph_spark.py --entgraph $ENTGRAPH --partitions $PARTITIONS --out $TMP/spark \
--tmp-dir $TMP $TMP/corpus/*.jsonl"
echo "warm-up: one untimed run of each" >&2
$BUILD >/dev/null 2>&1
$SPARK >/dev/null 2>"$TMP/spark.log" || { tail -30 "$TMP/spark.log" >&2; exit 1; }
cmp "$TMP/build/graph.json" "$TMP/spark/graph.json" && cmp "$TMP/build/graph.dot" "$TMP/spark/graph.dot" \
  || { echo "the Spark job's graph differs from build's" >&2; exit 1; }
for r in $(seq "$ROUNDS"); do
  echo "round $r of $ROUNDS" >&2
  hyperfine --runs 1 --style none --export-json "$TMP/round$r.json" -n build "$BUILD" -n spark "$SPARK" >/dev/null 2>&1
done

# Spark's fixed cost: the job on a one-document corpus (JVM, context, stages, one count, build).
printf '{"id": "one", "text": "Ada Lovelace wrote to Charles Babbage from London."}\n' > "$TMP/one.jsonl"
hyperfine --runs 3 --style none --export-json "$TMP/one.json" \
  "spark-submit --master local[2] --conf spark.ui.enabled=false contrib/spark/entgraph_spark.py \
--entgraph $ENTGRAPH --partitions $PARTITIONS --out $TMP/one --tmp-dir $TMP $TMP/one.jsonl" >/dev/null 2>&1

# Merge cost: count each shard, then time merging all N parts.
for n in 8 16 32; do
  for s in "$TMP/shards$n"/*.jsonl; do
    "$ENTGRAPH" count -j 2 "$s" -o "${s%.jsonl}.part" 2>/dev/null
  done
  hyperfine --runs 5 --warmup 1 --style none --export-json "$TMP/merge$n.json" \
    "$ENTGRAPH merge $TMP/shards$n/*.part -o $TMP/merged$n.part" >/dev/null 2>&1
done

python3 - "$TMP" "$ROUNDS" "$MB" "$PARTITIONS" "$COPIES" "$(git rev-parse --short HEAD)" <<'EOF'
import json, os, statistics, sys
tmp, rounds, mb, partitions, copies, commit = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
times = {"build": [], "spark": []}
for r in range(1, rounds + 1):
    for res in json.load(open(os.path.join(tmp, "round%d.json" % r)))["results"]:
        times[res["command"]] += res["times"]
b, s = statistics.median(times["build"]), statistics.median(times["spark"])
print("BBC + Reuters x%s (%s MB of JSONL), %d cores, commit %s, %d alternating rounds:" % (copies, mb, os.cpu_count(), commit, rounds))
print()
print("| command | median | runs (s) |")
print("|---|---|---|")
print("| `entgraph build -j 2` | %.2f s | %s |" % (b, ", ".join("%.2f" % t for t in times["build"])))
print("| Spark job, local[2], %s partitions | %.2f s | %s |" % (partitions, s, ", ".join("%.2f" % t for t in times["spark"])))
print()
print("Spark / build: %.2fx" % (s / b))
one = statistics.median(json.load(open(os.path.join(tmp, "one.json")))["results"][0]["times"])
print()
print("The Spark job on a one-document JSONL (its fixed cost), 3 runs: median %.2f s" % one)
print()
print("`entgraph merge` of N parts of BBC + Reuters (x1) cut into N shards, 5 runs:")
print()
print("| N | part sizes (total) | merge median | per part |")
print("|---|---|---|---|")
for n in (8, 16, 32):
    d = os.path.join(tmp, "shards%d" % n)
    size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d) if f.endswith(".part"))
    m = statistics.median(json.load(open(os.path.join(tmp, "merge%d.json" % n)))["results"][0]["times"])
    print("| %d | %.1f MB | %.3f s | %.1f ms |" % (n, size / 1e6, m, 1000 * m / n))
EOF
