"""All detector patterns compiled once into one re2 Set, plus per-pattern regexes for spans.

One Set pass answers "which rules match anywhere in any layer" for the common
case (nothing). Only rules the Set reports are searched again, layer by layer,
to find where they match: a span costs work only when there is a finding.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass

import re2

from services.validator.detectors.base import Detector, Pattern
from services.validator.normalize import fold

# Layers are scanned joined by this separator; no rule can match across it
# (rules never cross a newline with '.', and verification runs per layer).
LAYER_SEPARATOR = "\n\x00\n"


@dataclass(frozen=True)
class Rule:
    detector: Detector
    pattern: Pattern
    regex: re2._Regexp

    @property
    def rule_id(self) -> str:
        return f"{self.detector.id}.{self.pattern.name}"


@dataclass(frozen=True)
class ScanView:
    """One text to scan; ``transformed`` views (ciphers, leetspeak, spacing) skip raw-only rules."""

    text: str
    transformed: bool


@dataclass(frozen=True)
class RuleMatch:
    rule: Rule
    view_index: int
    start: int
    end: int


def _options() -> re2.Options:
    options = re2.Options()
    options.max_mem = 256 << 20
    return options


def prepare(pattern: Pattern) -> str:
    """The regex as compiled: folded like the input, case-insensitive unless told otherwise."""
    regex = fold(pattern.regex)
    return regex if pattern.case_sensitive else f"(?i){regex}"


def context_free(regex: str) -> bool:
    """True when a match of ``regex`` never depends on where the scanned text starts or ends.

    Conservative: any ``$``, ``\\A``, ``\\z`` or ``^`` other than a class negation (``[^``)
    counts as an anchor. Without anchors, only ``\\b``/``\\B`` look beyond a match, and they
    see a non-word character both at a text boundary and at ``LAYER_SEPARATOR``.
    """
    if "$" in regex or "\\A" in regex or "\\z" in regex:
        return False
    position = regex.find("^")
    while position != -1:
        bracket = position - 1
        backslashes = 0
        while bracket - 1 - backslashes >= 0 and regex[bracket - 1 - backslashes] == "\\":
            backslashes += 1
        if bracket < 0 or regex[bracket] != "[" or backslashes % 2:
            return False
        position = regex.find("^", position + 1)
    return True


class PatternScanner:
    """``hints`` are extra (name, regex) pre-checks answered by the same Set pass."""

    def __init__(self, detectors: Sequence[Detector], hints: Sequence[tuple[str, str]] = ()) -> None:
        options = _options()
        self._set = re2.Set.SearchSet(options)
        self._rules: list[Rule] = []
        self._context_free: list[bool] = []
        for detector in detectors:
            for pattern in detector.patterns:
                regex = prepare(pattern)
                index = self._set.Add(regex)
                if index != len(self._rules):
                    raise RuntimeError(f"re2 Set index mismatch for {detector.id}.{pattern.name}")
                self._rules.append(Rule(detector, pattern, re2.compile(regex, options)))
                self._context_free.append(context_free(regex))
        # Set index -> hint name (the hints come after the rules).
        self._hint_at: dict[int, str] = {}
        for name, regex in hints:
            self._hint_at[self._set.Add(regex)] = name
        self._set.Compile()

    def match(self, text: str) -> tuple[set[int], set[str]]:
        """(indexes of rules matching somewhere in ``text``, names of hints present)."""
        found = self._set.Match(text)
        rules: set[int] = set()
        hints: set[str] = set()
        if found:
            hint_at = self._hint_at
            for index in found:  # a plain loop: usually one or two indexes, no comprehension frames
                name = hint_at.get(index)
                if name is None:
                    rules.add(index)
                else:
                    hints.add(name)
        return rules, hints

    def locate(
        self, indexes: set[int], views: Sequence[ScanView], in_first_view: Set[int] | None = None
    ) -> list[RuleMatch]:
        """First match of each rule in ``indexes``, in the earliest view where it matches.

        ``in_first_view``: the rules this Set reported for ``views[0].text`` alone (when known);
        any other rule cannot match that view, so it is not searched there.
        """
        matches: list[RuleMatch] = []
        for index in sorted(indexes):
            rule = self._rules[index]
            skip_first = in_first_view is not None and index not in in_first_view
            for view_index, view in enumerate(views):
                if (view.transformed and rule.pattern.raw_only) or (skip_first and view_index == 0):
                    continue
                found = rule.regex.search(view.text)
                if found is not None:
                    start, end = found.span()
                    matches.append(RuleMatch(rule, view_index, start, end))
                    break
        return matches

    def locate_in_views(self, first_view_rules: Set[int], views: Sequence[ScanView]) -> list[RuleMatch]:
        """``locate(first_view_rules | match(LAYER_SEPARATOR.join(views[1:]))[0], views)``, cheaper.

        ``first_view_rules``: the rules this Set reported for ``views[0].text``. Each further view
        gets its own Set pass (the same bytes as one pass over the joined views), so every rule is
        searched for its span only in the first view it is known to match: no search runs over a
        view where it fails. A rule reported for a view alone also matches the joined views unless
        it is anchored (see ``context_free``); anchored ones are checked on the joined text.
        """
        count = len(self._rules)
        per_view: list[Set[int]] = [first_view_rules]
        for view in views[1:]:
            found = self._set.Match(view.text)
            per_view.append({i for i in found if i < count} if found else set())
        indexes = set(first_view_rules)
        joined: str | None = None
        for index in set().union(*per_view[1:]) - indexes:
            if not self._context_free[index]:
                if joined is None:
                    joined = LAYER_SEPARATOR.join(v.text for v in views[1:])
                if self._rules[index].regex.search(joined) is None:
                    continue
            indexes.add(index)
        matches: list[RuleMatch] = []
        for index in sorted(indexes):
            rule = self._rules[index]
            for view_index, view in enumerate(views):
                if (view.transformed and rule.pattern.raw_only) or index not in per_view[view_index]:
                    continue
                found = rule.regex.search(view.text)
                if found is not None:
                    start, end = found.span()
                    matches.append(RuleMatch(rule, view_index, start, end))
                    break
        return matches

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(self._rules)

    def scan(self, views: Sequence[ScanView]) -> list[RuleMatch]:
        """First match of every matching rule, in the earliest view where it matches."""
        joined = views[0].text if len(views) == 1 else LAYER_SEPARATOR.join(v.text for v in views)
        indexes = self._set.Match(joined)
        if not indexes:
            return []
        matches: list[RuleMatch] = []
        for index in sorted(indexes):
            rule = self._rules[index]
            for view_index, view in enumerate(views):
                if view.transformed and rule.pattern.raw_only:
                    continue
                found = rule.regex.search(view.text)
                if found is not None:
                    start, end = found.span()
                    matches.append(RuleMatch(rule, view_index, start, end))
                    break
        return matches
