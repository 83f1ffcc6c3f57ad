//! Regression tests for issue 11 (hardening), one or more per finding, named
//! `finding_<N>_<what>`: outputs that never clobber or mix (1, 5, 6, 7), no injection into any
//! output (8), and flags that mean nothing (12). Each failed on the `main` it was written
//! against.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{entgraph, entgraph_path, examples, seeds, stderr, tempdir, write};

/// The `.entgraph-*` temporary entries in `dir` (the lock file `.entgraph.lock` is not one).
fn temporaries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".entgraph-"))
        .collect();
    v.sort();
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
