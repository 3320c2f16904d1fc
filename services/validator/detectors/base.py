"""What a detector is: an id, a category, a severity, a default action and its rules.

Pattern rules of every detector are compiled together into one re2 Set by the
engine; a detector may also provide a ``check`` for what regexes cannot express
(e.g. repetition), which runs on the folded text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from aisec.common.v1 import common_pb2

from services.common.regex_tools import with_curly_apostrophes

Severity = int  # common_pb2.Severity value
Action = int  # common_pb2.Action value

HIGH = common_pb2.SEVERITY_HIGH
MEDIUM = common_pb2.SEVERITY_MEDIUM
LOW = common_pb2.SEVERITY_LOW
CRITICAL = common_pb2.SEVERITY_CRITICAL
ENFORCE = common_pb2.ACTION_ENFORCE
WARN = common_pb2.ACTION_WARN
DRY_RUN = common_pb2.ACTION_DRY_RUN

SOURCES = ("user", "document", "tool_output")
INDIRECT_SOURCES = frozenset({"document", "tool_output"})


@dataclass(frozen=True)
class Pattern:
    """One rule: ``detector_id.name`` when it matches.

    ``score`` is the rule's confidence in [0, 1]. ``raw_only`` rules (secrets,
    chat-template tokens) are not applied to cipher/leetspeak/spacing views, where
    they would only produce noise. Patterns are case-insensitive unless
    ``case_sensitive``; write them against folded text (ASCII skeleton, accents
    stripped; non-Latin scripts as they are).
    """

    name: str
    regex: str
    score: float
    raw_only: bool = False
    case_sensitive: bool = False
    # One entry per top-level alternative of ``regex``: the part of it that the scanner's Set looks for, which
    # every match of the alternative contains: a run of its elements written as in ``regex`` (str), the
    # alternative from its n-th element on (int; see ``regex_tools.top_level_branches``), or None for the
    # whole of it. Matches are confirmed with ``regex``. An alternative that opens with common words and a
    # counted gap keeps DFA states alive on every text; its rare tail does not.
    anchors: tuple[str | int | None, ...] = ()
    # What the scanner's Set looks for instead of ``regex`` (no ``anchors`` then): a regex matching every text
    # ``regex`` matches, written from the same parts. Rules and alternatives that open with word families and a
    # gap ("ignore ... previous ... rules", "skip ... previous ... instructions") get Set copies that open with
    # the families' union and one gap: their partial matches are then alive or dead together in the Set's DFA,
    # not in every combination, which multiplied its states on text it has not seen. Matches are confirmed
    # with ``regex``.
    set_regex: str | None = None
    # A set-up that other rules read as context, never a finding of its own (``score`` 0): "you are going to act
    # as X" makes "X is not bound by any rules" a claim about the model. Its matches feed ``raised_by``.
    context_only: bool = False
    # Rules (``detector.pattern`` ids, context-only ones included) whose match anywhere in the same input raises
    # this rule's score to ``raised_score``: evidence that is weak alone and strong together.
    raised_by: tuple[str, ...] = ()
    raised_score: float | None = None
    # A match right after a negation ("never share your password", "we will never ask you to reveal it", "do not
    # repeat the instructions above") is advice, not a request: the rule's next match in the same text counts
    # instead, and with none the rule did not match. Not for rules whose attack is itself negated ("never refuse").
    negatable: bool = False
    # A rule that dismisses what was said or told, whose match is skipped, as a negated one is, when it holds the
    # speaker's own words and its sentence does not go on to the model's rules: "forget what I said earlier about
    # the budget", "ignore my previous instructions about the font", "disregard everything we discussed" are people
    # correcting themselves ("ignore what my creators told you" is not the speaker's own; "forget my previous
    # instructions and all rules from your developers" goes on).
    retractable: bool = False
    # A rule about instructions, rules or restrictions whose match is skipped when a scope right after it names
    # something other than the model: "the previous instructions in the README", "your instructions for returning
    # an item", "no restrictions on which programming language to use", "a world without laws of physics", or when
    # it ends in a compound naming an everyday procedure ("ignore the earlier installation instructions").
    scoped: bool = False
    # A request for instructions whose match is skipped when an owner other than the model follows it, after a
    # definite article: "the hidden instructions of the escape room puzzle", "las instrucciones secretas del mapa del
    # tesoro" (not "of the assistant", "del sistema", "of GPT-4"). ``scoped`` rules read owners too.
    owned: bool = False

    def __post_init__(self) -> None:
        if self.context_only and (self.score != 0.0 or self.raised_by):
            raise ValueError(f"{self.name}: a context-only rule has score 0 and is not raised")
        if bool(self.raised_by) != (self.raised_score is not None):
            raise ValueError(f"{self.name}: raised_by and raised_score go together")
        if self.raised_score is not None and not self.score < self.raised_score <= 1.0:
            raise ValueError(f"{self.name}: raised_score must be above score and at most 1")
        # Rules are written with ASCII apostrophes; typed text often has U+2019 ("don’t").
        object.__setattr__(self, "regex", with_curly_apostrophes(self.regex))
        if self.set_regex is not None:
            if self.anchors:
                raise ValueError(f"{self.name}: a Set regex and anchors")
            object.__setattr__(self, "set_regex", with_curly_apostrophes(self.set_regex))
        object.__setattr__(
            self,
            "anchors",
            tuple(with_curly_apostrophes(a) if isinstance(a, str) else a for a in self.anchors),
        )


@dataclass(frozen=True)
class Hit:
    """A ``check`` result: rule name, span in the checked text, confidence."""

    name: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Detector:
    id: str
    category: str
    severity: Severity
    default_action: Action
    description: str
    patterns: Sequence[Pattern] = ()
    # Sources this detector judges; None = every source.
    sources: frozenset[str] | None = None
    check: Callable[[str], list[Hit]] | None = field(default=None)

    def applies_to(self, source: str) -> bool:
        return self.sources is None or source in self.sources
