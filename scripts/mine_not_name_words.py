"""Mine words jieba's dictionary tags as names of people or places that the corpus never uses as such.

usage: python scripts/mine_not_name_words.py [--kind person|place|both] [--min-places 3] [--max-share 0.05]

jieba's dictionary gives many common words a name's tag: ``nr`` (person) to 许可证, 范畴, 满负荷,
卫星, 文明, 高水平, 申请人; ``ns`` (place) to 城市, 深度, 新建, 之日起, 惠及. The entity tagger took
each for a person or a place. A name shows itself by what stands around it:

- a person: a title or 同志 after or before it (习近平总书记, 总理李克强), a verb of speech after it
  (郭燕红表示), 思想/理论 after it (邓小平理论), or another name beside it in a list (王洪文、张春桥);
- a place: a word of motion or location before it (在, 到, 赴, 位于, 来自), an administrative or
  geographic word after it (省, 市, 县, 地区, 一带, 境内, 沿海), or another place beside it in a list.

So, over the training documents (``training_documents``: gold sources and the topic test
documents left out; never a report of the tracking test or border years), every place of a word
the dictionary tags ``nr*`` (``ns``) is counted, with the places where such a context stands. A
word of ``--min-places`` places or more with at most ``--max-share`` of them in such a context is
listed — for places, not a word of three characters or more that ends like a place's name (…省,
…市, …江, …镇: names by their form; 城市 and 城镇 are words) — unless the reject list
(``scripts/not_person_words.reject.txt``, ``not_place_words.reject.txt``) holds it: read in its
places and kept as a name (张师傅; 平潭, 沈阳, 苏州). The lists go to
``nlp_service/resources/not_person_words.tsv`` and ``not_place_words.tsv`` with their counts; the
entity tagger reads them: such a word is never a person (a place).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from nlp_service.segment.words import pos_tags
from nlp_service.training.corpus import training_documents

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mine_numbered_names import tracking_test_reports

ROOT = Path(__file__).resolve().parents[1]
_TITLES = (r"同志|总理|主席|书记|总书记|委员长|部长|局长|厅长|市长|省长|县长|区长|主任|院士|教授|记者|委员|代表|大使|"
           r"总统|首相|总裁|董事长|总经理|经理|院长|校长|所长|处长|科长|队长|博士")
KINDS = {
    # kind: (the tag test, context after, context before, resource, reject list, what a name's form says)
    "person": (lambda f: f.startswith("nr"),
               re.compile(rf"(?:{_TITLES}|先生|女士|夫人|老师|研究员|思想|理论|说|表示|指出|强调|认为|介绍|称|提出|"
                          r"宣布|主持|出席|会见|考察|视察|签署|讲话|致辞|一行)"),
               re.compile(rf"(?:{_TITLES}|通讯员|会见了?|接见了?|看望了?|陪同)$"),
               "not_person_words.tsv", "not_person_words.reject.txt", None),
    "place": (lambda f: f == "ns",
              re.compile(r"(?:省|市|县|区|镇|乡|村|州|盟|旗|地区|一带|境内|沿海|周边|各地|全境|段|路|街|岛|湾|港|江|河|山|湖)"),
              re.compile(r"(?:在|到|赴|至|从|位于|来自|前往|抵达|途经|地处|遍布|全|整个|包括)$"),
              "not_place_words.tsv", "not_place_words.reject.txt",
              re.compile(r"^..+(?:省|市|区|县|州|镇|乡|村|旗|盟|岛|港|湾|江|河|山|湖|流域)$")),
}
_SENTENCE = re.compile(r"[。！？\n]")
_LIST_GAP = frozenset("、和与及")


def count(documents, tagged: Callable[[str], bool], after: re.Pattern, before: re.Pattern
          ) -> tuple[Counter, Counter, Counter]:
    """(places, places in a name's context, documents) of every dictionary word with a name's tag."""
    places, named, docs = Counter(), Counter(), Counter()
    for _, text, _ in documents:
        seen = set()
        for sentence in _SENTENCE.split(text):
            tokens = pos_tags(sentence) if sentence else []
            pos = 0
            for i, (word, flag) in enumerate(tokens):
                end = pos + len(word)
                if tagged(flag) and len(word) >= 2:
                    places[word] += 1
                    seen.add(word)
                    beside = [tokens[j] for j, gap in ((i - 2, i - 1), (i + 2, i + 1))
                              if 0 <= j < len(tokens) and tokens[gap][0] in _LIST_GAP]
                    if (any(tagged(f) and len(w) >= 2 for w, f in beside)
                            or after.match(sentence, end) or before.search(sentence[max(0, pos - 6):pos])):
                        named[word] += 1
                pos = end
        docs.update(seen)
    return places, named, docs


def main() -> None:
    """Count, filter and write the lists."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", choices=("person", "place", "both"), default="both")
    ap.add_argument("--min-places", type=int, default=3)
    ap.add_argument("--max-share", type=float, default=0.05)
    args = ap.parse_args()
    skip = tracking_test_reports()
    documents = [d for d in training_documents() if d[0] not in skip]
    for kind in ("person", "place") if args.kind == "both" else (args.kind,):
        tagged, after, before, resource, reject_file, name_form = KINDS[kind]
        places, named, docs = count(documents, tagged, after, before)
        reject = {ln.strip() for ln in (ROOT / "scripts" / reject_file).read_text(encoding="utf-8").splitlines()
                  if ln.strip() and not ln.startswith("#")}
        rows = sorted((w for w, n in places.items() if n >= args.min_places and named[w] <= args.max_share * n
                       and w not in reject and not (name_form and name_form.search(w))),
                      key=lambda w: (-places[w], w))
        out = ROOT / "nlp_service" / "resources" / resource
        with out.open("w", encoding="utf-8") as fh:
            fh.write(f"# words jieba's dictionary tags as a {kind}'s name that the corpus never uses as one "
                     f"(scripts/mine_not_name_words.py --kind {kind} --min-places {args.min_places} "
                     f"--max-share {args.max_share}, {len(documents)} training documents)\n")
            fh.write(f"word\tplaces\tplaces_in_a_{kind}_context\tdocuments\n")
            for w in rows:
                fh.write(f"{w}\t{places[w]}\t{named[w]}\t{docs[w]}\n")
        print(f"{kind}: {len(rows)} words -> {out.relative_to(ROOT)} ({len(places)} words seen, {len(reject)} kept)")


if __name__ == "__main__":
    main()
