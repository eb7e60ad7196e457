"""privacy: personal data and markup detection."""

import pytest

from kb import privacy


@pytest.mark.parametrize("number, ok", [("11010519491231002X", True), ("110105194912310021", False), ("440524188001010014", True)])
def test_id_check_digit(number, ok):
    assert privacy.valid_id_number(number) is ok


@pytest.mark.parametrize(
    "text, kind",
    [
        ("号码 11010519491231002X", "居民身份证号码"),
        ("请拨 138 1234 5678", "手机号码"),
        ("+86-13812345678", "手机号码"),
        ("（0571）88886666", "固定电话号码"),
        ("联系电话：88886666", "固定电话号码"),
        ("邮箱 a.b@gov.cn", "电子邮箱"),
        ("盛先生的妻子", "真实姓名"),
        ("住在幸福路18号", "详细地址"),
        ("3号楼2单元", "详细地址"),
    ],
)
def test_personal_data_found(text, kind):
    assert any(kind in found for found in privacy.personal_data(text))


@pytest.mark.parametrize(
    "text",
    [
        "国务院令第656号",
        "国发〔2022〕5号",
        "30个工作日内办结",
        "某先生反映",
        "12345 政务服务便民热线",
        "110105194912310021 不是有效身份证号",
        "2026-04-16",
    ],
)
def test_ordinary_text_is_clean(text):
    assert privacy.personal_data(text) == []


def test_office_contacts_allow_landline_and_mail_only():
    assert privacy.personal_data("内线 0571-88886666 邮箱 a@b.cn", allow_office_contacts=True) == []
    assert privacy.personal_data("手机 13812345678", allow_office_contacts=True)


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "点此 javascript:alert(1)", "<!-- 注释 -->"])
def test_markup_found(text):
    assert privacy.markup(text)


@pytest.mark.parametrize("text", ["a < b 且 c > d", "《行政许可法》", "3<5"])
def test_plain_comparisons_are_not_markup(text):
    assert privacy.markup(text) is None
