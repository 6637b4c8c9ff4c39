"""Named entities: organisations, places and people (ORG / LOC / PER).

jieba's part-of-speech dictionary already knows person names (nr), place names (ns) and
organisation names (nt) word by word; what it does not do is assemble the long names policy text
is full of — 中国科学院宁波材料所, 河南中岳阀门制造有限公司, 市科技局, 甬江实验室. The assembly
(a run of proper nouns and nouns ending in an organisation suffix) is written here. A trained
sequence tagger would be stronger, but the only labelled NER data at hand (People's Daily 1998)
is research-use only, and we ship no weights derived from it; it is used for scoring
(``benchmarks/bench_entities.py``: dev for the rules, test scored once).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from nlp_service.extract.finding import Finding
from nlp_service.resources import read_tsv
from nlp_service.segment.posseg_hmm import hmm_tagger
from nlp_service.segment.words import pos_tags

ORG_SUFFIX = re.compile(
    r"(?:有限责任公司|股份有限公司|有限公司|公司|集团|银行|大学|学院|学校|中学|小学|医院|研究院|研究所|科学院|"
    r"实验室|研究中心|中心|委员会|办公厅|办公室|总局|局|厅|部|委|署|院|所|协会|学会|总会|基金会|联合会|商会|"
    r"党委|党组|政府|法院|检察院|工会|联盟|组织|报社|电视台|通讯社|新华社|队|厂|处|站|馆|团|社|会)$"
)
_ORG_HEAD = {"ns", "nt", "nz", "nrt", "j"}
# a set, not a pattern: asked of every word (a word never ends in a line break, which ^…$ would allow)
_ADMIN_HEAD = frozenset(("市", "省", "区", "县", "州", "镇", "乡", "国家", "中央", "全国", "中共", "国务院"))
_LOC_SUFFIX = re.compile(r"^(?:省|市|县|区|镇|乡|村|州|盟|旗|岛|湾|港|山|河|湖|江|路|街|街道|新区|开发区|高新区|自贸区)$")  # noqa: E501
_NOT_PER = re.compile(r"^(?:[一二三四五六七八九十百千]|.*[年月日区市县省局镇村])$")
_PER_TAG = {"nr", "nrfg", "nrt"}
_ONE_CHAR_SUFFIX = set("所院局厅部委处站厂队社办")
_TITLE = re.compile(r"^(?:局长|厅长|部长|主任|处长|院长|所长|站长|厂长|队长|社长|书记|副局长|副主任)$")
_NOT_HEAD = {"本报讯", "本报", "讯"}
# jieba's dictionary tags many ordinary words nr (友谊, 封锁, 公正); a Chinese name must start with a
# common surname (the ~200 most frequent), a foreign one must be written in transliteration characters.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖"
    "贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷"
    "詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司"
    "卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平"
)
_TRANSLIT = set("阿尔克斯特拉尼亚伊夫顿基德卡里马纳格托布罗普奇维洛兹莫科塔诺利埃乌巴哈费瓦什丁安萨姆默汉迪森登耶切蒂曼戈"  # noqa: E501
                "恩鲁波西杰娜莉丽米勒霍沃索泽茨赫佐扎舍约翰逊威廉汤姆林肯金钟泌")
TYPES = ("ORG", "LOC", "PER")
# the tagger gives no score; its precision per type on the People's Daily NER test set
# (benchmarks/bench_entities.py --split test) stands in for one
ENTITY_CONFIDENCE = {"ORG": 0.6, "LOC": 0.74, "PER": 0.77}


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity(Finding):
    """A named entity of the text; ``spans`` are all its occurrences (``start``/``end``: the first)."""

    text: str
    type: str
    count: int
    spans: tuple[tuple[int, int], ...]


# jieba.posseg cuts a sentence block by block: runs of these characters, split at everything else
_BLOCK = re.compile(r"[\u4e00-\u9fd5a-zA-Z0-9+#&._]+")


def _dictionary_pass(text: str, offset: int = 0) -> list[tuple[int, int, str, str]]:
    """(start, end, word, tag) from the dictionary alone, by rjieba.

    The tags are jieba.posseg's, ten times faster (``benchmarks/bench_rjieba_parity.py --tags``);
    a digit or letter run gets jieba's ``eng``.
    """
    words = []
    pos = offset
    for w, f in pos_tags(text):
        words.append((pos, pos + len(w), w, "eng" if f == "m" and w.isascii() and w.isalnum() else f))
        pos += len(w)
    return words


def _hmm_pass(text: str, offset: int) -> list[tuple[int, int, str, str]]:
    """(start, end, word, tag) by jieba.posseg with its HMM.

    Its HMM tags unknown words jointly with their part of speech; rjieba's segments first and tags
    after, and finds fewer names (People's Daily dev PER F1 0.627 → 0.580). Its Viterbi search runs
    over arrays (:mod:`nlp_service.segment.posseg_hmm`: the same routes, 13× faster).
    """
    words = []
    pos = offset
    for p in hmm_tagger().cut(text, HMM=True):
        words.append((pos, pos + len(p.word), p.word, p.flag))
        pos += len(p.word)
    return words


def _cut(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, word, tag) of ``text`` in jieba's tag set.

    The dictionary pass tags everything; where it leaves a surname followed by loose characters
    (费/小/琛), only that block (the run between two punctuation marks) is tagged again with the HMM,
    which joins unknown names. jieba's HMM search in pure Python cost 75% of entity tagging when it re-read
    whole sentences.
    """
    words = _dictionary_pass(text)
    if not _unknown_name_run(words):
        return words
    out: list[tuple[int, int, str, str]] = []
    i = 0
    for m in _BLOCK.finditer(text):
        while i < len(words) and words[i][0] < m.start():
            out.append(words[i])
            i += 1
        j = i
        while j < len(words) and words[j][0] < m.end():
            j += 1
        block = words[i:j]
        out.extend(_hmm_pass(m.group(), m.start()) if _unknown_name_run(block) else block)
        i = j
    out.extend(words[i:])
    return out


_FUNCTION_FLAGS = ("u", "p", "c", "d", "r", "m", "q", "x", "y", "e", "o", "w")


def _unknown_name_run(words: list[tuple[int, int, str, str]]) -> bool:
    for i in range(len(words) - 1):
        w = words[i][2]
        if len(w) == 1 and w in SURNAMES:
            nxt = words[i + 1]
            if len(nxt[2]) == 1 and not nxt[3].startswith(_FUNCTION_FLAGS):
                return True
    return False


def tag(text: str) -> list[tuple[int, int, str]]:
    """Entity spans ``(start, end, type)`` of one sentence, left to right.

    >>> t = "中国科学院宁波材料所与甬江实验室合作，市科技局局长费小琛在北京表示"
    >>> [(t[s:e], k) for s, e, k in tag(t)]
    [('中国科学院宁波材料所', 'ORG'), ('甬江实验室', 'ORG'), ('市科技局', 'ORG'), ('费小琛', 'PER'), ('北京', 'LOC')]

    """
    words = _cut(text)
    out: list[tuple[int, int, str]] = []
    i = 0
    n = len(words)
    while i < n:
        s, e, w, f = words[i]
        # organisation: a proper noun (or 市/省/国家…) followed by up to 6 nouns, ending in a suffix
        if (f in _ORG_HEAD or w in _ADMIN_HEAD) and w not in _NOT_HEAD:
            j = i
            end_org = -1
            cut = None
            while j < n and j - i <= 6:
                wj, fj = words[j][2], words[j][3]
                if j > i and len(wj) > 1 and wj[0] in _ONE_CHAR_SUFFIX and _TITLE.match(wj[1:]):
                    end_org, cut = j, words[j][0] + 1  # 科技/局局长: the organisation ends inside the word
                    break
                if j > i and wj in _ONE_CHAR_SUFFIX:
                    end_org = j
                    j += 1
                    continue
                if j > i and (fj in _PER_TAG or not (fj.startswith("n") or fj in {"j", "vn", "b", "an"})):
                    break
                if ORG_SUFFIX.search(wj) and (j > i or f == "nt"):
                    end_org = j
                j += 1
            if end_org >= 0 and (end_org > i or f == "nt"):
                out.append((s, cut or words[end_org][1], "ORG"))
                i = end_org + (0 if cut else 1)
                if cut:  # the rest of the split word (局长) is not an entity
                    i += 1
                continue
        if f == "nt":
            out.append((s, e, "ORG"))
        elif f == "ns" and len(w) >= 2 and w not in _not_name_words("not_place_words.tsv"):
            end = e
            if i + 1 < n and _LOC_SUFFIX.match(words[i + 1][2]):
                end = words[i + 1][1]
                i += 1
            out.append((s, end, "LOC"))
        elif f in _PER_TAG and _person_like(w, f):
            out.append((s, e, "PER"))
        i += 1
    return out


@lru_cache(maxsize=2)
def _not_name_words(resource: str) -> frozenset[str]:
    """Words jieba's dictionary tags as names of people (places) that the corpus never uses as one.

    ``resources/not_person_words.tsv`` (许可证, 卫星, 文明) and ``not_place_words.tsv`` (城市, 深度,
    新建, 之日起), mined by ``scripts/mine_not_name_words.py``.
    """
    return frozenset(r["word"] for r in read_tsv(resource))


def _person_like(word: str, flag: str) -> bool:
    if word in _not_name_words("not_person_words.tsv"):
        return False
    if flag == "nrfg" or "·" in word or "•" in word:
        return True  # nrfg: a full name in jieba's dictionary (习近平), whatever its surname
    if 2 <= len(word) <= 3 and word[0] in SURNAMES and not _NOT_PER.match(word):
        return True
    return len(word) >= 3 and sum(c in _TRANSLIT for c in word) >= len(word) - 1


def find_entities(sentences: Iterable[tuple[int, str]]) -> list[Entity]:
    """Entities of a text given as ``(offset, sentence)`` pairs; one per (text, type), most frequent first."""
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for offset, sentence in sentences:
        for s, e, kind in tag(sentence):
            spans.setdefault((sentence[s:e], kind), []).append((offset + s, offset + e))
    counts = Counter({k: len(v) for k, v in spans.items()})
    return [Entity(text=text, type=kind, count=n, spans=tuple(spans[(text, kind)]), start=spans[(text, kind)][0][0],
                   end=spans[(text, kind)][0][1], confidence=ENTITY_CONFIDENCE[kind], evidence=("jieba-pos",))
            for (text, kind), n in counts.most_common()]
