"""A compact BERT over characters, pretrained from scratch on our own corpus.

Chinese BERTs cut Chinese text into characters anyway; a character vocabulary
drawn from government documents keeps the embedding table small (a few
thousand rows instead of 21,128) so that the model trains on a CPU. The
tokenizer is a dict lookup written here rather than a ``transformers``
tokenizer: ``BertTokenizer`` would wordpiece digits and Latin runs (“2035”,
“R&D”) into pieces that a character vocabulary does not hold, and one id per
character keeps offsets trivial.

Weights are stored as safetensors (``model.safetensors``) with ``config.json``
and ``vocab.txt``; nothing is unpickled.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

SPECIALS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
PAD, UNK, CLS, SEP, MASK = range(5)


class CharVocab:
    """Character ↔ id; unknown characters map to ``[UNK]``."""

    def __init__(self, chars: Sequence[str]) -> None:
        self.itos = list(SPECIALS) + [c for c in chars if c not in SPECIALS]
        self.stoi = {c: i for i, c in enumerate(self.itos)}

    def __len__(self) -> int:
        return len(self.itos)

    @classmethod
    def build(cls, texts: Iterable[str], min_count: int = 3) -> CharVocab:
        """Every character seen at least ``min_count`` times (whitespace excluded), most frequent first."""
        from collections import Counter

        counts: Counter[str] = Counter()
        for t in texts:
            counts.update(t)
        return cls([c for c, n in counts.most_common() if n >= min_count and not c.isspace()])

    def save(self, path: Path) -> None:
        """Write one character per line (the specials first)."""
        path.write_text("\n".join(self.itos) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> CharVocab:
        """Read a vocabulary written by :meth:`save`."""
        return cls(path.read_text(encoding="utf-8").split("\n")[len(SPECIALS):-1])

    def encode(self, text: str) -> list[int]:
        """Ids of the characters of ``text``, whitespace dropped.

        >>> v = CharVocab(["要", "力", "争"])
        >>> v.encode("力争 要X")
        [6, 7, 5, 1]

        """
        get = self.stoi.get
        return [get(c, UNK) for c in text if not c.isspace()]

    def encode_pair(self, first: str, second: str, max_len: int) -> list[int]:
        """``[CLS] first [SEP] second [SEP]``, ``second`` cut first when too long."""
        a = self.encode(first)[: max_len - 3]
        b = self.encode(second)[: max(0, max_len - 3 - len(a))]
        return [CLS, *a, SEP, *b, SEP]


def bert_config(vocab_size: int, *, hidden: int = 256, layers: int = 4, heads: int = 4, max_len: int = 160,
                num_labels: int | None = None):
    """The architecture of our char-BERT (sizes recorded in the model's ``config.json``)."""
    from transformers import BertConfig

    extra: dict[str, Any] = {"num_labels": num_labels} if num_labels else {}
    return BertConfig(vocab_size=vocab_size, hidden_size=hidden, num_hidden_layers=layers,
                      num_attention_heads=heads, intermediate_size=hidden * 4,
                      max_position_embeddings=max_len, pad_token_id=PAD, type_vocab_size=2, **extra)


def save_json(path: Path, obj: object) -> None:
    """Write ``obj`` as indented UTF-8 JSON."""
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
