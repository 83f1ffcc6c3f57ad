#!/usr/bin/env python3
"""entgraph on Spark: count a JSONL corpus in partitions, merge the parts, build the graph.

    spark-submit --master local[2] contrib/spark/entgraph_spark.py \\
        --entgraph target/release/entgraph --partitions 8 --out DIR \\
        [--gazetteer G.tsv ...] [--cues PATH] [--window sentence] [--evidence 3] ... \\
        INPUT... [-- BUILD-OPTION...]

The job reads JSON Lines (plain or .gz: anything `SparkContext.textFile` reads, so local paths,
hdfs://, s3a://, globs; several INPUTs are joined), repartitions the lines into N partitions
and, on the executors, runs `entgraph count` on each partition's lines (written to a temporary
.jsonl). The binary parts come back as bytes and are merged pairwise with `treeReduce`, each
merge running `entgraph merge A B -o C` in a temporary directory (the upper levels on the
executors, the last on the driver). The driver writes DIR/counts.part and runs
`entgraph build --from-counts DIR/counts.part -o DIR`, and exits with its status.

Options that shape the counts (--window, --evidence, --demonyms, --since, --until, --period,
--max-window-entities, --gazetteer, --cues, --no-discover, --no-cache) are given once and
passed to both `count` and `build --from-counts`, which requires them to be equal. Options of
`build` alone (--format, --weight, --min-count, --picture, ...) go after `--`. Counting options
of `count` alone: --threads, --max-document-bytes, or any `--count-arg=ARG`.

The graph is byte for byte the one `entgraph build INPUT...` writes with the same options
(graph.html's reading view excepted: parts keep no texts), provided every line has its own
JSON `id`: a line without one would be named after its temporary file (the job refuses lines
without the bytes `"id"`), and a repeated id is counted once (a warning says how many were
skipped) or makes `entgraph merge` fail, depending on the partitions the copies land in.

The binary is shipped to the executors with `SparkContext.addFile`, as are the gazetteer files
or directories and the cue lists: it must be built for the executors' platform (see
contrib/spark/README.md). No third-party Python package is needed beyond pyspark.
"""

import argparse
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

# How much of entgraph's standard error an exception carries.
STDERR_TAIL = 8000
# A UTF-8 byte-order mark, which entgraph skips at the start of a JSONL file only.
BOM = b"\xef\xbb\xbf"

# Options passed to both `count` and `build --from-counts`: (flag, metavar, help).
SHARED_VALUE_OPTIONS = [
    ("--window", "WINDOW", "sentence (default) | paragraph | document | tokens:N"),
    ("--evidence", "K", "evidence windows kept per edge"),
    ("--since", "DATE", "count only documents dated DATE or later"),
    ("--until", "DATE", "count only documents dated DATE or earlier"),
    ("--period", "PERIOD", "per-period counts by day | week | month | year"),
    ("--max-window-entities", "N", "windows with more distinct entities count no pairs"),
]
SHARED_FLAG_OPTIONS = [
    ("--demonyms", "count demonyms as their country"),
    ("--no-discover", "find only the gazetteer's entities"),
    ("--no-cache", "compile the gazetteer afresh (no compiled-gazetteer cache)"),
]


def parse_args(argv):
    if "--" in argv:
        cut = argv.index("--")
        argv, build_extra = argv[:cut], argv[cut + 1 :]
    else:
        build_extra = []
    p = argparse.ArgumentParser(
        prog="spark-submit [SPARK-OPTIONS] entgraph_spark.py",
        description=(
            "Count JSONL documents with `entgraph count` in Spark partitions, merge the parts "
            "with treeReduce (`entgraph merge`), and build the graph on the driver with "
            "`entgraph build --from-counts`. Options after `--` go to `build` alone."
        ),
        epilog=(
            "Example: spark-submit --master local[2] contrib/spark/entgraph_spark.py "
            "--entgraph target/release/entgraph --out out/ --window paragraph "
            "corpus/*.jsonl.gz -- --format json,dot --weight npmi"
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="JSONL or JSONL.gz path, directory, glob or comma-joined list of them, "
                        "as Spark's textFile reads it (several INPUTs are joined with commas)")
    p.add_argument("--entgraph", metavar="PATH", default=shutil.which("entgraph"),
                   help="the entgraph binary, built for the executors' platform "
                        "(default: entgraph on PATH)")
    p.add_argument("-o", "--out", required=True, metavar="DIR",
                   help="output directory on the driver: counts.part and the graph files")
    p.add_argument("--partitions", type=int, default=8, metavar="N",
                   help="partitions counted separately, one entgraph count each (default 8)")
    p.add_argument("--tree-depth", type=int, default=2, metavar="D",
                   help="depth of the treeReduce merging the parts (default 2)")
    p.add_argument("-g", "--gazetteer", action="append", default=[], metavar="PATH",
                   help="gazetteer TSV file or directory (repeatable; default: embedded); "
                        "shipped to the executors")
    p.add_argument("--cues", metavar="PATH",
                   help="cue lists for discovery, a directory or one file (default: embedded); "
                        "shipped to the executors")
    for flag, metavar, text in SHARED_VALUE_OPTIONS:
        p.add_argument(flag, metavar=metavar, help=text + " (count and build)")
    for flag, text in SHARED_FLAG_OPTIONS:
        p.add_argument(flag, action="store_true", help=text + " (count and build)")
    p.add_argument("-j", "--threads", type=int, metavar="N",
                   help="threads of each entgraph count (default: spark.task.cpus, 1 unless set)")
    p.add_argument("--max-document-bytes", metavar="SIZE", help="longest document (count)")
    p.add_argument("--count-arg", action="append", default=[], metavar="ARG",
                   help="extra argument for entgraph count (repeatable; write --count-arg=--flag)")
    p.add_argument("--log-level", default="WARN", metavar="LEVEL",
                   help="Spark's log level once the context is up (default WARN; INFO, ERROR, ...)")
    p.add_argument("--tmp-dir", metavar="DIR",
                   help="where executors and the driver make their temporary directories "
                        "(default: the directory of the files Spark ships, removed with the "
                        "application)")
    args = p.parse_args(argv)
    if args.entgraph is None:
        p.error("--entgraph PATH is required (no entgraph on PATH)")
    if args.partitions < 1:
        p.error("--partitions must be at least 1")
    if args.tree_depth < 1:
        p.error("--tree-depth must be at least 1")
    args.build_extra = build_extra
    return args


def is_url(path):
    return "://" in path


def check_local(path, what, want_dir=None):
    """Fails early, with a clear message, on a missing local path (URLs are left to Spark)."""
    if is_url(path):
        return
    if not os.path.exists(path):
        sys.exit("entgraph_spark: %s %s does not exist" % (what, path))
    if want_dir is True and not os.path.isdir(path):
        sys.exit("entgraph_spark: %s %s is not a directory" % (what, path))
    if want_dir is False and not os.path.isfile(path):
        sys.exit("entgraph_spark: %s %s is not a file" % (what, path))


def shared_options(args, resolve):
    """The counting options given to both `count` and `build`, with shipped files resolved by
    `resolve(name)` (SparkFiles.get where the command runs)."""
    opts = []
    for g in args.gazetteer:
        opts += ["--gazetteer", resolve(shipped_name(g))]
    if args.cues:
        opts += ["--cues", resolve(shipped_name(args.cues))]
    for flag, _, _ in SHARED_VALUE_OPTIONS:
        value = getattr(args, flag[2:].replace("-", "_"))
        if value is not None:
            opts += [flag, value]
    for flag, _ in SHARED_FLAG_OPTIONS:
        if getattr(args, flag[2:].replace("-", "_")):
            opts.append(flag)
    return opts


def shipped_name(path):
    """The name addFile gives a file or directory on the executors (its base name)."""
    return os.path.basename(path.rstrip("/"))


def executable(name):
    """The shipped binary, made executable (addFile does not keep the mode bits)."""
    from pyspark import SparkFiles

    path = SparkFiles.get(name)
    if not os.path.isfile(path):
        raise RuntimeError("entgraph_spark: shipped binary %s not found at %s" % (name, path))
    mode = os.stat(path).st_mode
    if mode & stat.S_IXUSR == 0:
        os.chmod(path, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def run(cmd, what):
    """Runs entgraph; a non-zero exit raises with its command line and standard error."""
    try:
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as e:
        raise RuntimeError("entgraph_spark: %s: cannot run %s: %s" % (what, cmd[0], e))
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace")
        if len(err) > STDERR_TAIL:
            err = "[...]\n" + err[-STDERR_TAIL:]
        raise RuntimeError(
            "entgraph_spark: %s failed (exit status %d): %s\n--- entgraph's stderr ---\n%s"
            % (what, done.returncode, " ".join(cmd), err)
        )
    return done


def scratch(tmp_root):
    """Where temporary directories go: --tmp-dir, else the directory of the files addFile
    shipped, which Spark (or the cluster manager) removes with the application. A task that
    Spark cancels is killed (SIGKILL) before its `finally` runs, so only there are the
    leftovers of cancelled tasks removed too."""
    if tmp_root is not None:
        return tmp_root
    from pyspark import SparkFiles

    return SparkFiles.getRootDirectory()


def repeated_ids(stderr):
    """How many documents `entgraph count` skipped as already counted (a repeated id), from
    its warnings: one line each for the first ten, then a line with the total."""
    total = re.search(r"warning: (\d+) documents already counted were skipped in all", stderr)
    if total:
        return int(total.group(1))
    return len(re.findall(r"warning: document .* is already counted", stderr))


def make_counter(args, binary_name, repeats):
    tmp_root = args.tmp_dir
    count_threads = args.threads
    extra = list(args.count_arg)
    max_doc = args.max_document_bytes

    def count_partition(index, lines):
        from pyspark import SparkFiles

        work = tempfile.mkdtemp(prefix="entgraph-spark-count-", dir=scratch(tmp_root))
        try:
            name = "part-%05d" % index
            jsonl = os.path.join(work, name + ".jsonl")
            n = 0
            with open(jsonl, "wb") as f:
                for line in lines:
                    if line.startswith(BOM):
                        line = line[len(BOM):]
                    if not line.strip():
                        continue
                    if b'"id"' not in line:
                        raise RuntimeError(
                            "entgraph_spark: a JSONL line has no \"id\" field (documents need "
                            "unique ids to be counted in partitions): %r"
                            % line[:120]
                        )
                    f.write(line)
                    f.write(b"\n")
                    n += 1
            if n == 0:
                return  # an empty partition contributes no part
            binary = executable(binary_name)
            part = os.path.join(work, name + ".part")
            # --allow-empty: a partition whose documents --since/--until all leave out is an
            # empty part, not a failure (the build says so if no partition counted any)
            cmd = [binary, "count", jsonl, "-o", part, "-j", str(count_threads), "--allow-empty"]
            cmd += shared_options(args, SparkFiles.get)
            if max_doc is not None:
                cmd += ["--max-document-bytes", max_doc]
            cmd += extra
            done = run(cmd, "entgraph count of partition %d (%d lines)" % (index, n))
            # count's warnings (unparsable dates, ...) and summary go to the executor's log
            err = done.stderr.decode("utf-8", "replace")
            for msg in err.splitlines():
                print("entgraph_spark: partition %d: %s" % (index, msg), file=sys.stderr)
            repeats.add(repeated_ids(err))
            with open(part, "rb") as f:
                data = f.read()
            yield data
        finally:
            shutil.rmtree(work, ignore_errors=True)

    return count_partition


def make_merger(args, binary_name):
    tmp_root = args.tmp_dir

    def merge(a, b):
        work = tempfile.mkdtemp(prefix="entgraph-spark-merge-", dir=scratch(tmp_root))
        try:
            paths = []
            for i, data in enumerate((a, b)):
                path = os.path.join(work, "in%d.part" % i)
                with open(path, "wb") as f:
                    f.write(data)
                paths.append(path)
            out = os.path.join(work, "out.part")
            run([executable(binary_name), "merge", paths[0], paths[1], "-o", out],
                "entgraph merge of two parts (%d and %d bytes)" % (len(a), len(b)))
            with open(out, "rb") as f:
                return f.read()
        finally:
            shutil.rmtree(work, ignore_errors=True)

    return merge


def main(argv):
    args = parse_args(argv)
    check_local(args.entgraph, "--entgraph", want_dir=False)
    for g in args.gazetteer:
        check_local(g, "--gazetteer")
    if args.cues:
        check_local(args.cues, "--cues")
    names = [shipped_name(args.entgraph)] + [shipped_name(g) for g in args.gazetteer]
    if args.cues:
        names.append(shipped_name(args.cues))
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        sys.exit("entgraph_spark: files shipped to the executors need distinct base names; "
                 "repeated: %s" % ", ".join(dup))

    from pyspark import SparkConf, SparkContext, SparkFiles

    sc = SparkContext(conf=SparkConf().setAppName("entgraph"))
    sc.setLogLevel(args.log_level)
    try:
        status = job(sc, args, SparkFiles)
    except JobFailed as e:
        sc.stop()
        # after stop, so that Spark's logs of the cancelled tasks come before it
        print("\n" + str(e), file=sys.stderr)
        return 1
    sc.stop()
    return status


class JobFailed(Exception):
    """An entgraph command failed on an executor (the message says which and why)."""


def job(sc, args, SparkFiles):
    task_cpus = sc.getConf().get("spark.task.cpus", "1")
    if args.threads is None:
        # the executors' Python workers do not see SparkConf: pass the value along
        args.threads = int(task_cpus)
    binary_name = shipped_name(args.entgraph)
    sc.addFile(args.entgraph)
    for g in args.gazetteer:
        sc.addFile(g, recursive=os.path.isdir(g) or g.endswith("/"))
    if args.cues:
        sc.addFile(args.cues, recursive=os.path.isdir(args.cues) or args.cues.endswith("/"))

    repeats = sc.accumulator(0)
    lines = sc.textFile(",".join(args.inputs), use_unicode=False)
    parts = lines.repartition(args.partitions).mapPartitionsWithIndex(
        make_counter(args, binary_name, repeats))
    try:
        counts = parts.treeReduce(make_merger(args, binary_name), depth=args.tree_depth)
    except ValueError as e:
        if "empty RDD" in str(e):
            print("entgraph_spark: no JSONL line in %s" % " ".join(args.inputs), file=sys.stderr)
            return 3  # as `entgraph build` when it counted no document
        raise
    except Exception as e:  # Py4JJavaError carries the executor's traceback
        msg = str(e)
        at = msg.find("entgraph_spark:")
        if at >= 0:
            end = msg.find("\n\tat ", at)
            msg = msg[at:end if end >= 0 else None].rstrip()
            if msg.endswith("SQLSTATE: 38000"):
                msg = msg[: -len("SQLSTATE: 38000")].rstrip()
            raise JobFailed(msg)
        for marker in ("InvalidInputException: ", "IOException: "):
            at = msg.find(marker)
            if at >= 0:  # e.g. "Input path does not exist: file:/x.jsonl"
                line = msg[at + len(marker):].split("\n", 1)[0].strip()
                raise JobFailed("entgraph_spark: cannot read the input: %s" % line)
        raise

    if repeats.value:
        # within a partition `count` skips a repeated id (across partitions `merge` fails)
        print("entgraph_spark: warning: %d documents were skipped as repeats of an id counted "
              "in the same partition: a document is counted once here, where `entgraph build` "
              "would count each line (see the executors' logs)" % repeats.value, file=sys.stderr)
    os.makedirs(args.out, exist_ok=True)
    part_path = os.path.join(args.out, "counts.part")
    tmp = part_path + ".tmp-%d" % os.getpid()
    try:
        with open(tmp, "wb") as f:
            f.write(counts)
        os.replace(tmp, part_path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    print("entgraph_spark: wrote %s (%d bytes)" % (part_path, len(counts)), file=sys.stderr)

    cmd = [executable(binary_name), "build", "--from-counts", part_path, "-o", args.out]
    cmd += shared_options(args, SparkFiles.get)
    cmd += args.build_extra
    sys.stderr.flush()
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
