"""A Content-Security-Policy for every page: nothing may load from another origin.

Intranet machines have no internet, and the public site should never pull in
third-party code. The theme needs a few inline scripts; rather than allowing
all inline code, each page's policy lists the SHA-256 of exactly the inline
scripts the theme put there. Scripts inside the page body (where record text
goes) are never hashed, so even a ``<script>`` that slipped past escaping
would be refused by the browser.
"""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
_CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.I)

BASE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],  # the theme sets style attributes; styles cannot load code
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}


def _digest(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode() + "'"


def policy_for(html: str, body: str = "") -> str:
    """The policy for a page; ``body`` is the page's own content, whose scripts are not trusted."""
    untrusted = {code for _, code in _INLINE_SCRIPT.findall(body)}
    hashes = []
    for attrs, code in _INLINE_SCRIPT.findall(html):
        if "application/json" in attrs.lower() or code in untrusted:
            continue  # data is never executed; body scripts get no pass
        hashes.append(_digest(code))
    directives = dict(BASE_POLICY)
    directives["script-src"] = BASE_POLICY["script-src"] + sorted(set(hashes))
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def content_security_policy(html: str, body: str = "") -> str:
    """Insert the policy as the first thing after the charset declaration."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html, body)}">'
    match = _CHARSET.search(html)
    if match:
        return html[: match.end()] + meta + html[match.end():]
    return html.replace("<head>", "<head>" + meta, 1)
