"""Mine words jieba's dictionary tags as person names that the corpus never uses as one (许可证, 卫星, 明白).

usage: python scripts/mine_not_person_words.py [--min-places 3] [--max-share 0.05]

jieba's dictionary gives many common words the person-name tag ``nr`` (许可证, 范畴, 满负荷, 卫星,
文明, 高水平, 申请人), and the entity tagger took each of them for a person. A name shows itself
by what stands around it: a title or 同志 after or before it (习近平总书记, 总理李克强), a verb of
speech after it (郭燕红表示), 思想/理论 after it (邓小平理论), or another name beside it in a list
(王洪文、张春桥、江青). So, over the training documents (``training_documents``: gold sources and
the topic test documents left out; never a report of the tracking test or border years), every
place of a word the dictionary tags ``nr*`` is counted, with the places where such a context
stands. A word of ``--min-places`` places or more with at most ``--max-share`` of them in a
person's context goes to ``nlp_service/resources/not_person_words.tsv`` with its counts, unless
``scripts/not_person_words.reject.txt`` lists it (read and kept as a name: 张师傅 is a person the
corpus only calls so). The entity tagger reads that file: such a word is never a person.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from nlp_service.segment.words import pos_tags
from nlp_service.training.corpus import training_documents

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mine_numbered_names import tracking_test_reports

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "nlp_service" / "resources" / "not_person_words.tsv"
REJECT = ROOT / "scripts" / "not_person_words.reject.txt"
_TITLES = (r"同志|总理|主席|书记|总书记|委员长|部长|局长|厅长|市长|省长|县长|区长|主任|院士|教授|记者|委员|代表|大使|"
           r"总统|首相|总裁|董事长|总经理|经理|院长|校长|所长|处长|科长|队长|博士")
AFTER = re.compile(rf"(?:{_TITLES}|先生|女士|夫人|老师|研究员|思想|理论|说|表示|指出|强调|认为|介绍|称|提出|宣布|主持|"
                   r"出席|会见|考察|视察|签署|讲话|致辞|一行)")
BEFORE = re.compile(rf"(?:{_TITLES}|通讯员|会见了?|接见了?|看望了?|陪同)$")
_SENTENCE = re.compile(r"[。！？\n]")
_LIST_GAP = frozenset("、和与及")


def count(documents) -> tuple[Counter, Counter, Counter]:
    """(places, places in a person's context, documents) of every dictionary word tagged ``nr*``."""
    places, named, docs = Counter(), Counter(), Counter()
    for _, text, _ in documents:
        seen = set()
        for sentence in _SENTENCE.split(text):
            tokens = pos_tags(sentence) if sentence else []
            pos = 0
            for i, (word, flag) in enumerate(tokens):
                end = pos + len(word)
                if flag.startswith("nr") and len(word) >= 2:
                    places[word] += 1
                    seen.add(word)
                    beside = [tokens[j] for j, gap in ((i - 2, i - 1), (i + 2, i + 1))
                              if 0 <= j < len(tokens) and tokens[gap][0] in _LIST_GAP]
                    if (any(f.startswith("nr") and len(w) >= 2 for w, f in beside)
                            or AFTER.match(sentence, end) or BEFORE.search(sentence[max(0, pos - 6):pos])):
                        named[word] += 1
                pos = end
        docs.update(seen)
    return places, named, docs


def main() -> None:
    """Count, filter and write the list."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-places", type=int, default=3)
    ap.add_argument("--max-share", type=float, default=0.05)
    args = ap.parse_args()
    skip = tracking_test_reports()
    documents = [d for d in training_documents() if d[0] not in skip]
    places, named, docs = count(documents)
    reject = {ln.strip() for ln in REJECT.read_text(encoding="utf-8").splitlines()
              if ln.strip() and not ln.startswith("#")}
    rows = sorted((w for w, n in places.items() if n >= args.min_places and named[w] <= args.max_share * n
                   and w not in reject), key=lambda w: (-places[w], w))
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write(f"# words jieba's dictionary tags nr that the corpus never uses as a person's name "
                 f"(scripts/mine_not_person_words.py --min-places {args.min_places} --max-share {args.max_share}, "
                 f"{len(documents)} training documents)\n")
        fh.write("word\tplaces\tplaces_in_a_persons_context\tdocuments\n")
        for w in rows:
            fh.write(f"{w}\t{places[w]}\t{named[w]}\t{docs[w]}\n")
    print(f"{len(rows)} words -> {OUT.relative_to(ROOT)} ({len(places)} nr words seen, {len(reject)} rejected)")


if __name__ == "__main__":
    main()
