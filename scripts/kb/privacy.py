"""Spotting personal data and markup in free text before anything is published.

Records describe classes of matters, never people. These checks catch the
usual slips: a citizen's ID number, a mobile or landline number, an e-mail
address, a real-looking name (surname + 先生/女士), a street address, and any
HTML or script pasted into a text field.
"""

from __future__ import annotations

import re

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# 18-digit resident ID: 6-digit area code, birth date, 3-digit sequence, check digit.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d[- ]?\d{4}[- ]?\d{4})(?!\d)")
_LANDLINE_RE = re.compile(
    r"(?<![\d-])(0\d{2,3}[- ]\d{7,8}|\(0\d{2,3}\)\s?\d{7,8}|（0\d{2,3}）\s?\d{7,8})(?![\d-])"
    r"|(?:电话|座机|手机|联系方式)\D{0,3}?(\d{7,8})(?!\d)"
)
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# Common surnames followed by a form of address: "盛先生", "王女士"; "某先生" is fine.
_SURNAMES = (
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
_NAME_RE = re.compile(rf"(?<![某该其本此每这那])[{_SURNAMES}](?:先生|女士|小姐|大爷|大妈|阿姨|师傅)")
_ADDRESS_RE = re.compile(r"\d+\s*(?:号楼|幢|栋|单元|室)|[路街巷弄道]\s*\d+\s*号")
# What a browser would parse as markup: a tag, a comment, a declaration; plus script URLs.
_MARKUP_RE = re.compile(
    r"</?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^>]*)?>|<!--|<![A-Za-z\[]|<\?|javascript\s*:|vbscript\s*:|data\s*:\s*text/html",
    re.I,
)


def valid_id_number(number: str) -> bool:
    digits = number[:17]
    total = sum(int(d) * w for d, w in zip(digits, _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def _mask(text: str) -> str:
    return text[:3] + "…" + text[-2:] if len(text) > 6 else "…"


def personal_data(text: str, *, allow_office_contacts: bool = False) -> list[str]:
    """Describe each piece of personal data found in ``text`` (empty when clean).

    ``allow_office_contacts`` lets an internal escalation channel name an
    office landline or mailbox; ID numbers and mobiles are never allowed.
    """
    found = []
    for match in _ID_RE.finditer(text):
        number = match.group(1)
        if valid_id_number(number):
            found.append(f"疑似居民身份证号码“{_mask(number)}”")
    for match in _MOBILE_RE.finditer(text):
        found.append(f"疑似手机号码“{_mask(match.group(1))}”")
    if not allow_office_contacts:
        for match in _LANDLINE_RE.finditer(text):
            found.append(f"疑似固定电话号码“{_mask(match.group(1) or match.group(2))}”")
        for match in _EMAIL_RE.finditer(text):
            found.append(f"疑似电子邮箱“{_mask(match.group(0))}”")
    for match in _NAME_RE.finditer(text):
        found.append(f"疑似真实姓名“{match.group(0)}”（请写成“某先生”“当事人”等）")
    for match in _ADDRESS_RE.finditer(text):
        found.append(f"疑似详细地址“{match.group(0)}”")
    return found


def markup(text: str) -> str | None:
    """The first piece of HTML or script found in ``text``, if any."""
    match = _MARKUP_RE.search(text)
    return match.group(0) if match else None
