//! `contrib/spark/entgraph_spark.py` end to end: the Spark job on `local[2]` counts BBC +
//! Reuters in 8 partitions (`entgraph count` each), merges the parts with `treeReduce`
//! (`entgraph merge`, on the executors and on the driver) and builds the graph with
//! `entgraph build --from-counts`; graph.json, graph.dot and the manifest must be byte for
//! byte those of `entgraph build -j 2` over the same two files with the same options.
//!
//! Needs `spark-submit` (`python3 -m pip install pyspark`) and Java 17 (`java` on PATH), which
//! `.ci/run` installs; without them the test fails saying so. Set `ENTGRAPH_SKIP_SPARK=1` to
//! skip it (it says so on stderr). It takes about a minute and a half with the debug binary on
//! two cores.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::util::{entgraph_path, root, tempdir};

/// Options given to both runs: `--evidence` shapes the counts (the job passes it to `count`
/// and `build`), `--weight` is for `build` alone (after `--` for the job).
const SHARED: &[&str] = &["--evidence", "5"];
const BUILD_ONLY: &[&str] = &["--weight", "npmi"];

fn corpora() -> Vec<PathBuf> {
    let dir = root().join("../shared/corpora/news");
    let files: Vec<PathBuf> = ["bbc-news-2225.jsonl.gz", "reuters21578.jsonl.gz"]
        .iter()
        .map(|f| dir.join(f))
        .collect();
    for f in &files {
        assert!(
            f.is_file(),
            "{} missing: CI provides ../shared beside the checkout",
            f.display()
        );
    }
    files
}

/// Panics, saying what to install, unless `program args` can be started and succeeds.
fn require(program: &str, args: &[&str], install: &str) {
    match Command::new(program).args(args).output() {
        Ok(o) if o.status.success() => {}
        Ok(o) => panic!(
            "`{program} {}` failed ({}): {}\n{install}",
            args.join(" "),
            o.status,
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => panic!("this test needs `{program}`, which could not be run ({e}): {install}"),
    }
}

/// The byte offset where `a` and `b` first differ, for a readable failure on 30 MB files.
fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .or_else(|| (a.len() != b.len()).then(|| a.len().min(b.len())))
}

fn assert_same_file(name: &str, direct: &Path, spark: &Path) {
    let a = std::fs::read(direct.join(name)).unwrap();
    let b = std::fs::read(spark.join(name))
        .unwrap_or_else(|e| panic!("the Spark job wrote no {name}: {e}"));
    if let Some(at) = first_difference(&a, &b) {
        let show = |v: &[u8]| {
            String::from_utf8_lossy(&v[at.saturating_sub(80)..(at + 80).min(v.len())]).into_owned()
        };
        panic!(
            "{name} differs at byte {at} ({} bytes from build, {} from Spark):\nbuild: …{}…\nspark: …{}…",
            a.len(),
            b.len(),
            show(&a),
            show(&b)
        );
    }
}

#[test]
fn the_spark_job_writes_the_graph_entgraph_build_writes() {
    if let Some(v) = std::env::var_os("ENTGRAPH_SKIP_SPARK") {
        eprintln!(
            "spark::the_spark_job_writes_the_graph_entgraph_build_writes SKIPPED: \
             ENTGRAPH_SKIP_SPARK is set ({v:?}); the Spark job (contrib/spark) was not tested"
        );
        return;
    }
    require(
        "java",
        &["-version"],
        "install Java 17 (apt-get install openjdk-17-jre-headless; .ci/run does this), \
         or set ENTGRAPH_SKIP_SPARK=1 to skip this test",
    );
    require(
        "spark-submit",
        &["--version"],
        "install PySpark (python3 -m pip install pyspark, which puts spark-submit on PATH; \
         .ci/run does this), or set ENTGRAPH_SKIP_SPARK=1 to skip this test",
    );
    let inputs = corpora();
    let dir = tempdir();
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("entgraph-cache");
    let direct = dir.path().join("build");
    let spark = dir.path().join("spark");
    let scratch = dir.path().join("scratch");
    std::fs::create_dir(&scratch).unwrap();

    let started = Instant::now();
    let out = Command::new(entgraph_path())
        .env("ENTGRAPH_CACHE_DIR", &cache)
        .args(["build", "-j", "2", "-o"])
        .arg(&direct)
        .args(SHARED)
        .args(BUILD_ONLY)
        .args(&inputs)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "entgraph build: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let build_time = started.elapsed();

    let started = Instant::now();
    let out = Command::new("spark-submit")
        .env("ENTGRAPH_CACHE_DIR", &cache)
        // one machine: no need to resolve the host name, nor for the web UI's port
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        .args(["--master", "local[2]", "--conf", "spark.ui.enabled=false"])
        .arg(root().join("contrib/spark/entgraph_spark.py"))
        .arg("--entgraph")
        .arg(entgraph_path())
        .args(["--partitions", "8", "--out"])
        .arg(&spark)
        .arg("--tmp-dir")
        .arg(&scratch)
        .args(SHARED)
        .args(&inputs)
        .arg("--")
        .args(BUILD_ONLY)
        .output()
        .unwrap_or_else(|e| panic!("spark-submit could not be run: {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the Spark job failed ({}):\n{stderr}",
        out.status
    );
    let spark_time = started.elapsed();
    eprintln!(
        "spark: entgraph build -j 2 {:.1} s, Spark job on local[2] (8 partitions) {:.1} s",
        build_time.as_secs_f64(),
        spark_time.as_secs_f64()
    );
    for name in ["graph.json", "graph.dot", "graph.manifest.json"] {
        assert_same_file(name, &direct, &spark);
    }
    assert!(
        spark.join("counts.part").is_file(),
        "no counts.part written"
    );
    let left: Vec<_> = std::fs::read_dir(&scratch)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "temporary files left behind: {left:?}");
}
