#!/usr/bin/env python3
"""Build and check the discovery cue lists in gazetteers/cues/.

    python3 gazetteers/build/build_cues.py            # write gazetteers/cues/given-names.tsv
    python3 gazetteers/build/build_cues.py --check    # lint every cue file, print counts
    python3 gazetteers/build/build_cues.py --review CORPUS.jsonl.gz [--top 50]
                                                      # precision review of the given names

given-names.tsv is GENERATED from
  * the US Census 1990 first-name lists (dist.male.first, dist.female.first; public domain)
    shipped in PyPI `names` 0.3.0 (MIT), pinned in requirements.txt;
  * the team's hand-written supplement data/given-names-extra.tsv;
filtered by
  * src/common_words.txt (a name whose lower-case form is a common English word is dropped),
  * the allowlist / droplist data/given-names-policy.tsv,
  * the gazetteer: a name that is a country, demonym, region or organization name or alias
    there ("France", "Irish", "Alberta", "Kia") is dropped unless the policy keeps it;
  * months and weekdays, and the other cue files (a given name that is also a stop word, title,
    org keyword, loc key or connector is dropped unless the policy keeps it).
The output is deterministic: rows sorted by folded form, one row per folded form.
The other cue files are written by hand; --check lints them all.
"""
import argparse
import collections
import gzip
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CUES = os.path.join(ROOT, "gazetteers", "cues")
KINDS = {"given", "title", "org", "loc", "stop", "connector", "joiner", "suffix"}
NAMES_VERSION = "0.3.0"

MONTHS_DAYS = """january february march april may june july august september october november
december monday tuesday wednesday thursday friday saturday sunday""".split()


def fold(s):
    """The engine's folding (src/fold.rs), enough for equality: dashes and whitespace runs become
    one space, curly apostrophes become ', NFKD with combining marks dropped, full case folding."""
    s = re.sub(r"[\s\-\u2010-\u2015\u2212]+", " ", s.strip())
    s = re.sub(r"[\u2019\u2018\u02bc\u2032\uff07]", "'", s)
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return s.casefold()


def key(cue):
    """Duplicate key: folded, with the optional trailing full stop removed."""
    k = fold(cue)
    return k[:-1] if k.endswith(".") and len(k) > 1 else k


def read_tsv(path):
    """Yield (line number, dict) for the data rows of a cue-format TSV; the header is the first
    non-comment line. Raises ValueError on a malformed file."""
    header = None
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("#") or not line.strip():
                continue
            cols = line.split("\t")
            if header is None:
                header = [c.strip() for c in cols]
                continue
            if len(cols) > len(header):
                raise ValueError(f"{path}:{n}: {len(cols)} fields, header has {len(header)}")
            yield n, dict(zip(header, cols + [""] * (len(header) - len(cols))))
    if header is None:
        raise ValueError(f"{path}: no header")


def census_names():
    import names  # PyPI `names`, pinned in requirements.txt
    if names.__version__ != NAMES_VERSION:
        sys.exit(f"names {names.__version__} installed, {NAMES_VERSION} expected (requirements.txt)")
    out = {}
    for fn, tag in (("dist.male.first", "census-male"), ("dist.female.first", "census-female")):
        with open(os.path.join(os.path.dirname(names.__file__), fn), encoding="ascii") as f:
            for line in f:
                if line.strip():
                    name = line.split()[0].capitalize()
                    out.setdefault(name, []).append(tag)
    return out


def load_words():
    path = os.path.join(ROOT, "src", "common_words.txt")
    with open(path, encoding="utf-8") as f:
        return {w.strip() for w in f if w.strip() and not w.startswith("#")}


def other_cues():
    """Folded cue -> kinds, for every hand-written cue file (all but given-names.tsv)."""
    out = collections.defaultdict(set)
    for fn in sorted(os.listdir(CUES)):
        if fn.endswith(".tsv") and fn != "given-names.tsv":
            for _, row in read_tsv(os.path.join(CUES, fn)):
                out[key(row["cue"])].add(row["kind"].strip())
    return out


GAZ_FILES = ("generated/countries.tsv", "generated/demonyms.tsv", "generated/regions.tsv",
             "hand/organizations.tsv", "generated/organizations-world.tsv")


def gazetteer_aliases():
    """Folded names and aliases of the gazetteer's countries, demonyms, regions and organizations:
    a given name that is one of them ("France", "Irish", "Alberta", "Kia") is mostly not a person."""
    out = set()
    for fn in GAZ_FILES:
        for _, row in read_tsv(os.path.join(ROOT, "gazetteers", fn)):
            for a in [row.get("name", "")] + row.get("aliases", "").split("|"):
                a = a.strip().lstrip("~").strip()
                if a:
                    out.add(key(a))
    return out


def build(out_path):
    words = load_words()
    gaz = gazetteer_aliases()
    policy = {}
    for _, row in read_tsv(os.path.join(HERE, "data", "given-names-policy.tsv")):
        policy[key(row["name"])] = (row["action"].strip(), row["name"])
    extra = [(row["name"].strip(), row["origin"].strip())
             for _, row in read_tsv(os.path.join(HERE, "data", "given-names-extra.tsv"))]
    cues = other_cues()

    cand = {}  # folded -> [spelling, sources]
    for name, tags in census_names().items():
        cand.setdefault(key(name), [name, []])[1].extend(tags)
    for name, origin in extra:  # the supplement's spelling (diacritics, case) wins
        k = key(name)
        if k in cand:
            cand[k][0] = name
        else:
            cand[k] = [name, []]
        cand[k][1].append("extra:" + origin.replace(" ", "-"))

    dropped = collections.Counter()
    rows = []
    for k, (name, src) in cand.items():
        action = policy.get(k, ("", ""))[0]
        reason = None
        if " " in k or len(k) < 2:
            reason = "not one word of 2+ letters"
        elif action == "drop":
            reason = "policy drop"
        elif k in MONTHS_DAYS:
            reason = "month or weekday"
        elif action == "keep":
            pass
        elif k in words:
            reason = "common word"
        elif k in gaz:
            reason = "gazetteer country/demonym/region/org"
        elif cues.get(k, set()) & {"stop", "title", "org", "loc"}:
            # connectors, joiners and suffixes are lower-case particles: "Al Gore", "Ben Stokes" stay
            reason = "other cue (" + ",".join(sorted(cues[k])) + ")"
        if reason:
            dropped[reason.split(" (")[0]] += 1
            continue
        rows.append((k, name, ";".join(sorted(set(src)))))
    missing = sorted(p for a, p in policy.values() if a == "keep" and key(p) not in cand)
    if missing:
        sys.exit(f"policy keeps names that no source has: {missing}")
    rows.sort()
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Given names: a cue list for discovery. A capitalized candidate of 2+ words whose first word\n"
                "# is one of these is typed PERSON. GENERATED by gazetteers/build/build_cues.py - do not edit;\n"
                "# edit build/data/given-names-extra.tsv or build/data/given-names-policy.tsv and re-run. Sources:\n"
                "# US Census 1990 first names (public domain) via PyPI names 0.3.0 (MIT); the team's supplement.\n")
        f.write("cue\tkind\tnote\n")
        for _, name, src in rows:
            f.write(f"{name}\tgiven\t{src}\n")
    print(f"{out_path}: {len(rows)} given names ({len(cand)} candidates; dropped: "
          + ", ".join(f"{r} {n}" for r, n in sorted(dropped.items())) + ")")


def check():
    errors = 0
    seen_all = collections.defaultdict(set)  # key -> {(kind, file)}
    for fn in sorted(os.listdir(CUES)):
        if not fn.endswith(".tsv"):
            continue
        path = os.path.join(CUES, fn)
        with open(path, encoding="utf-8") as f:
            first = f.readline()
        if not first.startswith("#"):
            print(f"{fn}: error: no header comment")
            errors += 1
        counts = collections.Counter()
        seen = {}
        try:
            header_ok = True
            for n, row in read_tsv(path):
                if header_ok:
                    if "cue" not in row or "kind" not in row:
                        print(f"{fn}: error: header lacks cue/kind columns")
                        errors += 1
                        break
                    header_ok = False
                cue, kind = row["cue"], row["kind"].strip()
                where = f"{fn}:{n}"
                if not cue.strip():
                    print(f"{where}: error: empty cue"); errors += 1; continue
                if cue != cue.strip() or "\t" in cue:
                    print(f"{where}: error: cue has surrounding space or a tab: {cue!r}"); errors += 1
                if kind not in KINDS:
                    print(f"{where}: error: unknown kind {kind!r}"); errors += 1; continue
                k = key(cue)
                if (kind, k) in seen:
                    print(f"{where}: error: duplicate {kind} {cue!r} (line {seen[(kind, k)]})")
                    errors += 1
                seen[(kind, k)] = n
                seen_all[k].add(kind)
                counts[kind] += 1
        except ValueError as e:
            print(f"error: {e}"); errors += 1; continue
        print(f"{fn}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    # a stop word that is also a name cue contradicts itself
    for k, kinds in sorted(seen_all.items()):
        if "stop" in kinds and kinds & {"given", "title", "org", "loc"}:
            print(f"error: {k!r} is a stop word and a {'/'.join(sorted(kinds - {'stop'}))} cue")
            errors += 1
    print("ok" if not errors else f"{errors} error(s)")
    return 1 if errors else 0


def review(corpus, top):
    """Print the given names most often seen sentence-initially before a lower-case word: each is a
    common word that would start a false candidate. Only counts are printed, no corpus text."""
    given = {key(r["cue"]): r["cue"] for _, r in read_tsv(os.path.join(CUES, "given-names.tsv"))}
    lower = collections.Counter()
    upper = collections.Counter()
    anywhere = collections.Counter()
    opener = gzip.open if corpus.endswith(".gz") else open
    tok = re.compile(r"(?:^|(?<=[.!?\"\n]))\s*([A-Z][\w'\u00c0-\u024f]*)\s+(\S+)")
    with opener(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            text = json.loads(line).get("text", "")
            for w in re.findall(r"\b[A-Z][a-z\u00e0-\u024f]+\b", text):
                if key(w) in given:
                    anywhere[key(w)] += 1
            for m in tok.finditer(text):
                k = key(m.group(1))
                if k in given:
                    nxt = m.group(2)
                    (lower if nxt[:1].islower() else upper)[k] += 1
    bigrams = collections.Counter()
    big = re.compile(r"\b([A-Z][\w\u00c0-\u024f]+) ([A-Z][\w\u00c0-\u024f'-]+)")
    opener2 = gzip.open if corpus.endswith(".gz") else open
    with opener2(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            for m in big.finditer(json.loads(line).get("text", "")):
                if key(m.group(1)) in given:
                    bigrams[(m.group(1), m.group(2))] += 1
    print(f"{'name':<14}{'+lower':>7}{'+Upper':>7}{'capitalized anywhere':>22}")
    for k, n in lower.most_common(top):
        print(f"{given[k]:<14}{n:>7}{upper[k]:>7}{anywhere[k]:>22}")
    print(f"\nmost frequent capitalized pairs starting with a given name (top {top}):")
    for (a, b2), n in bigrams.most_common(top):
        print(f"{n:>6}  {a} {b2}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="lint gazetteers/cues/*.tsv and print counts")
    ap.add_argument("--review", metavar="CORPUS", help="JSON-lines corpus (with `text`) to review given names against")
    ap.add_argument("--top", type=int, default=50)
    ap.add_argument("--out", default=os.path.join(CUES, "given-names.tsv"))
    a = ap.parse_args()
    if a.check:
        sys.exit(check())
    if a.review:
        review(a.review, a.top)
        return
    build(a.out)


if __name__ == "__main__":
    main()
