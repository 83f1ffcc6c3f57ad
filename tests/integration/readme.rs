//! Every `console` example of README.md is what the program prints.
//!
//! Each ```` ```console ```` block starts with `$ entgraph …`; the rest of the block is the
//! expected standard output and error (as a terminal shows them, interleaved; here stderr
//! follows stdout, so a block shows stdout first). Timings (`0.07 s, 0.1 MB/s`) are masked. A
//! block whose last line ends with ` …` shows only the beginning of the output: its lines must
//! be the first lines of the output, the last one a prefix. Commands run in a scratch copy of
//! the layout (`examples/`, `tests/` and `../shared` linked), so `output/` is written there.

use std::path::Path;
use std::process::Command;

use crate::util::{entgraph_path, root, seeds, tempdir};

/// (line number, command, expected lines) of every console block.
fn examples(readme: &str) -> Vec<(usize, String, Vec<String>)> {
    let mut out = Vec::new();
    let mut lines = readme.lines().enumerate();
    while let Some((_, line)) = lines.next() {
        if line.trim() != "```console" {
            continue;
        }
        let Some((n, cmd)) = lines.next() else { break };
        let cmd = cmd
            .strip_prefix("$ ")
            .unwrap_or_else(|| panic!("README.md:{}: a console block starts with `$ `", n + 1));
        let mut expected = Vec::new();
        for (_, l) in lines.by_ref() {
            if l.trim() == "```" {
                break;
            }
            expected.push(l.to_string());
        }
        out.push((n + 1, cmd.to_string(), expected));
    }
    out
}

/// Timings vary from run to run: `0.07 s, 0.1 MB/s` → `T s, T MB/s`.
fn mask(s: &str) -> String {
    let mut out = String::new();
    for word in s.split_inclusive(' ') {
        let bare = word.trim_end_matches([' ', ',']);
        if !bare.is_empty()
            && bare.contains('.')
            && bare.chars().all(|c| c.is_ascii_digit() || c == '.')
        {
            out.push('T');
            out.push_str(&word[bare.len()..]);
        } else {
            out.push_str(word);
        }
    }
    out
}

fn link(from: &Path, to: &Path) {
    std::os::unix::fs::symlink(from, to).unwrap();
}

#[test]
fn readme_examples_are_what_the_program_prints() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let blocks = examples(&readme);
    assert!(
        blocks.len() >= 5,
        "the README's console examples were not found"
    );
    let scratch = tempdir();
    let work = scratch.path().join("main");
    std::fs::create_dir(&work).unwrap();
    link(&root().join("examples"), &work.join("examples"));
    link(&root().join("tests"), &work.join("tests"));
    link(&seeds().join(".."), &scratch.path().join("shared"));
    let bin_dir = entgraph_path().parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap());
    let mut failures = Vec::new();
    for (line, cmd, expected) in blocks {
        assert!(cmd.starts_with("entgraph "), "README.md:{line}: {cmd}");
        let out = Command::new("bash")
            .arg("-c")
            .arg(&cmd)
            .current_dir(&work)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env_remove("COLUMNS")
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let got: Vec<String> = text.lines().map(mask).collect();
        let want: Vec<String> = expected.iter().map(|l| mask(l)).collect();
        let ok = match want.last().and_then(|l| l.strip_suffix(" …")) {
            Some(last_prefix) => {
                let n = want.len();
                got.len() >= n
                    && got[..n - 1] == want[..n - 1]
                    && got[n - 1].starts_with(last_prefix)
            }
            None => got == want,
        };
        if !ok {
            failures.push(format!(
                "README.md:{line}: `{cmd}` printed\n{}\n--- but the README shows\n{}",
                got.join("\n"),
                want.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn masking_and_prefix_rules() {
    assert_eq!(
        mask("4 documents, 0.07 s, 12.5 MB/s"),
        "4 documents, T s, T MB/s"
    );
    assert_eq!(mask("PERSON 122 0.9919"), "PERSON 122 T");
    let blocks = examples("x\n```console\n$ entgraph a b\none\ntwo …\n```\n");
    assert_eq!(
        blocks,
        [(
            3,
            "entgraph a b".to_string(),
            vec!["one".to_string(), "two …".to_string()]
        )]
    );
}
