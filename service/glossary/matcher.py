"""A phrase index over tokens: all glossary phrases found in a text in one pass.

Phrases are stored in a trie whose edges are match keys (see `normalize`). A phrase word with
several keys (surface and lemma) is stored under each, so a text word matches when any of its
keys meets any of the phrase word's keys. Looking up a text walks the trie from every token:
the cost grows with the text length and the phrase depth, not with the number of phrases, and
no user-supplied string is ever turned into a regular expression.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Generic, TypeVar

from service.glossary.normalize import Token, fold

T = TypeVar("T")


@dataclass(eq=False)  # nodes compare by identity
class _Node(Generic[T]):
    children: dict[str, _Node[T]] = field(default_factory=dict)
    payloads: list[T] = field(default_factory=list)


@dataclass(frozen=True)
class Match(Generic[T]):
    """Tokens `first`..`last` (inclusive) of the text form a phrase carrying `payloads`."""

    first: int
    last: int
    start: int
    end: int
    payloads: tuple[T, ...]


class PhraseIndex(Generic[T]):
    """Maps token-key sequences to payloads (e.g. concept ids)."""

    def __init__(self) -> None:
        self._root: _Node[T] = _Node()
        self._unaccented: dict[str, set[str]] = {}  # accent-free key -> the keys it may stand for
        self.size = 0

    def add(self, words: Sequence[frozenset[str]], payload: T) -> None:
        """Register a phrase given as the key sets of its words."""
        if not words:
            return
        for keys in words:
            for key in keys:
                self._unaccented.setdefault(fold(key), set()).add(key)
        for path in product(*(sorted(keys) for keys in words)):
            node = self._root
            for key in path:
                node = node.children.setdefault(key, _Node())
            if payload not in node.payloads:
                node.payloads.append(payload)
        self.size += 1

    def _keys(self, token: Token) -> set[str] | frozenset[str]:
        """The token's keys, plus the accented keys its accent-free ones may stand for."""
        if not token.loose:
            return token.keys
        return token.keys.union(*(self._unaccented.get(k, ()) for k in token.loose))

    def _ends(self, tokens: Sequence[Token], first: int, max_gap: int = 0) -> dict[int, list[T]]:
        """Every phrase starting at token `first`: last token index -> payloads.

        With `max_gap`, up to that many text words may stand between two phrase words
        ("brought on Friday before the judge" holds "brought before judge"). A one-word phrase
        reached through a weak key (see `normalize.weak_keys`) is not a match.
        """
        found: dict[int, list[T]] = {}
        frontier: list[tuple[_Node[T], int]] = [(self._root, first - 1)]
        seen: set[tuple[int, int]] = set()
        while frontier:
            nxt: list[tuple[_Node[T], int]] = []
            for node, last in frontier:
                reach = last + 1 if last < first else last + 1 + max_gap
                for index in range(last + 1, min(reach, len(tokens) - 1) + 1):
                    token = tokens[index]
                    for weak, keys in ((False, self._keys(token)), (True, token.weak)):
                        for key in keys:
                            child = node.children.get(key)
                            if child is None or (id(child), index) in seen:
                                continue
                            seen.add((id(child), index))
                            nxt.append((child, index))
                            if child.payloads and not (weak and node is self._root):  # weak: not alone
                                bucket = found.setdefault(index, [])
                                bucket.extend(p for p in child.payloads if p not in bucket)
            frontier = nxt
        return found

    def find_all(self, tokens: Sequence[Token], max_gap: int = 0) -> list[Match[T]]:
        """Every phrase occurrence, overlapping ones included, in text order (`max_gap`: see `_ends`)."""
        matches = []
        for first in range(len(tokens)):
            for last, payloads in sorted(self._ends(tokens, first, max_gap).items()):
                matches.append(Match(first, last, tokens[first].start, tokens[last].end, tuple(payloads)))
        return matches


def select_longest(matches: Sequence[Match[T]], allowed: Callable[[int, T], bool]) -> list[Match[T]]:
    """Non-overlapping matches, left to right, the longest at each position.

    `matches` come from `find_all` (in text order); `allowed(i, payload)` says whether the i-th
    match may carry that payload. A match none of whose payloads is allowed does not block a
    shorter allowed one. The returned matches carry only their allowed payloads.
    """
    by_first: dict[int, list[tuple[int, Match[T]]]] = {}
    for i, match in enumerate(matches):
        by_first.setdefault(match.first, []).append((i, match))
    chosen: list[Match[T]] = []
    position = 0
    for first in sorted(by_first):
        if first < position:
            continue
        for i, match in sorted(by_first[first], key=lambda item: item[1].last, reverse=True):
            payloads = tuple(p for p in match.payloads if allowed(i, p))
            if payloads:
                chosen.append(Match(match.first, match.last, match.start, match.end, payloads))
                position = match.last + 1
                break
    return chosen
