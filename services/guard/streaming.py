"""Streaming redaction of a token stream.

Each chunk is appended to a held-back buffer. The analyzer says from where on
the buffer could still be the start of an unfinished entity (every
recognizer's TAIL matched at the end of the buffer, bounded by its MAX_LEN);
everything before that point is settled unless a pattern match crosses it, so
the cut moves left of any match crossing it. The settled part is rendered with
the whole-text code and emitted; the rest waits for more text.

Why the output equals ``Redactor.redact`` of the whole text: matches starting
before the cut are exactly those of the whole text (each pattern's matches
are found left to right, and none crosses the cut), overlap resolution never
links candidates across the cut, context words are looked up in the text
before a match only (kept in ``_context``), and operator state (instance tags)
advances in text order in both. ``tests/unit/guard/test_streaming.py`` checks
this with hypothesis for arbitrary chunkings.

A cancelled stream simply drops its buffer: held-back text is never emitted.

Each advance costs a few RE2 calls over the held-back text, so the redactor
only tries again once ``min_advance_chars`` new characters have arrived
(default 16: about four tokens). Waiting is always safe; it trades a little
latency for CPU.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from services.guard.analyzer import resolve_overlaps
from services.guard.leaks import words_with_spans
from services.guard.operators import InstanceTagger
from services.guard.recognizers.base import CONTEXT_WINDOW_CHARS
from services.guard.redactor import AppliedRedaction, LeakFinding, RedactionPlan, Redactor

# Original text kept before the buffer: context words and \b look behind.
CONTEXT_KEEP_CHARS = CONTEXT_WINDOW_CHARS + 16
DEFAULT_MIN_ADVANCE_CHARS = 16


@dataclass
class StreamStep:
    """What one chunk (or the end of the stream) releases."""

    text: str = ""
    redactions: list[AppliedRedaction] = field(default_factory=list)
    leaks: list[LeakFinding] = field(default_factory=list)
    held_back: int = 0
    blocked: bool = False
    block_reason: str = ""


class StreamRedactor:
    """Redacts one stream; not shared between streams."""

    def __init__(
        self,
        redactor: Redactor,
        plan: RedactionPlan,
        tagger: InstanceTagger,
        min_advance_chars: int = DEFAULT_MIN_ADVANCE_CHARS,
    ) -> None:
        self._redactor = redactor
        self._min_advance_chars = min_advance_chars
        self._unexamined = 0
        self._plan = plan
        self._tagger = tagger
        self._context = ""
        self._buffer = ""
        self._origin = 0
        self._output_origin = 0
        self._reported_prompt_runs: set[int] = set()
        self.blocked = False
        self.block_reason = ""
        self.finished = False

    @property
    def held_back(self) -> int:
        return len(self._buffer)

    @property
    def received(self) -> int:
        return self._origin + len(self._buffer)

    def feed(self, chunk: str) -> StreamStep:
        if self.blocked or self.finished:
            return StreamStep(held_back=0, blocked=self.blocked, block_reason=self.block_reason)
        self._buffer += chunk
        self._unexamined += len(chunk)
        if self._unexamined < self._min_advance_chars:
            # Positional: skips the default factories (this runs once per token).
            return StreamStep("", [], [], len(self._buffer))
        self._unexamined = 0
        return self._advance(final=False)

    def finish(self) -> StreamStep:
        """End of stream: everything left is settled."""
        if self.blocked or self.finished:
            return StreamStep(blocked=self.blocked, block_reason=self.block_reason)
        step = self._advance(final=True)
        self.finished = True
        return step

    def cancel(self) -> None:
        """Drop whatever is held back; nothing more is ever emitted."""
        self._buffer = ""
        self.finished = True

    def _advance(self, final: bool) -> StreamStep:
        plan = self._plan
        analyzer = self._redactor.analyzer
        text = self._context + self._buffer
        pos = len(self._context)
        length = len(text)
        if final:
            limit = length
        else:
            limit = analyzer.pending_start(text, pos, plan.canaries)
            if plan.fingerprints:
                limit = min(limit, self._prompt_pending_start(text, pos))
        if limit <= pos:
            return StreamStep(held_back=len(self._buffer))

        scan = analyzer.scan(text, pos, plan.entities, plan.canaries, plan.min_score, judge_before=limit)
        cut = limit
        moved = True
        while moved:
            moved = False
            for start, end in scan.raw_spans:
                if start < cut < end:
                    cut = start
                    moved = True

        leaks: list[LeakFinding] = []
        if plan.fingerprints:
            leaks, prompt_block = self._check_prompt(text, pos, final)
            if prompt_block:
                return self._block("SYSTEM_PROMPT_LEAK", leaks)
        if cut <= pos:
            return StreamStep(leaks=leaks, held_back=len(self._buffer))

        candidates = scan.candidates
        accepted = (
            resolve_overlaps([c for c in candidates if c.start < cut], plan.min_score) if candidates else []
        )
        segment = self._redactor.render_segment(
            text, pos, cut, accepted, plan, self._tagger, self._origin, self._output_origin
        )
        if segment.block_reason:
            return self._block(segment.block_reason, leaks + segment.leaks)
        settled = text[pos:cut]
        self._context = (self._context + settled)[-CONTEXT_KEEP_CHARS:]
        self._buffer = text[cut:]
        self._origin += len(settled)
        self._output_origin += len(segment.text)
        return StreamStep(segment.text, segment.redactions, leaks + segment.leaks, len(self._buffer))

    def _block(self, reason: str, leaks: list[LeakFinding]) -> StreamStep:
        self.blocked = True
        self.block_reason = reason
        self._buffer = ""
        return StreamStep(leaks=leaks, blocked=True, block_reason=reason)

    def _prompt_pending_start(self, text: str, pos: int) -> int:
        """Hold back the last ``min_run_words - 1`` whole words and a word still being written."""
        words = words_with_spans(text, pos)
        if not words:
            return len(text)
        run = max(fingerprint.min_run_words for fingerprint in self._plan.fingerprints)
        partial = 1 if words[-1][1] == len(text) else 0
        index = max(0, len(words) - (run - 1) - partial)
        return words[index][0]

    def _check_prompt(self, text: str, pos: int, final: bool) -> tuple[list[LeakFinding], bool]:
        words = words_with_spans(text, pos)
        if not final and words and words[-1][1] == len(text):
            words = words[:-1]  # still being written
        skip_first = bool(words) and words[0][0] == pos and pos > 0 and text[pos - 1].isalnum()
        leaks: list[LeakFinding] = []
        block = False
        for fingerprint in self._plan.fingerprints:
            for start, end in fingerprint.leaked_runs(words, skip_first):
                absolute = start - pos + self._origin
                if absolute in self._reported_prompt_runs:
                    continue
                self._reported_prompt_runs.add(absolute)
                leaks.append(
                    LeakFinding(
                        "system_prompt", absolute, end - pos + self._origin, self._plan.system_prompt_action
                    )
                )
                block = block or self._plan.system_prompt_action == "block"
        return leaks, block
