"""jieba.posseg's HMM tagging with its Viterbi search written over numpy arrays.

jieba.posseg tags unknown words jointly with their part of speech: a Viterbi search over 256
(position, tag) states. The entity tagger needs exactly that search where a surname stands before
loose characters (费/小/琛 → 费小琛/nr); rjieba's HMM segments first and tags after, and finds
fewer names. jieba's search is pure Python over dicts and sets (a third of entity tagging), and
no library offers it otherwise, so it is written here over arrays. It keeps jieba's semantics to
the bit: the same candidate states per character (jieba's ``char_state_tab``, narrowed to the
states the previous step can reach), the same sums in the same order, ties broken as jieba's
``max`` over ``(probability, state)`` tuples breaks them (the larger state tuple wins). Its routes
equal jieba's on every block it is given (``tests/test_posseg_hmm.py``: corpus sentences and
random strings).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

MIN_FLOAT = -3.14e100  # jieba.posseg.viterbi: the emission of a character a state never emits


class PossegViterbi:
    """The Viterbi search of jieba.posseg over its own probability tables."""

    def __init__(self) -> None:
        from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P

        # sorted, so that a larger index is a larger (position, tag) tuple: jieba's tie order
        self.states: list[tuple[str, str]] = sorted(trans_P)
        index = {s: i for i, s in enumerate(self.states)}
        n = len(self.states)
        self.start = np.array([start_P[s] for s in self.states])
        self.trans = np.full((n, n), -np.inf)  # a missing transition is jieba's MIN_INF
        self.follows = np.zeros((n, n), dtype=bool)
        for x, row in trans_P.items():
            for y, p in row.items():
                self.trans[index[x], index[y]] = p
                self.follows[index[x], index[y]] = True
        self.has_next = np.any(self.follows, axis=1)
        self.all = np.arange(n)
        self.allowed = {c: np.array(sorted(index[s] for s in v)) for c, v in char_state_tab_P.items()}
        emitted: dict[str, list[tuple[int, float]]] = {}
        for s, row in emit_P.items():
            for c, p in row.items():
                emitted.setdefault(c, []).append((index[s], p))
        self._emitted = emitted
        self._emit: dict[str, np.ndarray] = {}

    def emission(self, c: str) -> np.ndarray:
        """Log emission of ``c`` by every state (``MIN_FLOAT`` where a state never emits it)."""
        e = self._emit.get(c)
        if e is None:
            e = np.full(len(self.states), MIN_FLOAT)
            for i, p in self._emitted.get(c, ()):
                e[i] = p
            self._emit[c] = e
        return e

    def route(self, obs: str) -> list[tuple[str, str]]:
        """The best (position, tag) state of every character of ``obs`` (non-empty)."""
        cur = self.allowed.get(obs[0], self.all)
        value = self.start[cur] + self.emission(obs[0])[cur]
        steps: list[tuple[np.ndarray, np.ndarray]] = []  # (states at t, their best previous state)
        for c in obs[1:]:
            keep = self.has_next[cur]
            prev, prev_value = cur[keep], value[keep]
            expect = np.any(self.follows[prev], axis=0)
            allowed = self.allowed.get(c, self.all)
            obs_states = allowed[expect[allowed]]
            if not obs_states.size:
                obs_states = np.flatnonzero(expect) if expect.any() else self.all
            scores = (prev_value[:, None] + self.trans[np.ix_(prev, obs_states)]) + self.emission(c)[obs_states]
            # the last maximum: of equal probabilities jieba keeps the larger state
            best = len(prev) - 1 - np.argmax(scores[::-1], axis=0)
            value = scores[best, np.arange(len(obs_states))]
            steps.append((obs_states, prev[best]))
            cur = obs_states
        state = int(cur[len(cur) - 1 - np.argmax(value[::-1])])
        route = [state]
        for states, back in reversed(steps):
            state = int(back[np.searchsorted(states, state)])
            route.append(state)
        return [self.states[s] for s in reversed(route)]


@lru_cache(maxsize=1)
def viterbi() -> PossegViterbi:
    """The search over jieba's tables, built once (about 0.1 s)."""
    return PossegViterbi()


@lru_cache(maxsize=1)
def hmm_tagger() -> Any:
    """jieba.posseg's default tagger with the array search in place of its pure-Python one.

    Everything else — the dictionary route, the buffering of single characters, the detail split of
    letters and digits — is jieba's own code; only its private per-block method is overridden.
    """
    from nlp_service.segment.words import pos_tagger

    base = pos_tagger()  # first: it imports jieba.posseg with its word-tag table from the cache
    import jieba.posseg

    class _Tagger(jieba.posseg.POSTokenizer):
        def _POSTokenizer__cut(self, sentence: str):  # jieba.posseg.POSTokenizer.__cut, same output
            pos_list = viterbi().route(sentence)
            begin, nexti = 0, 0
            for i, char in enumerate(sentence):
                pos = pos_list[i][0]
                if pos == "B":
                    begin = i
                elif pos == "E":
                    yield jieba.posseg.pair(sentence[begin:i + 1], pos_list[i][1])
                    nexti = i + 1
                elif pos == "S":
                    yield jieba.posseg.pair(char, pos_list[i][1])
                    nexti = i + 1
            if nexti < len(sentence):
                yield jieba.posseg.pair(sentence[nexti:], pos_list[nexti][1])

    # shares the loaded tokenizer and tag table (reading them again costs about 0.15 s)
    tagger = _Tagger.__new__(_Tagger)
    tagger.tokenizer, tagger.word_tag_tab = base.tokenizer, base.word_tag_tab
    return tagger
