"""Accessibility measurements on a page open in Chromium: axe-core's rules, contrast ratios, focus rings.

axe-core is the version package-lock.json pins (``npm ci`` by scripts/test_setup.py); it is injected into
the page under test (a context with ``bypass_csp=True``), never part of the site.
"""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
#: WCAG 2.1 levels A and AA, as axe-core tags its rules
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page, *, tags: list[str] = WCAG21_AA, also: list[str] = (), rules: list[str] = ()) -> list[str]:
    """Run axe-core on ``page``: every rule with one of ``tags`` and the rules named in ``also`` (or only the
    ``rules`` named); one line per rule broken: its id, impact, how many elements, and the first three
    with axe's reason."""
    if not AXE.exists():
        raise RuntimeError(f"缺少 axe-core（{AXE}）：先运行 python3 scripts/test_setup.py（npm ci）")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    options = {"runOnly": {"type": "rule", "values": list(rules)} if rules else {"type": "tag", "values": list(tags)},
               "resultTypes": ["violations"], "rules": {rule: {"enabled": True} for rule in also}}
    found = page.evaluate(
        """async (options) => (await axe.run(document, options)).violations.map(v => ({
            id: v.id, impact: v.impact, count: v.nodes.length,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' +
                   (n.failureSummary || '').split('\\n').slice(1).join(' ').trim())}))""",
        options,
    )
    return [f"{v['id']} ({v['impact']}, {v['count']}): " + " | ".join(v["nodes"]) for v in found]


#: In-page helpers: the colour actually behind an element (backgrounds composed up the tree) and WCAG's ratio.
COLOUR_JS = """
const parse = s => { const m = s.match(/[\\d.]+/g) || [0, 0, 0, 0]; return [+m[0], +m[1], +m[2], m.length > 3 ? +m[3] : 1]; };
const over = (top, under) => { const a = top[3]; return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]); };
const behind = el => {
  const layers = [];
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
  }
  let colour = [255, 255, 255, 1];
  for (let i = layers.length - 1; i >= 0; i--) colour = over(layers[i], colour);
  return colour;
};
const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                   return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
"""

FOCUS_JS = COLOUR_JS + """
(() => {
  let el = document.activeElement;
  if (!el || el === document.body) return null;
  // Material's palette switch is a hidden radio button: its ring is drawn on the label after it.
  const shown = el.matches('input.md-option') ? el.nextElementSibling : el;
  const s = getComputedStyle(shown), r = shown.getBoundingClientRect();
  const name = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('href') || '').trim().slice(0, 30);
  const ring = parse(s.outlineColor);
  // a ring drawn outside the element is seen against what is around it, one drawn inside against the element
  const around = parseFloat(s.outlineOffset) >= 0 ? behind(shown.parentElement || shown) : behind(shown);
  return {tag: el.tagName.toLowerCase(), cls: String(el.className).slice(0, 50), name,
          style: s.outlineStyle, width: parseFloat(s.outlineWidth), area: r.width * r.height,
          ratio: ratio(over(ring, around), around),
          inView: r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth};
})()
"""


def focused(page) -> dict | None:
    """The element that has the keyboard focus, how its focus ring is drawn and how it stands out from
    what is behind it (``ratio``: WCAG contrast of the ring's colour against that background)."""
    return page.evaluate(FOCUS_JS)


def text_contrast(page, selector: str) -> float:
    """The contrast of the first element matching ``selector`` against what is behind it."""
    return page.evaluate(
        "(sel) => {" + COLOUR_JS + " const el = document.querySelector(sel);"
        " return ratio(parse(getComputedStyle(el).color), behind(el)); }",
        selector,
    )
