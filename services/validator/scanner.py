"""All detector patterns compiled once into a few re2 Sets, plus per-pattern regexes for spans.

One pass of each Set answers "which rules match anywhere in any layer" for the
common case (nothing). Only rules a Set reports are searched again, layer by
layer, to find where they match: a span costs work only when there is a finding.

Why several Sets (``_SET_GROUPS``) and relaxed copies: RE2 builds DFA states
lazily, and one Set over every rule multiplies the partial-match states of
rules that start with common-word alternations followed by counted gaps
(``\\b(?:repeat|print|...)\\b[^.\\n]{0,40}?``). On text it has not seen, that
Set kept building new states (~2.8 ms per new 2 KB text, ~13 us on repeated
text). Splitting the rules over six Sets, so that the costliest ones do not
share a DFA, and relaxing counted repeats (``{m,n}`` -> ``*``/``+``,
``relax_counts``) in the Set copies keeps each DFA small (~0.2 ms per new
2 KB text; bench/results/validator.md, "Novel text"). A relaxed copy matches a
superset of its rule, so every relaxed rule a Set reports is confirmed with the
rule's exact regex on the same text: ``match`` returns exactly the rules (and
hints, which are added unrelaxed) that one Set of the exact regexes returns.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Sequence, Set
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import re2

from services.common.regex_tools import rewrite_counted_repeats, top_level_branches
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


# What ``PatternScanner.scan_once`` finds in a text: (rule indexes, hint names, spans found confirming rules).
Scan = tuple[set[int], set[str], dict[int, tuple[int, int]]]


@dataclass(frozen=True)
class RuleMatch:
    rule: Rule
    view_index: int
    start: int
    end: int


# Which Set each rule (``detector.pattern``) or hint (its name) goes to. A fixed table, not a measurement
# at start-up: the layout only changes speed, never what ``match`` returns. Rules and hints not listed
# here (new ones) go to the rule Set with the fewest entries. Six Sets of rules (and hints), and one of five hints
# only: each Set pass over cached DFA states costs ~2-4 us per 2 KB (~1.5 ns per byte), so more Sets cost more on
# repeated and long text.
# Built by local search (move one entry to the Set where the summed cost of the six passes on new 2 KB
# texts drops most, after 500 warm-up texts) on a corpus kept apart from the bench's: the docs and
# docstrings of the installed packages (2,127 chunks). What costs is entries whose live partial
# matches multiply in one DFA: rules starting with common-word alternations followed by gaps
# (``instruction_override.grant_access``, ``system_prompt_extraction.reveal_instructions``) and the
# counted-repeat hints ``blob`` (a 16-character run) and ``split`` (a quoted string of up to 200),
# which are unrelaxed and made every Set they shared ~2x dearer. Stdlib docstrings (the bench's
# corpus): the six passes cost 120 us mean per new 2 KB text after 500 others (161 before).
# Rules added later are appended to the Set where they measure cheapest, one at a time, on the same
# kind of corpus (whitespace-joined docstrings of the installed packages), timing one first pass
# over new texts after 500 others: a second pass over the same texts times cached DFA states only.
# ``python -m bench.validator_set_layout`` does that for every rule not listed here. (Fifteenth session: its absolute
# growth moved +-5-10 us with the VM's phase, too much to choose by; ``python -m bench.validator_rule_cost`` times a
# rule's cost as a ratio of two scanners side by side. Sets 0 and 5 compile at 1/16 of their budget but not 1/20
# (``test_dfa_budgets``): put new entries in Sets 1-4.)
_SET_GROUPS: tuple[tuple[str, ...], ...] = (
    (
        "instruction_override.ignore_previous",
        "instruction_override.ignore_previous_weak",
        "instruction_override.ignore_above",
        "instruction_override.new_instructions",
        "system_prompt_extraction.here_are_my_instructions",
        "system_prompt_extraction.here_are_the_rules",
        "system_prompt_extraction.instructions_so_far",
        "role_injection.end_of_prompt",
        "jailbreak.hypothetical_unfiltered",
        "multilingual.es_override",
        "multilingual.tr_extraction",
        "indirect_injection.code_to_run",
        "rot13",
        "instruction_override.ignore_all_instructions",
        "instruction_override.instead_do",
        "multilingual.fr_override",
        "multilingual.pt_override",
        "instruction_override.ignore_everything_before",
        "multilingual.tr_override",
        "instruction_override.false_authorization",
        "instruction_override.access_granted",
        "role_injection.delimiter_boundary",
        "jailbreak.regardless_of_ethics",
        "jailbreak.vendor_rules_dismissed",
        "multilingual.tr_unbound_persona",
        "jailbreak.no_content_filter",
        "jailbreak.free_from_ethics",
        "upside_down",
        "split_words",
        "system_prompt_extraction.words_of_prompt",
        "jailbreak.safety_off_claim",
        "jailbreak.if_you_were_unfiltered",
        "multilingual.repeat_above_from_you_are",
        # (fifteenth session; cheapest in three noisy runs of bench.validator_set_layout)
        "instruction_override.only_these_instructions",
        "jailbreak.safety_switched_off",
        # (nineteenth session; from Set 4, which model_told_what_to_do's new branches put over 1/16 of its budget: the
        # same cost on new text as no_system_prompt moved instead, the only other that frees it)
        "indirect_injection.note_to_model_other_languages",
        # (nineteenth session; from Set 3, which model_told_other_languages' new branches put over 1/16 of its budget)
        "system_prompt_extraction.first_message_before_mine",
    ),
    (
        "payload_splitting.variable_concatenation",
        "indirect_injection.in_your_reply",
        "instruction_override.new_role",
        "system_prompt_extraction.what_are_instructions",
        "system_prompt_extraction.do_not_redact",
        "role_injection.fake_agent_step",
        "role_injection.new_session",
        "multilingual.es_extraction",
        "indirect_injection.injected_question",
        "system_prompt_extraction.repeat_text_above",
        "data_exfiltration.send_data_to",
        "jailbreak.no_restrictions",
        "jailbreak.unbound_persona",
        "instruction_override.refusal_swapped",
        "secrets.password_assignment",
        "data_exfiltration.render_image_url",
        "jailbreak.named_persona",
        "system_prompt_extraction.forbidden_topics",
        "role_injection.fake_system_header",
        "jailbreak.never_refuses",
        "jailbreak.ethics_dismissed",
        "jailbreak.cares_not_for_ethics",
        "jailbreak.no_matter_how_unethical",
        "jailbreak.ethics_disregarded",
        "multilingual.now_you_other_languages",
        "indirect_injection.hidden_from_humans",
        "indirect_injection.override_assessment",
        "role_injection.boundary_then_role",
        "indirect_injection.model_told_to_drop_task",
        "multilingual.as_if_no_rules_other_languages",
        # (fifteenth session; cheapest in three noisy runs of bench.validator_set_layout)
        "system_prompt_extraction.text_before_the_chat",
        "indirect_injection.model_collects_secret",
        "jailbreak.refusal_moves_banned",
        # (seventeenth session; safeguards_gone_claim moved from Set 0, which its new branch put over 1/16 of its budget;
        # tool_demands_secrets cost 1.037-1.04x the Set passes on new text in Set 3, 1.013-1.021 here)
        "indirect_injection.tool_demands_secrets",
        "jailbreak.refusals_configured_off",
        "jailbreak.safeguards_gone_claim",
        # (twentieth session; cheapest in two noisy runs of bench.validator_set_layout)
        "data_exfiltration.url_then_secret",
        # (twentieth session; where each fits within 1/16 of the budget, among the cheapest three)
        "system_prompt_extraction.environment_secrets",
    ),
    (
        "system_prompt_extraction.reveal_instructions",
        "instruction_override.previous_was_fake",
        "instruction_override.unless_password",
        "system_prompt_extraction.above_in_format",
        "jailbreak.you_are_now",
        "jailbreak.disobey_policy",
        "multilingual.pt_extraction",
        "indirect_injection.while_processing",
        "indirect_injection.text_transform",
        "system_prompt_extraction.contents_of_prompt",
        "multilingual.de_extraction",
        "system_prompt_extraction.reveal_the_rules",
        "system_prompt_extraction.story_about_secret",
        "system_prompt_extraction.prompt_in_format",
        "indirect_injection.hide_from_user",
        "instruction_override.grant_access",
        "jailbreak.unsafe_mode",
        "jailbreak.bypass_safety",
        "system_prompt_extraction.see_your_prompt",
        "role_injection.bracket_role_tag",
        "jailbreak.amoral_persona",
        "jailbreak.named_amoral_persona",
        "jailbreak.not_required_to_follow",
        "joined",
        "system_prompt_extraction.repeat_from_start",
        "jailbreak.known_framing",
        # (fifteenth session; cheapest in two noisy runs of bench.validator_set_layout)
        "multilingual.no_system_prompt_other_languages",
        "multilingual.restrictions_lifted_other_languages",
        "system_prompt_extraction.continue_your_prompt",
        # (sixteenth session)
        "jailbreak.persona_setup",
        "jailbreak.safeguards_waived",
        "jailbreak.unaligned_model",
        # (seventeenth session)
        "jailbreak.safety_configured_off",
        "jailbreak.harm_rating_example",
        "jailbreak.mode_configured_open",
        # (nineteenth session; from Set 1, which fake_system_header's new branch put over 1/16 of its budget: of ten
        # rules moved out instead, the cheapest on new text, ~2 % below fake_system_header in Set 0, 2 or 5)
        "system_prompt_extraction.init_string",
        # (nineteenth session, round O)
        "multilingual.no_warnings_other_languages",
        # (twentieth session)
        "token_flooding.repeat_forever",
        "indirect_injection.secret_file_handed_over",
        "system_prompt_extraction.environment_dumped_by_tools",
    ),
    (
        "instruction_override.instructions_changed",
        "jailbreak.mode_claim",
        "jailbreak.dual_response",
        "multilingual.fr_extraction",
        "indirect_injection.answer_must",
        "instruction_override.forced_reply",
        "jailbreak.aim",
        "multilingual.it_override",
        "indirect_injection.addressed_to_model",
        "indirect_injection.format_your_answer",
        "payload_splitting.join_and_follow",
        "jailbreak.not_bound_by_rules",
        "jailbreak.not_the_assistant_anymore",
        "multilingual.tr_restrictions_lifted",
        "multilingual.forget_what_you_were_told",
        "multilingual.no_restrictions_other_languages",
        "multilingual.hi_extraction",
        "multilingual.told_before_other_languages",
        "multilingual.hi_override",
        # (fifteenth session; bench.validator_set_layout too noisy to choose: spread over the Sets but 5)
        "instruction_override.permission_to_break_rules",
        "instruction_override.released_from_setup",
        "multilingual.before_first_message_other_languages",
        "multilingual.twice_unrestricted_other_languages",
        # (sixteenth session)
        "indirect_injection.task_marked_done",
        "system_prompt_extraction.piece_of_your_prompt",
        # (seventeenth session)
        "jailbreak.warn_instead_of_refusing",
        # (eighteenth session; moved from Set 5, which their new branches put over 1/16 of its budget)
        "multilingual.zh_extraction",
        "multilingual.ko_extraction",
        "indirect_injection.model_told_other_languages",
        "indirect_injection.addressed_to_model_other_languages",
    ),
    (
        "indirect_injection.into_your_answer",
        "indirect_injection.into_your_work",
        "indirect_injection.inject_code",
        "instruction_override.from_now_on",
        "data_exfiltration.markdown_image_placeholder",
        "payload_splitting.split_parts",
        "multilingual.de_override",
        "multilingual.it_extraction",
        "in_place",
        "jailbreak.mode_switch",
        "indirect_injection.direct_the_user",
        "data_exfiltration.markdown_image_query",
        "indirect_injection.answer_this_instead",
        "data_exfiltration.url_data_parameter",
        "english",
        "system_prompt_extraction.primed_disclosure",
        "data_exfiltration.encode_into_url",
        "role_injection.fake_turn",
        "indirect_injection.before_answering",
        "system_prompt_extraction.secret_into_output",
        "system_prompt_extraction.told_before",
        "system_prompt_extraction.complete_disclosure",
        "jailbreak.unrestricted_reply",
        "multilingual.reveal_password_other_languages",
        "multilingual.new_instructions_other_languages",
        # (fifteenth session; cheapest in three noisy runs of bench.validator_set_layout)
        "instruction_override.no_system_prompt",
        "data_exfiltration.secret_in_every_link",
        "system_prompt_extraction.what_you_were_given",
        "instruction_override.ignore_the_user",
        # (sixteenth session)
        "indirect_injection.dictated_verdict",
        # (seventeenth session; model_told_what_to_do moved from Set 2, which its new branches put over 1/16 of its
        # budget)
        "jailbreak.harm_judge_setup",
        "indirect_injection.model_told_what_to_do",
        # (eighteenth session; Set 3 went over 1/16 of its budget with it)
        "indirect_injection.task_dismissed",
        # (nineteenth session, round O)
        "multilingual.affirmative_opening_other_languages",
        "multilingual.safety_rules_off_other_languages",
        # (twentieth session) The only Set of the six that holds it within 1/16 of its budget: ~1.01x the Set passes on
        # new 2 KB text; in the hint-only Set (with ROT47's, since dropped) 1.155x, in a Set of its own one more pass
        # over repeated text (+3 µs).
        "atbash",
    ),
    (
        "jailbreak.jailbreak_word",
        "secrets.github_token",
        "secrets.gitlab_token",
        "multilingual.ru_extraction",
        "multilingual.zh_override",
        "jailbreak.stay_in_character",
        "secrets.private_key",
        "secrets.slack_token",
        "secrets.jwt",
        "multilingual.ru_override",
        "jailbreak.dan",
        "secrets.aws_secret_access_key",
        "secrets.slack_webhook",
        "secrets.azure_storage_key",
        "multilingual.ja_override",
        "multilingual.ar_extraction",
        "jailbreak.dan_name",
        "secrets.aws_access_key_id",
        "secrets.stripe_key",
        "secrets.npm_token",
        "multilingual.ar_override",
        "role_injection.system_tag",
        "secrets.openai_key",
        "secrets.huggingface_token",
        "multilingual.ko_override",
        "multilingual.ja_extraction",
        "role_injection.chat_template_token",
        "role_injection.llama_inst",
        "secrets.anthropic_key",
        "secrets.google_api_key",
        "system_prompt_extraction.reveal_password",
        "instruction_override.ignore_above_at_end",
        "instruction_override.access_granted_translated",
        "reversed",
        "indirect_injection.embedded_task",
        "jailbreak.no_disclaimers",
        "jailbreak.no_moral_guidelines",
        "jailbreak.refusals_banned",
        "jailbreak.answers_anything",
        "jailbreak.always_generate_harmful",
        "jailbreak.restrictions_removed",
        "jailbreak.mode_flag",
        "multilingual.tr_jailbreak",
        "multilingual.tr_never_refuse",
        "multilingual.tr_claimed_authority",
        "multilingual.tr_you_are_now",
        "multilingual.unbound_other_languages",
        "indirect_injection.scripted_answer",
        "indirect_injection.ignore_rest_of_document",
        "indirect_injection.disregard_all_except",
        "caesar",
        # (nineteenth session; each measured cheapest here, side by side with the other Sets it fits in)
        "jailbreak.refusals_inverted",
        "jailbreak.refusal_threat",
        "jailbreak.answer_as_unrestricted_ai",
        "jailbreak.affirmative_opening",
        # (nineteenth session; from Set 3, which model_told_other_languages' Russian and Chinese branches put over 1/16
        # of its budget: the same cost here as in Set 2, the only other that holds it)
        "indirect_injection.note_to_automation",
    ),
    # (twentieth session) The counted-repeat hints in a Set of their own: ``blob`` (a run of 16 word characters),
    # ``split`` (a quoted string of up to 200) and ``padded`` multiplied the states of the rules they shared a Set
    # with (dropping one from its Set saved 27, 13.5 and 20 µs there per new 2 KB text; alone each costs ~4-5), and
    # together they are a few DFA states. The seven passes cost 0.86-0.87x the six with the hints on new 2 KB text
    # (two rounds of 600 texts, alternating), repeated text +0.8 µs (cached, ~36 µs). ``joined`` too would save
    # more on new text (0.82-0.84x, in a second Set: with ``blob`` it multiplies), but each more pass costs repeated
    # text ~3-4 µs. (Then ``spaced`` and ``leet`` joined them: 0.969-0.971x the seven on new text, repeated the same.)
    ("blob", "split", "padded", "spaced", "leet", "base64_words"),
)


def relax_counts(regex: str) -> str:
    """``regex`` with each counted repeat ``{m,n}`` (``n`` > 1 or open) made ``*`` (m = 0) or ``+``.

    The result matches a superset of ``regex`` (laziness ``?`` is kept and does not change which
    texts match). Exact counts ``{m}``, ``{m,1}``, braces inside classes and escapes such as
    ``\\p{L}`` or ``\\x{41}`` are kept as they are.
    """
    return rewrite_counted_repeats(
        regex, lambda low, high: None if high is not None and high <= 1 else ("*" if low == 0 else "+")
    )


# Memory budgets. re2 builds DFA states lazily and keeps them up to the program's budget (then drops them
# all and starts again), so the cache grows with the variety of traffic: 3,000 different 100 KB texts of
# rule-vocabulary word soup took a validator to 311 MiB of RSS, still climbing, with 256 MiB per program
# (six Sets and ~120 exact rules: a pod's 512 MiB limit would be reached). With these budgets the same
# run levels off at ~200 MiB, and benign and adversarial timings are unchanged (bench/validator_memory.py,
# bench/results/validator.md). A Set never gives up when its budget is spent (it rebuilds states as it
# goes); an exact rule at 2 MiB did fall back to the NFA ("DFA out of memory"), at 8 MiB never.
SET_MAX_MEM = 32 << 20
# The last Set of ``_SET_GROUPS`` holds hints only (a few DFA states): rules not listed never go there.
_HINT_ONLY_SETS = 1
RULE_MAX_MEM = 8 << 20
# Views at least this long are prefiltered (``PatternScanner._gated``); below, the six Sets cost little.
_GATE_MIN_BYTES = 16 * 1024
_GATE_SAMPLE = 2048  # bytes at each end of a text prefiltered first (``PatternScanner._gated``)
_GATE_MAX_SETS = 2  # of the six Sets, at most this many scanned besides the unfiltered one (else the six)


def _options(max_mem: int = SET_MAX_MEM) -> re2.Options:
    options = re2.Options()
    options.max_mem = max_mem
    return options


# Large texts: the Set passes, and the confirmations of what they report, are split between this
# thread and one worker (re2 releases the GIL while it scans, and each Set and rule has its own DFA, so
# the two never wait on each other). Below this size the hand-off (~30 us) would cost more than it
# saves; with one CPU there is nothing to gain.
PARALLEL_MIN_BYTES = 32 * 1024
# The six Sets the worker takes (the calling thread takes the others), balanced by their cost on new
# 100 KB rule-vocabulary soup, matching and confirming (ms, 13:50 UTC): 2.43, 0.97, 1.30, 1.38, 1.02, 0.23:
# 3.67 against 3.68 ms (alternate Sets: 2.58 against 4.75). Another number of Sets splits alternate ones.
_WORKER_SETS = (1, 2, 3)
# A large input's skeleton (``match`` on ``PARALLEL_MIN_BYTES`` and more) is matched by a layout of its
# own: the six Sets with the entries named here moved to the Set numbered, split between the threads by
# ``_LARGE_WORKER_SETS`` (a Set the moves leave as it is stays the six's own). On new text, DFA states
# multiply when entries whose partial matches stay alive long share a Set, and what that costs differs
# between 2 KB of prose (the six are placed for it) and 100 KB of rule words: there ``blob`` (a run of 16
# word characters: its count multiplies the other entries' states) made Set 3 ~0.7 ms dearer, and more
# in any other Set; any two Sets merged cost +0.7 to +8.9 ms. Here Sets 1 and 4 of the six are one Set
# and ``blob`` shares Set 4 with two role-injection rules only. Found by local search on soups of other
# seeds than the bench's (move the entry whose removal saves most to the Set where it adds least, timing
# a first pass over 12 new soups after 8, from Sets 1 and 4 merged): the six passes cost ~4.6 ms
# of CPU per new 100 KB soup against ~6.3 (matching, confirming and finding spans: 6.4 against 7.7).
# Still six Sets: with ``blob`` alone in a seventh, soup cost ~0.1 ms less, but 100 KB of text in other
# scripts with an attack at the end 0.15-0.3 ms more (one more pass over all of it).
_LARGE_MOVES: dict[str, int] = {
    # Set 4 of the six, but ``role_injection.fake_turn``, joins Set 1.
    "instruction_override.from_now_on": 1,
    "system_prompt_extraction.primed_disclosure": 1,
    "system_prompt_extraction.told_before": 1,
    "system_prompt_extraction.complete_disclosure": 1,
    "jailbreak.mode_switch": 1,
    "data_exfiltration.markdown_image_placeholder": 1,
    "data_exfiltration.url_data_parameter": 1,
    "data_exfiltration.markdown_image_query": 1,
    "payload_splitting.split_parts": 1,
    "multilingual.it_extraction": 1,
    "indirect_injection.inject_code": 1,
    "indirect_injection.into_your_answer": 1,
    "indirect_injection.into_your_work": 1,
    "indirect_injection.direct_the_user": 1,
    "indirect_injection.answer_this_instead": 1,
    "indirect_injection.before_answering": 1,
    "english": 1,
    "in_place": 1,
    "system_prompt_extraction.secret_into_output": 2,
    "blob": 4,
    "role_injection.fake_agent_step": 4,
    # Where each of these measured cheapest.
    "jailbreak.vendor_rules_dismissed": 1,
    "system_prompt_extraction.reveal_instructions": 1,
    "multilingual.tr_override": 3,
    "split_words": 3,
    "split": 3,
    "system_prompt_extraction.repeat_text_above": 3,
    "multilingual.de_override": 3,
    "joined": 0,  # in Set 5 it cost ~0.25 ms more per pass over 100 KB of camelCase / snake_case words
    "instruction_override.false_authorization": 5,
    "data_exfiltration.encode_into_url": 5,
    "multilingual.now_you_other_languages": 5,
    "instruction_override.access_granted": 5,
    # Rules that joined Set 4 of the six after this layout was found, each where it added least on new
    # soup (nineteenth session): with ``blob`` they cost 5.7 ms per pass, the six passes 13.7 against 8.9.
    "instruction_override.no_system_prompt": 2,
    "instruction_override.ignore_the_user": 0,
    "system_prompt_extraction.what_you_were_given": 1,
    "jailbreak.unrestricted_reply": 0,
    "jailbreak.harm_judge_setup": 5,
    "data_exfiltration.secret_in_every_link": 5,
    "multilingual.reveal_password_other_languages": 5,
    "multilingual.new_instructions_other_languages": 2,
    "indirect_injection.model_told_what_to_do": 0,
    "indirect_injection.note_to_model_other_languages": 5,
    "indirect_injection.dictated_verdict": 3,
    "indirect_injection.task_dismissed": 3,
    "padded": 0,
    # (twentieth session) Where these two were in the six before they joined the hint-only Set.
    "spaced": 3,
    "leet": 0,
    "base64_words": 4,
    # Where they were in the large layout before the six's moves of the nineteenth session's rounds.
    "system_prompt_extraction.init_string": 1,
    "indirect_injection.note_to_automation": 3,
}
# The worker's Sets of the large layout. One thread's cost per Set (ms) on new soup, matching,
# confirming and finding spans: 1.55, 1.28, 1.01, 1.27, 0.31, 0.97 (3.53 here against 2.86 there; timed
# in parallel, 3.60 against 3.15, and a new soup's match 3.76 ms against 4.37 for the six, about the
# same as the split that evens the sums). On ordinary 100 KB text with an attack at the end Set 0 (the
# dismissal family's confirmations and spans) and Set 1 (``reveal_instructions``) cost most: apart;
# on soup disguised by tricks (repeated) this split measured no slower than the six's.
_LARGE_WORKER_SETS = (1, 3, 4)
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _scan_pool() -> ThreadPoolExecutor | None:
    """The worker for large texts' Set passes, started on first use; None on a single CPU."""
    global _pool
    if _pool is None and len(os.sched_getaffinity(0)) > 1:
        with _pool_lock:
            if _pool is None:
                _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aisec-scan")
    return _pool


def _first_span(regex: re2._Regexp, text: str, encoded: bytes | None = None) -> tuple[int, int] | None:
    """The first match of ``regex`` in ``text``, in characters. ``encoded``: ``text`` in UTF-8, when the
    caller has it: the text is then searched as bytes, which spares the re2 wrapper's own encoding of the
    text and its byte-to-character offset scan (~1 ms per 100 KB; ~2 ms to encode 50,000 Cyrillic
    characters): offsets are the same in ASCII, converted by ``_Utf8Text.to_char`` otherwise."""
    if encoded is None:
        found = regex.search(text)
        return None if found is None else found.span()
    found = regex.search(encoded)
    return None if found is None else _char_span(text, encoded, *found.span())


def _char_span(text: str, encoded: bytes, start: int, end: int) -> tuple[int, int]:
    """The byte span ``start, end`` of ``encoded`` (``text`` in UTF-8) in characters of ``text``."""
    if len(encoded) == len(text):
        return start, end
    utf8 = _utf8_text(text, encoded)
    return utf8.to_char(start), utf8.to_char(end)


# Relaxed searches a confirmation makes at most before it searches with the exact regex (``_confirm``).
_LOOSE_TRIES = 4
# Texts at least this long (bytes) take ``_confirm``'s relaxed searches only with sentence ends ("." or a line
# break) in their first and last ``_SENTENCE_SAMPLE`` bytes, one per ``_SENTENCE_BYTES`` (``_short_sentences``).
_LOOSE_MIN_BYTES = 4096
_SENTENCE_SAMPLE = 4096
_SENTENCE_BYTES = 1024


def _short_sentences(encoded: bytes) -> bool:
    """Whether ``_confirm`` may start from relaxed matches in ``encoded``. A relaxed gap (``[^.\\n]*?``) runs to
    the end of its sentence, and re2 finds a match's start by reading back from its end as far as the match
    could reach: in a long text without sentence ends (text in scripts without ".", one long line) a relaxed
    search would read the text twice. Judged from samples of both ends (~4 us; a whole-text ``bytes.count``
    costs ~0.1 ms per 100 KB): a text that fools them costs ``_confirm``'s bound, a few passes."""
    if len(encoded) < _LOOSE_MIN_BYTES:
        return True
    ends = 0
    for sample in (encoded[:_SENTENCE_SAMPLE], encoded[-_SENTENCE_SAMPLE:]):
        ends += sample.count(b".") + sample.count(b"\n")
    return ends * _SENTENCE_BYTES >= 2 * _SENTENCE_SAMPLE


def _confirm(
    regex: re2._Regexp, loose: re2._Regexp | None, text: str, encoded: bytes
) -> tuple[int, int] | None:
    """``_first_span(regex, text, encoded)``, found from where ``loose`` (``regex`` with counted repeats
    relaxed, or None) matches. On text it has not seen, a regex with counted gaps (``[^.\\n]{0,40}?`` after
    a common word) builds many DFA states, its relaxed copy few (~0.55 against ~0.2 ms per new 100 KB of
    rule-word soup); an anchored match is short.

    The same span: every match of ``regex`` is a match of ``loose`` from the same start (relaxing a count
    only widens it; assertions see the same text around the same offsets). So if no match of ``regex``
    starts before ``pos``, none starts before ``loose``'s leftmost match from ``pos`` either (its start,
    ``start``), and the leftmost-first match of the search is the anchored match at ``start`` when there is
    one (the search tries starts in order, each with the same preferences); else none starts before
    ``start + 1``. The exact search from there decides after ``_LOOSE_TRIES`` relaxed matches that were not
    exact ones, or once the relaxed searches have read past the text's length (each reads from ``pos`` to
    its match's end, and back from there to its start at most as far): a few passes at most, however many
    relaxed matches a text holds."""
    if loose is None:
        return _first_span(regex, text, encoded)
    budget = len(encoded)
    pos = 0
    for _ in range(_LOOSE_TRIES):
        first = loose.search(encoded, pos)
        if first is None:
            return None
        start, end = first.span()
        found = regex.match(encoded, start)
        if found is not None:
            return _char_span(text, encoded, *found.span())
        budget -= end - pos
        pos = start + 1
        if budget < 0:
            break
    found = regex.search(encoded, pos)
    return None if found is None else _char_span(text, encoded, *found.span())


class _Utf8Text:
    """A text, its UTF-8 (None when it holds a lone surrogate) and byte -> character offsets in it (offsets
    at character boundaries), each found by decoding the bytes between it and the nearest known point: the
    text's start, its end, or the last offset converted (the spans of one input's rules are usually close
    together: one attack, often at the start or the end of the text)."""

    def __init__(self, text: str, encoded: bytes | None) -> None:
        self.text = text
        self.encoded = encoded
        self._known = (0, 0)  # (byte offset, character offset): one store, so threads never mix two points

    def to_char(self, offset: int) -> int:
        known_byte, known_char = self._known
        encoded = self.encoded
        assert encoded is not None
        if offset < known_byte - offset:  # the start is nearer
            known_byte, known_char = 0, 0
        elif len(encoded) - offset < abs(offset - known_byte):  # the end is nearer
            known_byte, known_char = len(encoded), len(self.text)
        if offset >= known_byte:
            char = known_char + len(encoded[known_byte:offset].decode("utf-8"))
        else:
            char = known_char - len(encoded[offset:known_byte].decode("utf-8"))
        self._known = (offset, char)
        return char


# The long texts scanned last (the views of the input being judged: each Set pass encodes its text, and
# the rules found are then searched in the same texts, their offsets converted one after another),
# replaced as one tuple: threads never see half an update, and at worst encode a text again.
_recent_texts: tuple[_Utf8Text, ...] = ()
_RECENT_TEXTS = 4
_REMEMBER_FROM = 8192  # characters; shorter texts are encoded again in a few microseconds


def remember_utf8(text: str, encoded: bytes) -> None:
    """Keeps ``encoded`` as the UTF-8 of ``text`` when long (a decoded layer, made from those bytes, about
    to be folded and scanned: ``known_utf8``, the Set passes and the searches of the rules found read it
    instead of encoding the text again)."""
    _utf8_text(text, encoded)


def known_utf8(text: str) -> bytes:
    """``text`` in UTF-8: the kept encoding when ``text`` is one of the recent texts, else encoded."""
    for recent in _recent_texts:
        if recent.text is text and recent.encoded is not None:
            return recent.encoded
    return text.encode("utf-8")


def _utf8_text(text: str, encoded: bytes | None = None) -> _Utf8Text:
    """``text`` with its UTF-8 (``encoded``, when the caller has it), from the recent ones when it is one;
    kept among them when long."""
    global _recent_texts
    for recent in _recent_texts:
        if recent.text is text:
            return recent
    if encoded is None:
        try:
            encoded = text.encode("utf-8")
        except UnicodeEncodeError:
            encoded = None
    made = _Utf8Text(text, encoded)
    if len(text) >= _REMEMBER_FROM:
        _recent_texts = (made, *_recent_texts[: _RECENT_TEXTS - 1])
    return made


def prepare(pattern: Pattern) -> str:
    """The regex as compiled: folded like the input, case-insensitive unless told otherwise."""
    regex = fold(pattern.regex)
    return regex if pattern.case_sensitive else f"(?i){regex}"


def set_copy(pattern: Pattern) -> str:
    """What the scanner's Set looks for: ``prepare(pattern)`` with counted repeats relaxed and each
    top-level alternative cut to its anchor (``Pattern.anchors``), or ``Pattern.set_regex`` folded and
    relaxed the same way. Matches a superset of the rule:
    a match of a concatenation contains a match of any run of its elements (assertions such as ``\\b``
    see the same neighbours in the same text). Raises ValueError for an anchor that is not such a run."""
    if pattern.set_regex is not None:
        body = fold(pattern.set_regex)
        return relax_counts(body if pattern.case_sensitive else f"(?i){body}")
    if not pattern.anchors:
        return relax_counts(prepare(pattern))
    branches = top_level_branches(fold(pattern.regex))
    if len(branches) != len(pattern.anchors):
        raise ValueError(f"{pattern.name}: {len(pattern.anchors)} anchors for {len(branches)} alternatives")
    parts = []
    for branch, anchor in zip(branches, pattern.anchors, strict=True):
        if anchor is None:
            parts.append("".join(branch))
            continue
        if any(element.startswith("(?") and element.endswith(")") and ":" not in element for element in branch):
            raise ValueError(f"{pattern.name}: an alternative with inline flags cannot be anchored")
        if isinstance(anchor, int):
            if not 0 < anchor < len(branch):
                raise ValueError(f"{pattern.name}: anchor {anchor} is not an element of its alternative")
            run = branch[anchor:]
        else:
            [run] = top_level_branches(fold(anchor))
            if not any(branch[i : i + len(run)] == run for i in range(len(branch) - len(run) + 1)):
                raise ValueError(f"{pattern.name}: anchor {anchor!r} is not a run of its alternative's elements")
        parts.append("".join(run))
    body = parts[0] if len(parts) == 1 else "|".join(f"(?:{part})" for part in parts)
    return relax_counts(body if pattern.case_sensitive else f"(?i){body}")


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


# Narrow text: long ASCII with few distinct letters, too few to spell the words rules look for: walls of
# encodings ("%25", "&#x41;", "&amp;", "\\u0041", "\\q", "=3D", digits and punctuation) and the layers
# they decode to, with the letters leetspeak folding makes of digits in the wider alphabet. Only a few
# entries can match such text (``needs_other_char``: 10 and 45 of 129 with these letters); it is scanned
# by one Set of those instead of the six. Ordinary text is told apart in its first kilobyte; only text
# narrow there is checked whole.
_NARROW_LETTERS = ("abcdefABCDEFgmpquUxX", "abcdefABCDEFgmpquUxXhijoistlb")
_NARROW_MIN = 8192
_NARROW_HEAD = 1024  # bytes searched for an outside character before the whole text is checked


def narrow_chars(letters: str) -> tuple[str, ...]:
    """The ASCII characters but the letters not in ``letters``."""
    return tuple(chr(code) for code in range(128) if not chr(code).isalpha() or chr(code) in letters)


_CLASS_ESCAPES = frozenset("dDsSwWntrfv")
_ZERO_WIDTH_FLAGS = frozenset("imsU-")


def _single_char_atom(atom: str) -> bool:
    """``atom`` (an element of ``top_level_branches`` without its repeat) matches exactly one character:
    a literal, ``.``, a class, a class escape, an escaped punctuation mark, ``\\p{..}`` or ``\\x{..}``."""
    if len(atom) == 1:
        return atom not in "()|^$*+?{}[]\\"
    if atom[0] == "[":
        return atom[-1] == "]"
    if atom[0] != "\\":
        return False
    if len(atom) == 2:
        return atom[1] in _CLASS_ESCAPES or not atom[1].isalnum()
    return atom[1] in "pP" or atom.startswith("\\x{")


def _repeat(element: str) -> tuple[str, int]:
    """(atom, least number of times it is matched) of an element of ``top_level_branches``."""
    if element[-1:] == "?" and element[-2:-1] in ("*", "+", "?", "}") and element[-3:-1] != "\\" + element[-2:-1]:
        element = element[:-1]  # lazy
    last = element[-1:]
    if element[-2:-1] == "\\" or len(element) < 2:
        return element, 1
    if last in ("*", "?"):
        return element[:-1], 0
    if last == "+":
        return element[:-1], 1
    if last == "}":
        brace = element.rfind("{")
        low, _, high = element[brace + 1 : -1].partition(",")
        escaped = element[brace - 1 : brace] == "\\" or element[brace - 2 : brace] in ("\\x", "\\p", "\\P")
        if brace > 0 and low.isdigit() and (high == "" or high.isdigit()) and not escaped:
            return element[:brace], int(low)
    return element, 1


# Escapes ``top_level_branches`` reads whole: two characters, or ``\\p{..}``, ``\\P{..}``, ``\\x{..}``.
_TWO_CHAR_ESCAPES = frozenset("dDsSwWntrfvbBAz")


def _braced_escapes(regex: str) -> str | None:
    """``regex`` with one-letter property escapes braced (``\\pL`` -> ``\\p{L}``, the same class), or None
    when it holds an escape the analysis does not read whole (``\\x41``, octal, ``\\Q..\\E``, ``\\C``)."""
    out: list[str] = []
    position, length = 0, len(regex)
    while position < length:
        char = regex[position]
        if char != "\\":
            out.append(char)
            position += 1
            continue
        following = regex[position + 1 : position + 2]
        if following in ("p", "P", "x") and regex[position + 2 : position + 3] == "{":
            end = regex.find("}", position)
            if end == -1:
                return None
            out.append(regex[position : end + 1])
            position = end + 1
        elif following in ("p", "P") and regex[position + 2 : position + 3].isalpha():
            out.append(f"\\{following}{{{regex[position + 2]}}}")
            position += 3
        elif following in _TWO_CHAR_ESCAPES or (following and not following.isalnum()):
            out.append(regex[position : position + 2])
            position += 2
        else:
            return None
    return "".join(out)


def needs_other_char(regex: str, chars: Sequence[str]) -> bool:
    """True when every match of ``regex`` holds a character not in ``chars``, so it never matches text made
    of ``chars`` only. Conservative: True only where each alternative has an element matched at least once
    that is a single-character atom matching none of ``chars`` (tested with RE2 on each, with and without
    case folding), or a group that needs one in the same sense; anything else (assertions, flags, escapes
    not known to be one character) counts as needing nothing."""
    braced = _braced_escapes(regex)
    return braced is not None and _needs_other_char(braced, chars)


def _needs_other_char(regex: str, chars: Sequence[str]) -> bool:
    return all(any(_element_needs_other_char(e, chars) for e in branch) for branch in top_level_branches(regex))


def _element_needs_other_char(element: str, chars: Sequence[str]) -> bool:
    atom, least = _repeat(element)
    if least == 0 or not atom:
        return False
    if atom[0] == "(":
        if atom[-1] != ")":
            return False
        inner = atom[1:-1]
        if inner[:1] == "?":
            colon = inner.find(":")
            if inner[:3] == "?P<":
                inner = inner[inner.index(">") + 1 :]
            elif colon > 0 and _ZERO_WIDTH_FLAGS.issuperset(inner[1:colon]):
                inner = inner[colon + 1 :]
            else:
                return False  # "(?i)" and the like match nothing
        return _needs_other_char(inner, chars)
    return _single_char_atom(atom) and not _matches_one_of(atom, "".join(chars))


@functools.lru_cache(maxsize=4096)
def _matches_one_of(atom: str, chars: str) -> bool:
    """The single-character ``atom`` matches one of ``chars``, case-insensitive or not, whatever flags are
    in force where it stands (with "(?i)" a negated class matches fewer characters, a letter more)."""
    return any(re2.compile(flags + atom).search(chars) is not None for flags in ("", "(?i)"))


class PatternScanner:
    """``hints`` are extra (name, regex) pre-checks answered by the same Set passes."""

    def __init__(self, detectors: Sequence[Detector], hints: Sequence[tuple[str, str]] = ()) -> None:
        rule_options = _options(RULE_MAX_MEM)
        self._rules: list[Rule] = []
        self._context_free: list[bool] = []
        # Rule or hint number (rules first, then hints, as one Set would number them) -> Set regex.
        entries: list[str] = []
        # Per rule: True when its Set copy is relaxed, so a report needs the exact regex to confirm it.
        self._relaxed: list[bool] = []
        # Per rule: its regex with counted repeats relaxed (``relax_counts``), compiled when that differs from
        # the regex and the Set copy is too: where a confirmation starts looking (``_confirm``).
        self._loose: list[re2._Regexp | None] = []
        for detector in detectors:
            for pattern in detector.patterns:
                regex = prepare(pattern)
                self._rules.append(Rule(detector, pattern, re2.compile(regex, rule_options)))
                self._context_free.append(context_free(regex))
                copy = set_copy(pattern)
                entries.append(copy)
                self._relaxed.append(copy != regex)
                loose = relax_counts(regex)
                self._loose.append(re2.compile(loose, rule_options) if copy != regex and loose != regex else None)
        self._hint_names: list[str] = []
        for name, regex in hints:
            self._hint_names.append(name)
            entries.append(regex)  # hints unrelaxed: relaxing ``blob`` makes its DFA costlier
        group_of = {name: slot for slot, names in enumerate(_SET_GROUPS) for name in names}
        groups: list[list[int]] = [[] for _ in _SET_GROUPS]
        unlisted: list[int] = []
        for number, name in enumerate([rule.rule_id for rule in self._rules] + self._hint_names):
            slot = group_of.get(name)
            if slot is None:
                unlisted.append(number)
            else:
                groups[slot].append(number)
        rule_groups = groups[: len(groups) - _HINT_ONLY_SETS]
        for number in unlisted:
            min(rule_groups, key=len).append(number)
        groups = [members for members in groups if members] or [[]]
        # (Set, Set index -> rule or hint number) per group.
        self._entries = entries
        self._sets: list[tuple[re2.Set, list[int]]] = [(self._compiled_set(members), members) for members in groups]
        # How large texts split the Sets between this thread and the worker (see ``_WORKER_SETS``).
        worker = set(_WORKER_SETS) if len(self._sets) == len(_SET_GROUPS) else set(range(1, len(self._sets), 2))
        self._halves = (
            [group for index, group in enumerate(self._sets) if index not in worker],
            [group for index, group in enumerate(self._sets) if index in worker],
        )
        # The large texts' layout (``_LARGE_MOVES``), compiled by ``warm_up`` or on first use; the six's
        # halves when nothing moves or the six are not the table's.
        self._large_groups: list[list[int]] | None = None
        self._large: tuple[list[tuple[re2.Set, list[int]]], list[tuple[re2.Set, list[int]]]] | None = None
        if _LARGE_MOVES and len(self._sets) == len(_SET_GROUPS):
            names = [rule.rule_id for rule in self._rules] + self._hint_names
            count = max(len(self._sets), max(_LARGE_MOVES.values()) + 1)
            large: list[list[int]] = [[] for _ in range(count)]
            for index, (_, members) in enumerate(self._sets):
                for number in members:
                    large[_LARGE_MOVES.get(names[number], index)].append(number)
            # (the hint-only Sets' entries are all moved: large texts keep them in the six, where they cost less
            # than one more pass over 100 KB)
            self._large_groups = [members for members in large if members]
        else:
            self._large = self._halves
        # Per narrow alphabet, narrowest first: its bytes, and the entries that may match text made of it
        # (their Set is compiled by ``warm_up`` or on first use: ~10 ms and ~1.5 MiB for the wider
        # alphabet's, which only walls of encodings need).
        self._narrow: list[tuple[bytes, list[int]]] = []
        self._narrow_compiled: dict[int, list[tuple[re2.Set, list[int]]]] = {}
        for letters in _NARROW_LETTERS:
            chars = narrow_chars(letters)
            capable = [number for number, entry in enumerate(entries) if not needs_other_char(entry, chars)]
            self._narrow.append(("".join(chars).encode("ascii"), capable))
        # A search for a character outside the widest narrow alphabet, for the head of a text.
        others = "".join(chr(code) for code in range(128) if chr(code) not in narrow_chars(_NARROW_LETTERS[-1]))
        self._outside_narrow = re2.compile(f"[{others}]|[^\\x00-\\x7f]")
        # The prefilter of the Sets' entries for long views (see ``_gated``): re2's FilteredRE2 over the
        # same regexes, and the entries it never rules out (no literal it could require), in one Set.
        self._prefilter = re2.Filter()
        for number, entry in enumerate(entries):
            if self._prefilter.Add(entry, _options()) != number:  # (its copies are compiled, never run)
                raise RuntimeError(f"re2 Filter index mismatch for entry {number}")
        self._prefilter.Compile()
        unfiltered = sorted(self._prefilter.Match(b"", potential=True) or ())
        self._unfiltered = frozenset(unfiltered)
        self._unfiltered_sets = [(self._compiled_set(unfiltered), unfiltered)] if unfiltered else []
        # Entry number -> index of its Set in ``self._sets``.
        self._set_of = {number: index for index, (_, members) in enumerate(self._sets) for number in members}
        # The text ``match`` last saw, and the spans its confirmations found (see ``match``).
        self._last_spans: tuple[str | None, dict[int, tuple[int, int]]] = (None, {})

    def _confirmed(self, text: str, spans_in_parallel: bool = False) -> Scan:
        """``match``, plus the first span of each relaxed rule found while confirming it. Large texts have
        about half of the Sets' cost matched and confirmed on the worker (``_scan_pool``) while this thread
        does the rest, in the large texts' layout (``_LARGE_MOVES``, ``_LARGE_WORKER_SETS``; alternate Sets
        for the narrow-alphabet ones): a skeleton's, and a long view's or decoded layer's (the six's split,
        ``_WORKER_SETS``, cost 0.2-1 ms more on 85-100 KB views of word soup; helper-42).

        ``spans_in_parallel`` (``match``'s text, an input's skeleton): each thread also finds the first span
        of every unrelaxed rule its Sets report (``locate`` searches each of them there anyway, after the
        passes and on this thread alone). Which Sets hold an entry never changes the answer: a Set reports
        every entry of its own that matches."""
        # Each Set pass would encode a str to UTF-8 again (~40 us per 100 KB of non-ASCII text): once here
        # (or not at all: a view's layer kept its encoding, ``remember_utf8``), kept for the searches of the
        # rules found (``_utf8_text``) when the text is long enough.
        encoded = known_utf8(text)
        if len(text) >= _REMEMBER_FROM:
            _utf8_text(text, encoded)
        sets = self._sets
        if len(encoded) >= _NARROW_MIN and self._outside_narrow.search(encoded, 0, _NARROW_HEAD) is None:
            sets = self._narrow_sets(encoded)
        pool = _scan_pool() if len(encoded) >= PARALLEL_MIN_BYTES and len(sets) > 1 else None
        if pool is None:
            return self._scan_sets(sets, text, encoded)
        if sets is not self._sets:
            mine, theirs = sets[0::2], sets[1::2]
        else:
            mine, theirs = self._large or self._large_halves()
        future = pool.submit(self._scan_sets, theirs, text, encoded, spans_in_parallel)
        rules, hints, spans = self._scan_sets(mine, text, encoded, spans_in_parallel)
        their_rules, their_hints, their_spans = future.result()
        rules |= their_rules
        hints |= their_hints
        spans.update(their_spans)  # each rule is in one Set: no span is found twice
        return rules, hints, spans

    def _prefiltered(self, text: str) -> Scan:
        """``_confirmed(text)``, by ``_gated`` when the text is long (and not narrow: ``_narrow_sets`` scans
        that by one Set) and the prefilter allows."""
        encoded = known_utf8(text)
        _utf8_text(text, encoded)  # kept for ``_confirmed`` (``scan_once`` sends texts long enough to keep)
        if (
            len(encoded) >= _GATE_MIN_BYTES
            and self._unfiltered_sets
            and not (len(encoded) >= _NARROW_MIN and self._outside_narrow.search(encoded, 0, _NARROW_HEAD) is None)
        ):
            found = self._gated(text, encoded)
            if found is not None:
                return found
        return self._confirmed(text)

    def _gated(self, text: str, encoded: bytes) -> Scan | None:
        """``_confirmed(text)`` from the Set of the entries the prefilter never rules out and the few of the
        six Sets that hold the other entries it returns for ``text`` (at most ``_GATE_MAX_SETS``); None
        when more would be needed.

        Sound because FilteredRE2's prefilter of a regex is a necessary condition for a match: re2
        computes, from the regex alone, literals (atoms, lower-cased) of which any match must contain
        certain combinations (an AND / OR tree over them); ``Match(potential=True)`` finds which atoms
        occur in the text (one case-insensitive literal Set pass) and returns every entry whose tree
        they satisfy, plus the entries with no tree (``_unfiltered``: any text may match them). An
        entry it does not return cannot match the text: no Set pass reports it, and a relaxed rule's
        copy that cannot match has no exact match either (the copy matches a superset). So the entries
        that may be reported are the unfiltered ones, scanned by their own Set, and the other returned
        ones, each scanned by its Set among the six (which may report unfiltered entries again, with
        the same confirmations and spans: the union is unchanged); each relaxed rule is confirmed by
        its exact regex as in ``_scan_sets``. The union is exactly what the six Sets report. The
        unfiltered Set and the prefilter each cost about one of the six Sets (1.5-2.5 ns per byte): a
        long decoded layer of symbols and digits (an entity wall's decoding) is scanned for a third of
        the six passes. Samples of the text's ends tell first whether it would need more Sets (prose,
        an attack: the prefilter would only add passes; tests/unit/validator/test_h36_prefilter_gate.py)."""
        unfiltered, prefilter, set_of = self._unfiltered, self._prefilter.Match, self._set_of
        holding: set[int] = set()
        for sample in (encoded[:_GATE_SAMPLE], encoded[-_GATE_SAMPLE:]):
            holding.update(set_of[number] for number in prefilter(sample, True) or () if number not in unfiltered)
            if len(holding) > _GATE_MAX_SETS:
                return None
        pool = _scan_pool() if len(encoded) >= PARALLEL_MIN_BYTES else None
        if pool is None:
            potential = prefilter(encoded, True) or ()
            holding = {set_of[number] for number in potential if number not in unfiltered}
            if len(holding) > _GATE_MAX_SETS:
                return None
            found = self._scan_sets(self._unfiltered_sets, text, encoded)
        else:
            future = pool.submit(prefilter, encoded, True)
            found = self._scan_sets(self._unfiltered_sets, text, encoded)
            holding = {set_of[number] for number in future.result() or () if number not in unfiltered}
            if len(holding) > _GATE_MAX_SETS:
                return None
        if holding:
            rules, hints, spans = found
            more_rules, more_hints, more_spans = self._scan_sets([self._sets[i] for i in sorted(holding)], text, encoded)
            rules |= more_rules
            hints |= more_hints
            spans.update(more_spans)
        return found

    def _scan_sets(
        self, sets: Sequence[tuple[re2.Set, list[int]]], text: str, encoded: bytes, all_spans: bool = False
    ) -> Scan:
        """(rules, hints, spans) that ``sets`` find in ``text`` (``encoded``: its UTF-8), each relaxed rule
        confirmed by its exact regex; ``all_spans``: the unrelaxed rules' first spans too (their Set copy
        is their regex: the search finds the match the Set saw)."""
        rules: set[int] = set()
        hints: set[str] = set()
        spans: dict[int, tuple[int, int]] = {}
        count = len(self._rules)
        loose_ok: bool | None = None  # ``_short_sentences(encoded)``, when a confirmation first needs it
        for group_set, members in sets:
            found = group_set._set.Match(encoded)  # (the binding's own: its wrapper's frame cost ~0.4 µs per pass)
            if not found:
                continue
            for local in found:  # a plain loop: usually one or two indexes, no comprehension frames
                number = members[local]
                if number >= count:
                    hints.add(self._hint_names[number - count])
                elif not self._relaxed[number]:
                    rules.add(number)
                    if all_spans:
                        span = _first_span(self._rules[number].regex, text, encoded)
                        if span is not None:
                            spans[number] = span
                else:
                    loose = self._loose[number]
                    if loose is not None:
                        if loose_ok is None:
                            loose_ok = _short_sentences(encoded)
                        if not loose_ok:
                            loose = None
                    exact = _confirm(self._rules[number].regex, loose, text, encoded)
                    if exact is not None:
                        rules.add(number)
                        spans[number] = exact
        return rules, hints, spans

    def scan_once(self, text: str, cache: dict[str, Scan]) -> Scan:
        """(rules, hints, spans) for ``text``: ``match`` with the spans its confirmations found, run once
        per distinct text in ``cache``. The views of one input share a cache: a decoded layer's hints
        come from the Set passes that also find its rules, and a view equal to another one is scanned
        once (the results are a function of the text). A long text is prefiltered first
        (``_prefiltered``: decoded walls of symbols and digits, and their views, are where that pays)."""
        found = cache.get(text)
        if found is None:
            long = len(text) >= _REMEMBER_FROM  # (shorter texts cost little: not prefiltered)
            found = cache[text] = self._prefiltered(text) if long else self._confirmed(text)
        return found

    def _narrow_sets(self, encoded: bytes) -> list[tuple[re2.Set, list[int]]]:
        """The Sets to scan ``encoded`` with: the one of the narrowest alphabet it is made of, else the six.
        (C-level deletions over the whole text, ~0.4 ns per byte: a re2 search for an outside character
        would cost 1.6 ns per byte when that character is at the end.)"""
        rest = encoded
        for tier, (chars, _) in enumerate(self._narrow):
            rest = rest.translate(None, chars)
            if rest:
                continue
            return self._narrow_set(tier)
        return self._sets

    def _compiled_set(self, members: list[int]) -> re2.Set:
        """One re2 Set of the entries ``members`` (Set index i -> ``members[i]``)."""
        compiled = re2.Set.SearchSet(_options())
        for local, number in enumerate(members):
            if compiled.Add(self._entries[number]) != local:
                raise RuntimeError(f"re2 Set index mismatch for entry {number}")
        compiled.Compile()
        return compiled

    def _narrow_set(self, tier: int) -> list[tuple[re2.Set, list[int]]]:
        """The Sets for text of narrow alphabet ``tier`` (none when no entry can match it: no pass at all)."""
        narrow_sets = self._narrow_compiled.get(tier)
        if narrow_sets is None:
            capable = self._narrow[tier][1]
            narrow_sets = [(self._compiled_set(capable), capable)] if capable else []
            self._narrow_compiled[tier] = narrow_sets
        return narrow_sets

    def _large_halves(self) -> tuple[list[tuple[re2.Set, list[int]]], list[tuple[re2.Set, list[int]]]]:
        """The large texts' Sets (``_LARGE_MOVES``) as (this thread's, the worker's), compiled once: a Set
        the moves left unchanged is the six's own."""
        if self._large is None:
            assert self._large_groups is not None
            same = {tuple(members): (compiled, members) for compiled, members in self._sets}
            sets = [same.get(tuple(members)) or (self._compiled_set(members), members) for members in self._large_groups]
            worker = set(_LARGE_WORKER_SETS)
            self._large = (
                [group for index, group in enumerate(sets) if index not in worker],
                [group for index, group in enumerate(sets) if index in worker],
            )
        return self._large

    def warm_up(self) -> None:
        """Compiles the Sets otherwise compiled on first use (a server calls it at start-up)."""
        for tier in range(len(self._narrow)):
            self._narrow_set(tier)
        self._large_halves()

    def match(self, text: str) -> tuple[set[int], set[str]]:
        """(indexes of rules matching somewhere in ``text``, names of hints present).

        One pass per Set; a relaxed rule counts only if its exact regex matches ``text`` too. The
        spans those confirmations found are kept for ``text`` (the last one only), so ``locate``
        does not search a view that is this very string again: some exact rules cost ~2 ms per
        search on new text (``data_exfiltration.markdown_image_query``). A large text's unrelaxed rules
        have their spans found there too, each by the thread whose Sets reported it (``_confirmed``).
        """
        rules, hints, spans = self._confirmed(text, spans_in_parallel=True)
        self._last_spans = (text, spans)  # one tuple store: a concurrent call never mixes the two
        return rules, hints

    def _first_match(
        self, index: int, view_index: int, views: Sequence[ScanView], known: dict[int, tuple[int, int]] | None
    ) -> RuleMatch | None:
        """The first match of rule ``index`` in ``views[view_index]``; ``known``: spans already found there."""
        span = known.get(index) if known else None
        if span is None:
            text = views[view_index].text
            span = _first_span(self._rules[index].regex, text, _utf8_text(text).encoded)
            if span is None:
                return None
        return RuleMatch(self._rules[index], view_index, span[0], span[1])

    def locate(
        self, indexes: set[int], views: Sequence[ScanView], in_first_view: Set[int] | None = None
    ) -> list[RuleMatch]:
        """First match of each rule in ``indexes``, in the earliest view where it matches.

        ``in_first_view``: the rules ``match`` reported for ``views[0].text`` alone (when known);
        any other rule cannot match that view, so it is not searched there.
        """
        last_text, last_spans = self._last_spans
        known: list[dict[int, tuple[int, int]] | None] = [
            last_spans if v.text is last_text else None for v in views
        ]

        def may_match(index: int, view_index: int) -> bool:
            return view_index > 0 or in_first_view is None or index in in_first_view

        return self._first_view_matches(sorted(indexes), views, known, may_match)

    def locate_in_views(
        self, first_view_rules: Set[int], views: Sequence[ScanView], cache: dict[str, Scan] | None = None
    ) -> list[RuleMatch]:
        """``locate(first_view_rules | match(LAYER_SEPARATOR.join(views[1:]))[0], views)``, cheaper.

        ``first_view_rules``: the rules ``match`` reported for ``views[0].text``. Each further view
        gets its own ``match`` (the same bytes as one pass over the joined views; once per distinct
        text, ``cache``: views already scanned, see ``scan_once``), so every rule is searched for its span
        only in the first view it is known to match: no search runs over a view where it fails. A rule
        reported for a view alone also matches the joined views unless it is anchored (see
        ``context_free``); anchored ones are checked on the joined text.
        """
        if cache is None:
            cache = {}
        last_text, last_spans = self._last_spans
        per_view: list[Set[int]] = [first_view_rules]
        known: list[dict[int, tuple[int, int]] | None] = [last_spans if views[0].text is last_text else None]
        for view in views[1:]:
            rules, _, spans = self.scan_once(view.text, cache)
            per_view.append(rules)
            known.append(spans)
        indexes = set(first_view_rules)
        joined: str | None = None
        for index in set().union(*per_view[1:]) - indexes:
            if not self._context_free[index]:
                if joined is None:
                    joined = LAYER_SEPARATOR.join(v.text for v in views[1:])
                if self._rules[index].regex.search(joined) is None:
                    continue
            indexes.add(index)
        return self._first_view_matches(
            sorted(indexes), views, known, lambda index, view_index: index in per_view[view_index]
        )

    def _first_view_matches(
        self,
        indexes: Sequence[int],
        views: Sequence[ScanView],
        known: Sequence[dict[int, tuple[int, int]] | None],
        may_match: Callable[[int, int], bool],
    ) -> list[RuleMatch]:
        """Each rule's match in the first view where it may match (``may_match(rule, view)``;
        raw-only rules never in transformed views) and does."""
        matches: list[RuleMatch] = []
        for index in indexes:
            rule = self._rules[index]
            for view_index, view in enumerate(views):
                if (view.transformed and rule.pattern.raw_only) or not may_match(index, view_index):
                    continue
                found = self._first_match(index, view_index, views, known[view_index])
                if found is not None:
                    matches.append(found)
                    break
        return matches

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(self._rules)

    def scan(self, views: Sequence[ScanView]) -> list[RuleMatch]:
        """First match of every matching rule, in the earliest view where it matches."""
        joined = views[0].text if len(views) == 1 else LAYER_SEPARATOR.join(v.text for v in views)
        indexes = self._confirmed(joined)[0]
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
