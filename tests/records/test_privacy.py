"""privacy: personal data, markup, invisible characters and links."""

import time

import pytest

from kb.records import privacy


@pytest.mark.parametrize("number, ok", [("11010519491231002X", True), ("110105194912310021", False), ("440524188001010014", True)])
def test_id_check_digit(number, ok):
    assert privacy.valid_id_number(number) is ok


@pytest.mark.parametrize(
    "text, found",
    [
        ("号码 11010519491231002X", "疑似居民身份证号码“110…2X”"),
        ("号码 11010519491231002x", "疑似居民身份证号码“110…2x”"),
        ("号码 110105 19491231 002X", "疑似居民身份证号码“110…2X”"),
        ("号码 110105-19491231-002X", "疑似居民身份证号码“110…2X”"),
        ("号码 １１０１０５１９４９１２３１００２Ｘ", "疑似居民身份证号码“110…2X”"),
        ("旧证 110105491231002", "疑似旧版 15 位居民身份证号码“110…02”"),
        ("请拨 13812345678", "疑似手机号码“138…78”"),
        ("请拨 138 1234 5678", "疑似手机号码“138…78”"),
        ("请拨 138-1234-5678", "疑似手机号码“138…78”"),
        ("请拨 138.1234.5678", "疑似手机号码“138…78”"),
        ("请拨 138 12345678", "疑似手机号码“138…78”"),
        ("请拨 +86 13812345678", "疑似手机号码“138…78”"),
        ("请拨 +86-13812345678", "疑似手机号码“138…78”"),
        ("请拨 +8613812345678", "疑似手机号码“138…78”"),
        ("请拨 008613812345678", "疑似手机号码“138…78”"),
        ("请拨（+86）13812345678", "疑似手机号码“138…78”"),
        ("请拨 １３８１２３４５６７８", "疑似手机号码“138…78”"),
        ("请拨 １３８　１２３４　５６７８", "疑似手机号码“138…78”"),
        ("电话13812345678。", "疑似手机号码“138…78”"),
        ("请拨 0571-88886666", "疑似固定电话号码“057…66”"),
        ("请拨 0571 88886666", "疑似固定电话号码“057…66”"),
        ("请拨 010-12345678", "疑似固定电话号码“010…78”"),
        ("请拨 0571-8888-6666", "疑似固定电话号码“057…66”"),
        ("请拨 0571－88886666", "疑似固定电话号码“057…66”"),
        ("请拨（0571）88886666", "疑似固定电话号码“(05…66”"),
        ("请拨 (0571) 88886666", "疑似固定电话号码“(05…66”"),
        ("联系电话：88886666", "疑似固定电话号码“888…66”"),
        ("座机 057188886666", "疑似固定电话号码“057…66”"),
        ("退款到 6222 0212 3456 7890 128", "疑似银行卡号“622…28”"),
        ("卡号 4111111111111111", "疑似银行卡号“411…11”"),
        ("邮箱 a.b@gov.cn", "疑似电子邮箱“a.b…cn”"),
        ("邮箱 zhang.san@163.com", "疑似电子邮箱“zha…om”"),
        ("邮箱 someone＠example.com", "疑似电子邮箱“som…om”"),
        ("邮箱 张三@163.com", "疑似电子邮箱“张三@…om”"),
        ("盛先生的妻子", "疑似真实姓名“盛先生”（请写成“某先生”“当事人”等）"),
        ("王女士反映", "疑似真实姓名“王女士”（请写成“某先生”“当事人”等）"),
        ("欧阳先生反映", "疑似真实姓名“欧阳先生”（请写成“某先生”“当事人”等）"),
        ("杨阿姨反映", "疑似真实姓名“杨阿姨”（请写成“某先生”“当事人”等）"),
        ("陈师傅反映", "疑似真实姓名“陈师傅”（请写成“某先生”“当事人”等）"),
        ("住在幸福路18号", "疑似详细地址“路18号”"),
        ("住在文一西路 998 号", "疑似详细地址“路 998 号”"),
        ("3号楼", "疑似详细地址“3号楼”"),
        ("某小区302室", "疑似详细地址“302室”"),
        ("某村12组34号", "疑似详细地址“组34号”"),
    ],
)
def test_personal_data_found(text, found):
    assert found in privacy.personal_data(text)


def test_a_number_is_reported_once_as_its_first_kind():
    assert privacy.personal_data("退款到 6222 0212 3456 7890 128") == ["疑似银行卡号“622…28”"]
    assert privacy.personal_data("号码 11010519491231002X") == ["疑似居民身份证号码“110…2X”"]


@pytest.mark.parametrize(
    "text",
    [
        "国务院令第656号",
        "国发〔2022〕5号",
        "人社部发〔2019〕5号",
        "第18号令",
        "1号窗口",
        "30个工作日内办结",
        "某先生反映",
        "该女士的家属",
        "其先生代为办理",
        "先生们、女士们",
        "诸位先生",
        "李某",
        "12345 政务服务便民热线",
        "拨打 12345 或 96345",
        "400-123-4567",
        "110105194912310021 不是有效身份证号",
        "2026-04-16",
        "2026-04-16 至 2026-05-01",
        "第三十条",
        "统一社会信用代码91330100MA27XXXXXX",
        "12345678901",
        "订单号 21381234567890",
        "user@localhost",
        "a < b 且 c > d",
    ],
)
def test_ordinary_text_is_clean(text):
    assert privacy.personal_data(text) == []


def test_office_contacts_allow_landline_and_mail_only():
    assert privacy.personal_data("内线 0571-88886666 邮箱 a@b.cn", allow_office_contacts=True) == []
    assert privacy.personal_data("手机 13812345678", allow_office_contacts=True) == ["疑似手机号码“138…78”"]


def test_fields_joined_by_nul_do_not_leak_into_each_other():
    # validate scans a record's texts joined by NUL: a match must not span two fields.
    assert privacy.scan_personal(privacy.normalise("联系电话\x0088886666")) == []
    assert privacy.scan_markup("a <b\x00c") == []
    assert privacy.scan_personal("王\x00先生") == []


@pytest.mark.parametrize(
    "text, found",
    [
        ("<script>alert(1)</script>", "<script>"),
        ("<SCRIPT SRC=//x>", "<SCRIPT SRC=//x>"),
        ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
        ("<img\nsrc=x onerror=alert(1)>", "<img\nsrc=x onerror=alert(1)>"),
        ("<svg/onload=alert(1)>", "<svg/onload=alert(1)>"),
        ("点<a href=x>这里</a>", "<a href=x>"),
        ("<b>粗</b>", "<b>"),
        ("</p>", "</p>"),
        ("<br/>", "<br/>"),
        ("<x:y>", "<x:y>"),
        ("<!-- 注释 -->", "<!-- 注释 -->"),
        ("<!DOCTYPE html>", "<!DOCTYPE html>"),
        ("<![CDATA[x]]>", "<![CDATA[x]]>"),
        ("<?php echo 1 ?>", "<?php echo 1 ?>"),
        ("<iframe src=x", "<iframe"),
        ("＜script＞alert(1)＜/script＞", "<script>"),
        ("点此 javascript:alert(1)", "javascript:"),
        ("点此 JavaScript :alert(1)", "JavaScript :"),
        ("点此 java script:alert(1)", "java script:"),
        ("点此 java\tscript:alert(1)", "java\tscript:"),
        ("vbscript:msgbox", "vbscript:"),
        ("[点我](javascript:alert(1))", "javascript:"),
        ("data:text/html,<x>", "data:text/html,"),
        ("data:image/svg+xml;base64,xx", "data:image/svg+xml;"),
        ("&lt;script&gt;", "&lt;"),
        ("&#60;script&#62;", "&#60;"),
        ("&#x3C;script", "&#x3C;"),
        ("&nbsp;", "&nbsp;"),
    ],
)
def test_markup_found(text, found):
    assert privacy.markup(text) == found


@pytest.mark.parametrize(
    "text",
    ["a < b 且 c > d", "《行政许可法》", "3<5", "<条例>", "< script>", "受理 --> 审核", "<-- 注意", "Tom & Jerry", "R&D 部门", "a<b"],
)
def test_plain_text_is_not_markup(text):
    assert privacy.markup(text) is None


@pytest.mark.parametrize(
    "text, char",
    [("a\u202eb", "U+202E"), ("a\u200bb", "U+200B"), ("a\x07b", "U+0007"), ("a\x00b", "U+0000"), ("a\rb", "U+000D"),
     ("a\u2028b", "U+2028"), ("a\ufeffb", "U+FEFF"), ("a\x85b", "U+0085")],
)
def test_invisible_characters(text, char):
    assert privacy.invisible(text) == char


def test_tab_and_newline_are_ordinary():
    assert privacy.invisible("第一行\n第二行\t缩进") is None


@pytest.mark.parametrize(
    "url, problem",
    [
        ("https://www.example.gov.cn/a?b=1#c", None),
        ("http://例子.中国/", None),
        ("javascript:alert(1)", "不允许“javascript:”网址，只接受 http:// 或 https:// 开头的网址"),
        ("JAVASCRIPT:alert(1)", "不允许“JAVASCRIPT:”网址，只接受 http:// 或 https:// 开头的网址"),
        ("data:text/html;base64,PHNjcmlwdD4=", "不允许“data:”网址，只接受 http:// 或 https:// 开头的网址"),
        ("vbscript:x", "不允许“vbscript:”网址，只接受 http:// 或 https:// 开头的网址"),
        ("file:///etc/passwd", "不允许“file:”网址，只接受 http:// 或 https:// 开头的网址"),
        ("ftp://x.example/a", "不允许“ftp:”网址，只接受 http:// 或 https:// 开头的网址"),
        ("mailto:a@b.cn", "不允许“mailto:”网址，只接受 http:// 或 https:// 开头的网址"),
        ("//evil.example/x", "网址缺少协议，请写完整的 https:// 或 http:// 网址（不能以 // 开头）"),
        ("www.example.gov.cn", "不是完整的网址，应以 http:// 或 https:// 开头"),
        ("http:/x", "“http:”后面应为两个斜杠：http://"),
        ("HTTPS://A.EXAMPLE/", "协议名请用小写：http:// 或 https://"),
        ("https:// evil.example", "网址中不能有空格或换行（网址前后也不能有）"),
        (" https://evil.example", "网址中不能有空格或换行（网址前后也不能有）"),
        ("https://a.example/\nb", "网址中不能有空格或换行（网址前后也不能有）"),
        ("https://a.example/\u202e", "网址中含有不可见的控制字符 U+202E，请删除"),
        ("https://a.example/<script>", "网址中含有不允许的字符“<”，请使用百分号编码（如 %3C）或删除"),
        ('https://a.example/"onmouseover', "网址中含有不允许的字符“\"”，请使用百分号编码（如 %3C）或删除"),
        ("https://", "网址缺少主机名（域名）"),
        ("https://user:pw@a.example/", "网址中不能包含用户名或密码（“@”之前的部分）"),
        ("http://[::1", "网址的主机名“[::1”不正确"),
        ("https://.example", "网址的主机名“.example”不正确"),
        ("", "网址不能为空"),
    ],
)
def test_url_problems(url, problem):
    assert privacy.url_problem(url) == problem


@pytest.mark.parametrize(
    "text",
    [
        "a" * 200_000 + "@",  # e-mail: a long local part
        "@" + "a." * 100_000,  # e-mail: a long domain
        "<a " * 100_000,  # a tag that never closes
        "1" * 200_000,  # one long run of digits
        "1 " * 100_000,  # digits with separators
        "路1" * 100_000,
        "&#" * 100_000,
        "javascript" * 20_000,
        "王先生" * 50_000,
    ],
)
def test_every_check_is_linear_time(text):
    start = time.perf_counter()
    privacy.personal_data(text)
    privacy.markup(text)
    privacy.invisible(text)
    privacy.url_problem(text)
    assert time.perf_counter() - start < 2
