"""A printed card's version code: which version of a work prompt a sheet on the counter shows.

The code is one short hash per section of the card (two characters of Crockford's
base 32 each), so comparing a printed code with the current one tells *which*
sections changed without keeping any history: ``cards/check/`` does exactly that.
Each hash covers the full text of what its section shows (a card that had to be
shortened still changes code when the left-out text changes).

Two characters give 1,024 values per section: an edited section keeps its old
hash with a chance of about one in a thousand.

The code ends in one check character (Luhn mod N over the same 32 characters, N = 32;
:func:`check_character`), so that a code copied or typed wrong is reported as mistyped
instead of as a changed section: every single wrong character is caught, and every swap
of two neighbours except 0 and Z. Codes printed before the check character existed
(two characters per section, nothing more) are still read: an even length means no
check character, an odd one means the last character is the check.

The date a version took effect is the record's latest changelog date (修订记录),
or its review date (reviewed_on) when it has no changelog.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CHARS_PER_SECTION = 2

#: Card sections in the order their hashes appear in the code; the last is internal-only.
SECTIONS = (
    ("head", "标题、状态和时限"),
    ("applies", "怎样识别"),
    ("steps", "办理步骤"),
    ("materials", "所需材料"),
    ("basis", "办理依据"),
    ("contacts", "卡住时找谁"),
)
PUBLIC_SECTIONS = len(SECTIONS) - 1


@dataclass(frozen=True)
class CardVersion:
    code: str  # the sections' hashes, then the check character
    sections: tuple[tuple[str, str, str], ...]  # (key, label, hash)
    since: str  # YYYY-MM-DD

    @property
    def printed(self) -> str:
        """The code as printed, in groups of five for reading aloud: ``K39F2-AMM7Q-R``."""
        return "-".join(self.code[i:i + 5] for i in range(0, len(self.code), 5))


def _limit(value) -> object:
    """A limit as the card prints it; its kind and source only when the record says them (so the codes of
    cards printed before limits had kinds stay the same while nothing else changed)."""
    if isinstance(value, str):
        return value
    out = {"value": value["value"], "unit": value["unit"]}
    out.update({k: value[k] for k in ("kind", "basis", "document") if k in value})
    return out


def _extra(item: dict, keys: tuple[str, ...]) -> list:
    """The fields a card gained with the record contract of 2026-12-07, only where present (see ``_limit``)."""
    return [[k, item[k]] for k in keys if k in item]


def section_content(view: dict, internal: bool) -> list[tuple[str, str, object]]:
    """(key, label, data) for each section the card shows, in code order."""
    content = {
        "head": {
            "title": view["title"], "status": view["status"], "domain": view["domain"],
            "category": view["category"], "time_limit": _limit(view["time_limit"]),
            "deadlines": [[d["title"], _limit(d["time_limit"])] for d in view.get("deadlines") or []],
            "lead": view["departments"]["lead"],
            **{k: view[k] for k in ("fees", "service") if view.get(k)},
            **({"statutory": _limit(view["statutory_time_limit"])} if "statutory_time_limit" in view else {}),
        },
        "applies": [view["applies_when"], view.get("not_applicable") or []],
        "steps": [[s["title"], s["department"], _limit(s["time_limit"]), s["action"], *_extra(s, ("counted", "situations"))]
                  for s in view["procedure"]],
        "materials": [[m["name"], m.get("required", True), m.get("obtain", ""), m.get("note", ""),
                       *_extra(m, ("group", "copies", "form", "situations"))]
                      for m in view.get("materials") or []],
        "basis": [[b["law"]["title"], b["law"].get("status", ""), b["article"], b["provision"]]
                  for b in view["legal_basis"]],
        "contacts": [[c["department"], c["role"], c["channel"], c.get("when", "")]
                     for c in ((view.get("internal") or {}).get("contacts") or [])],
    }
    keys = SECTIONS if internal else SECTIONS[:PUBLIC_SECTIONS]
    return [(key, label, content[key]) for key, label in keys]


def _hash(data: object) -> str:
    digest = hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).digest()
    number = int.from_bytes(digest[:4], "big") >> (32 - 5 * CHARS_PER_SECTION)
    return "".join(ALPHABET[(number >> (5 * (CHARS_PER_SECTION - 1 - i))) & 31] for i in range(CHARS_PER_SECTION))


def since(view: dict) -> str:
    dates = [c["date"] for c in view.get("changelog") or []]
    return max(dates) if dates else view["review"]["reviewed_on"]


def check_character(body: str) -> str:
    """The check character of ``body`` (characters of ``ALPHABET``): the Luhn mod N algorithm with N = 32.

    From the right, every second character's value is doubled and its two base-32 digits added; the
    check character brings the sum to a multiple of 32. assets/kb/cardcheck.js computes the same."""
    n = len(ALPHABET)
    total = 0
    for i, ch in enumerate(reversed(body)):
        value = ALPHABET.index(ch) * (2 if i % 2 == 0 else 1)
        total += value // n + value % n
    return ALPHABET[-total % n]


def well_formed(code: str) -> bool:
    """Whether a normalised code with a check character (odd length) carries the right one."""
    return len(code) > 1 and code[-1] == check_character(code[:-1])


def version(view: dict, internal: bool) -> CardVersion:
    """The version of the card ``view`` prints in the public (``internal=False``) or internal edition."""
    sections = tuple((key, label, _hash(data)) for key, label, data in section_content(view, internal))
    body = "".join(h for _, _, h in sections)
    return CardVersion(body + check_character(body), sections, since(view))


#: How many files the current codes are spread over (cards/versions/00.js … 3f.js).
BUCKETS = 64


def bucket(record_id: str) -> str:
    """Which versions file holds ``record_id``: FNV-1a (32 bit) of its bytes modulo ``BUCKETS``, as two
    hex digits. assets/kb/cardcheck.js computes the same (tests compare the two)."""
    value = 0x811C9DC5
    for byte in record_id.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"{value % BUCKETS:02x}"


def normalise(code: str) -> str:
    """What a person typed, as a code: case, spaces and dashes ignored; O->0, I/L->1 as Crockford reads them."""
    table = str.maketrans({"O": "0", "I": "1", "L": "1"})
    return "".join(ch for ch in code.upper().translate(table) if ch in ALPHABET)
