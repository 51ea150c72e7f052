"""Numbers in Chinese (Hong Kong, Traditional) and English text, normalised so they compare.

The aligner uses shared numbers as cheap evidence that two sentences are translations, and the
terminology QA checker reports numbers that do not carry over ("number mismatch"). Both need
``25萬平方米`` and ``250 000 square metres`` to be the same quantity, ``2.2億元`` and
``$220 million`` to be the same sum, and ``2025年12月`` and ``December 2025`` the same month.

Normal forms (``NumberMention.value`` / ``.unit``):

* counts and plain numbers: the value, unit ``""``; units of measure get a code
  (``"m2"``, ``"ha"``, ``"km"``, ``"ft2"``);
* money: the value in currency units, unit ``"HKD"`` (``$``, ``HK$``, ``元``, ``港元``),
  ``"USD"``, ``"CNY"``, ``"EUR"`` or ``"GBP"`` — ``2.2億元`` and ``$220 million`` are both
  ``220_000_000.0 HKD``;
* percentages: the number of per cent, unit ``"%"`` (``七成`` → ``70.0``);
* computing power: operations per second, unit ``"FLOPS"`` (``5 000千萬億次`` and
  ``5 000 petaFLOPS`` are both ``5e18``);
* calendar dates: unit ``"date"`` with the value an integer written as digits —
  ``YYYYMMDD`` for a day, ``YYYYMM`` for a month of a year, ``MMDD`` for a day without a year,
  ``MM`` for a month alone (the four ranges cannot collide; :func:`date_parts` decodes them);
* years: ``"year"`` (``2025年``), the year; financial years ``"fiscal_year"``
  (``2026-27年度``, ``2026–27``), the first year.

Extraction is one left-to-right scan with compiled regular expressions; every look-behind or
look-ahead is over a bounded window, so time is linear in the text length.
"""

from __future__ import annotations

from zhen.corpora.errors import ZhenError

import bisect
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "APPROX_REL_TOL",
    "NumberMention",
    "NumberMatching",
    "NumberOverlap",
    "UnsupportedLanguageError",
    "date_parts",
    "extract_numbers",
    "match_numbers",
    "number_overlap",
    "numbers_match",
    "units_compatible",
]

# Unit codes.
NONE = ""
PERCENT = "%"
HKD = "HKD"
DATE = "date"
YEAR = "year"
FISCAL_YEAR = "fiscal_year"
FLOPS = "FLOPS"

#: Relative tolerance when either side is approximate ("nearly 20 000" ~ 19 500).
APPROX_REL_TOL = 0.10

# Units whose values are identifiers rather than quantities: never equal to a bare number,
# and never compared with a tolerance.
_CALENDAR = frozenset({DATE, FISCAL_YEAR})


class UnsupportedLanguageError(ZhenError, ValueError):
    """Raised for a language code other than Chinese (``zh*``) or English (``en*``)."""


@dataclass(frozen=True, slots=True)
class NumberMention:
    """One number found in a text.

    ``start``/``end`` are offsets into the text given to :func:`extract_numbers`, and
    ``surface == text[start:end]``: the number with its currency sign, multiplier and unit
    (``$2.5 billion``, ``5,000萬元``) but without approximation words, which set ``approx``.
    """

    value: float
    unit: str
    approx: bool
    start: int
    end: int
    surface: str
    ordinal: bool = False


class NumberOverlap(NamedTuple):
    """How many numbers two texts share, counted one-to-one."""

    matched: int
    a_total: int
    b_total: int

    @property
    def score(self) -> float | None:
        """Dice coefficient ``2·matched / (a_total + b_total)``; ``None`` when neither text has numbers."""
        total = self.a_total + self.b_total
        return None if total == 0 else 2.0 * self.matched / total


class NumberMatching(NamedTuple):
    """A one-to-one matching: index pairs into the two mention lists and the leftovers."""

    pairs: list[tuple[int, int]]
    unmatched_a: list[int]
    unmatched_b: list[int]


# ---------------------------------------------------------------------------------------------
# Shared tables

# Full-width digits and signs become ASCII one code point for one, so offsets do not move.
_FULLWIDTH = str.maketrans(
    {**{0xFF10 + i: 0x30 + i for i in range(10)}, 0xFF05: "%", 0xFF04: "$", 0xFF0E: ".",
     0xFF0B: "+", 0xFF0D: "-"}
)

_SEP = "[,\u00a0\u2009\u202f ]"  # thousands separators: comma, (no-break / thin) space
_SIGN = "+\\-\u2212\u2013"  # plus, hyphen-minus, minus sign, en dash (estimates use "(–0.4%)")
# A sign counts only directly after a space, bracket or the start, so "5-10" stays a range.
_ARABIC = (
    rf"(?<![0-9.])(?:(?:(?<=[\s(（\[:：=])|(?<![\s\S]))[{_SIGN}](?=[0-9]))?"
    rf"(?:[0-9]{{1,3}}(?:{_SEP}[0-9]{{3}})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?"
)
_ARABIC_RE = re.compile(_ARABIC)
_MAX_DIGITS = 40  # a longer digit run is an identifier or noise, not a quantity

_CN_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "貳": 2, "贰": 2, "兩": 2, "两": 2,
    "三": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "七": 7, "柒": 7, "八": 8,
    "捌": 8, "九": 9, "玖": 9,
}  # 參 and 陸 are left out: far more often "participate" and "land/gradually" (陸續).
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"萬": 10_000, "万": 10_000, "億": 100_000_000, "亿": 100_000_000}
_CN_MULT = {**_CN_SMALL, **_CN_BIG}
_CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL) + "".join(_CN_BIG)
_CN_DIGIT_CHARS = "".join(_CN_DIGITS)
_CN_RUN_MAX = 32  # bounds the re-scan after a partial parse, keeping extraction linear

# What may follow a lone Chinese numeral for it to be a quantity: classifiers and units.
# Without this, 統一, 一些, 十分 ("very"), 一點 ("a little") would all read as numbers.
_CLASSIFIER_RE = re.compile(
    "(?:[個个間间所項项名座期年月日天次位家條条宗份架部隻只倍類类種种層层級级代屆届批組组支"
    "台臺輛辆艘套輪轮場场幢棟栋款件篇段節节章頁页號号歲岁人大國国制區区校院隊队團团班回周週季"
    "張张噸吨元%多餘余]|分鐘|分钟|小時|小时|星期|公里|公頃|公顷|公斤|平方)"
)
# A lone numeral right after one of these is part of a word (統一, 唯一, 之一, 萬一, 同一).
_CN_WORD_BEFORE = frozenset("統统唯單单同之專专逐劃划萬万千百合")
# 成 after a numeral is "tenths" (七成 = 70%) unless it starts a word (成立, 成功, 一成不變).
_CHENG_STOP = frozenset("立功員员本果長长熟就效績绩品型交分語语不是形份事人年都家器群衣真敗败")

# English.
_EN_SMALL = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_EN_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# "first" and "second" are left out: they mostly render 首/上/下 (first half = 上半年), not 一/二.
_EN_ORDINALS = {
    "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20,
}
_EN_ORD_ONES = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
                "seventh": 7, "eighth": 8, "ninth": 9}
_EN_ORD_TAIL = re.compile(r"-(?i:(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))\b")
_EN_FRACTION_DEN = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4,
                    "quarters": 4, "fifth": 5, "fifths": 5}
_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_SI_PREFIX = {"kilo": 1e3, "k": 1e3, "mega": 1e6, "m": 1e6, "giga": 1e9, "g": 1e9,
              "tera": 1e12, "t": 1e12, "peta": 1e15, "p": 1e15, "exa": 1e18, "e": 1e18,
              "zetta": 1e21, "z": 1e21}


def _alt(words: Iterable[str]) -> str:
    # Longest first so that "eighteen" is tried before "eight".
    return "|".join(sorted(words, key=len, reverse=True))


_EN_NUMWORD = _alt([*_EN_SMALL, *_EN_TENS, "hundred", *_EN_SCALE])
_MONTH_I = rf"\b(?:{_alt([*(w.title() for w in _MONTHS), *(w.upper() for w in _MONTHS)])})\b\.?"
# A month name alone must be capitalised, and "May" alone is too often the verb.
_MONTH_ALONE = "January|February|March|April|June|July|August|September|October|November|December"

# ---------------------------------------------------------------------------------------------
# Chinese


# Numeric dates read the same in both languages (2026-02-26, 26/2/2026, 26.2.2026).
_ISO_DATE = r"(?P<iso>(?<![0-9.])[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?![0-9]))"
_DMY_DATE = r"(?P<dmy>(?<![0-9./])[0-9]{1,2}(?P<dsep>[/.])[0-9]{1,2}(?P=dsep)[0-9]{4}(?![0-9/]|\.[0-9]))"

# Each master pattern starts with a look-ahead on the first character: a cheap test that lets
# the scan skip ordinary text without trying every alternative (about 20x faster on Chinese).
_ZH_MASTER = re.compile(
    rf"(?=[0-9{_SIGN}{_CN_CHARS}])(?:" + "|".join([
        rf"(?P<pct>百分之(?:[0-9]+(?:\.[0-9]+)?|[{_CN_CHARS}]{{1,16}}(?:點[{_CN_DIGIT_CHARS}]{{1,8}})?))",
        rf"(?P<frac>(?:(?<![0-9.])[0-9]+|[{_CN_CHARS}]{{1,8}})分之(?:[0-9]+(?:\.[0-9]+)?|[{_CN_CHARS}]{{1,8}}))",
        _ISO_DATE,
        _DMY_DATE,
        r"(?P<fy>(?<![0-9.])[0-9]{4}\s?[-–—/至]\s?(?:[0-9]{4}|[0-9]{2})(?![0-9]|\.[0-9]))",
        r"(?P<year>(?<![0-9.])[0-9]{4}\s?年)",
        r"(?P<cnyear>[〇零○一二三四五六七八九]{4}年)",
        r"(?P<md>(?<![0-9.])[0-9]{1,2}\s?月)",
        rf"(?P<num>{_ARABIC})",
        rf"(?P<cn>[{_CN_CHARS}]{{1,{_CN_RUN_MAX}}})",
    ]) + ")"
)
_ZH_SUFFIX = re.compile(
    r"(?P<a1>多|餘|余)?(?: ?(?P<mult>[十百千萬万億亿]{1,4}))?(?P<a2>多|餘|余)?"
    r"(?P<unit>%|港元|港幣|港币|美元|人民幣|人民币|歐元|欧元|英鎊|英镑|元|圓"
    r"|平方米|平方公尺|平方呎|平方英尺|公頃|公顷|公里|次"
    r"|成(?P<ch2>[一二三四五六七八九半](?![十百千萬万億亿]))?)?"
    r"(?P<a3>以上|左右|上下|之多|有多|有餘)?"
)
_ZH_UNIT_CODE = {
    "%": PERCENT, "港元": HKD, "港幣": HKD, "港币": HKD, "元": HKD, "圓": HKD, "美元": "USD",
    "人民幣": "CNY", "人民币": "CNY", "歐元": "EUR", "欧元": "EUR", "英鎊": "GBP", "英镑": "GBP",
    "平方米": "m2", "平方公尺": "m2", "平方呎": "ft2", "平方英尺": "ft2", "公頃": "ha",
    "公顷": "ha", "公里": "km",
}
_ZH_CUR_PRE = re.compile(r"(?:HK\\?\$|US\\?\$|RMB|HKD|USD|\\?\$|港幣|港币|人民幣|人民币|美元)\s?$")
_ZH_CUR_CODE = {"港幣": HKD, "港币": HKD, "人民幣": "CNY", "人民币": "CNY", "美元": "USD",
                "RMB": "CNY", "HKD": HKD, "USD": "USD"}
_ZH_APPROX_PRE = re.compile(
    r"(?:(?<![最附鄰邻靠])近|約為|约为|約|约|大約|大约|接近|將近|将近|超過|超过|超出|逾|多於|多于|"
    r"少於|少于|不少於|不少于|不足|不到|低於|低于|高於|高于|至少|最少|最多|差不多)[\s*_「『]*$"
)
_ZH_MONTH_DAY = re.compile(
    r"\s?(?P<m>[0-9]{1,2}|十[一二]?|[一二三四五六七八九])\s?月"
    r"(?:\s?(?P<d>[0-9]{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s?[日號号])?"
)
_ZH_MARKER_AFTER = frozenset(".)、．）")


def _cn_small_int(s: str) -> int | None:
    """Value of a month or day written 一..三十一 (or Arabic digits)."""
    if s.isascii():
        return int(s)
    parsed = _parse_cn(s, 0, len(s))
    if parsed is None or parsed[1] != len(s):
        return None
    return int(parsed[0])


def _parse_cn(s: str, i: int, stop: int, *, leading_unit: bool = False) -> tuple[float, int] | None:
    """Parse the longest well-formed Chinese numeral at ``s[i:stop]``.

    Returns ``(value, end)`` or ``None``. Well-formed means: units fall within each 萬/億
    section (千 > 百 > 十), no two digits in a row except across 零, and it starts with a digit
    or 十 (or any unit when ``leading_unit``, for 百分之百). A final digit right after 百, 千,
    萬 or 億 is the colloquial next place (三萬五 = 35 000, 一百五 = 150).
    """
    total = 0
    wan = 0
    section = 0
    number: int | None = None
    last_small = 10_000
    seen_wan = seen_yi = started = False
    unit_before_digit = 0  # the place unit right before the pending digit, for 三萬五
    prev_unit = 0
    end = i
    while i < stop:
        ch = s[i]
        d = _CN_DIGITS.get(ch)
        if d is not None:
            if number is not None:
                break
            if d == 0 and started:
                prev_unit = 0  # 一千零五: the 零 marks a gap, the next digit is plain ones
                i += 1
                end = i
                continue
            number = d
            unit_before_digit = prev_unit
            prev_unit = 0
            started = True
        elif ch in _CN_SMALL:
            u = _CN_SMALL[ch]
            if number is None:
                if (u == 10 or (leading_unit and not started)) and section == 0:
                    number = 1  # 十六 = 16, 百分之百
                else:
                    break
            if u >= last_small:
                break
            section += number * u
            number = None
            last_small = u
            prev_unit = u
            started = True
        elif ch in _CN_BIG:
            u = _CN_BIG[ch]
            group = section + (number or 0)
            if u == 10_000:
                if seen_wan or group == 0:
                    break
                wan = group * 10_000
                seen_wan = True
            else:
                grp = wan + group
                if seen_yi or grp == 0:
                    break
                total = grp * 100_000_000
                wan = 0
                seen_wan = False
                seen_yi = True
            section = 0
            number = None
            last_small = 10_000
            prev_unit = u
        else:
            break
        i += 1
        end = i
    if not started:
        return None
    if number is not None and unit_before_digit >= 100:
        number = number * unit_before_digit // 10
    return float(total + wan + section + (number or 0)), end


def _line_initial(text: str, start: int) -> bool:
    """True when only list-marker decoration separates ``start`` from the start of its line."""
    j = start - 1
    lo = max(-1, start - 10)
    while j > lo and text[j] in " \t#*>-•◆➤▪·+":
        j -= 1
    return j < 0 or text[j] == "\n"


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _is_marker(text: str, start: int, end: int, value: float) -> bool:
    """``1. 完善…``, ``一、``, ``(1)`` at the start of a line: list numbering, not content."""
    if value != int(value) or value > 999 or end >= len(text):
        return False
    after = text[end]
    if start > 0 and text[start - 1] in "(（" and after in ")）":
        return _line_initial(text, start - 1)
    if after not in _ZH_MARKER_AFTER:
        return False
    nxt = text[end + 1] if end + 1 < len(text) else " "
    return (nxt.isspace() or _is_cjk(nxt) or after == "、") and _line_initial(text, start)


def _round(v: float) -> float:
    # 2.2 * 1e8 is 220000000.00000003 in binary floating point; rounding to 15 significant
    # digits (all a double holds exactly) makes equal quantities equal floats.
    return float(f"{v:.15g}")


class _Builder:
    """Collects mentions for one text; keeps the original text for surfaces."""

    __slots__ = ("text", "out", "prev_end")

    def __init__(self, text: str) -> None:
        self.text = text
        self.out: list[NumberMention] = []
        self.prev_end = 0

    def add(self, value: float, unit: str, approx: bool, start: int, end: int,
            ordinal: bool = False) -> None:
        if not math.isfinite(value):
            return
        if unit in _CALENDAR:
            approx = False
        self.out.append(NumberMention(_round(value), unit, approx, start, end,
                                      self.text[start:end], ordinal))
        self.prev_end = end


def _arabic_value(core: str) -> float | None:
    digits = core.translate(_STRIP_SEP)
    if len(digits) > _MAX_DIGITS:
        return None
    body = digits.lstrip("+-\u2212\u2013")
    if len(body) > 1 and body[0] == "0" and body[1].isdigit():
        return None  # 000, 007: codes and column units ($'000), not quantities
    if digits[0] in "\u2212\u2013":
        digits = "-" + digits[1:]
    try:
        return float(digits)
    except ValueError:
        return None


_STRIP_SEP = str.maketrans("", "", ",\u00a0\u2009\u202f ")


def _zh_quantity(t: str, b: _Builder, start: int, core_end: int, value: float,
                 is_cn: bool, single: bool, markers: bool) -> int:
    """Attach multiplier, unit and approximation to a number at ``t[start:core_end]``; return where to resume."""
    sm = _ZH_SUFFIX.match(t, core_end)
    end = core_end
    unit = NONE
    approx = False
    ordinal = start > 0 and t[start - 1] == "第"
    mult = 1.0
    if sm.group("a1") or sm.group("a2") or sm.group("a3"):
        approx = True
    m_txt = sm.group("mult")
    if m_txt and (not is_cn or sm.group("a1")):
        mult = math.prod(_CN_MULT[c] for c in m_txt)
    elif m_txt:
        # A Chinese numeral already took its own units; a second run (十萬萬) is malformed.
        return core_end
    unit_txt = sm.group("unit")
    unit_end = sm.end("unit") if unit_txt else -1
    if unit_txt and unit_txt.startswith("成"):
        nxt = t[unit_end] if unit_end < len(t) else ""
        if (mult == 1.0 and not approx and 1 <= value <= 10 and value == int(value)
                and nxt not in _CHENG_STOP):
            tenth = sm.group("ch2")
            value = value * 10 + (5 if tenth == "半" else _CN_DIGITS[tenth] if tenth else 0)
            unit = PERCENT
            end = unit_end
        else:
            unit_txt = None
    elif unit_txt == "次":
        lo = max(b.prev_end, start - 4)
        if t.startswith(("浮點", "浮点"), unit_end) or "每秒" in t[lo:start]:
            unit = FLOPS
        end = unit_end
    elif unit_txt:
        unit = _ZH_UNIT_CODE[unit_txt]
        end = unit_end
    if not unit_txt:
        end = max(core_end, sm.end("a2") if sm.group("a2") else -1,
                  sm.end("mult") if m_txt else -1, sm.end("a1") if sm.group("a1") else -1)
    if sm.group("a3"):
        end = sm.end("a3")
    # A lone 一/二/十… is a number only as an ordinal or before a classifier or unit.
    if single and not ordinal:
        if start > 0 and t[start - 1] in _CN_WORD_BEFORE:
            return core_end
        if not unit_txt and mult == 1.0 and not _CLASSIFIER_RE.match(t, core_end):
            return core_end
    if not markers and not unit_txt and mult == 1.0 and _is_marker(t, start, core_end, value):
        return max(end, core_end)
    # Currency sign before the number: $100萬, 港幣5億.
    lo = max(b.prev_end, start - 6)
    cm = _ZH_CUR_PRE.search(t, lo, start)
    if cm and cm.end() == start:
        code = cm.group().strip().replace("\\", "")
        if unit in (NONE, HKD):
            unit = _ZH_CUR_CODE.get(code, "USD" if code.startswith("US") else HKD)
            start = cm.start()
    if not approx:
        lo = max(b.prev_end, start - 8)
        approx = _ZH_APPROX_PRE.search(t, lo, start) is not None
    b.add(value * mult, unit, approx, start, end, ordinal)
    return end


def _zh_token(t: str, b: _Builder, m: re.Match[str], kind: str, s: int, e: int, markers: bool) -> int:
    """One match of the Chinese master pattern (the kinds both languages share are read by
    :func:`_scan`); returns where scanning goes on."""
    nxt = e
    if kind == "num":
        v = _arabic_value(m.group())
        nxt = e if v is None else _zh_quantity(t, b, s, e, v, False, False, markers)
    elif kind == "cn":
        nxt = _zh_cn(t, b, s, e, markers)
    elif kind == "pct":
        body = m.group()[3:]
        if body[0].isdigit():
            v = _arabic_value(body)
        else:
            p = _parse_cn(t, s + 3, e, leading_unit=True)
            v = None
            if p is not None:
                v, e = _cn_decimal(t, p[0], p[1])
        if v is not None:
            b.add(v, PERCENT, _ZH_APPROX_PRE.search(t, max(b.prev_end, s - 8), s) is not None, s, e)
        nxt = e
    elif kind == "frac":
        den_s, num_s = m.group().split("分之", 1)
        den = _arabic_value(den_s) if den_s[0].isdigit() else _cn_full(den_s)
        num = _arabic_value(num_s) if num_s[0].isdigit() else _cn_full(num_s)
        if den and num is not None:
            b.add(num / den, NONE, False, s, e)
        nxt = e
    elif kind in ("year", "cnyear"):
        digits = m.group().rstrip("年 ")
        year = int(digits) if kind == "year" else int("".join(str(_CN_DIGITS[c]) for c in digits))
        if 1000 <= year <= 2999:
            nxt = _zh_date_after_year(t, b, s, e, year)
        elif kind == "year":
            nxt = _zh_number_at(t, b, s, markers)
    elif kind == "md":
        nxt = _zh_month(t, b, s, markers)
    return nxt


def _extract_zh(text: str, t: str, markers: bool) -> list[NumberMention]:
    return _scan(text, t, _ZH_MASTER, _zh_token, _zh_number_at, zh=True, markers=markers)


def _cn_full(s: str) -> float | None:
    p = _parse_cn(s, 0, len(s))
    return p[0] if p and p[1] == len(s) else None


def _cn_decimal(t: str, value: float, end: int) -> tuple[float, int]:
    """Extend a Chinese integer at ``t[..end]`` by a decimal part written 點 + digits (三點五)."""
    if end + 1 < len(t) and t[end] == "點" and t[end + 1] in _CN_DIGITS and value < 10_000:
        j = end + 1
        frac = ""
        while j < len(t) and t[j] in _CN_DIGITS and len(frac) < 12:
            frac += str(_CN_DIGITS[t[j]])
            j += 1
        return value + float("0." + frac), j
    return value, end


def _zh_number_at(t: str, b: _Builder, s: int, markers: bool) -> int:
    """Read an Arabic number at ``s`` after a date-like pattern turned out not to be a date."""
    m = _ARABIC_RE.match(t, s)
    if m is None:
        return s + 1
    v = _arabic_value(m.group())
    return m.end() if v is None else _zh_quantity(t, b, s, m.end(), v, False, False, markers)


def _zh_cn(t: str, b: _Builder, s: int, e: int, markers: bool) -> int:
    parsed = _parse_cn(t, s, e)
    if parsed is None:
        return s + 1  # 萬一, 千萬 (the adverb): retry one character on
    value, end = parsed
    # 十二月 / 三月五日: a month, not a count.
    if end < len(t) and t[end] == "月" and 1 <= value <= 12 and t[s] not in "兩两":
        return _zh_month(t, b, s, markers)
    int_end = end
    value, end = _cn_decimal(t, value, end)
    # After a decimal (二點五億) the multiplier is a separate suffix, as after Arabic digits.
    return _zh_quantity(t, b, s, end, value, end == int_end, end - s == 1, markers)


def _zh_month(t: str, b: _Builder, s: int, markers: bool) -> int:
    mm = _ZH_MONTH_DAY.match(t, s)
    if mm is None:
        return s + 1
    month = _cn_small_int(mm.group("m"))
    day = _cn_small_int(mm.group("d")) if mm.group("d") else None
    if month is None or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return _zh_number_at(t, b, s, markers) if t[s].isdigit() else mm.end()
    b.add(month * 100 + day if day else month, DATE, False, s, mm.end())
    return mm.end()


def _zh_date_after_year(t: str, b: _Builder, s: int, e: int, year: int) -> int:
    mm = _ZH_MONTH_DAY.match(t, e)
    if mm:
        month = _cn_small_int(mm.group("m"))
        day = _cn_small_int(mm.group("d")) if mm.group("d") else None
        if month and 1 <= month <= 12:
            if day and 1 <= day <= 31:
                b.add(year * 10_000 + month * 100 + day, DATE, False, s, mm.end())
                return mm.end()
            end = mm.end()
            if day is not None:  # an impossible day (2025年2月40日): keep year and month only
                end = t.index("月", mm.end("m")) + 1
            b.add(year * 100 + month, DATE, False, s, end)
            return end
    b.add(year, YEAR, False, s, e)
    return e


def _add_date(b: _Builder, y: int, mo: int, d: int, s: int, e: int) -> int:
    if 1 <= mo <= 12 and 1 <= d <= 31 and 1000 <= y <= 2999:
        b.add(y * 10_000 + mo * 100 + d, DATE, False, s, e)
        return e
    return 0


def _fiscal(t: str, b: _Builder, m: re.Match[str], s: int, e: int, *, zh: bool) -> int:
    """``2026-27`` / ``2026–27年度`` / ``2025/2026``: a financial year, valued by its first year."""
    txt = m.group()
    first = int(txt[:4])
    second = int(txt[-4:]) if txt[-4:].isdigit() else int(txt[-2:])
    if not (1000 <= first <= 2999):
        return 0
    if second != (first + 1) % (100 if second < 100 else 10_000):
        return 0
    if zh:
        for tail in ("財政年度", "财政年度", "年度", "學年", "学年", "年"):
            if t.startswith(tail, e):
                e += len(tail)
                break
    b.add(first, FISCAL_YEAR, False, s, e)
    return e


# ---------------------------------------------------------------------------------------------
# English

_EN_MASTER = re.compile(
    rf"(?=[0-9{_SIGN}]|\b[A-Za-z])(?:" + "|".join([
        _ISO_DATE,
        _DMY_DATE,
        rf"(?P<dmon>(?<![0-9.])[0-9]{{1,2}}(?:st|nd|rd|th)?\s{_MONTH_I}(?:,?\s[0-9]{{4}}(?![0-9]))?)",
        rf"(?P<mond>{_MONTH_I}\s[0-9]{{1,2}}(?:st|nd|rd|th)?(?![0-9])(?:,?\s[0-9]{{4}}(?![0-9]))?)",
        rf"(?P<mony>{_MONTH_I},?\s[0-9]{{4}}(?![0-9]))",
        rf"(?P<mon>\b(?:{_MONTH_ALONE})\b)",
        r"(?P<fy>(?<![0-9.])[0-9]{4}\s?[-–—/]\s?(?:[0-9]{4}|[0-9]{2})(?![0-9]|\.[0-9]))",
        r"(?P<ordn>(?<![0-9.])[0-9]{1,6}(?:st|nd|rd|th)\b)",
        rf"(?P<num>{_ARABIC})",
        r"(?P<frac>\b(?i:(?:one|two|three|four|five)[\s-](?:halves|half|thirds|third|quarters|quarter|fifths|fifth))\b)",
        rf"(?P<words>\b(?i:{_EN_NUMWORD})\b(?:(?:\s+and\s+|[ \t-]+)(?i:{_EN_NUMWORD})\b){{0,23}})",
        rf"(?P<ordw>\b(?i:{_alt(_EN_ORDINALS)})\b)",
    ]) + ")"
)
_EN_WORD_TOKEN = re.compile(rf"(?i:{_EN_NUMWORD}|and)\b")
_EN_SCALE_AFTER = re.compile(r"[ \u00a0]?-?(?i:(thousand|million|billion|trillion))\b")
_EN_CUR_SCALE = re.compile(r" ?(mn|m|bn|b|k)\b")
_EN_UNIT = re.compile(
    r"(?P<pct> ?%|\s(?i:per\s?cent|percent)\b)"
    r"|[ \u00a0-]?(?P<fl>(?P<flp>(?i:kilo|mega|giga|tera|peta|exa|zetta))?(?i:flop(?:s|/s)?)\b"
    r"|(?P<flab>[KMGTPEZ])FLOP(?:S|/s)\b)"
    r"|\s(?P<area>(?i:square\s+met(?:re|er)s?\b|sq\.?\s?m\b|m2\b|hectares?\b"
    r"|square\s+(?:feet|foot)\b|sq\.?\s?ft\b|km\b|kilomet(?:re|er)s?\b))|(?P<m2>\s?m²)"
    r"|\s(?P<cur>HKD|USD|RMB|CNY|(?i:hong\s+kong\s+dollars|us\s+dollars|dollars|yuan|renminbi)\b)"
)
_EN_AREA = {"hectare": "ha", "square f": "ft2", "sq ft": "ft2", "sq.ft": "ft2", "sq. ft": "ft2",
            "km": "km", "kilomet": "km"}
_EN_CUR_WORD = {"hkd": HKD, "usd": "USD", "rmb": "CNY", "cny": "CNY", "us dollars": "USD",
                "hong kong dollars": HKD, "dollars": HKD, "yuan": "CNY", "renminbi": "CNY"}
_EN_APPROX_SUFFIX = re.compile(r"\+(?![0-9A-Za-z+])|\s+or\s+more\b|-odd\b")
_EN_CUR_PRE = re.compile(
    r"(?<![A-Za-z])(?:HK\\?\$|US\\?\$|RMB|HKD|USD|CNY|EUR|GBP|\\?\$|€|£)\s?$"
)
_EN_CUR_CODE = {"RMB": "CNY", "CNY": "CNY", "HKD": HKD, "USD": "USD", "EUR": "EUR",
                "GBP": "GBP", "€": "EUR", "£": "GBP"}
_EN_APPROX_PRE = re.compile(
    r"(?:\b(?i:nearly|almost|around|about|approximately|approx\.|roughly|some|over|more\s+than|"
    r"less\s+than|fewer\s+than|under|up\s+to|at\s+least|close\s+to|in\s+excess\s+of|exceeding|"
    r"upwards\s+of|circa|above|below)|~|≈)[\s*_]*$"
)
# "one" is a pronoun as often as a number: "one of the", "the one", "one-stop".
_ONE_BEFORE = re.compile(r"\b(?i:the|this|that|any|every|each|no|which)\s+$")
_ONE_AFTER = re.compile(r"(?:-|\s+(?i:of|another|and|or|who|which|that|is|has|can)\b)")


def _parse_en_words(words: list[str]) -> tuple[float, int] | None:
    """Value of the longest well-formed prefix of number words; ``(value, n_words)``."""
    total = 0.0
    current = 0.0
    last = ""
    best: tuple[float, int] | None = None
    last_scale = math.inf
    for k, w in enumerate(words):
        if w in _EN_SMALL:
            v = _EN_SMALL[w]
            if v < 10 and v > 0:
                if last not in ("", "tens", "hundred", "scale", "and"):
                    break
            elif last not in ("", "hundred", "scale", "and"):
                break
            current += v
            last = "ones"
        elif w in _EN_TENS:
            if last not in ("", "hundred", "scale", "and"):
                break
            current += _EN_TENS[w]
            last = "tens"
        elif w == "hundred":
            if last not in ("ones", "tens") or current % 100 == 0 and current >= 100:
                break
            current *= 100
            last = "hundred"
        elif w in _EN_SCALE:
            sc = _EN_SCALE[w]
            if last not in ("ones", "tens", "hundred") or sc >= last_scale:
                break
            total += current * sc
            current = 0.0
            last_scale = sc
            last = "scale"
        elif w == "and":
            if last not in ("hundred", "scale"):
                break
            last = "and"
            continue
        else:
            break
        best = (total + current, k + 1)
    return best


def _en_suffix(t: str, b: _Builder, start: int, core_end: int, value: float, *,
               arabic: bool, markers: bool, ordinal: bool = False) -> int:
    end = core_end
    unit = NONE
    approx = False
    # Currency sign before the number: $, \$ (escaped in Markdown), HK$, US$, RMB.
    lo = max(b.prev_end, start - 8)
    cm = _EN_CUR_PRE.search(t, lo, start) if arabic else None
    if cm:
        code = cm.group().strip().replace("\\", "")
        unit = _EN_CUR_CODE.get(code, "USD" if code.startswith("US") else HKD)
    if arabic:
        sm = _EN_SCALE_AFTER.match(t, end)
        if sm:
            value *= _EN_SCALE[sm.group(1).lower()]
            end = sm.end()
        elif unit != NONE:
            cs = _EN_CUR_SCALE.match(t, end)
            if cs:
                value *= {"m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "k": 1e3}[cs.group(1)]
                end = cs.end()
    um = _EN_UNIT.match(t, end)
    if um:
        if um.group("pct"):
            unit = PERCENT
        elif um.group("fl"):
            prefix = um.group("flp") or um.group("flab") or ""
            value *= _SI_PREFIX[prefix.lower()] if prefix else 1.0
            unit = FLOPS
        elif um.group("area") or um.group("m2"):
            a = (um.group("area") or "m2").lower()
            unit = next((code for key, code in _EN_AREA.items() if a.startswith(key)), "m2")
        elif um.group("cur"):
            unit = _EN_CUR_WORD[re.sub(r"\s+", " ", um.group("cur").lower())]
        end = um.end()
    am = _EN_APPROX_SUFFIX.match(t, end)
    if am and (am.group() != "+" or value >= 10):
        approx = True
        end = am.end()
    if not markers and unit == NONE and not ordinal and _is_marker(t, start, core_end, value):
        return end
    if cm:
        start = cm.start()
    if not approx:
        approx = _EN_APPROX_PRE.search(t, max(b.prev_end, start - 24), start) is not None
    b.add(value, unit, approx, start, end, ordinal)
    return end


def _en_number_at(t: str, b: _Builder, s: int, markers: bool) -> int:
    m = _ARABIC_RE.match(t, s)
    if m is None:
        return s + 1
    v = _arabic_value(m.group())
    return m.end() if v is None else _en_suffix(t, b, s, m.end(), v, arabic=True, markers=markers)


def _en_date(t: str, b: _Builder, m: re.Match[str], s: int, e: int, markers: bool) -> int:
    txt = m.group()
    month = next(_MONTHS[w.lower()] for w in re.findall(r"[A-Za-z]+", txt)
                 if w.lower() in _MONTHS)
    nums = [int(x) for x in re.findall(r"[0-9]+", txt)]
    year = next((x for x in nums if x >= 1000), None)
    day = next((x for x in nums if x < 1000), None)
    if day is not None and not 1 <= day <= 31:
        return _en_number_at(t, b, s, markers) if t[s].isdigit() else s + 1
    if year is not None and not 1000 <= year <= 2999:
        year = None
    if year and day:
        v = year * 10_000 + month * 100 + day
    elif year:
        v = year * 100 + month
    elif day:
        v = month * 100 + day
    else:
        v = month
    b.add(v, DATE, False, s, e)
    return e


def _en_token(t: str, b: _Builder, m: re.Match[str], kind: str, s: int, e: int, markers: bool) -> int:
    """One match of the English master pattern (shared kinds: :func:`_scan`)."""
    nxt = e
    if kind == "num":
        v = _arabic_value(m.group())
        if v is not None:
            nxt = _en_suffix(t, b, s, e, v, arabic=True, markers=markers)
    elif kind == "words":
        nxt = _en_words(t, b, m, s, markers)
    elif kind == "ordw":
        b.add(_EN_ORDINALS[m.group().lower()], NONE, False, s, e, True)
    elif kind == "ordn":
        b.add(float(m.group()[:-2]), NONE, False, s, e, True)
    elif kind == "frac":
        num_w, den_w = re.split(r"[\s-]", m.group().lower(), maxsplit=1)
        b.add(_EN_SMALL[num_w] / _EN_FRACTION_DEN[den_w], NONE, False, s, e)
    elif kind in ("dmon", "mond", "mony", "mon"):
        nxt = _en_date(t, b, m, s, e, markers)
    return nxt


def _extract_en(text: str, t: str, markers: bool) -> list[NumberMention]:
    return _scan(text, t, _EN_MASTER, _en_token, _en_number_at, zh=False, markers=markers)


def _scan(text: str, t: str, master: re.Pattern[str], token, number_at, *, zh: bool, markers: bool) -> list[NumberMention]:
    """The scanning loop both languages share: each match of the language's master pattern is
    read once, left to right; fiscal years and numeric dates read the same in both, and a match
    that is not what it looked like is read again as a plain number."""
    b = _Builder(text)
    pos = 0
    n = len(t)
    while pos < n:
        m = master.search(t, pos)
        if m is None:
            break
        kind = m.lastgroup
        s, e = m.span()
        if kind == "fy":
            nxt = _fiscal(t, b, m, s, e, zh=zh) or number_at(t, b, s, markers)
        elif kind == "dmy":
            d, mo, y = (int(x) for x in re.split("[/.]", m.group()))
            nxt = _add_date(b, y, mo, d, s, e) or number_at(t, b, s, markers)
        elif kind == "iso":
            y, mo, d = (int(x) for x in m.group().split("-"))
            nxt = _add_date(b, y, mo, d, s, e) or number_at(t, b, s, markers)
        else:
            nxt = token(t, b, m, kind, s, e, markers)
        pos = max(nxt, s + 1)
    return b.out


def _en_words(t: str, b: _Builder, m: re.Match[str], s: int, markers: bool) -> int:
    toks = list(_EN_WORD_TOKEN.finditer(t, s, m.end()))
    parsed = _parse_en_words([x.group().lower() for x in toks])
    if parsed is None:
        return toks[0].end() if toks else s + 1
    value, k = parsed
    end = toks[k - 1].end()
    last = toks[k - 1].group().lower()
    om = _EN_ORD_TAIL.match(t, end) if last in _EN_TENS else None
    if om:  # twenty-first
        b.add(value + _EN_ORD_ONES[om.group(1).lower()], NONE, False, s, om.end(), True)
        return om.end()
    if k == 1 and value == 1:
        if (_ONE_BEFORE.search(t, max(b.prev_end, s - 12), s)
                or _ONE_AFTER.match(t, end)):
            return end
    return _en_suffix(t, b, s, end, value, arabic=False, markers=markers)


# ---------------------------------------------------------------------------------------------
# Public API


def _lang_kind(lang: str) -> str:
    low = lang.lower().replace("_", "-") if isinstance(lang, str) else ""
    if low == "zh" or low.startswith(("zh-", "yue", "cmn")):
        return "zh"
    if low == "en" or low.startswith("en-"):
        return "en"
    raise UnsupportedLanguageError(
        f"extract_numbers: language {lang!r} is not supported; pass 'zh' (or zh-HK, zh-Hant) "
        "for Chinese or 'en' (or en-GB) for English"
    )


def extract_numbers(text: str, lang: str, *, markers: bool = False) -> list[NumberMention]:
    """All numbers in ``text`` (``lang`` ``"zh"``/``"en"``, region subtags allowed), in text order.

    List numbering at the start of a line (``1. …``, ``一、``, ``(1)``) is left out unless
    ``markers`` is true: one language often numbers a heading the other does not.
    """
    kind = _lang_kind(lang)
    if not text:
        return []
    norm = text.translate(_FULLWIDTH)
    return _extract_zh(text, norm, markers) if kind == "zh" else _extract_en(text, norm, markers)


def units_compatible(a: str, b: str, *, strict: bool = False) -> bool:
    """Equal units, or (unless ``strict``) one side without a unit and the other not a calendar unit."""
    if a == b:
        return True
    if strict:
        return False
    if a == NONE:
        return b not in _CALENDAR
    if b == NONE:
        return a not in _CALENDAR
    return False


def _key(v: float) -> str:
    # Exact comparison, but blind to floating-point noise below 12 significant digits.
    return f"{v:.12g}"


def numbers_match(a: NumberMention, b: NumberMention, *, strict_units: bool = False,
                  approx_tol: float = APPROX_REL_TOL) -> bool:
    """Same quantity: compatible units and equal values, within ``approx_tol`` if either is approximate."""
    if not units_compatible(a.unit, b.unit, strict=strict_units):
        return False
    if _key(a.value) == _key(b.value):
        return True
    if (a.approx or b.approx) and a.unit not in _CALENDAR and b.unit not in _CALENDAR:
        return math.isclose(a.value, b.value, rel_tol=approx_tol)
    return False


_APPROX_SCAN = 64  # candidates looked at per approximate number; bounds the worst case


def match_numbers(a: Sequence[NumberMention], b: Sequence[NumberMention], *,
                  strict_units: bool = False,
                  approx_tol: float = APPROX_REL_TOL) -> NumberMatching:
    """One-to-one matching of two mention lists: exact values first, then approximate ones.

    Near-linear: exact matches go through a hash table, approximate ones through a sorted list.
    """
    buckets: dict[str, dict[str, list[int]]] = {}
    for j in range(len(b) - 1, -1, -1):  # reversed so that pop() hands out the earliest first
        buckets.setdefault(_key(b[j].value), {}).setdefault(b[j].unit, []).append(j)
    used_b = [False] * len(b)
    pairs: list[tuple[int, int]] = []
    left_a: list[int] = []
    for i, ma in enumerate(a):
        by_unit = buckets.get(_key(ma.value))
        hit = None
        if by_unit:
            order = [ma.unit] + [u for u in by_unit if u != ma.unit]
            for u in order:
                lst = by_unit.get(u)
                if lst and units_compatible(ma.unit, u, strict=strict_units):
                    hit = lst.pop()
                    break
        if hit is None:
            left_a.append(i)
        else:
            used_b[hit] = True
            pairs.append((i, hit))
    left_b = [j for j in range(len(b)) if not used_b[j]]
    if left_a and left_b and (any(a[i].approx for i in left_a) or any(b[j].approx for j in left_b)):
        cand = sorted(left_b, key=lambda j: b[j].value)
        values = [b[j].value for j in cand]
        taken = [False] * len(cand)
        still: list[int] = []
        for i in left_a:
            v = a[i].value
            lo = bisect.bisect_left(values, v - abs(v) * approx_tol)
            found = None
            for k in range(lo, min(len(cand), lo + _APPROX_SCAN)):
                if values[k] > v + abs(v) * approx_tol:
                    break
                if not taken[k] and numbers_match(a[i], b[cand[k]], strict_units=strict_units,
                                                  approx_tol=approx_tol):
                    found = k
                    break
            if found is None:
                still.append(i)
            else:
                taken[found] = True
                pairs.append((i, cand[found]))
        left_a = still
        left_b = sorted(cand[k] for k in range(len(cand)) if not taken[k])
    pairs.sort()
    return NumberMatching(pairs, left_a, left_b)


def number_overlap(a: str | Sequence[NumberMention], b: str | Sequence[NumberMention], *,
                   a_lang: str = "zh", b_lang: str = "en",
                   strict_units: bool = False) -> NumberOverlap:
    """Numbers shared by two texts (or precomputed mention lists); ``.score`` is their Dice overlap.

    For many sentence pairs, extract once per sentence and pass the lists: a bead of several
    sentences is the concatenation of their lists.
    """
    ma = extract_numbers(a, a_lang) if isinstance(a, str) else a
    mb = extract_numbers(b, b_lang) if isinstance(b, str) else b
    if not ma or not mb:
        return NumberOverlap(0, len(ma), len(mb))
    res = match_numbers(ma, mb, strict_units=strict_units)
    return NumberOverlap(len(res.pairs), len(ma), len(mb))


def date_parts(value: float) -> tuple[int | None, int, int | None]:
    """Decode a ``"date"`` value into ``(year, month, day)``; ``None`` where the text gave none."""
    v = int(value)
    if v >= 10_000_000:
        return v // 10_000, v // 100 % 100, v % 100
    if v >= 100_000:
        return v // 100, v % 100, None
    if v >= 100:
        return None, v // 100, v % 100
    return None, v, None
