//! Regression tests for issue 11 (hardening), one or more per finding, named
//! `finding_<N>_<what>`: outputs that never clobber or mix (1, 5, 6, 7), no injection into any
//! output (8), bounded work and input sniffing on hostile input (2, 3, 4, 9, 10, 11), and
//! flags and inputs that mean nothing (12). Each failed on the `main` it was written against.
//!
//! The pathological inputs are made here, never committed: a gzip bomb is one compressed
//! 1 MiB member repeated (gzip allows concatenated members), so a 4 GiB document costs a
//! few megabytes of disk and no compression time. Each runs under a 2 GB address-space
//! limit ([`limited`]) and must end with a clear message, never a panic or an abort.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{
    entgraph, entgraph_path, examples, file_names, jsonl, mentions, seeds, stderr, stdout, tempdir,
    write,
};

/// The `.entgraph-*` temporary entries in `dir` (the lock file `.entgraph.lock` is not one).
fn temporaries(dir: &Path) -> Vec<String> {
    let mut v = file_names(dir);
    v.retain(|n| n.starts_with(".entgraph-"));
    v
}

/// The bytes of `dir/graph.dot` and `dir/graph.json`.
fn set_of(dir: &Path) -> (Vec<u8>, Vec<u8>) {
    let read = |n: &str| std::fs::read(dir.join(n)).unwrap_or_else(|e| panic!("{n}: {e}"));
    (read("graph.dot"), read("graph.json"))
}

/// `entgraph build -j 1 -o OUT INPUT…` to completion, asserting success.
fn build(out: &Path, inputs: &[&Path]) {
    let o = entgraph()
        .args(["build", "-j", "1", "-o"])
        .arg(out)
        .args(inputs)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn finding_1_tag_refuses_symlinks_fifos_and_directories_at_o() {
    let dir = tempdir();
    let target = write(dir.path(), "target.jsonl", "old\n");
    let link = dir.path().join("link.jsonl");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo failed");
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    for (path, kind) in [
        (&link, "symbolic link"),
        (&fifo, "FIFO"),
        (&sub, "directory"),
    ] {
        let o = entgraph()
            .args(["tag", "-o"])
            .arg(path)
            .arg(examples("news/01-selfie.txt"))
            .output()
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.contains(kind) && err.contains("not a regular file") && err.contains("-o -"),
            "{err}"
        );
    }
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "old\n");
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert_eq!(temporaries(dir.path()), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn finding_1_render_import_and_build_refuse_a_symlink() {
    let dir = tempdir();
    let target = write(dir.path(), "target", "old\n");
    let link = dir.path().join("link.svg");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let dot = write(dir.path(), "g.dot", "graph { a -- b }\n");
    let csv = write(dir.path(), "people.csv", "name\nAlpha Person\n");
    let link_tsv = dir.path().join("link.tsv");
    std::os::unix::fs::symlink(&target, &link_tsv).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&target, out.join("graph.json")).unwrap();
    let runs: [Vec<std::ffi::OsString>; 3] = [
        vec![
            "render".into(),
            dot.into(),
            "-o".into(),
            link.clone().into(),
        ],
        vec![
            "gazetteer".into(),
            "import".into(),
            "csv".into(),
            csv.into(),
            "--name-column".into(),
            "name".into(),
            "--type".into(),
            "PERSON".into(),
            "-o".into(),
            link_tsv.clone().into(),
        ],
        vec![
            "build".into(),
            "-o".into(),
            out.clone().into(),
            examples("news").into(),
        ],
    ];
    for args in runs {
        let o = entgraph().args(&args).output().unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("symbolic link, not a regular file"),
            "{args:?}: {err}"
        );
    }
    for l in [&link, &link_tsv, &out.join("graph.json")] {
        assert!(
            std::fs::symlink_metadata(l)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "old\n");
    assert!(
        !out.join("graph.dot").exists(),
        "nothing of the set was written"
    );
}

#[test]
fn finding_1_dash_is_standard_output() {
    let dir = tempdir();
    let dot = write(dir.path(), "g.dot", "graph { a -- b }\n");
    let csv = write(dir.path(), "people.csv", "name\nAlpha Person\n");
    let tag = entgraph()
        .current_dir(dir.path())
        .args(["tag", "-o", "-"])
        .arg(examples("news/01-selfie.txt"))
        .output()
        .unwrap();
    assert!(tag.status.success(), "{}", stderr(&tag));
    assert!(tag.stdout.starts_with(b"{\"doc\":"), "tag wrote to stdout");
    let render = entgraph()
        .current_dir(dir.path())
        .args(["render", "-T", "svg", "-o", "-"])
        .arg(&dot)
        .output()
        .unwrap();
    assert!(render.status.success(), "{}", stderr(&render));
    assert!(String::from_utf8_lossy(&render.stdout).contains("<svg"));
    let import = entgraph()
        .current_dir(dir.path())
        .args(["gazetteer", "import", "csv"])
        .arg(&csv)
        .args(["--name-column", "name", "--type", "PERSON", "-o", "-"])
        .output()
        .unwrap();
    assert!(import.status.success(), "{}", stderr(&import));
    assert!(String::from_utf8_lossy(&import.stdout).contains("Alpha Person"));
    assert!(!dir.path().join("-").exists(), "no file named '-'");
}

#[test]
fn finding_5_a_failing_file_leaves_the_old_set_whole() {
    let dir = tempdir();
    let out = dir.path().join("out");
    build(&out, &[&examples("news")]);
    let (old_dot, _) = set_of(&out);
    // graph.json cannot be replaced (a directory is there now): on main graph.dot was already
    // renamed into place when graph.json failed.
    std::fs::remove_file(out.join("graph.json")).unwrap();
    std::fs::create_dir(out.join("graph.json")).unwrap();
    let o = entgraph()
        .args(["build", "-o"])
        .arg(&out)
        .arg(seeds())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read(out.join("graph.dot")).unwrap(), old_dot);
    assert_eq!(temporaries(&out), Vec::<String>::new());
}

/// A corpus whose graph.json is large (tens of MB) though it is quick to tag: 40 entities, 3,000
/// sentences of 8 of them each, so every pair has its 50 evidence windows. Writing the JSON
/// then takes most of a run, which is when concurrent runs interleave.
fn big_json_corpus(dir: &Path) -> (PathBuf, PathBuf) {
    let names: Vec<String> = (0..40)
        .map(|k| format!("Ent{}{}", (b'a' + k / 26) as char, (b'a' + k % 26) as char))
        .collect();
    let mut g = String::from("type\tname\n");
    for n in &names {
        g.push_str(&format!("PERSON\t{n}\n"));
    }
    let mut text = String::new();
    let mut x: u64 = 7;
    for _ in 0..3000 {
        let mut picked = Vec::new();
        while picked.len() < 8 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let k = (x >> 33) as usize % names.len();
            if !picked.contains(&k) {
                picked.push(k);
            }
        }
        let said: Vec<&str> = picked.iter().map(|&k| names[k].as_str()).collect();
        text.push_str(&format!(
            "Today {} met at the old harbour.\n",
            said.join(" and ")
        ));
    }
    (write(dir, "g.tsv", g), write(dir, "big.txt", text))
}

#[test]
fn finding_5_concurrent_builds_never_mix_their_sets() {
    let dir = tempdir();
    let (g, corpus) = big_json_corpus(dir.path());
    // Two runs of the same size and speed whose files differ (dice weights against counts).
    let args = |weight: &str, out: &Path| -> Vec<std::ffi::OsString> {
        vec![
            "build".into(),
            "--no-discover".into(),
            "-j".into(),
            "1".into(),
            "--evidence".into(),
            "50".into(),
            "--weight".into(),
            weight.into(),
            "-g".into(),
            g.clone().into(),
            "-o".into(),
            out.into(),
            corpus.clone().into(),
        ]
    };
    let run = |weight: &str, out: &Path| {
        Command::new(entgraph_path())
            .args(args(weight, out))
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let (ref_a, ref_b) = (dir.path().join("a"), dir.path().join("b"));
    assert!(run("count", &ref_a).wait().unwrap().success());
    assert!(run("dice", &ref_b).wait().unwrap().success());
    let (a, b) = (set_of(&ref_a), set_of(&ref_b));
    assert_ne!(a.1, b.1);
    let out = dir.path().join("out");
    for round in 0..8 {
        let (mut x, mut y) = (run("count", &out), run("dice", &out));
        assert!(x.wait().unwrap().success() && y.wait().unwrap().success());
        let got = set_of(&out);
        assert!(
            got == a || got == b,
            "round {round}: graph.dot and graph.json come from different runs"
        );
        assert_eq!(temporaries(&out), Vec::<String>::new(), "round {round}");
    }
}

/// Waits until `dir` holds a temporary entry (the build is writing), or panics after `limit`.
fn wait_for_temporary(dir: &Path, child: &mut std::process::Child, limit: Duration) {
    let started = Instant::now();
    loop {
        if dir.is_dir() && !temporaries(dir).is_empty() {
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the build ended ({status}) before a temporary file was seen");
        }
        assert!(
            started.elapsed() < limit,
            "no temporary file within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Starts a BBC build into `out` (which holds an older set), sends `signal` once it is writing,
/// and checks that it ended by that signal, left no temporary and kept the old set.
#[cfg(unix)]
fn interrupt_while_writing(signal: rustix::process::Signal, number: i32) {
    use std::os::unix::process::ExitStatusExt;
    let bbc = crate::util::root().join("../shared/corpora/news/bbc-news-2225.jsonl.gz");
    assert!(bbc.is_file(), "{} missing", bbc.display());
    let dir = tempdir();
    let out = dir.path().join("out");
    build(&out, &[&examples("news")]);
    let old = set_of(&out);
    let mut child = Command::new(entgraph_path())
        .args(["build", "--no-discover", "-f", "dot,json,html", "-o"])
        .arg(&out)
        .arg(&bbc)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_temporary(&out, &mut child, Duration::from_secs(300));
    let pid = rustix::process::Pid::from_child(&child);
    rustix::process::kill_process(pid, signal).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(
        status.signal(),
        Some(number),
        "ended by the signal: {status}"
    );
    assert_eq!(temporaries(&out), Vec::<String>::new());
    assert_eq!(set_of(&out), old, "the old set is intact");
}

#[cfg(unix)]
#[test]
fn finding_6_sigint_while_writing_removes_temporaries_and_keeps_the_old_set() {
    interrupt_while_writing(rustix::process::Signal::INT, 2);
}

#[cfg(unix)]
#[test]
fn finding_6_sigterm_while_writing_removes_temporaries_and_keeps_the_old_set() {
    interrupt_while_writing(rustix::process::Signal::TERM, 15);
}

#[test]
fn finding_6_stale_temporaries_are_swept() {
    let dir = tempdir();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // What a killed run leaves: pid 2147483646 is above any pid_max, so no such process runs.
    write(&out, ".entgraph-2147483646-abcdef.tmp", "half a file");
    let staged = out.join(".entgraph-2147483646-ghijkl.d");
    std::fs::create_dir(&staged).unwrap();
    write(&staged, "graph.dot", "half a file");
    build(&out, &[&examples("news")]);
    assert_eq!(temporaries(&out), Vec::<String>::new());
    // The same for a single-file output.
    let tagged = dir.path().join("tagged");
    std::fs::create_dir(&tagged).unwrap();
    write(&tagged, ".entgraph-2147483646-mnopqr.tmp", "half a file");
    let o = entgraph()
        .args(["tag", "-o"])
        .arg(tagged.join("out.jsonl"))
        .arg(examples("news/01-selfie.txt"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(temporaries(&tagged), Vec::<String>::new());
}

#[test]
fn finding_7_a_run_that_reads_no_document_keeps_the_outputs() {
    let dir = tempdir();
    let out = dir.path().join("out");
    build(&out, &[&examples("news")]);
    let old = set_of(&out);
    let o = entgraph()
        .args(["build", "-o"])
        .arg(&out)
        .arg(examples("nwes"))
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(
        err.contains("no document was counted") && err.contains("--allow-empty"),
        "{err}"
    );
    assert_eq!(set_of(&out), old);
    let o = entgraph()
        .args(["build", "--allow-empty", "-o"])
        .arg(&out)
        .arg(examples("nwes"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let json = crate::util::read_json(&out.join("graph.json"));
    assert_eq!(json["nodes"].as_array().map(Vec::len), Some(0));
}

/// A JSONL corpus whose document id tries to forge CoNLL and text lines.
fn forged_ids(dir: &Path) -> PathBuf {
    let line = serde_json::json!({
        "id": "a\n# doc: forged\nForged\tB-ORG\n==> forged <==",
        "text": "Xi Jinping met Lee Jae-myung in Gyeongju.",
    });
    write(dir, "forged.jsonl", format!("{line}\n"))
}

#[test]
fn finding_8_ids_cannot_forge_conll_or_text_lines() {
    let dir = tempdir();
    let corpus = forged_ids(dir.path());
    // A file name with a line break does the same as a JSONL id.
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    write(
        &files,
        "b\n# doc: forged\nForged\tB-ORG.txt",
        "Xi Jinping spoke.",
    );
    for input in [&corpus, &files] {
        let conll = entgraph()
            .args(["tag", "-f", "conll"])
            .arg(input)
            .output()
            .unwrap();
        assert!(conll.status.success(), "{}", stderr(&conll));
        let text = String::from_utf8(conll.stdout).unwrap();
        let headers: Vec<&str> = text.lines().filter(|l| l.starts_with("# doc:")).collect();
        assert_eq!(headers.len(), 1, "{text}");
        assert!(
            headers[0].contains("\\n# doc: forged\\nForged\\tB-ORG"),
            "{text}"
        );
        assert!(!text.lines().any(|l| l == "Forged\tB-ORG"), "{text}");
        let marked = entgraph()
            .args(["tag", "-f", "text"])
            .arg(input)
            .output()
            .unwrap();
        let text = String::from_utf8(marked.stdout).unwrap();
        assert_eq!(
            text.lines().filter(|l| l.starts_with("==> ")).count(),
            1,
            "{text}"
        );
        assert!(
            !text
                .lines()
                .any(|l| l == "==> forged <==" || l == "# doc: forged"),
            "{text}"
        );
    }
}

#[test]
fn finding_8_explain_and_tag_text_neutralise_escape_sequences() {
    let dir = tempdir();
    let line = serde_json::json!({
        "id": "doc\u{1b}]0;pwned\u{7}",
        "text": "Xi Jinping met Lee Jae-myung \u{1b}]0;pwned\u{7}\u{1b}[2J in Gyeongju.\n\u{1b}[31mXi Jinping left.",
    });
    let corpus = write(dir.path(), "esc.jsonl", format!("{line}\n"));
    let runs: [&[&str]; 3] = [
        &["explain", "Xi Jinping"],
        &["explain", "Xi Jinping", "--with", "Lee Jae-myung"],
        &["tag", "-f", "text"],
    ];
    for args in runs {
        let o = entgraph()
            .env("NO_COLOR", "1")
            .args(args)
            .arg(&corpus)
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let text = String::from_utf8(o.stdout).unwrap();
        assert!(text.contains("Xi Jinping"), "{args:?}: {text}");
        assert!(!text.contains(['\u{1b}', '\u{7}']), "{args:?}: {text:?}");
    }
}

#[test]
fn finding_8_warnings_neutralise_input_names() {
    let dir = tempdir();
    let missing = dir.path().join("gone\u{1b}]0;pwned\u{7}\u{1b}[2J.txt");
    let o = entgraph()
        .args(["build", "-o"])
        .arg(dir.path().join("out"))
        .arg(examples("news"))
        .arg(&missing)
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("skipped") && err.contains("gone"), "{err}");
    assert!(!err.contains(['\u{1b}', '\u{7}']), "{err:?}");
}

#[test]
fn finding_8_markdown_report_escapes_html_and_markdown() {
    let dir = tempdir();
    let g = write(
        dir.path(),
        "g.tsv",
        "type\tname\taliases\n\
         PERSON\tAl <script>alert(1)</script> [x](javascript:alert(1)) *b* _i_ `c`\tAlpha\n\
         PERSON\tBeta\tBeta\n",
    );
    let text = write(dir.path(), "a.txt", "Alpha met Beta. Beta met Alpha.");
    let o = entgraph()
        .args(["report", "-f", "markdown", "-g"])
        .arg(&g)
        .arg(&text)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let md = String::from_utf8(o.stdout).unwrap();
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{md}");
    assert!(!md.contains('<'), "{md}");
    assert!(
        md.contains("\\[x\\](javascript:alert(1)) \\*b\\* \\_i\\_ \\`c\\`"),
        "{md}"
    );
}

#[test]
fn finding_12_min_weight_must_be_finite() {
    for x in ["inf", "-inf", "NaN", "infinity"] {
        let dir = tempdir();
        let o = entgraph()
            .arg("build")
            .arg(format!("--min-weight={x}"))
            .arg("-o")
            .arg(dir.path())
            .arg(examples("news"))
            .output()
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{x}: {err}");
        assert!(err.contains("not a finite number"), "{x}: {err}");
        assert!(!dir.path().join("graph.json").exists());
    }
    // A negative weight is a real threshold for PMI.
    let dir = tempdir();
    let o = entgraph()
        .args([
            "build",
            "--weight",
            "pmi",
            "--min-weight",
            "-0.5",
            "-f",
            "json",
            "-o",
        ])
        .arg(dir.path())
        .arg(examples("news"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn finding_12_explain_an_entity_with_itself_says_so() {
    let o = entgraph()
        .args(["explain", "Xi", "--with", "Xi Jinping"])
        .arg(examples("news"))
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("are the same entity (xi-jinping)"), "{err}");
    assert!(o.stdout.is_empty());
}

/// The address-space limit the pathological cases run under.
const MEMORY_LIMIT: u64 = 2 << 30;

/// `entgraph ARGS` under a 2 GB address-space limit (`prlimit --as`), with `stdin` as its
/// standard input (none when `None`), killed after `secs` seconds.
fn limited(args: &[&str], stdin: Option<Vec<u8>>, secs: u64) -> Output {
    limited_to(MEMORY_LIMIT, args, stdin, secs)
}

/// [`limited`] with an address-space limit of `memory` bytes.
fn limited_to(memory: u64, args: &[&str], stdin: Option<Vec<u8>>, secs: u64) -> Output {
    let mut cmd = Command::new("prlimit");
    cmd.arg(format!("--as={memory}"))
        .arg("--")
        .arg(entgraph_path())
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .expect("prlimit (util-linux) runs the pathological cases; apt-get install util-linux");
    if let Some(bytes) = stdin {
        let mut w = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            // The reader may stop early (that is the point): a broken pipe is fine.
            let _ = w.write_all(&bytes);
        });
    }
    // Read both pipes while waiting: a child blocked on a full pipe would never end.
    let pipe = |r: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out_reader = pipe(child.stdout.take().map(|p| Box::new(p) as _));
    let err_reader = pipe(child.stderr.take().map(|p| Box::new(p) as _));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(secs) {
            child.kill().unwrap();
            child.wait().unwrap();
            let err = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
            panic!("entgraph {args:?} still ran after {secs} s; stderr: {err}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}

/// Asserts a run ended by itself with `code` (not a panic, not a signal).
fn assert_status(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "status {:?}; stderr: {}",
        out.status,
        stderr(out)
    );
    assert!(!stderr(out).contains("panicked"), "{}", stderr(out));
}

/// A gzip file of `members` copies of one compressed member holding `chunk` repeated to
/// 1 MiB: `members` MiB of text once inflated.
fn gzip_bomb(path: &Path, chunk: &[u8], members: usize) {
    let mut text = Vec::with_capacity(1 << 20);
    while text.len() + chunk.len() <= 1 << 20 {
        text.extend_from_slice(chunk);
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&text).unwrap();
    let member = gz.finish().unwrap();
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for _ in 0..members {
        f.write_all(&member).unwrap();
    }
    f.flush().unwrap();
}

fn seoul() -> &'static [u8] {
    b"Seoul met Beijing. "
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn docs(out: &Output) -> Vec<String> {
    jsonl(&out.stdout)
        .iter()
        .map(|d| d["doc"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn finding_2_gzip_bomb_of_4_gib_is_skipped_and_the_rest_processed() {
    let dir = tempdir();
    let bomb = dir.path().join("bomb.txt.gz");
    gzip_bomb(&bomb, seoul(), 4097);
    let good = write(dir.path(), "good.txt", "Seoul met Beijing.");
    let started = Instant::now();
    let out = limited(&["tag", "--no-discover", s(&bomb), s(&good)], None, 120);
    assert_status(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("skipped")
            && err.contains("bomb.txt.gz")
            && err.contains("--max-document-bytes"),
        "{err}"
    );
    assert_eq!(docs(&out), [s(&good)]);
    eprintln!("4 GiB gzip bomb: {:.1} s", started.elapsed().as_secs_f64());
}

#[test]
fn finding_2_decompressed_size_is_capped_while_inflating() {
    let dir = tempdir();
    // 8 MiB of JSONL lines, each a document of 1 KB: only the inflated total is too much.
    let bomb = dir.path().join("many.jsonl.gz");
    let line = format!("{{\"text\": \"{}\"}}\n", "Seoul met Beijing. ".repeat(53));
    gzip_bomb(&bomb, line.as_bytes(), 8);
    let out = limited(
        &[
            "tag",
            "--no-discover",
            "--max-decompressed-bytes",
            "2M",
            s(&bomb),
        ],
        None,
        60,
    );
    assert_status(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("decompresses to more than 2 MiB (--max-decompressed-bytes)"),
        "{err}"
    );
    // What came before the limit was read (the line cut by it is not).
    let n = docs(&out).len() as u64;
    let whole = (2 << 20) / line.len() as u64;
    assert!(
        n + 1 >= whole && n <= whole,
        "{n} documents, not about {whole}"
    );
}

#[test]
fn finding_2_a_document_limit_above_the_taggers_is_a_usage_error() {
    let out = limited(
        &["tag", "--max-document-bytes", "400M", "-"],
        Some(vec![]),
        30,
    );
    assert_status(&out, 2);
    assert!(stderr(&out).contains("390451572"), "{}", stderr(&out));
}

#[test]
fn finding_2_dev_zero_stops_at_the_limit() {
    let out = limited(&["tag", "--no-discover", "/dev/zero"], None, 60);
    assert_status(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("skipped /dev/zero: larger than 64 MiB (--max-document-bytes"),
        "{err}"
    );
}

#[test]
fn finding_2_a_fifo_is_read_within_the_limit() {
    let dir = tempdir();
    let fifo = dir.path().join("endless.txt");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // An endless writer: the reader must stop at the limit, not run out of memory.
    let path = fifo.clone();
    std::thread::spawn(move || {
        if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&path) {
            let block = seoul().repeat(4096);
            while f.write_all(&block).is_ok() {}
        }
    });
    let out = limited(
        &[
            "tag",
            "--no-discover",
            "--max-document-bytes",
            "1M",
            s(&fifo),
        ],
        None,
        60,
    );
    assert_status(&out, 1);
    assert!(
        stderr(&out).contains("larger than 1 MiB (--max-document-bytes"),
        "{}",
        stderr(&out)
    );
}

/// `n` lines of `Seoul met Beijing.` (two mentions each).
fn seoul_lines(n: usize) -> String {
    "Seoul met Beijing in March.\n".repeat(n)
}

#[test]
fn finding_3_conll_output_is_linear_in_the_document() {
    let dir = tempdir();
    // 100,000 plain words, then 100,000 mentions (1 MB): the quadratic writer searched
    // every later mention for each plain word, 10^10 steps; linear, CoNLL costs about what
    // JSONL does (the same tagging, plus tokens and sentences).
    let mut text = "and ".repeat(100_000);
    text.push_str(&"Seoul ".repeat(100_000));
    let big = write(dir.path(), "big.txt", text);
    let timed = |format: &str| {
        let started = Instant::now();
        let out = limited(&["tag", "--no-discover", "-f", format, s(&big)], None, 120);
        assert_status(&out, 0);
        (out, started.elapsed().as_secs_f64())
    };
    let (_, jsonl_secs) = timed("jsonl");
    let (out, conll_secs) = timed("conll");
    let text = stdout(&out);
    assert_eq!(text.matches("\tB-LOC\n").count(), 100_000);
    assert_eq!(text.matches("\tO\n").count(), 100_000);
    assert!(
        conll_secs < 4.0 * jsonl_secs + 3.0,
        "conll {conll_secs:.1} s against jsonl {jsonl_secs:.1} s"
    );
}

/// A gazetteer of `n` ORG entities with distinct two-word names `Qa Xxxx` (letters only).
fn many_entities(n: usize) -> (String, Vec<String>) {
    let mut names = Vec::with_capacity(n);
    for k in 0..n {
        let mut word = String::new();
        let mut v = k;
        for _ in 0..4 {
            word.push((b'a' + (v % 26) as u8) as char);
            v /= 26;
        }
        names.push(format!("Qa Z{word}"));
    }
    let mut tsv = String::from("type\tname\n");
    for name in &names {
        tsv.push_str(&format!("ORG\t{name}\n"));
    }
    (tsv, names)
}

#[test]
fn finding_4_ten_thousand_entities_in_one_sentence_count_no_pairs_with_a_warning() {
    let dir = tempdir();
    let (tsv, names) = many_entities(10_000);
    let g = write(dir.path(), "many.tsv", tsv);
    let mut text = names.join(", ");
    text.push_str(" met.\n\nQa Zaaaa met Qa Zbaaa.\n");
    let doc = write(dir.path(), "list.txt", text);
    let out_dir = dir.path().join("out");
    let out = limited(
        &[
            "build",
            "--no-discover",
            "-g",
            s(&g),
            "-o",
            s(&out_dir),
            s(&doc),
        ],
        None,
        120,
    );
    assert_status(&out, 0);
    let err = stderr(&out);
    assert!(
        err.contains(
            "list.txt: 1 window(s) hold more distinct entities than --max-window-entities"
        ),
        "{err}"
    );
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("graph.json")).unwrap())
            .unwrap();
    assert_eq!(v["graph"]["capped_windows"], 1);
    assert_eq!(v["graph"]["max_window_entities"], 200);
    // Only the second sentence's pair is counted; every entity is still a node.
    assert_eq!(v["graph"]["pairs_seen"], 1);
    assert_eq!(v["nodes"].as_array().unwrap().len(), 10_000);
}

#[test]
fn finding_4_token_windows_wider_than_1000_are_refused() {
    let dir = tempdir();
    let doc = write(dir.path(), "a.txt", seoul_lines(10));
    let out_dir = dir.path().join("out");
    let out = limited(
        &[
            "build",
            "--no-discover",
            "--window",
            "tokens:100000",
            "-o",
            s(&out_dir),
            s(&doc),
        ],
        None,
        60,
    );
    assert_status(&out, 2);
    assert!(
        stderr(&out).contains("tokens:N (1 ≤ N ≤ 1000)"),
        "{}",
        stderr(&out)
    );
    assert!(!out_dir.exists());
}

#[test]
fn finding_4_a_thousand_nested_aliases_are_bounded() {
    let dir = tempdir();
    let mut tsv = String::from("type\tname\n");
    for k in 1..=1000 {
        tsv.push_str(&format!("ORG\t{}\n", vec!["Aa"; k].join(" ")));
    }
    let g = write(dir.path(), "nested.tsv", tsv);
    // 60 KB: 20,000 words, each the end of a thousand nested aliases, 20 million matches
    // in all (`cargo test` runs a debug build: the 600 KB case is measured on the
    // release binary instead).
    let doc = write(dir.path(), "aa.txt", "Aa ".repeat(20_000));
    let started = Instant::now();
    // 768 MiB: the candidates alone took 560 MB before (5.5 GB at 600 KB).
    let out = limited_to(
        768 << 20,
        &["tag", "--no-discover", "-g", s(&g), s(&doc)],
        None,
        90,
    );
    assert_status(&out, 0);
    let d = &jsonl(&out.stdout)[0];
    let spans: Vec<(u64, u64)> = d["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["start"].as_u64().unwrap(), m["end"].as_u64().unwrap()))
        .collect();
    // Leftmost-longest still holds: 20 mentions of the longest alias, end to end.
    let expected: Vec<(u64, u64)> = (0..20).map(|k| (k * 3000, k * 3000 + 2999)).collect();
    assert_eq!(spans, expected);
    eprintln!(
        "1,000 nested aliases over 60 KB: {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// `entgraph tag --no-discover ARGS` with `stdin`, under the memory limit.
fn tag(args: &[&str], stdin: Option<Vec<u8>>) -> Output {
    let mut all = vec!["tag", "--no-discover"];
    all.extend_from_slice(args);
    limited(&all, stdin, 60)
}

/// `(text, id)` of each mention of the first document.
fn surfaces(out: &Output) -> Vec<(String, String)> {
    mentions(&jsonl(&out.stdout)[0])
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if big_endian {
            &[0xFE, 0xFF]
        } else {
            &[0xFF, 0xFE]
        });
    }
    for u in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

const SEOUL: &str = "Officials in Seoul met envoys from Beijing.";

#[test]
fn finding_9_utf16_and_utf32_with_a_bom_are_decoded() {
    let dir = tempdir();
    let mut utf32 = vec![0xFF, 0xFE, 0, 0];
    for c in SEOUL.chars() {
        utf32.extend_from_slice(&(c as u32).to_le_bytes());
    }
    for (name, bytes) in [
        ("le.txt", utf16(SEOUL, false, true)),
        ("be.txt", utf16(SEOUL, true, true)),
        ("32.txt", utf32),
    ] {
        let f = write(dir.path(), name, bytes);
        let out = tag(&[s(&f)], None);
        assert_status(&out, 0);
        assert!(
            !stderr(&out).contains("warning"),
            "{name}: {}",
            stderr(&out)
        );
        assert_eq!(
            surfaces(&out),
            [
                ("Seoul".into(), "seoul".into()),
                ("Beijing".into(), "beijing".into())
            ],
            "{name}"
        );
    }
}

#[test]
fn finding_9_utf16_without_a_bom_and_binary_files_are_refused() {
    let dir = tempdir();
    let le = write(dir.path(), "le.txt", utf16(SEOUL, false, false));
    let be = write(dir.path(), "be.txt", utf16(SEOUL, true, false));
    let good = write(dir.path(), "good.txt", SEOUL);
    let out = tag(&[s(&le), s(&be), "/bin/ls", s(&good)], None);
    assert_status(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "skipped {}: looks like UTF-16LE without a byte-order mark",
            s(&le)
        )),
        "{err}"
    );
    assert!(
        err.contains("looks like UTF-16BE without a byte-order mark"),
        "{err}"
    );
    assert!(err.contains("skipped /bin/ls: binary data"), "{err}");
    assert_eq!(docs(&out), [s(&good)]);
    // Random bytes without NULs are binary too; Latin-1 text is text, decoded lossily.
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 1)
        .collect();
    let noise = write(dir.path(), "noise.txt", noise);
    let latin1 = write(dir.path(), "latin1.txt", b"Le pr\xe9sident \xe0 Seoul.");
    let out = tag(&[s(&noise), s(&latin1)], None);
    assert_status(&out, 1);
    assert!(
        stderr(&out).contains("noise.txt: binary data"),
        "{}",
        stderr(&out)
    );
    assert_eq!(docs(&out), [s(&latin1)]);
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn finding_9_gzip_is_recognised_by_its_magic_bytes_also_on_standard_input() {
    let out = tag(&["-"], Some(gzip(SEOUL.as_bytes())));
    assert_status(&out, 0);
    assert_eq!(surfaces(&out).len(), 2);
    let jsonl_gz = gzip(b"{\"id\": \"x\", \"text\": \"Seoul\"}\n");
    let out = tag(&[], Some(jsonl_gz));
    assert_status(&out, 0);
    assert_eq!(docs(&out), ["x"]);
    // A .gz name on something that is not gzip is named, not read as text.
    let dir = tempdir();
    let fake = write(dir.path(), "fake.txt.gz", SEOUL);
    let out = tag(&[s(&fake)], None);
    assert_status(&out, 1);
    assert!(stderr(&out).contains("not gzip data"), "{}", stderr(&out));
}

#[test]
fn finding_9_jsonl_with_a_bom_keeps_its_first_record_in_files_and_on_stdin() {
    let body = b"\xef\xbb\xbf{\"id\": \"a\", \"text\": \"Seoul\"}\n{\"id\": \"b\", \"text\": \"Beijing\"}\n";
    let dir = tempdir();
    let f = write(dir.path(), "bom.jsonl", body);
    for out in [tag(&[s(&f)], None), tag(&["-"], Some(body.to_vec()))] {
        assert_status(&out, 0);
        assert_eq!(docs(&out), ["a", "b"]);
    }
}

#[test]
fn finding_10_offsets_of_lossily_decoded_text_are_the_files() {
    let dir = tempdir();
    let bytes = b"Caf\xe9 \xff\xfeen route to Seoul.".to_vec();
    let at = bytes.windows(5).position(|w| w == b"Seoul").unwrap() as u64;
    let f = write(dir.path(), "lossy.txt", bytes);
    let out = tag(&[s(&f)], None);
    assert_status(&out, 0);
    assert!(stderr(&out).contains("not valid UTF-8"), "{}", stderr(&out));
    let m = &jsonl(&out.stdout)[0]["mentions"][0];
    assert_eq!(m["text"], "Seoul");
    assert_eq!(
        (m["start"].as_u64(), m["end"].as_u64()),
        (Some(at), Some(at + 5))
    );
}

/// `gazetteer check FILE` and `tag -g FILE`, under the memory limit.
fn with_gazetteer(tsv: &[u8]) -> (Output, Output) {
    let dir = tempdir();
    let g = write(dir.path(), "g.tsv", tsv);
    let check = limited(&["gazetteer", "check", "-g", s(&g)], None, 60);
    let tagged = tag(&["-g", s(&g), "-"], Some(b"Seoul. Then Seoul.".to_vec()));
    (check, tagged)
}

#[test]
fn finding_11_aliases_without_letters_or_digits_are_refused_in_every_case_rule() {
    for alias in ["=.", "..", "~&&", "=--", "=’"] {
        let tsv = format!("type\tname\taliases\nLOC\tSeoul\t{alias}\n");
        let (check, tagged) = with_gazetteer(tsv.as_bytes());
        // `gazetteer check` exits 1 on an error, loading for tagging 2.
        for (out, code) in [(&check, 1), (&tagged, 2)] {
            assert_status(out, code);
            let all = stderr(out) + &stdout(out);
            assert!(
                all.contains("has no letters or digits to match"),
                "{alias}: {all}"
            );
        }
    }
}

#[test]
fn finding_11_a_bom_before_the_header_is_skipped_with_a_warning() {
    let tsv = "\u{FEFF}id\ttype\tname\nthe-capital\tLOC\tSeoul\n";
    let (check, tagged) = with_gazetteer(tsv.as_bytes());
    assert_status(&tagged, 0);
    assert!(
        stderr(&tagged).contains("byte-order mark"),
        "{}",
        stderr(&tagged)
    );
    assert_eq!(surfaces(&tagged)[0].1, "the-capital");
    assert!(
        stderr(&check).contains("byte-order mark") || stdout(&check).contains("byte-order mark")
    );
    // With `type` first, the header still parses.
    let (_, tagged) = with_gazetteer("\u{FEFF}type\tname\nLOC\tSeoul\n".as_bytes());
    assert_status(&tagged, 0);
    assert_eq!(surfaces(&tagged).len(), 2);
}

#[test]
fn finding_12_a_header_of_a_thousand_nuls_is_quoted_cut() {
    let mut tsv = vec![0u8; 1000];
    tsv.extend_from_slice(b"\nLOC\tSeoul\n");
    let (check, tagged) = with_gazetteer(&tsv);
    for (out, code) in [(&check, 1), (&tagged, 2)] {
        assert_status(out, code);
        let all = stderr(out) + &stdout(out);
        assert!(all.contains("(1000 characters)"), "{all}");
        assert!(all.len() < 1000, "{} bytes of messages", all.len());
    }
}

#[test]
fn finding_12_minus_j_100000_is_lowered_with_a_warning() {
    let out = limited(
        &["tag", "--no-discover", "-j", "100000", "-"],
        Some(SEOUL.as_bytes().to_vec()),
        60,
    );
    assert_status(&out, 0);
    assert!(
        stderr(&out).contains("-j 100000: using 256 threads"),
        "{}",
        stderr(&out)
    );
    assert_eq!(surfaces(&out).len(), 2);
}

#[test]
fn finding_12_directory_walk_takes_any_letter_case_and_stays_in_the_tree() {
    let dir = tempdir();
    write(dir.path(), "outside.txt", "Beijing.");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    write(&corpus, "A.TXT", "Seoul.");
    write(&corpus, "b.Md", "Seoul.");
    write(&corpus, "c.JsonL", "{\"id\": \"c\", \"text\": \"Seoul\"}\n");
    std::os::unix::fs::symlink("..", corpus.join("up")).unwrap();
    std::os::unix::fs::symlink("A.TXT", corpus.join("same.txt")).unwrap();
    let out = tag(&[s(&corpus)], None);
    assert_status(&out, 1);
    let c = s(&corpus);
    assert_eq!(
        docs(&out),
        [
            format!("{c}/A.TXT"),
            format!("{c}/b.Md"),
            "c".into(),
            format!("{c}/same.txt")
        ]
    );
    assert!(
        stderr(&out).contains(&format!("skipped {c}/up: symbolic link out of {c}")),
        "{}",
        stderr(&out)
    );
}
