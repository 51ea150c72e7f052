"""Numbers across Chinese and English: phrases from the bundled 2026-27 Budget slide deck."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhen.corpora.numbers import (
    NumberMention,
    UnsupportedLanguageError,
    date_parts,
    extract_numbers,
    match_numbers,
    number_overlap,
    numbers_match,
    units_compatible,
)

SLIDES = Path(__file__).resolve().parent.parent / "corpora" / "budget-2026-27-itib-slides.txt"


def only(text: str, lang: str, surface: str | None = None) -> NumberMention:
    """The one mention in ``text`` (or the one whose surface contains ``surface``)."""
    found = extract_numbers(text, lang)
    if surface is not None:
        found = [m for m in found if surface in m.surface]
    assert len(found) == 1, (text, found)
    return found[0]


# (Chinese phrase, English phrase, value, unit, approximate?) — each pair taken from one line of
# the slide deck and its English line; the phrases are substrings of those lines.
SLIDE_PAIRS = [
    ("可提供25萬平方米樓面面積", "a gross floor area of 250 000 square metres", 250_000, "m2", False),
    ("預留約**2.2億元**", "Earmark about **\\$220 million**", 220_000_000, "HKD", True),
    ("撥款一億元，通過", "To allocate \\$100 million for", 100_000_000, "HKD", False),
    ("將撥款5,000萬元邀請", "To allocate \\$50 million for", 50_000_000, "HKD", False),
    ("提供近兩萬個實習機會", "Provided nearly 20 000 internship opportunities", 20_000, "", True),
    ("當中超過七成為私人投資", "of which more than 70% is private investment", 70, "%", True),
    ("租出約八成樓面面積", "taking up around 80% of floor area", 80, "%", True),
    ("涉及總投資約25億元", "a total investment of about \\$2.5 billion", 2_500_000_000, "HKD", True),
    ("總投資超過**15億元**", "total investment of over \\$1.5 billion", 1_500_000_000, "HKD", True),
    ("帶動超過10億元私人投資", "private investment of over \\$1 billion", 1_000_000_000, "HKD", True),
    ("100億元RAISe+已批出", "under the \\$10 billion **RAISe+ Scheme**", 10_000_000_000, "HKD", False),
    ("**注資100億元**起始資金", "**inject \\$10 billion** as initial capital", 10_000_000_000, "HKD", False),
    ("去年推出的30億元計劃", "A \\$3 billion scheme launched", 3_000_000_000, "HKD", False),
    ("每秒5 000千萬億次浮點運算次數", "has reached 5 000 petaFLOPS", 5e18, "FLOPS", False),
    ("於2025年12月正式開園", "Officially opened in December 2025", 202512, "date", False),
    ("批出15 000多個申請", "Approved over 15 000 applications", 15_000, "", True),
    ("匯聚超過3 000名海內外科研人員", "pooled together more than 3 000 researchers", 3000, "", True),
    ("已有十六所研發中心", "Established 16 related R&D centres", 16, "", False),
    ("累計資助16間聚焦", "Funded 16 laboratories", 16, "", False),
    ("已批出近30個", "Approved around 30 applications", 30, "", True),
    ("匯聚近500間相關企業", "host nearly 500 relevant enterprises", 500, "", True),
    ("已支持超過120條新智能生產線", "Supported over 120 new smart production lines", 120, "", True),
    ("已公布支持4個項目", "Support for four projects announced", 4, "", False),
    ("已支持兩間發展半導體", "has supported two enterprises developing", 2, "", False),
    ("加上三所由大學籌建的分院", "the three branches to be established", 3, "", False),
    ("三大創科園區", "Three major I&T parks", 3, "", False),
    ("的第三代半導體", "third-generation semiconductor chips", 3, "", False),
    ("正提速建設第三個InnoHK研發平台", "the development of the third InnoHK", 3, "", False),
    ("已批出49個項目", "49 projects were approved", 49, "", False),
    ("超過60家企業落戶", "Over 60 enterprises have moved", 60, "", True),
    ("嫦娥八號任務", "the Chang'E 8 mission", 8, "", False),
    ("已支持15個相關項目", "Supported 15 relevant projects", 15, "", False),
    ("2026-27年度財政預算案", "2026-27 Budget", 2026, "fiscal_year", False),
]


def test_slide_pairs_are_real_phrases() -> None:
    text = SLIDES.read_text(encoding="utf-8")
    for zh, en, *_ in SLIDE_PAIRS:
        assert zh in text, zh
        assert en in text, en


@pytest.mark.parametrize(("zh", "en", "value", "unit", "approx"), SLIDE_PAIRS,
                         ids=[p[0] for p in SLIDE_PAIRS])
def test_slide_pair_matches(zh: str, en: str, value: float, unit: str, approx: bool) -> None:
    a = only(zh, "zh-HK")
    b = only(en, "en")
    assert math.isclose(a.value, value) and math.isclose(b.value, value), (a, b)
    assert (a.unit, b.unit) == (unit, unit)
    assert a.approx is approx and b.approx is approx
    assert numbers_match(a, b) and numbers_match(b, a)
    assert number_overlap(zh, en) == (1, 1, 1)


@pytest.mark.parametrize(("text", "lang", "value", "unit"), [
    ("一億元", "zh", 1e8, "HKD"),
    ("兩萬", "zh", 20_000, ""),
    ("一千二百三十四", "zh", 1234, ""),
    ("一千零五個", "zh", 1005, ""),
    ("三萬五", "zh", 35_000, ""),
    ("二點五億元", "zh", 2.5e8, "HKD"),
    ("1.5萬億", "zh", 1.5e12, ""),
    ("五千萬億次浮點運算", "zh", 5e15, "FLOPS"),
    ("百分之七十", "zh", 70, "%"),
    ("百分之三十五點五", "zh", 35.5, "%"),
    ("七成半", "zh", 75, "%"),
    ("70%", "zh", 70, "%"),
    ("２０２５年", "zh", 2025, "year"),
    ("2026年2月26日", "zh", 20260226, "date"),
    ("二〇二五年十二月", "zh", 202512, "date"),
    ("26/2/2026", "zh", 20260226, "date"),
    ("2026-27年度", "zh", 2026, "fiscal_year"),
    ("港幣5,000萬元", "zh", 5e7, "HKD"),
    ("100多億元", "zh", 1e10, "HKD"),
    ("$2.5 billion", "en", 2.5e9, "HKD"),
    ("HK$342.7m", "en", 342.7e6, "HKD"),
    ("US$3 million", "en", 3e6, "USD"),
    ("1.5 billion", "en", 1.5e9, ""),
    ("250,000", "en", 250_000, ""),
    ("seventy per cent", "en", 70, "%"),
    ("two hundred and fifty thousand", "en", 250_000, ""),
    ("the 14th Five-Year Plan", "en", 14, ""),
    ("in the twenty-first century", "en", 21, ""),
    ("26 February 2026", "en", 20260226, "date"),
    ("February 26, 2026", "en", 20260226, "date"),
    ("2024–25 (Actual)", "en", 2024, "fiscal_year"),
    ("(–0.4%)", "en", -0.4, "%"),
    ("10 PFLOPS", "en", 1e16, "FLOPS"),
])
def test_single_values(text: str, lang: str, value: float, unit: str) -> None:
    m = extract_numbers(text, lang)[0]
    assert math.isclose(m.value, value) and m.unit == unit, m


@pytest.mark.parametrize(("text", "lang"), [
    ("統一標準", "zh"), ("十分重要", "zh"), ("一些企業", "zh"), ("萬一出事", "zh"),
    ("千萬不要", "zh"), ("一成不變", "zh"), ("成功推出", "zh"), ("一點點", "zh"),
    ("一、背景", "zh"), ("1. 完善創科生態圈", "zh"),
    ("one of the parks", "en"), ("a one-stop service", "en"), ("the first half", "en"),
    ("you may 15", "en"), ("(\\$m)", "en"), ("\\$'000", "en"), ("2. Proactively integrate", "en"),
])
def test_not_numbers(text: str, lang: str) -> None:
    found = extract_numbers(text, lang)
    if text == "you may 15":
        assert [m.value for m in found] == [15.0]  # the verb is not May; 15 stays a number
    else:
        assert found == [], found


def test_list_markers_kept_on_request() -> None:
    assert [m.value for m in extract_numbers("1. 完善", "zh", markers=True)] == [1.0]


@pytest.mark.parametrize(("zh", "en"), [
    ("25萬", "2.5萬"),
    ("25萬平方米", "25 000 square metres"),
    ("100億元", "\\$1 billion"),
    ("七成", "7"),
    ("近兩萬", "2 000"),
    ("2025年12月", "2025"),
    ("2026-27年度", "2026"),
    ("25億元", "25%"),
])
def test_must_not_match(zh: str, en: str) -> None:
    a = extract_numbers(zh, "zh")
    b = extract_numbers(en, "zh" if re.search("[萬]", en) else "en")
    assert a and b
    assert not any(numbers_match(x, y) for x in a for y in b), (a, b)


def test_ten_billion_is_not_one_billion() -> None:
    a = only("\\$10 billion", "en")
    b = only("\\$1 billion", "en")
    assert not numbers_match(a, b)


def test_approx_tolerance() -> None:
    exact = only("19 500", "en")
    near = only("近兩萬", "zh")
    assert numbers_match(near, exact)
    assert not numbers_match(only("兩萬", "zh"), exact)  # both exact: no tolerance
    assert not numbers_match(near, only("15 000", "en"))  # beyond 10 %


def test_units() -> None:
    assert units_compatible("", "HKD") and units_compatible("m2", "")
    assert not units_compatible("", "date") and not units_compatible("HKD", "%")
    assert not units_compatible("", "HKD", strict=True)
    assert numbers_match(only("一億", "zh"), only("\\$100 million", "en"))
    assert not numbers_match(only("一億", "zh"), only("\\$100 million", "en"), strict_units=True)


def test_date_parts() -> None:
    assert date_parts(20260226) == (2026, 2, 26)
    assert date_parts(202512) == (2025, 12, None)
    assert date_parts(226) == (None, 2, 26)
    assert date_parts(12) == (None, 12, None)


def test_offsets_and_surface() -> None:
    text = "預留約**2.2億元**，在港建設"
    m = only(text, "zh")
    assert (m.surface, text[m.start:m.end]) == ("2.2億元", "2.2億元")


def test_unknown_language() -> None:
    with pytest.raises(UnsupportedLanguageError, match="'fr'"):
        extract_numbers("12", "fr")


def _slide_line_pairs() -> list[tuple[str, str]]:
    lines = [ln for ln in SLIDES.read_text(encoding="utf-8").split("\n") if ln.strip()]
    cjk = re.compile("[\u4e00-\u9fff]")
    return [(a, b) for a, b in zip(lines, lines[1:]) if cjk.search(a) and not cjk.search(b)]


def test_every_slide_line_pair_agrees() -> None:
    """Each Chinese line and the English line after it carry the same numbers."""
    checked = 0
    for zh, en in _slide_line_pairs():
        if zh == "相關重點措施":  # a title split across lines; its English line is not its pair
            continue
        a, b = extract_numbers(zh, "zh"), extract_numbers(en, "en")
        res = match_numbers(a, b)
        assert not res.unmatched_a and not res.unmatched_b, (
            [a[i].surface for i in res.unmatched_a], [b[j].surface for j in res.unmatched_b], en)
        checked += bool(a)
    assert checked >= 25


def test_overlap_scores() -> None:
    assert number_overlap("沒有數字", "no numbers").score is None
    assert number_overlap("共3個", "no numbers").score == 0.0
    assert number_overlap("3個和5個", "3 and 4").score == pytest.approx(0.5)
    precomputed = extract_numbers("25億元", "zh")
    assert number_overlap(precomputed, "\\$2.5 billion").matched == 1


def test_matching_is_one_to_one() -> None:
    a = extract_numbers("3個、3個、3個", "zh")
    b = extract_numbers("3 and 3", "en")
    res = match_numbers(a, b)
    assert len(res.pairs) == 2 and len(res.unmatched_a) == 1 and not res.unmatched_b


def test_long_text_is_linear() -> None:
    """A 1 MB line is scanned in a bounded time (quadratic behaviour would take minutes)."""
    import time

    line = ("本港整體算力達每秒5 000千萬億次浮點運算次數，一二三四五六七八九十萬億" * 20_000)[:1_000_000]
    t0 = time.perf_counter()
    found = extract_numbers(line, "zh")
    assert time.perf_counter() - t0 < 10 and found
    t0 = time.perf_counter()
    extract_numbers(("one two 3 000 nearly December 2025 " * 30_000)[:1_000_000], "en")
    assert time.perf_counter() - t0 < 10


# --- property tests ---------------------------------------------------------------------------

_CN = "零一二三四五六七八九"


def _cn_section(x: int) -> str:
    out, gap = "", False
    for unit, ch in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = x // unit % 10
        if d:
            out += ("零" if gap and out else "") + _CN[d] + ch
            gap = False
        else:
            gap = True
    return out


def to_chinese(n: int) -> str:
    """Standard Chinese numeral for ``0 <= n < 10**16`` (一千零五, 十萬, 兩… written 二)."""
    if n == 0:
        return "零"

    def below_yi(x: int) -> str:
        if x < 10_000:
            return _cn_section(x)
        s = _cn_section(x // 10_000) + "萬"
        rest = x % 10_000
        return s + (("零" if rest < 1000 else "") + _cn_section(rest) if rest else "")

    if n >= 100_000_000:
        rest = n % 100_000_000
        s = below_yi(n // 100_000_000) + "億"
        s += ("零" if rest < 10_000_000 else "") + below_yi(rest) if rest else ""
    else:
        s = below_yi(n)
    return s[1:] if s.startswith("一十") else s


_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def to_words(n: int) -> str:
    """British English words for ``1 <= n < 10**12``."""
    def small(x: int) -> str:
        h, r = divmod(x, 100)
        parts = [f"{_ONES[h]} hundred"] if h else []
        if r:
            word = _ONES[r] if r < 20 else _TENS[r // 10] + (f"-{_ONES[r % 10]}" if r % 10 else "")
            parts.append(("and " if h else "") + word)
        return " ".join(parts)

    out = []
    for scale, name in ((10**9, " billion"), (10**6, " million"), (10**3, " thousand"), (1, "")):
        g = n // scale % 1000
        if g:
            out.append(small(g) + name)
    return " ".join(out)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**13))
def test_integer_round_trip(n: int) -> None:
    renderings = [("zh", f"共{n}個"), ("zh", f"共{n:,}個"), ("zh", f"共{n:,}個".replace(",", " ")),
                  ("zh", f"共{to_chinese(n)}個"), ("en", f"There are {n} items"),
                  ("en", f"There are {n:,} items"), ("en", f"There are {n:,} items".replace(",", " "))]
    if 1 <= n < 10**12:
        renderings.append(("en", f"There are {to_words(n)} items"))
    for lang, text in renderings:
        found = extract_numbers(text, lang)
        assert [m.value for m in found] == [float(n)], (text, found)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=100_000))
def test_money_round_trip(tenths: int) -> None:
    zh = only(f"撥款{tenths / 10:g}億元", "zh")  # 2.2億元
    en = only(f"allocate \\${tenths * 10} million", "en")  # $220 million
    assert zh.unit == en.unit == "HKD" and numbers_match(zh, en)


_TOKENS = list("0123456789 ,.-–/$\\%年月日號萬億千百十一二兩三七八成多近約第個元點零〇次浮每秒\n\t(")
_TOKENS += ["million", "billion", "one", "two", "December", "May", "nearly", "over", "per cent",
            "petaFLOPS", "square metres", "HK$", "百分之", "分之", "2026-27", "thousand", "and"]


def _check_invariants(text: str, lang: str) -> None:
    found = extract_numbers(text, lang)
    prev_end = 0
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.surface
        assert m.start >= prev_end, found
        assert math.isfinite(m.value)
        prev_end = m.end
    assert number_overlap(found, found).matched == len(found)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=40).map("".join), st.sampled_from(["zh", "en"]))
def test_number_like_text_never_breaks(text: str, lang: str) -> None:
    _check_invariants(text, lang)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["zh-HK", "en"]))
def test_arbitrary_text_never_breaks(text: str, lang: str) -> None:
    _check_invariants(text, lang)
