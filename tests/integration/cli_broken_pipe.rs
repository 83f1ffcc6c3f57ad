//! A reader that stops early (`entgraph tag … | head`) is not an error: `entgraph` stops
//! writing and exits with status 0 without a message. `main.rs` handles it once for every
//! command, whatever error chain the closed pipe arrived in.

use std::io::{Read, Write};
use std::process::{Command, Output, Stdio};

use crate::util::{entgraph_path, gazetteers, stderr, tempdir, write};

/// Runs `entgraph args` with its standard output a pipe whose reading end is closed before
/// `entgraph` writes anything (its input, `stdin`, is only given after that, so no output can
/// come earlier): every write then fails with `BrokenPipe`.
fn into_closed_pipe(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(entgraph_path())
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut input = child.stdin.take().unwrap();
    // entgraph may stop reading once its output is gone; that is fine.
    let _ = input.write_all(stdin.as_bytes());
    drop(input);
    child.wait_with_output().unwrap()
}

fn assert_quiet_success(out: &Output, what: &str) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{what}: exit status with a closed pipe; stderr: {}",
        stderr(out)
    );
    assert_eq!(stderr(out), "", "{what}: a message about the closed pipe");
}

const TEXT: &str = "Alpha met Beta. Beta met Gamma.\n\nAlpha and Gamma.\n";

#[test]
fn tag_report_and_explain_exit_0_quietly_into_a_closed_pipe() {
    let dir = tempdir();
    let g = write(dir.path(), "g.tsv", gazetteers::ALPHA_BETA_GAMMA);
    let g = g.to_str().unwrap();
    for (what, args) in [
        ("tag", vec!["tag", "-g", g, "-"]),
        ("tag --format text", vec!["tag", "-f", "text", "-g", g, "-"]),
        ("report", vec!["report", "-g", g, "-"]),
        (
            "report --format json",
            vec!["report", "-f", "json", "-g", g, "-"],
        ),
        (
            "report --unmatched",
            vec!["report", "--unmatched", "-g", g, "-"],
        ),
        ("explain", vec!["explain", "Alpha", "-g", g, "-"]),
        (
            "explain --with",
            vec!["explain", "Alpha", "--with", "Beta", "-g", g, "-"],
        ),
    ] {
        assert_quiet_success(&into_closed_pipe(&args, TEXT), what);
    }
    // The same commands with an open pipe do write and exit 0: the closed pipe is the cause.
    let out = Command::new(entgraph_path())
        .args(["explain", "Alpha", "-g", g, "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(TEXT.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(out.status.success() && !out.stdout.is_empty());
}

/// `entgraph tag BIG | head -c 10`: the reader takes 10 bytes and leaves while entgraph is
/// still writing (megabytes, far more than a pipe holds).
#[test]
fn tag_into_head_exits_0_quietly() {
    let dir = tempdir();
    let g = write(dir.path(), "g.tsv", gazetteers::ALPHA_BETA_GAMMA);
    let big = write(dir.path(), "big.txt", TEXT.repeat(20_000));
    let err = dir.path().join("stderr");
    let out = Command::new("bash")
        .arg("-c")
        .arg(r#""$1" tag -g "$2" "$3" 2>"$4" | head -c 10 >/dev/null; echo "${PIPESTATUS[0]}""#)
        .arg("bash")
        .arg(entgraph_path())
        .arg(&g)
        .arg(&big)
        .arg(&err)
        .output()
        .unwrap();
    assert!(out.status.success(), "bash: {}", stderr(&out));
    let mut message = String::new();
    std::fs::File::open(&err)
        .unwrap()
        .read_to_string(&mut message)
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "0",
        "exit status of entgraph tag | head -c 10; stderr: {message}"
    );
    assert_eq!(message, "", "a message about the closed pipe");
}
