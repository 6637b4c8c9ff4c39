"""Mine numbered names: a numeral, a classifier and a noun that the corpus always joins (四项基本原则, 八项规定).

usage: python scripts/mine_numbered_names.py [--min-docs 3] [--min-share 0.9]

A numbered name counts nothing: 四项基本原则 is the name of a doctrine, 八项规定 of a set of
rules, as 四个全面 is of a formula. What tells such a name from a count is that its noun comes
with one numeral only: across the whole corpus 基本原则 follows 四项 in 63 of 68 places, while
方面 follows 三个, 四个 and 五个 alike. So, over the training documents
(``nlp_service.training.corpus.training_documents``: gold sources and the topic test documents
left out) and never a report of the tracking test or border years (``corpus/tracking/FROZEN.json``:
State Council 2007–2014, Shanghai 2022–2024), every run of a numeral (二 to 九十, never after 第
or another figure), a classifier (个 项 大 条 种 点) and two to four Han characters is counted; a
noun whose commonest numeral has ``--min-share`` of its places and ``--min-docs`` documents is a
candidate; one per chain is kept (五项原则, not 五项原则的基; 两个积极性, as every place of 两个积极
goes on). Candidates not in ``scripts/numbered_names.reject.txt`` (each read in its sentences:
counts, fragments, a template's repeated clause) go to ``nlp_service/resources/numbered_names.tsv``
with their counts. The indicator extractor reads that file: a numeral inside a numbered name is no
figure.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from nlp_service.training.corpus import SHARED_CORPUS, SOURCES, training_documents

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "nlp_service" / "resources" / "numbered_names.tsv"
REJECT = ROOT / "scripts" / "numbered_names.reject.txt"
NAME = re.compile(r"(?<![第0-9一二两三四五六七八九十百千万])"  # never an ordinal or part of a longer figure
                  r"([二两三四五六七八九十]{1,2})([个项大条种点])([\u4e00-\u9fff]{2,4})")
TRACKING = ROOT / "corpus" / "tracking" / "FROZEN.json"


def tracking_test_reports() -> set[str]:
    """Keys of the reports the tracking test and border years read (``corpus/tracking/FROZEN.json``).

    A test year Y reads the reports of Y (its targets) and Y+1 (their outcomes); a border year Y is
    left out because its own report is a test year's outcome report.
    """
    out = set()
    for group, split in json.loads(TRACKING.read_text(encoding="utf-8"))["years"].items():
        years = {y + d for y in split["test"] for d in (0, 1)} | set(split["excluded"])
        path, _, idf = SOURCES[group]
        for line in (SHARED_CORPUS / path).open(encoding="utf-8"):
            d = json.loads(line)
            year = str(d.get("year") or "")[:4]
            if year.isdigit() and int(year) in years:
                out.add(f"{path}#{d[idf]}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-docs", type=int, default=3)
    ap.add_argument("--min-share", type=float, default=0.9)
    args = ap.parse_args()
    skip = tracking_test_reports()
    numerals: dict[tuple[str, str], Counter] = defaultdict(Counter)  # (classifier, noun) -> numeral -> places
    docs: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    n_docs = 0
    for key, text, _ in training_documents():
        if key in skip:
            continue
        n_docs += 1
        for m in NAME.finditer(text):
            numeral, classifier, rest = m.groups()
            for size in range(2, len(rest) + 1):
                numerals[classifier, rest[:size]][numeral] += 1
                docs[numeral, classifier, rest[:size]].add(key)
    found = {}
    for (classifier, noun), counts in numerals.items():
        numeral, places = counts.most_common(1)[0]
        share, in_docs = places / sum(counts.values()), len(docs[numeral, classifier, noun])
        if share >= args.min_share and in_docs >= args.min_docs:
            found[numeral + classifier + noun] = (in_docs, places, sum(counts.values()))
    # one entry per chain: the shortest (五项原则, not 五项原则的基: longer ones run into what follows
    # the name), written out as far as every place of it goes on alike (两个积极 -> 两个积极性)
    shortest = {}
    for n, v in found.items():
        if not any(o != n and n.startswith(o) for o in found):
            whole = max((o for o in found if o.startswith(n) and found[o][1] == v[1]), key=len)
            shortest[whole] = v
    reject = {x.strip() for x in REJECT.read_text(encoding="utf-8").splitlines() if x.strip() and not x.startswith("#")}
    rows = sorted(((n, *v) for n, v in shortest.items() if n not in reject), key=lambda r: (-r[1], r[0]))
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write("# numbered name\tdocuments\tplaces with this numeral\tplaces of the noun with any numeral "
                 f"(scripts/mine_numbered_names.py --min-docs {args.min_docs} --min-share {args.min_share}, "
                 f"{n_docs} training documents)\n")
        for r in rows:
            fh.write("\t".join(map(str, r)) + "\n")
    print(f"{len(shortest)} candidates, {len(shortest) - len(rows)} on the reject list, {len(rows)} -> {OUT}")
    for r in sorted(shortest.items(), key=lambda kv: -kv[1][0]):
        print(("  rejected " if r[0] in reject else "  ") + f"{r[0]}\t{r[1]}")


if __name__ == "__main__":
    main()
