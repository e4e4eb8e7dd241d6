"""Numbers in a sentence: digits with either thousands separator ("7,200", "7.200",
"3 300", "7 mil 200", "1,5 millones", "2, 000"), words in Spanish or English ("dos mil", "two
thousand", parsed by text2num; "mil" alone; collective numerals: "una decena", "two dozen"),
vague amounts ("cientos", "thousands"), and the bounds and ranges around them ("more than
7,200", "hasta 7.200", "entre 4.000 y 5.000").

Positions are character offsets in the sentence; every mention keeps its span.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .textnorm import fold


@dataclass(frozen=True)
class Number:
    value: float
    low: float | None  # bounds the sentence gives ("more than": low; "up to": high; a range: both)
    high: float | None
    start: int
    end: int
    vague: bool = False  # "cientos", "thousands": an order of magnitude, not a figure
    approx: bool = False  # "about", "unos", "some"
    plain_integer: bool = True  # written without separators or words (could be a year)


_SEP_GROUPS = r"\d{1,3}(?:(?:,|\.|\u00a0|\u202f|\u2009| )\d{3})+"
_DIGITS = re.compile(
    rf"(?<![\w.,:/$€£])(?<![a-zA-Z]-)(?P<num>{_SEP_GROUPS}|\d+(?:[.,]\d+)?)(?![\w:/]|[.,]\d)"
    r"(?:\s+(?P<mult>mil|millones|millon|millón|thousand|million|millions)\b"
    r"(?:\s+(?P<rest>\d{1,3})(?!\d|[.,]\d))?)?",
    re.IGNORECASE)
_MULTIPLIERS = {"mil": 1e3, "thousand": 1e3, "millones": 1e6, "millon": 1e6, "millón": 1e6,
                "million": 1e6, "millions": 1e6}

# number words text2num reads; "un/una/one/a" alone are articles and never a count
_WORDS = {
    "es": set("""dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince
        dieciseis dieciséis diecisiete dieciocho diecinueve veinte veintiuno veintiun veintidos veintidós
        veintitres veintitrés veinticuatro veinticinco veintiseis veintiséis veintisiete veintiocho
        veintinueve treinta cuarenta cincuenta sesenta setenta ochenta noventa cien ciento doscientos
        doscientas trescientos trescientas cuatrocientos cuatrocientas quinientos quinientas seiscientos
        seiscientas setecientos setecientas ochocientos ochocientas novecientos novecientas mil millon
        millón millones un uno una y""".split()),
    "en": set("""two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
        sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
        hundred thousand million one and""".split()),
}
_JOINERS = {"y", "and", "un", "uno", "una", "one"}  # may sit inside a number, never make one alone
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)

# vague amounts: (low, value, high), an order of magnitude an analyst may still take
# amounts said in words text2num does not read
# not the head of a longer number ("one thousand two hundred", "a hundred and fifty": text2num reads those)
_NO_MORE_WORDS = (r"(?!\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
                  r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
                  r"hundred|thousand)\b)")
_WORD_AMOUNTS = [(re.compile(r"\bmedio millar\b"), 500.0), (re.compile(r"\bun millar\b"), 1000.0),
                 (re.compile(r"\bun centenar\b"), 100.0), (re.compile(r"\bmedio centenar\b"), 50.0),
                 (re.compile(r"\bmillar y medio\b"), 1500.0), (re.compile(r"\bhalf a million\b"), 500_000.0),
                 # "a thousand", "one hundred" alone (text2num needs a figure before "hundred"/"thousand"; session 10:
                 # 2019-02-20_digitaljournal "a caravan of about a thousand", 2023-01-23_mexicodailypost "About a hundred
                 # migrants", 2021-12-09_radiohc "Nearly a thousand people", 2021-03-30_pledgetimes "At least a hundred")
                 (re.compile(rf"\b(?:a|one) hundred\b{_NO_MORE_WORDS}"), 100.0),
                 (re.compile(rf"\b(?:a|one) thousand\b{_NO_MORE_WORDS}"), 1000.0)]

# Session 14, change N (number grammar; kept by its rule in benchmarks/results, ...-session14-s14recall-rule.txt):
# collective numerals and the figure they multiply ("una decena", "a dozen", "media docena", "two dozen",
# "tres centenares"), "mil" alone before a word ("con mil integrantes"), and a round thousand written with a space
# after its separator ("unas 2, 000 personas").
_COLLECTIVE_AMOUNTS = [(re.compile(r"\b(?:media docena|half a dozen)\b"), 6.0),
                       (re.compile(r"\b(?:una|a|one) decena\b"), 10.0),
                       (re.compile(r"\b(?:una|a|one) (?:docena|dozen)\b"), 12.0),
                       (re.compile(r"\buna veintena\b"), 20.0), (re.compile(r"\buna treintena\b"), 30.0)]
# a figure, then the collective it counts: "two dozen" is 24, "tres centenares" 300 (not "dozens of": vague)
_TIMES_COLLECTIVE = re.compile(r"\s+(?P<word>dozen|docenas|decenas|veintenas|centenares|millares)\b")
_COLLECTIVE_SIZE = {"dozen": 12, "docenas": 12, "decenas": 10, "veintenas": 20, "centenares": 100, "millares": 1000}
# "2, 000", "3. 000": a round thousand with a space after its separator ("14, 200" stays two numbers: a list)
_SPACED_THOUSAND = re.compile(r"(?<![\w.,:/$€£])(?P<num>\d{1,3})[.,] 000(?![\w:/]|[.,]\d)")
_MIL_ALONE = re.compile(r"\s+[^\W\d_]")  # "mil" alone is a thousand before a word ("mil migrantes")

_SOME_THOUSAND = re.compile(r"\b(?:unos|unas|casi|mas de|cerca de|alrededor de|aproximadamente|poco mas de)\s+"
                            r"(?P<mil>mil)\b(?:\s+(?P<rest>\d{1,3})(?![\d.,]))?(?!\s+(?:millones|millon|quinientos|doscientos|"
                            r"trescientos|cuatrocientos|seiscientos|setecientos|ochocientos|novecientos|cien|ciento))")

_VAGUE = [
    (re.compile(r"\b(?:decenas de miles|tens of thousands)\b"), (20_000, 30_000, 90_000)),
    (re.compile(r"\b(?:(?:varios|unos|algunos) )?(?:miles|millares)\b|\b(?:several |a few )?thousands\b"
                r"|\bseveral thousand\b"), (2_000, 3_000, 9_000)),
    (re.compile(r"\b(?:(?:varios|unos|algunos) )?(?:cientos|centenares)\b|\b(?:several |a few )?hundreds\b"
                r"|\b(?:several|a few) hundred\b"), (200, 300, 900)),
    (re.compile(r"\b(?:decenas|docenas|dozens|tens)\b"), (20, 30, 90)),
]

_LOWER = re.compile(r"(?:\bmas de|\bmore than|\bover|\bat least|\bal menos|\bpor lo menos|\bupwards of|"
                    r"\bno menos de|\bno less than|\bnot less than|\bno fewer than|\bsuperior a|\bsobrepasa|\bsupera(?:n|ron)?|\bexceed(?:s|ed)?|\bmas de unos)"
                    r"\s*(?:los|las|unos|unas|some)?\s*$")
_UPPER = re.compile(r"(?:(?<!no )\bmenos de|(?<!no )(?<!not )\bfewer than|(?<!no )(?<!not )\bless than|\bunder|\bhasta|\bup to|\bas many as|\bcasi|"
                    r"\balmost|\bnearly|\bno mas de|\bno more than|\bmaximo de|\ba maximum of|\bas high as)"
                    r"\s*(?:los|las|unos|unas|some)?\s*$")
_APPROX = re.compile(r"(?:\babout|\baround|\bsome|\bunos|\bunas|\balrededor de|\baproximadamente|"
                     r"\bapproximately|\broughly|\bcerca de|\ban estimated|\bestimated|\bpoco mas de|"
                     r"\bapenas|\balgo mas de)\s*(?:de\s*)?$")
# "entre 4.000 y 5.000", "fluctúan entre las 4.000 y 10.000" (an article before the first figure)
_RANGE_OPEN = re.compile(r"(?:\b(?P<word>entre|between|de|from))\s*(?:unos|unas|some|about|los|las|the)?\s*$")
_RANGE_JOIN = re.compile(r"^\s*(?P<word>y|and|a|to|-|–|—|al|hasta|or|o)\s*(?:unos|unas)?\s*$")
# "entre A y B", "between A and B", "de A a B", "from A to B": "de 400 y 500" is two figures
_RANGE_PAIRS = {"entre": {"y", "a", "-", "–", "—"}, "between": {"and", "to", "-", "–", "—"},
                "de": {"a", "al", "hasta", "-", "–", "—"}, "from": {"to", "-", "–", "—"}}
# "at least 5,000 but as many as 11,000", "más de 3.000 y hasta 5.000": a lower and an upper bound
_BOUND_JOIN = re.compile(r"^\s*,?\s*(?:but|and|y|pero|or|o|to|a)?\s*(?:perhaps\s+|maybe\s+|quizas\s+)?"
                         r"(?:as many as|up to|hasta|no more than|as high as|no mas de|menos de|fewer than|"
                         r"less than)\s*$")
_RANGE_DASH = re.compile(r"^\s*(?:-|–|—|a|to|hasta)\s*$")  # "5,100-7,200", "3.000 a 4.000": a range alone


def _digits_value(text: str) -> tuple[float, bool]:
    """The value of a digit string and whether it is a plain integer ("2018": maybe a year)."""
    raw = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
    if re.fullmatch(_SEP_GROUPS, raw):
        return float(re.sub(r"\D", "", raw)), False
    if re.fullmatch(r"\d+[.,]\d+", raw):
        return float(raw.replace(",", ".")), False  # a decimal (a separator needs 3 digits after it)
    return float(raw), True


def find_numbers(sentence: str, language: str, masked: Sequence[tuple[int, int]] = ()) -> list[Number]:
    """Every number in ``sentence`` outside the ``masked`` spans (dates, times), with bounds."""
    folded = fold(sentence)
    found: list[Number] = []
    spaced = [m for m in _SPACED_THOUSAND.finditer(sentence) if not _overlaps(m.start(), m.end(), masked)]
    found += [Number(float(m["num"]) * 1000, None, None, m.start(), m.end(), plain_integer=False) for m in spaced]
    for m in _DIGITS.finditer(sentence):
        if _inside(m.start(), m.end(), masked) or _overlaps(m.start(), m.end(), [(n.start, n.end) for n in found]):
            continue
        value, plain = _digits_value(m["num"])
        if m["mult"]:
            value *= _MULTIPLIERS[m["mult"].lower()]
            plain = False
            if m["rest"]:  # "7 mil 200"
                value += float(m["rest"])
        found.append(Number(value, None, None, m.start(), m.end(), plain_integer=plain))
    for pattern, value in _WORD_AMOUNTS + _COLLECTIVE_AMOUNTS:
        for m in pattern.finditer(folded):  # "half a dozen" before "a dozen" inside it
            if not _overlaps(m.start(), m.end(), list(masked) + [(n.start, n.end) for n in found]):
                found.append(Number(value, None, None, m.start(), m.end(), plain_integer=False))
    for m in _SOME_THOUSAND.finditer(folded):  # "unos mil migrantes", "unos mil 200": said with a quantifier
        start, end = m.start("mil"), m.end()
        if _overlaps(start, end, list(masked)):
            continue
        found = [n for n in found if not (start <= n.start and n.end <= end)]
        found.append(Number(1000.0 + float(m["rest"] or 0), None, None, start, end, plain_integer=False))
    taken = [(n.start, n.end) for n in found] + list(masked)
    found += _word_numbers(sentence, folded, language, taken)
    found = [_times_collective(n, folded) for n in found]
    taken = [(n.start, n.end) for n in found] + list(masked)
    for pattern, (low, value, high) in _VAGUE:
        for m in pattern.finditer(folded):
            if language == "en" and m.group() in ("miles", "millares"):
                continue  # English "miles" is a distance
            if not _inside(m.start(), m.end(), taken) and not _overlaps(m.start(), m.end(), taken):
                found.append(Number(value, low, high, m.start(), m.end(), vague=True, plain_integer=False))
                taken.append((m.start(), m.end()))
    found.sort(key=lambda n: n.start)
    return _bounds_and_ranges(_thousands_and_rest(found, folded), folded)


_BARE_THOUSAND = re.compile(r"\bmil\s+\d{1,3}(?![\d.,])")


def _thousands_and_rest(found: list[Number], folded: str) -> list[Number]:
    """Spanish thousands written half in words: "dos mil 500" (a number in words ending in "mil",
    then digits) is 2500, and "mil 500" (a bare "mil", then digits) is 1500, as "7 mil 200" is."""
    out: list[Number] = []
    for n in found:
        prev = out[-1] if out else None
        if prev is not None and n.plain_integer and n.value < 1000 and not folded[prev.end:n.start].strip() \
                and prev.value % 1000 == 0 and not prev.vague and folded[prev.start:prev.end].endswith("mil"):
            out[-1] = Number(prev.value + n.value, None, None, prev.start, n.end, plain_integer=False)
        elif n.plain_integer and n.value < 1000 and _BARE_THOUSAND.fullmatch(folded, max(0, n.start - 4), n.end) \
                and not (prev is not None and prev.end > n.start - 4):
            out.append(Number(1000.0 + n.value, None, None, n.start - 4, n.end, plain_integer=False))
        else:
            out.append(n)
    return out


def _times_collective(n: Number, folded: str) -> Number:
    """``n`` times the collective numeral right after it ("two dozen" 24, "tres centenares" 300), else ``n``."""
    m = _TIMES_COLLECTIVE.match(folded, n.end)
    if m is None or n.vague or n.value >= 1000:
        return n
    return Number(n.value * _COLLECTIVE_SIZE[m["word"]], None, None, n.start, m.end(), plain_integer=False)


def _word_numbers(sentence: str, folded: str, language: str, taken) -> list[Number]:
    from text_to_num import text2num

    words = [m for m in _WORD_RE.finditer(folded) if not _inside(m.start(), m.end(), taken)]
    lexicon = _WORDS.get(language, _WORDS["es"]) | _WORDS["en" if language == "es" else "es"]
    runs: list[list[re.Match[str]]] = []
    run: list[re.Match[str]] = []
    for m in words:
        w = m.group()
        if w in lexicon and (not run or folded[run[-1].end():m.start()].strip() == ""):
            run.append(m)
        else:
            if run:
                runs.append(run)
            run = [m] if w in lexicon else []
    if run:
        runs.append(run)
    found = []
    for run in runs:
        while run and run[0].group() in _JOINERS - {"un", "una"}:
            run = run[1:]
        while run and run[-1].group() in _JOINERS:
            run = run[:-1]
        if not run or all(m.group() in _JOINERS for m in run):
            continue
        if len(run) == 1 and run[0].group() == "mil" and _MIL_ALONE.match(folded, run[0].end()):
            found.append(Number(1000.0, None, None, run[0].start(), run[0].end(), plain_integer=False))
            continue  # "con mil integrantes": Spanish says a thousand with no article
        if len(run) == 1 and run[0].group() in {"mil", "millon", "millones", "thousand", "million", "hundred"}:
            continue  # no word after "mil", or "thousand", "hundred" alone: not a figure
        if run[0].group() in {"un", "una"} and len(run) == 1:
            continue
        start, end = run[0].start(), run[-1].end()
        phrase = sentence[start:end]
        value = None
        for lang in (language, "en" if language == "es" else "es"):
            try:
                value = float(text2num(fold(phrase), lang))
                break
            except ValueError:
                continue
        if value is not None and value > 0:
            found.append(Number(value, None, None, start, end, plain_integer=False))
    return found


def _bounds_and_ranges(found: list[Number], folded: str) -> list[Number]:
    out: list[Number] = []
    i = 0
    while i < len(found):
        n = found[i]
        before = folded[max(0, n.start - 30):n.start]
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt is not None and not n.vague and not nxt.vague:
            between = folded[n.end:nxt.start]
            opened = _RANGE_OPEN.search(before)
            joined = _RANGE_JOIN.match(between)
            paired = opened and joined and joined["word"] in _RANGE_PAIRS[opened["word"]]
            if _LOWER.search(before) and _BOUND_JOIN.match(between) and n.value < nxt.value:
                out.append(Number(float((n.value + nxt.value) // 2), n.value, nxt.value, n.start, nxt.end,
                                  plain_integer=False))
                i += 2
                continue
            if paired or _RANGE_DASH.match(between):
                low, high = n.value, nxt.value
                scale = 1e6 if high >= 1e6 else 1e3  # "entre 4 y 5 mil": the thousand is shared
                if n.plain_integer and low < 1000 <= high and low * scale <= high:
                    low *= scale
                if low < high:
                    start = opened.start() + max(0, n.start - 30) if opened else n.start
                    out.append(Number(float((low + high) // 2), low, high, start, nxt.end, plain_integer=False))
                    i += 2
                    continue
        if _LOWER.search(before):
            n = replace(n, low=n.value, high=None)
        elif _UPPER.search(before):
            n = replace(n, low=None, high=n.value)
        elif _APPROX.search(before):
            n = replace(n, approx=True)
        out.append(n)
        i += 1
    return out


def _inside(start: int, end: int, spans) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _overlaps(start: int, end: int, spans) -> bool:
    return any(start < e and s < end for s, e in spans)
