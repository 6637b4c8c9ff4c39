"""Print the metric phrases of the train and dev tracking pairs, per metric key (for ``resources/metrics.tsv``).

usage: python scripts/mine_metric_synonyms.py

For every target and outcome text of ``corpus/tracking/pairs`` outside the test split, the metric
and change word the indicator extractor finds, counted per ``metric_key``: the raw material of the
phrase table, where each phrase is read and kept only when it names the quantity (not the verb).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

from nlp_service.extract.indicators import SentenceContext, find_indicators

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    """Print ``key count [side:metric/change×n …]``, most frequent keys first."""
    seen: dict[str, Counter] = defaultdict(Counter)
    for f in sorted((ROOT / "corpus" / "tracking" / "pairs").glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        if d["split"] == "test":
            continue
        for p in d["pairs"]:
            for side in ("target", "outcome"):
                x = p[side]
                if x:
                    for ind in find_indicators(SentenceContext(x["text"], 0, (), (), None))[:1]:
                        seen[p["target"]["metric_key"]][side[0], ind.metric, ind.change] += 1
    for key, c in sorted(seen.items(), key=lambda kv: -sum(kv[1].values())):
        print(key, sum(c.values()), [f"{s}:{m}/{ch}×{n}" for (s, m, ch), n in c.most_common(12)])


if __name__ == "__main__":
    main()
