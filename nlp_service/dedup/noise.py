"""The noise model of a scanned or transcribed copy, for the benchmarks and the labelled noisy pairs.

A copy made by OCR or by a speech transcript is noisy all over, figures not spared. With
probability ``rate`` each character (line breaks kept) is

- substituted (60%): a digit by a look-alike (0→O/o/D, 1→l/I, 2→Z, 3→8, 5→S/6, 6→8/b, 8→B/6/3,
  9→g; 4 and 7 by a random character), any other character by a random Han character;
- dropped (20%; digits too, so 2024 may come out as 224);
- followed by a random inserted Han character (20%).

A reprint that cut a passage (``cut_passage``, model ``cut-v1``): one sentence of 20 or more
characters, neither the first nor the last, is left out.

Deterministic for a given ``random.Random``: ``noisy_copy(text, rate, seed)`` always makes the same
copy, so a labelled pair can name its copy by (record id, rate, seed) and never store the text.
"""

from __future__ import annotations

import random
import re

LOOKALIKE = {"0": "OoD", "1": "lI", "2": "Z", "3": "8", "5": "S6", "6": "8b", "8": "B63", "9": "g"}
HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]  # the commonest block of CJK Unified Ideographs
MODEL = "ocr-v1"
CUT_MODEL = "cut-v1"
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+|[^。！？!?]+$")


def ocr(text: str, rate: float, rng: random.Random) -> str:
    """``text`` through the noise model (see the module docstring)."""
    out = []
    for c in text:
        if c == "\n" or rng.random() >= rate:
            out.append(c)
            continue
        r = rng.random()
        if r < 0.6:
            out.append(rng.choice(LOOKALIKE[c]) if c in LOOKALIKE else rng.choice(HAN))
        elif r < 0.8:
            continue  # dropped
        else:
            out += [c, rng.choice(HAN)]
    return "".join(out)


def noisy_copy(text: str, rate: float, seed: int) -> str:
    """The copy of ``text`` the model makes at ``rate`` with ``seed`` (the same every time)."""
    return ocr(text, rate, random.Random(seed))  # noqa: S311 - simulated noise, no secret


def cut_passage(text: str, seed: int) -> str | None:
    """``text`` without one inner sentence of 20+ characters (a reprint's cut), or None when it has none."""
    sentences = _SENTENCE.findall(text)
    inner = [i for i in range(1, len(sentences) - 1) if len(sentences[i].strip()) >= 20]
    if not inner:
        return None
    drop = random.Random(seed).choice(inner)  # noqa: S311 - simulated edit, no secret
    return "".join(s for i, s in enumerate(sentences) if i != drop)
