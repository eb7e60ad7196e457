"""Spotting personal data, markup and unsafe links in free text before anything is published.

Records describe classes of matters, never people. These checks catch the
usual slips: a citizen's ID number (18-digit with a valid check digit, or the
old 15-digit form), a mobile or landline number, a bank card number, an e-mail
address, a real-looking name (surname + 先生/女士), a street address; any HTML,
script, character entity or invisible control character pasted into a text
field; and links that are not plain http/https.

Text is normalised with NFKC before matching, so full-width digits
(１３８…), the full-width at sign and ideographic spaces are caught too. Every
pattern is bounded (no nested or unbounded repeats that could backtrack), so
the time spent is linear in the length of the text. The ``scan_*`` functions
take many fields joined by NUL characters at once, so a record costs a handful of
regex scans rather than a handful per field.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# Patterns start with a character or a character class and check what precedes
# it with a lookbehind placed after it ("[1-9](?<![0-9].)"): the regex engine can
# then jump straight to candidate characters instead of trying every position,
# which makes a scan of a whole record about ten times faster.
_DAY = r"(?:0[1-9]|[12][0-9]|3[01])"
_MONTH = r"(?:0[1-9]|1[0-2])"
# 18-digit resident ID: 6-digit area code, birth date, 3-digit sequence, check
# digit; written straight or grouped 6-8-4 with spaces or hyphens.
_ID_RE = re.compile(
    rf"[1-9](?<![0-9A-Za-z].)[0-9]{{5}}[- ]?(?:18|19|20)[0-9]{{2}}{_MONTH}{_DAY}[- ]?[0-9]{{3}}[0-9Xx](?![0-9A-Za-z])"
)
# The first-generation 15-digit ID: area code, YYMMDD, sequence; no check digit.
_ID15_RE = re.compile(rf"[1-8](?<![0-9A-Za-z].)[0-9]{{7}}{_MONTH}{_DAY}[0-9]{{3}}(?![0-9A-Za-z])")
# 11 digits from 13x-19x, straight or grouped 3-4-4 / 3-8 by spaces, hyphens or dots; may follow +86/0086/86.
_MOBILE_RE = re.compile(r"1(?:(?<![0-9].)|(?<=86.)|(?<=86[- ].))[3-9][0-9](?:[- .]?[0-9]{4}){2}(?![0-9])")
_AREA = r"0[1-9][0-9]{1,2}"
_LANDLINE_RES = (
    re.compile(r"0(?<![0-9-].)[1-9][0-9]{1,2}[- ](?:[0-9]{7,8}|[0-9]{3,4}[- ][0-9]{4})(?![0-9-])"),
    re.compile(rf"\((?<![0-9-].){_AREA}\) ?[0-9]{{7,8}}(?![0-9-])"),
    re.compile(rf"(?:电话|座机|手机|联系方式|Tel|TEL|tel)[^0-9\x00]{{0,3}}?((?:{_AREA}-?)?[0-9]{{7,8}})(?![0-9])"),
)
# 16 to 19 digits (UnionPay 62, Visa 4, Mastercard 51-55), straight or in groups of four; Luhn-checked.
_BANK_CARD_RE = re.compile(r"[456](?<![0-9].)[0-9]{3}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,3})?(?![0-9])")
_EMAIL_LOCAL = re.compile(r"[\w.%+-]{1,64}\Z")
_EMAIL_DOMAIN = re.compile(r"[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![\w-])")
# Common surnames followed by a form of address: "盛先生", "王女士"; "某先生" is fine.
_SURNAMES = frozenset(
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎"
    "鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄"
    "和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭"
    "梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫房裘缪干解应宗丁宣邓郁单杭洪包诸左石崔吉龚程嵇邢"
    "裴陆荣翁荀羊甄曲家封芮储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘厉戎"
    "祖武符刘景詹束龙叶幸司韶黎薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴胥能苍双闻莘党翟谭贡劳逄姬申扶"
    "堵冉宰郦雍却璩桑桂濮牛寿通边扈燕冀浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步"
    "都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相"
    "查后荆红游竺权逯盖益桓公"
)
_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 独孤 南宫 西门 轩辕 呼延".split()
)
_FORMS_OF_ADDRESS = re.compile("先生|女士|小姐|大爷|大妈|阿姨|师傅|大姐|大哥|奶奶|爷爷|大叔|大娘|大伯|老太|老伯|阿婆")
_ANONYMOUS = frozenset("某该其本此每这那")  # "某先生", "该女士": no name
#: Kinds of personal data an office escalation channel (internal.contacts[].channel) may contain.
OFFICE_CONTACT_KINDS = frozenset(("landline", "email"))
_ADDRESS_RES = (
    re.compile(r"[0-9](?<![0-9].)[0-9]{0,4} ?(?:号楼|号院|幢|栋|单元|室)"),
    re.compile(r"[路街巷弄道村组] ?[0-9]{1,5} ?号"),
)

# What a browser would parse as markup: a tag (<b>, <img src=…>, </p>, <svg/…>),
# a comment, a declaration or CDATA, a processing instruction; script URLs, even
# with spaces inside the scheme; data: URLs with a media type; character entities.
_MARKUP_RE = re.compile(
    r"</?[A-Za-z][A-Za-z0-9:-]{0,40}(?=[\s/>])"
    r"|<!--|<![A-Za-z\[]|<\?"
    r"|(?:j\s{0,3}a\s{0,3}v\s{0,3}a|v\s{0,3}b)\s{0,3}s\s{0,3}c\s{0,3}r\s{0,3}i\s{0,3}p\s{0,3}t\s{0,3}:"
    r"|data\s{0,3}:\s{0,3}[a-z]{1,20}/[a-z0-9.+-]{1,40}\s{0,3}[;,]",
    re.I,
)
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

# Invisible characters that have no place in a record: control characters other
# than tab and newline, bidirectional overrides (text that reads differently from
# what it is), zero-width characters, line/paragraph separators, lone surrogates.
INVISIBLE_CHARS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff"
)
_INVISIBLE_RE = re.compile(f"[{INVISIBLE_CHARS}]")

_URL_FORBIDDEN = re.compile(f"[\\s\\\\<>\"'`{{}}|^{INVISIBLE_CHARS}]")
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]{0,30}):")


# NFKC maps the full-width forms U+FF01-U+FF5E and the ideographic space to
# ASCII; nearly every Chinese text has some (，：（）), and translating them
# first leaves most texts already normalised, which is quicker to confirm than
# to normalise.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def normalise(text: str) -> str:
    """NFKC form: full-width digits and letters, ＠ and ideographic spaces become ASCII."""
    if text.isascii():
        return text
    text = text.translate(_FULL_WIDTH)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def valid_id_number(number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit():
        return False
    digits = number[:17]
    total = sum(int(d) * w for d, w in zip(digits, _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def _valid_old_id(number: str) -> bool:
    try:
        date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return False
    return True


def _luhn(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _mask(text: str) -> str:
    return text[:3] + "…" + text[-2:] if len(text) > 6 else "…"


def _emails(text: str) -> list[tuple[int, str]]:
    """(position, address) of e-mail addresses, found from each "@" outwards (linear in the text)."""
    found = []
    at = text.find("@")
    while at != -1:
        local = _EMAIL_LOCAL.search(text, max(0, at - 64), at)
        domain = _EMAIL_DOMAIN.match(text, at + 1, at + 1 + 320)
        if local and domain:
            found.append((local.start(), text[local.start(): domain.end()]))
        at = text.find("@", at + 1)
    return found


def _names(text: str) -> list[tuple[int, str]]:
    """(position, text) of a surname followed by a form of address, such as "王女士"."""
    found = []
    for match in _FORMS_OF_ADDRESS.finditer(text):
        at = match.start()
        for size, surnames in ((2, _COMPOUND_SURNAMES), (1, _SURNAMES)):
            start = at - size
            if start >= 0 and text[start:at] in surnames and (start == 0 or text[start - 1] not in _ANONYMOUS):
                found.append((start, text[start: match.end()]))
                break
    return found


def scan_personal(text: str) -> list[tuple[int, str, str]]:
    """(position, kind, description) of each piece of personal data in NFKC ``text``.

    ``text`` may hold many fields joined by NUL characters (no pattern crosses one). A
    stretch of digits is reported once, as the first kind it matches: an ID
    number is not also a bank card, a card number does not also hold a landline.
    """
    found: list[tuple[int, str, str]] = []
    taken: set[int] = set()  # positions already reported; spans are short, so this stays linear

    def claim(span: tuple[int, int], kind: str, description: str) -> None:
        positions = range(*span)
        if taken.isdisjoint(positions):
            taken.update(positions)
            found.append((span[0], kind, description))

    for match in _ID_RE.finditer(text):
        number = match.group(0).replace(" ", "").replace("-", "")
        if valid_id_number(number):
            claim(match.span(), "id", f"疑似居民身份证号码“{_mask(number)}”")
    for match in _BANK_CARD_RE.finditer(text):
        number = match.group(0).replace(" ", "").replace("-", "")
        if (number[:2] == "62" or number[0] == "4" or "51" <= number[:2] <= "55") and _luhn(number):
            claim(match.span(), "card", f"疑似银行卡号“{_mask(number)}”")
    for match in _ID15_RE.finditer(text):
        if _valid_old_id(match.group(0)):
            claim(match.span(), "id", f"疑似旧版 15 位居民身份证号码“{_mask(match.group(0))}”")
    for match in _MOBILE_RE.finditer(text):
        claim(match.span(), "mobile", f"疑似手机号码“{_mask(match.group(0))}”")
    for pattern in _LANDLINE_RES:
        for match in pattern.finditer(text):
            group = pattern.groups  # the number itself: group 1 after a keyword, else the whole match
            claim(match.span(group), "landline", f"疑似固定电话号码“{_mask(match.group(group))}”")
    for position, address in _emails(text):
        found.append((position, "email", f"疑似电子邮箱“{_mask(address)}”"))
    for position, name in _names(text):
        found.append((position, "name", f"疑似真实姓名“{name}”（请写成“某先生”“当事人”等）"))
    for pattern in _ADDRESS_RES:
        for match in pattern.finditer(text):
            claim(match.span(), "address", f"疑似详细地址“{match.group(0)}”")
    return found


def personal_data(text: str, *, allow_office_contacts: bool = False) -> list[str]:
    """Describe each piece of personal data found in ``text`` (empty when clean).

    ``allow_office_contacts`` lets an internal escalation channel name an
    office landline or mailbox; ID numbers, mobiles and cards are never allowed.
    """
    return [description for _, kind, description in scan_personal(normalise(text))
            if not (allow_office_contacts and kind in OFFICE_CONTACT_KINDS)]


def scan_markup(text: str) -> list[tuple[int, str]]:
    """(position, snippet) of each piece of HTML, script or entity in NFKC ``text``."""
    found = []
    for pattern in (_MARKUP_RE, _ENTITY_RE):
        for match in pattern.finditer(text):
            start = match.start()
            field_end = text.find("\x00", start, start + 60)
            end = text.find(">", start, start + 60 if field_end == -1 else field_end) if text[start] == "<" else -1
            found.append((start, text[start: end + 1] if end != -1 else match.group(0)))
    return found


def markup(text: str) -> str | None:
    """The first piece of HTML, script or character entity found in ``text``, if any.

    Character entities (``&lt;``, ``&#60;``) are refused too: records are plain
    text and every page escapes them, so an entity would show up literally as
    "&lt;script&gt;", and it is how markup is smuggled past a filter that
    looks only for "<". Full-width look-alikes (＜script＞) are caught after NFKC.
    """
    found = scan_markup(normalise(text))
    return min(found)[1] if found else None


def invisible(text: str) -> str | None:
    """The first invisible control character in ``text``, as "U+XXXX", if any."""
    match = _INVISIBLE_RE.search(text)
    return f"U+{ord(match.group(0)):04X}" if match else None


def url_problem(url: object) -> str | None:
    """Why ``url`` is not an acceptable link (plain http/https, no credentials), or None."""
    if not isinstance(url, str):
        return None
    if not url.strip():
        return "网址不能为空"
    bad = _URL_FORBIDDEN.search(url)
    if bad:
        char = bad.group(0)
        if char.isspace():
            return "网址中不能有空格或换行（网址前后也不能有）"
        if _INVISIBLE_RE.match(char):
            return f"网址中含有不可见的控制字符 U+{ord(char):04X}，请删除"
        return f"网址中含有不允许的字符“{char}”，请使用百分号编码（如 %3C）或删除"
    if url.startswith("//"):
        return "网址缺少协议，请写完整的 https:// 或 http:// 网址（不能以 // 开头）"
    scheme = _SCHEME_RE.match(url)
    if not scheme:
        return "不是完整的网址，应以 http:// 或 https:// 开头"
    name = scheme.group(1)
    if name.lower() not in ("http", "https"):
        return f"不允许“{name}:”网址，只接受 http:// 或 https:// 开头的网址"
    if name != name.lower():
        return "协议名请用小写：http:// 或 https://"
    if not url[scheme.end():].startswith("//"):
        return f"“{name}:”后面应为两个斜杠：{name}://"
    host = re.split(r"[/?#]", url[scheme.end() + 2:], maxsplit=1)[0]
    if not host:
        return "网址缺少主机名（域名）"
    if "@" in host:
        return "网址中不能包含用户名或密码（“@”之前的部分）"
    if host[0] in ".$[]" or "[" in host or "]" in host:
        return f"网址的主机名“{host[:40]}”不正确"
    return None
