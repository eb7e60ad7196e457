"""Valid records of every length the schema allows, for the one-sheet card tests.

``long_record(rng, id)`` writes a record that passes ``kb check`` (fixture registry) with random
list lengths and texts up to each field's maximum: Chinese sentences, full-width punctuation,
ASCII words and numbers, and long ASCII runs (which wrap worst), so that the card fitting is
tried against text it was not tuned on.
"""

from __future__ import annotations

import random

import yaml

SENTENCES = [
    "窗口当场登记诉求，核实申请人的身份和此前办理的情况",
    "对材料齐全、符合法定形式的申请当场受理，出具受理通知书",
    "需要补正的，一次性告知申请人需要补正的全部内容",
    "会同业务部门判明类型，能办的转常规窗口办理",
    "通过部门间数据共享核验信息，不再要求申请人自行开具证明",
    "确需现场核查的，及时安排人员，限时办结",
    "对历史遗留问题由属地政府牵头，组织相关部门集体研究",
    "办结后回访当事人，同类问题总结为工作提示",
    "不符合法定条件的，书面说明理由、依据和可以选择的其他途径",
    "涉及多个部门的，由牵头部门召集协调会明确分工",
]
WORDS = ["APP", "PDF", "OCR", "CA证书", "2026年", "第3版", "15日", "GB/T 2260", "Excel", "U盾", "5G", "ID"]
LONG_ASCII = ["ABCDEFGHJKMNPQRSTVWXYZ", "zhengwufuwuzhongxin-xitong", "WWWWWWWWWWWWWWWW", "mmmmmmmmmmmmmmmmmmmm"]
PUNCT = ["，", "；", "、", "（", "）", "“", "”", "《", "》", "：", "。"]


def text(rng: random.Random, low: int, high: int) -> str:
    """A text of ``low``..``high`` characters (schema limits), ending without a dangling space."""
    target = rng.randint(low, high)
    out = ""
    while len(out) < target:
        roll = rng.random()
        if roll < 0.70:
            out += rng.choice(SENTENCES)
        elif roll < 0.85:
            out += rng.choice(WORDS)
        elif roll < 0.90:
            out += rng.choice(LONG_ASCII)
        out += rng.choice(PUNCT)
    out = out[:target].strip()
    return out if len(out) >= low else (out + "窗口办理" * low)[:max(low, len(out))]


def limit(rng: random.Random):
    roll = rng.random()
    if roll < 0.15:
        return "即办"
    return {"value": rng.randint(1, 90), "unit": rng.choice(["工作日", "工作日", "自然日", "小时"]), "kind": "承诺"}


def long_record(rng: random.Random, record_id: str, scale: float = 1.0) -> dict:
    """A valid record; ``scale`` stretches the list lengths (1.0: up to 15 steps, 12 materials)."""
    def count(low: int, high: int) -> int:
        return rng.randint(low, max(low, int(high * scale)))

    basis = [{"law": rng.choice(["xingzheng-xuke-fa", "jumin-shenfenzheng-fa"]),
              # within both fixture laws (居民身份证法 has 23 articles)
              "article": f"第{rng.choice(['', '二'])}十{rng.choice('一二三')}条",
              "provision": text(rng, 8, 400)} for _ in range(count(1, 10))]
    basis = list({(b["law"], b["article"]): b for b in basis}.values())
    materials = []
    for i in range(count(0, 12)):
        m = {"name": f"材料{i + 1}：" + text(rng, 2, 90), "required": rng.random() < 0.6}
        if rng.random() < 0.7:
            m["note"] = text(rng, 1, 300)
        if rng.random() < 0.5:
            m["obtain"] = text(rng, 2, 200)
        if rng.random() < 0.3:
            m["basis"] = [f"{basis[0]['law']} {basis[0]['article']}"]
        materials.append(m)
    record = {
        "id": record_id,
        "title": text(rng, 4, 60),
        "summary": "用于检验工作提示卡在各种长度下都印在一页纸上的样例记录。",
        "status": "published",
        "domain": "户籍证件",
        "category": "群众实际困难",
        "causes": ["服务流程不规范"],
        "aliases": [f"样例{record_id}", f"长记录{record_id}"],
        "applies_when": [text(rng, 4, 300) for _ in range(count(1, 8))],
        "legal_basis": basis,
        "procedure": [{"title": text(rng, 2, 40), "action": text(rng, 4, 600), "department": text(rng, 2, 60),
                       "time_limit": limit(rng)} for _ in range(count(1, 15))],
        # long enough for any chain of the steps above (at most 15 × 90 working days), as kb check requires
        "time_limit": {"value": 3650, "unit": "自然日", "kind": "承诺"},
        "fees": "不收费",
        "departments": {"lead": text(rng, 2, 60)},
        "review": {"owner": "综合协调科", "reviewed_on": "2026-11-01", "next_review": "2027-05-01"},
        "sources": [{"title": "样例来源", "publisher": "样例发布单位", "date": "2026-04-16"}],
    }
    not_applicable = [text(rng, 4, 300) for _ in range(count(0, 5))]
    if not_applicable:
        record["not_applicable"] = not_applicable
    if materials:
        record["materials"] = materials
    contacts = [{"role": text(rng, 2, 60), "department": text(rng, 2, 60), "channel": "政务服务中心协调专席（内线）",
                 **({"when": text(rng, 1, 200)} if rng.random() < 0.5 else {})} for _ in range(count(0, 5))]
    if contacts:
        record["internal"] = {"contacts": contacts}
    return record


def write(path, record: dict) -> None:
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
