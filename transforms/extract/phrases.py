"""Many literal phrases matched in one pass over a text: an Aho–Corasick automaton.

pyahocorasick finds every occurrence of every phrase in one pass in C; this module keeps
those that stand as whole words and, like a regex alternation of the phrases, the longest
at the leftmost position, without overlaps. About twice as fast as the trie-shaped regex
this replaced (Python's regex engine tries the phrases' first letters at every position).
"""
from collections.abc import Iterable, Iterator

import ahocorasick


class PhraseMatch:
    """A found phrase, read like a regex match: start(), end(), group()."""
    __slots__ = ("_start", "_end", "_phrase")

    def __init__(self, start: int, end: int, phrase: str):
        self._start, self._end, self._phrase = start, end, phrase

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self) -> str:
        return self._phrase

    def span(self) -> tuple[int, int]:
        return self._start, self._end


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"  # what the regex \w matches


class PhraseMatcher:
    """Whole-word occurrences of literal phrases, longest first at each position."""

    def __init__(self, phrases: Iterable[str]):
        self._phrases = frozenset(p for p in phrases if p)
        # the lengths of the phrases by their first character, longest first, for `match`
        lengths: dict[str, set[int]] = {}
        for phrase in self._phrases:
            lengths.setdefault(phrase[0], set()).add(len(phrase))
        self._lengths = {c: sorted(ls, reverse=True) for c, ls in lengths.items()}
        self._automaton = None
        if self._phrases:
            self._automaton = ahocorasick.Automaton()
            for phrase in self._phrases:
                self._automaton.add_word(phrase, phrase)
            self._automaton.make_automaton()

    def finditer(self, text: str) -> Iterator[PhraseMatch]:
        if self._automaton is None:
            return iter(())
        n, found = len(text), []
        for last, phrase in self._automaton.iter(text):  # every occurrence, inside words too
            start, end = last + 1 - len(phrase), last + 1
            if (start == 0 or not _is_word_char(text[start - 1])) and (end == n or not _is_word_char(text[end])):
                found.append((start, -end, phrase))
        found.sort()  # leftmost first, then longest
        out, taken_to = [], 0
        for start, neg_end, phrase in found:
            if start >= taken_to:
                out.append(PhraseMatch(start, -neg_end, phrase))
                taken_to = -neg_end
        return iter(out)

    def match(self, text: str, pos: int) -> PhraseMatch | None:
        """The longest phrase starting exactly at `pos` as a whole word."""
        if pos >= len(text) or (pos and _is_word_char(text[pos - 1])):
            return None
        for length in self._lengths.get(text[pos], ()):
            end = pos + length
            if end <= len(text) and text[pos:end] in self._phrases and (end == len(text) or not _is_word_char(text[end])):
                return PhraseMatch(pos, end, text[pos:end])
        return None
