"""The registry of passes, in their one default order.

The order matters and is the design (see ``pipeline``): text passes, then
layout passes, block passes and assembly. Kept apart from the runner, so
that the configuration can name the passes without importing the runner.
"""

from __future__ import annotations

from .passes import (
    characters,
    columns,
    confusions,
    dashes,
    duplicates,
    encoding,
    interleave,
    markdown,
    ocr,
    order,
    punctuation,
    script,
    spaces,
    wraps,
)
from .passes.base import Pass
from .structure import assemble

PASSES: tuple[Pass, ...] = (
    Pass(
        "fix_mojibake",
        "text",
        encoding.find_mojibake,
        "text decoded with the wrong codec (UTF-8 as Latin-1 or GBK, GBK as Latin-1)",
    ),
    Pass(
        "normalize_characters",
        "text",
        characters.find_odd_characters,
        "Kangxi radicals, compatibility ideographs, full-width digits/Latin, controls, NFC",
    ),
    Pass(
        "convert_script",
        "text",
        script.find_script_changes,
        "traditional/simplified conversion with OpenCC (off unless --convert is given)",
        default=False,
    ),
    Pass(
        "read_side_by_side_columns",
        "layout",
        columns.read_side_by_side_columns,
        "columns printed side by side on one line (pdftotext -layout), read column by column",
    ),
    Pass(
        "separate_interleaved_columns",
        "layout",
        interleave.separate_interleaved_columns,
        "columns read row by row (pdftotext, pdfminer at wide leading), put back column by column",
    ),
    Pass(
        "strip_markdown_marks",
        "layout",
        markdown.strip_markdown_marks,
        "'#' heading marks from upstream converters (kept as hints)",
    ),
    Pass(
        "drop_duplicate_blocks",
        "layout",
        duplicates.drop_duplicate_blocks,
        "a block the extractor printed twice (before lines are joined)",
    ),
    Pass(
        "restore_displaced_lines",
        "layout",
        order.restore_displaced_lines,
        "a printed line glued into another column's text, put back where it fits",
    ),
    Pass(
        "drop_break_repeats",
        "layout",
        duplicates.drop_break_repeats,
        "characters repeated on both sides of a column break",
    ),
    Pass(
        "join_wrapped_lines",
        "layout",
        wraps.join_wrapped_lines,
        "line wraps and column/page breaks inside paragraphs",
    ),
    Pass(
        "restore_reading_order",
        "layout",
        order.restore_reading_order,
        "a paragraph's continuation stranded elsewhere on the page",
    ),
    Pass(
        "drop_duplicate_paragraphs",
        "layout",
        duplicates.drop_duplicate_paragraphs,
        "a paragraph printed twice (once lines are joined)",
    ),
    Pass(
        "repair_ocr_punctuation",
        "block",
        ocr.find_ocr_punctuation,
        "OCR-misread marks: o for 。, a column rule read as |, a misread jump line (OCR pages, --ocr)",
        ocr=True,
    ),
    Pass("pair_quotes", "block", punctuation.find_straight_quotes, "straight quotes paired into curly ones"),
    Pass(
        "repair_mirrored_quotes",
        "block",
        punctuation.find_mirrored_quotes,
        "a curly quote turned the wrong way, or a closing one read as ' (OCR)",
    ),
    Pass(
        "repair_lone_quotes",
        "block",
        ocr.find_lone_quotes,
        "a straight quote pairing left, its partner lost, turned by the marks around it (OCR pages, --ocr)",
        ocr=True,
    ),
    Pass(
        "widen_punctuation",
        "block",
        punctuation.find_ascii_punctuation,
        "ASCII , ; : ( ) ? ! in Chinese text",
    ),
    Pass(
        "repair_misread_brackets",
        "block",
        punctuation.find_misread_brackets,
        "an opening or closing parenthesis read as an angle bracket (〈…）, 《…）) (OCR)",
    ),
    Pass(
        "repair_dashes",
        "block",
        dashes.find_dash_glyphs,
        "dash look-alikes (一, --, ―, ─) where —— was printed",
    ),
    Pass(
        "remove_artifact_spaces",
        "block",
        spaces.find_artifact_spaces,
        "spaces from justification, joined lines and spaced-out characters",
    ),
    Pass(
        "drop_doubled_heading_tails",
        "block",
        duplicates.find_doubled_tails,
        "a headline whose tail was printed twice",
    ),
    Pass(
        "repair_ocr_confusions",
        "block",
        confusions.find_ocr_confusions,
        "look-alike characters with one reading (rules/confusions.tsv)",
    ),
    Pass(
        "repair_ocr_characters",
        "block",
        ocr.find_ocr_misreads,
        "look-alike characters the lexicon reads as far more likely (OCR pages, --ocr)",
        ocr=True,
    ),
    Pass(
        "assemble_articles",
        "assemble",
        assemble.assemble_articles,
        "headlines, bylines, captions and jump lines into articles",
    ),
)


def pass_names() -> tuple[str, ...]:
    return tuple(p.name for p in PASSES)


def get_pass(name: str) -> Pass:
    for p in PASSES:
        if p.name == name:
            return p
    raise KeyError(name)
