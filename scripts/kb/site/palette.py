"""The colour palettes of both editions: always a light and a dark scheme, with the toggle between them.

Material for MkDocs shows its light/dark toggle only when ``theme.palette`` is a list whose entries carry a
``toggle``. MkDocs' ``INHERIT`` replaces a list by a mapping, so ``mkdocs.internal.yml`` writing just
``palette: {primary: ...}`` used to drop the toggle that ``mkdocs.yml`` configures. ``with_toggle`` puts it
back whatever shape a config gives; ``contrast_problems`` names primary colours whose white header text or
links fall below WCAG 2.1's 4.5:1 (success criterion 1.4.3), so an operator who picks one hears about it.

Colour values are Material 9.8's own (``palette.*.min.css``); ``kb-red`` is the project's palette defined
with theme variables in ``assets/kb/kb.css``.
"""

from __future__ import annotations

import copy

LIGHT, DARK = "default", "slate"
#: scheme -> (system preference it follows until the reader chooses, icon, name of the button while it is shown)
SCHEMES = {
    LIGHT: ("(prefers-color-scheme: light)", "material/brightness-7", "切换到深色模式"),
    DARK: ("(prefers-color-scheme: dark)", "material/brightness-4", "切换到浅色模式"),
}
DEFAULT_PRIMARY = "indigo"

#: primary name -> (colour of the header and of links in the light scheme, link colour in the dark scheme)
PRIMARY_COLOURS = {
    "red": ("#ef5552", "#ef5552"),
    "pink": ("#e92063", "#ed5487"),
    "purple": ("#ab47bd", "#c46fd3"),
    "deep-purple": ("#7e56c2", "#a47bea"),
    "indigo": ("#4051b5", "#5488e8"),
    "blue": ("#2094f3", "#2094f3"),
    "light-blue": ("#02a6f2", "#02a6f2"),
    "cyan": ("#00bdd6", "#00bdd6"),
    "teal": ("#009485", "#00ccb8"),
    "green": ("#4cae4f", "#71c174"),
    "light-green": ("#8bc34b", "#8bc34b"),
    "lime": ("#cbdc38", "#cbdc38"),
    "yellow": ("#ffec3d", "#ffec3d"),
    "amber": ("#ffc105", "#ffc105"),
    "orange": ("#ffa724", "#ffa724"),
    "deep-orange": ("#ff6e42", "#ff764d"),
    "brown": ("#795649", "#c1775c"),
    "grey": ("#757575", "#5e8bde"),
    "blue-grey": ("#546d78", "#5e8bde"),
    "kb-red": ("#b71c1c", "#ff8a80"),
}
#: page backgrounds of the two schemes (Material's --md-default-bg-color)
BACKGROUNDS = {LIGHT: "#ffffff", DARK: "#1e2129"}
MINIMUM = 4.5


def with_toggle(palette) -> list[dict]:
    """Material's ``theme.palette`` as a list of schemes that all carry a toggle.

    ``palette``: None, one mapping (``{primary: red}``) or a list of mappings. A list whose entries all have a
    ``toggle`` comes back as it is. Otherwise the answer has a light (``default``) and a dark (``slate``)
    entry, each keeping the keys given for it (the first entry's primary and accent serve a scheme the config
    does not name) and gaining the ``media`` and ``toggle`` it lacks. Raises ValueError for any other shape.
    """
    if palette is None:
        entries: list[dict] = []
    elif isinstance(palette, dict):
        entries = [palette]
    elif isinstance(palette, list) and all(isinstance(e, dict) for e in palette):
        entries = palette
    else:
        raise ValueError(f"theme.palette 应是一个映射或映射的列表，实际是：{palette!r}")
    if entries and all(e.get("toggle") for e in entries) and len(entries) > 1:
        return entries
    by_scheme: dict[str, dict] = {}
    for entry in entries:
        by_scheme.setdefault(entry.get("scheme") or LIGHT, copy.deepcopy(entry))
    base = entries[0] if entries else {}
    colours = {key: base[key] for key in ("primary", "accent") if key in base}
    result = []
    for scheme, (media, icon, name) in SCHEMES.items():
        entry = by_scheme.get(scheme) or {**colours}
        entry["scheme"] = scheme
        entry.setdefault("media", media)
        entry.setdefault("toggle", {"icon": icon, "name": name})
        result.append(entry)
    return result


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    la, lb = _luminance(a), _luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_problems(palette: list[dict]) -> list[str]:
    """One Chinese sentence per primary colour of ``palette`` (as ``with_toggle`` gives it) whose white header
    text, or whose links on the page background, fall below 4.5:1. Colours Material does not name (``custom``)
    are the operator's to check and are not judged."""
    problems = []
    for entry in palette:
        primary = str(entry.get("primary") or DEFAULT_PRIMARY).replace(" ", "-")
        scheme = entry.get("scheme") or LIGHT
        if primary not in PRIMARY_COLOURS:
            continue
        header, dark_link = PRIMARY_COLOURS[primary]
        link = header if scheme == LIGHT else dark_link
        pairs = [("页头白色文字", contrast(header, "#ffffff")), ("链接文字", contrast(link, BACKGROUNDS[scheme]))]
        for what, ratio in pairs:
            if ratio < MINIMUM:
                good = "、".join(name for name, (h, d) in PRIMARY_COLOURS.items()
                                 if min(contrast(h, "#ffffff"), contrast(d, BACKGROUNDS[DARK])) >= MINIMUM)
                problems.append(
                    f"theme.palette 主色 {primary}（{'深色' if scheme == DARK else '浅色'}方案）的{what}对比度只有 "
                    f"{ratio:.2f}:1，低于无障碍要求的 {MINIMUM}:1；可改用：{good}"
                )
    return problems
