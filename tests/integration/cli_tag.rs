//! End-to-end tests of `entgraph tag`.

use predicates::prelude::*;

use crate::util::{entgraph, examples, jsonl, mentions, seed_files, seeds, tempdir};

#[test]
fn tags_the_seed_articles() {
    let files = seed_files();
    // Run from elsewhere: the default gazetteer is embedded in the binary.
    let out = entgraph()
        .current_dir(std::env::temp_dir())
        .arg("tag")
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = jsonl(&out.stdout);
    assert_eq!(docs.len(), 5);
    for (doc, file) in docs.iter().zip(&files) {
        assert_eq!(doc["doc"], file.display().to_string());
        let text = std::fs::read_to_string(file).unwrap();
        for m in doc["mentions"].as_array().unwrap() {
            let (s, e) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            let surface = m["text"].as_str().unwrap();
            // Offsets are bytes into the original and give the surface form.
            assert_eq!(&text[s..e], surface);
            // Whole words only: never inside `Xiaomi` or any other word.
            assert!(
                !text[..s]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric),
                "{surface:?} at {s} starts inside a word"
            );
            assert!(
                !text[e..].chars().next().is_some_and(char::is_alphanumeric),
                "{surface:?} at {s} ends inside a word"
            );
            // Possessives are outside the span.
            assert!(
                !surface.ends_with("’s") && !surface.ends_with("'s"),
                "{surface:?}"
            );
        }
    }
    // The headline of 000 names `Lee` and `Xi` before the full names: both resolve.
    let first = mentions(&docs[0]);
    assert_eq!(
        first[..3],
        [
            ("South Korea".to_string(), "south-korea".to_string()),
            ("Lee".to_string(), "lee-jae-myung".to_string()),
            ("Xi".to_string(), "xi-jinping".to_string()),
        ]
    );
    // The possessive after `Korea` and `Lee` in that headline is really there.
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let m0 = &docs[0]["mentions"][0];
    assert!(text[m0["end"].as_u64().unwrap() as usize..].starts_with("’s"));
    let all: Vec<(String, String)> = docs.iter().flat_map(mentions).collect();
    for (surface, id) in [
        ("Sana'a", "sanaa"),
        ("S Korea", "south-korea"),
        ("U.S.", "united-states"),
        ("BEIJING", "beijing"),
        ("Lee Jae-myung", "lee-jae-myung"),
        ("Lee Jae Myung", "lee-jae-myung"),
        ("Xiaomi", "xiaomi"),
        ("Nicolas Maduro", "nicolas-maduro"),
        ("Asia-Pacific Economic Cooperation", "apec"),
    ] {
        assert!(
            all.contains(&(surface.to_string(), id.to_string())),
            "{surface} → {id} not found"
        );
    }
}

#[test]
fn text_and_conll_formats() {
    let dir = tempdir();
    let f = dir.path().join("a.txt");
    std::fs::write(&f, "Xi Jinping met Lee Jae-myung.\nLee’s Xiaomi phone.").unwrap();
    let g = dir.path().join("g.tsv");
    std::fs::write(
        &g,
        "id\ttype\tname\taliases\nxi\tPERSON\tXi Jinping\t~Xi\nlee\tPERSON\tLee Jae-myung\t~Lee\nxiaomi\tORG\tXiaomi\t\n",
    )
    .unwrap();
    entgraph()
        .args(["tag", "--format", "text", "-g"])
        .arg(&g)
        .arg(&f)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "[Xi Jinping](PERSON xi) met [Lee Jae-myung](PERSON lee).\n[Lee](PERSON lee)’s [Xiaomi](ORG xiaomi) phone.",
        ));
    let out = entgraph()
        .args(["tag", "--format", "conll", "-g"])
        .arg(&g)
        .arg(&f)
        .output()
        .unwrap();
    let conll = String::from_utf8(out.stdout).unwrap();
    let body: Vec<&str> = conll.lines().skip(1).collect();
    assert_eq!(
        body,
        [
            "Xi\tB-PERSON",
            "Jinping\tI-PERSON",
            "met\tO",
            "Lee\tB-PERSON",
            "Jae\tI-PERSON",
            "-\tI-PERSON",
            "myung\tI-PERSON",
            ".\tO",
            "",
            "Lee\tB-PERSON",
            "’s\tO",
            "Xiaomi\tB-ORG",
            "phone\tO",
            ".\tO",
            "",
        ]
    );
}

#[test]
fn bad_gazetteer_exits_2_and_writes_nothing() {
    let dir = tempdir();
    let g = dir.path().join("bad.tsv");
    std::fs::write(&g, "type\tname\taliases\nPERSON\t\t\nperson\tAda\tx\n").unwrap();
    let out = dir.path().join("out.jsonl");
    entgraph()
        .args(["tag", "-o"])
        .arg(&out)
        .arg("-g")
        .arg(&g)
        .arg("-")
        .write_stdin("Ada")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}:2: empty name",
            g.display()
        )))
        .stderr(predicate::str::contains(format!(
            "{}:3: type \"person\"",
            g.display()
        )))
        .stderr(predicate::str::contains(format!(
            "{}:3: alias \"x\" is shorter",
            g.display()
        )));
    assert!(!out.exists());
}

#[test]
fn bad_inputs_are_named_and_the_rest_is_processed() {
    let dir = tempdir();
    let good = dir.path().join("good.txt");
    std::fs::write(&good, "Xi Jinping in Beijing").unwrap();
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, b"Beijing caf\xe9").unwrap();
    let missing = dir.path().join("missing.txt");
    let out = entgraph()
        .arg("tag")
        .arg(&missing)
        .arg(&latin1)
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("skipped {}", missing.display())),
        "{err}"
    );
    assert!(
        err.contains(&format!("{}: not valid UTF-8", latin1.display())),
        "{err}"
    );
    let docs = jsonl(&out.stdout);
    assert_eq!(docs.len(), 2);
    assert_eq!(mentions(&docs[0]), [("Beijing".into(), "beijing".into())]);
    assert_eq!(mentions(&docs[1]).len(), 2);

    // Lossy decoding alone is not a failure.
    entgraph().arg("tag").arg(&latin1).assert().success();
}

#[test]
fn jsonl_on_stdin_keeps_ids() {
    let out = entgraph()
        .args(["tag", "-"])
        .write_stdin(
            "{\"id\": \"a\", \"text\": \"Xi Jinping\"}\n{\"text\": \"Seoul\", \"src\": 1}\n",
        )
        .output()
        .unwrap();
    assert!(out.status.success());
    let docs = jsonl(&out.stdout);
    assert_eq!(docs[0]["doc"], "a");
    assert_eq!(docs[1]["doc"], "-:2");
    assert_eq!(mentions(&docs[1]), [("Seoul".into(), "seoul".into())]);
}

#[test]
fn output_is_the_same_whatever_the_thread_count() {
    let run = |threads: &str| {
        let out = entgraph()
            .args(["tag", "-j", threads])
            .arg(seeds())
            .arg(examples("news"))
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout
    };
    let one = run("1");
    assert!(one.len() > 1000);
    assert_eq!(one, run("2"));
}
