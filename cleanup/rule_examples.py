"""The examples of rule files, checked against the rules they are part of.

An entry may carry an ``example`` (``input => expected``): what the rule does
to a text. The shipped files' examples are checked by the test suite; a
user's rule folder is checked when it is loaded by the command line, so that
an entry that does not do what its author wrote is reported, not silently
ignored. (Kept apart from ``rules``: the check runs the passes, which read
the rules.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .linekinds import credit_at_end, is_bare_name, is_byline, is_lead, is_rubric, jump_of
from .passes.base import Context
from .passes.confusions import repair_ocr_confusions
from .passes.dashes import repair_dashes
from .passes.ocr import repair_ocr_characters
from .passes.punctuation import widen_punctuation
from .rules import Rules

_FIXERS: dict[str, Callable[..., str]] = {
    "widen_punctuation": widen_punctuation,
    "repair_dashes": repair_dashes,
    "repair_ocr_confusions": repair_ocr_confusions,
    "repair_ocr_characters": repair_ocr_characters,
}
# Files whose entries map text to text: their example is the pass's output.
MAP_FILES = (
    "punctuation.tsv",
    "dashes.tsv",
    "dash_openers.tsv",
    "confusions.tsv",
    "ocr_classic.tsv",
    "ocr_lookalikes.tsv",
    "ocr_pairs.tsv",
)


def example_result(name: str, pass_name: str, given: str, rules: Rules) -> str | None:
    """What the rules make of an example of file name: the text a map file's
    pass gives, the line itself when a line kind's file recognises it (the
    part it recognises for credits and jump lines), None when it does not."""
    if name in MAP_FILES:
        return _FIXERS[pass_name](given, context=Context(rules, {}))
    if name == "bylines.tsv":
        return given if is_byline(given, rules) else None
    if name == "credits.tsv":
        m = credit_at_end(given, rules)
        return m.group() if m is not None else None
    if name == "jumps.tsv":
        return jump_of(given, rules)
    if name == "leads.tsv":
        return given if is_lead(given, rules) else None
    if name == "surnames.tsv":
        return given if is_bare_name(given, rules) else None
    if name == "rubrics.tsv":
        return given if is_rubric(given, rules) and not is_byline(given, rules) else None
    raise KeyError(name)


def failed_examples(rules: Rules, only: Callable[[str], bool] = lambda origin: True) -> Iterator[str]:
    """'file:line: example …' for each example (of the entries whose origin
    only accepts) that the rules do not bear out."""
    for rf in rules.files.values():
        for given, expected, origin in rf.examples():
            if not only(origin):
                continue
            got = example_result(rf.name, rf.pass_name, given, rules)
            if got != expected:
                said = "nothing" if got is None else repr(got)
                yield f"{origin}: example {given!r} => {expected!r} does not hold (the rules give {said})"
