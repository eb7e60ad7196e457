"""What the generator takes from a site's configuration (``extra.kb`` in mkdocs.yml, or a test): the site's
name and feedback address, the build's day, the centre's public office data, the edition's full address.
Checked here, in Chinese, so that the MkDocs adapter only passes the options on.
"""

from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from datetime import date
from urllib.parse import urlsplit

from ..records.guide import SERVICE_FIELDS


@dataclass
class SiteSettings:
    """What the generator needs from the MkDocs config (or a test)."""

    site_name: str = "工作提示知识库"
    feedback_url: str = "mailto:kb-feedback@example.gov.cn?subject=纠错：{id}"
    #: The build day: laws not yet in force and overdue reviews are judged on it.
    #: None: ``$KB_TODAY``, else the system date (see kb.clock).
    today: date | None = None
    #: The centre's public office data (mkdocs.yml: extra.kb.centre): name (signed on the 一次性告知单), place,
    #: hours, phone, complaint_phone — every guide's default, which a record's ``service`` overrides field by field.
    centre: dict = dataclass_field(default_factory=lambda: {"name": "政务服务中心"})

    @property
    def centre_name(self) -> str:
        return self.centre.get("name") or "政务服务中心"
    #: The edition's full address (mkdocs.yml: site_url): printed cards give full addresses with it.
    site_url: str = ""
    #: What the site shows of the window's ledgers (kb.ledger.site.cases_for_build; see kb/site/cases.py).
    cases: dict | None = None



def centre_setting(options: dict, default: dict) -> tuple[dict, str | None]:
    """The centre from ``extra.kb`` ``options``: ``centre`` (name, place, hours, phone, complaint_phone), or the
    older ``centre_name`` with a warning to rewrite it; ValueError (Chinese) for anything else."""
    centre = options.get("centre")
    if centre is None:
        if "centre_name" not in options:
            return dict(default), None
        return {**default, "name": str(options["centre_name"])}, (
            "mkdocs 配置 extra.kb.centre_name 已改为 extra.kb.centre.name（centre 下还可写 place、hours、phone、"
            "complaint_phone，作为每个指南的办理地点、时间和电话），请改写；这次仍按 centre_name 署名")
    if not isinstance(centre, dict) or any(not isinstance(v, (str, int)) or isinstance(v, bool) for v in centre.values()):
        raise ValueError("extra.kb.centre 应为映射：name、place、hours、phone、complaint_phone，每项一行文字")
    unknown = sorted(set(centre) - {"name", *SERVICE_FIELDS})
    if unknown:
        raise ValueError(f"extra.kb.centre 不认识 {'、'.join(unknown)}；可写：name、{'、'.join(SERVICE_FIELDS)}")
    return {**default, **{k: str(v) for k, v in centre.items()}}, None


#: The placeholder address the project ships with (mkdocs.yml: extra.kb.feedback_url).
EXAMPLE_FEEDBACK = "kb-feedback@example.gov.cn"


def check_feedback_url(url: object) -> str | None:
    """``extra.kb.feedback_url``: raise ValueError (Chinese) unless it is an https or mailto address;
    return a warning when it is still an example address (example.gov.cn, example.com …), else None."""
    if not isinstance(url, str) or not url.strip():
        raise ValueError("应为 https:// 或 mailto: 开头的地址")
    if any(ch.isspace() or ord(ch) < 32 or ch in '<>"\'`\\' for ch in url):
        raise ValueError(f"“{url}”含空白、控制字符或 < > \" ' ` \\，不能用作链接")
    parts = urlsplit(url)
    if parts.scheme == "https" and url.startswith("https://") and parts.hostname:
        domain = parts.hostname
    elif parts.scheme == "mailto" and url.startswith("mailto:") and "@" in parts.path:
        domain = parts.path.rpartition("@")[2]
    else:
        raise ValueError(f"“{url}”不是 https:// 或 mailto: 开头的地址（只接受这两种，如 "
                         "mailto:kb@zwfw.example.cn 或 https://zwfw.example.cn/feedback）")
    if domain.lower().split(".")[0] == "example" or ".example." in f".{domain.lower()}":
        return (f"extra.kb.feedback_url 仍是示例地址（{url}）：每页的“纠错 / 反馈”会发到不存在的信箱；"
                "部署前请改为本中心的纠错信箱或网页（见运维指南）。")
    return None
