"""A citation of an article: ``第二十六条第二款`` read as numbers, so a citation can be held to the law's size."""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_ARTICLE = re.compile(r"第([一二三四五六七八九十百千零〇0-9]+)条")


def chinese_number(text: str) -> int | None:
    """``二十六`` -> 26, ``一百零三`` -> 103, ``十`` -> 10, ``26`` -> 26; None for anything else."""
    if text.isascii():
        return int(text) if text.isdigit() else None
    total, digit = 0, None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        else:
            return None
    return total + (digit or 0)


def article_number(article: str) -> int | None:
    """The number of the article a citation names: ``第四十二条第一款`` -> 42; None when it names none."""
    match = _ARTICLE.match(article)
    return chinese_number(match.group(1)) if match else None
