"""Page text → paragraphs → sentences, with web-page clutter set aside.

Text copied from a web page carries a site name, photo captions, cookie
banners and footers. None of them states a trade figure, so the extractor
keeps every sentence but only sentences with a money amount or a percentage
yield records; this module only has to split reliably.

Sentence ends are ". ", "? ", "! " before a capital letter or a quote, except
after abbreviations ("U.S. dollars", "Co. Ltd"); decimal points never split
("180.24").

>>> [s.text for s in sentences_of("Exports rose 5%. Imports fell 2% (U.S. data).")]
['Exports rose 5%.', 'Imports fell 2% (U.S. data).']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = {
    "u.s",
    "u.k",
    "u.n",
    "co",
    "ltd",
    "inc",
    "no",
    "mr",
    "mrs",
    "dr",
    "st",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "e.g",
    "i.e",
    "etc",
    "vs",
    "approx",
}
_END = re.compile(r"([.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z0-9])")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the text, with its paragraph's index and its running index over the text."""

    text: str
    paragraph: int  # index of the paragraph (block of text between blank lines / line breaks)
    index: int  # running index over the whole text


def normalise(text: str) -> str:
    """Unify quotes and spaces that web pages vary (the typographic apostrophe stays as written)."""
    text = text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # "year-on-year(YoY)increase", "yuan(+0.8%)": a space around brackets glued to words
    text = re.sub(r"(?<=[A-Za-z0-9%])\((?=[A-Za-z+\-−$])", " (", text)
    text = re.sub(r"\)(?=[A-Za-z])", ") ", text)
    # "35.2 percent and16.8 percent": a connector glued to the next number
    text = re.sub(r"\b(and|or|to|by|of|from)(?=\d)", r"\1 ", text)
    return text


def paragraphs_of(text: str) -> list[str]:
    """Non-empty lines: a page copied as text puts one paragraph per line."""
    return [ln.strip() for ln in normalise(text).split("\n") if ln.strip()]


def _split(par: str) -> list[str]:
    out, start = [], 0
    for m in _END.finditer(par):
        if m.group(1) == ".":
            word = re.search(r"([A-Za-z.]+)$", par[start : m.start()])
            if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                continue
        out.append(par[start : m.end()].strip())
        start = m.end()
    tail = par[start:].strip()
    if tail:
        out.append(tail)
    return out


def sentences_of(text: str) -> list[Sentence]:
    """The sentences of ``text``, paragraph by paragraph, numbered from 0 over the whole text."""
    out: list[Sentence] = []
    for p, par in enumerate(paragraphs_of(text)):
        for s in _split(par):
            out.append(Sentence(s, p, len(out)))
    return out


def title_of(text: str) -> str:
    """The headline: the first line of five or more words that does not end like a sentence."""
    for line in paragraphs_of(text)[:8]:
        if len(line.split()) >= 5 and not line.endswith((".", "!", "?", ":")):
            return line
    return ""
