"""One Content-Security-Policy for every page: nothing may load from another origin, no inline script.

Intranet machines have no internet, and the public site should never pull in
third-party code. Pages carry no executable inline script at all: the theme's
own inline scripts (Material's ``partials/javascripts/*.html``) are replaced by
static files under ``theme/assets/kb/`` (see ``theme/partials/javascripts/``).
So the policy is one constant, ``script-src 'self'`` without hashes, the same
for every page whatever its depth: a web server can send it as an HTTP header
(``kb nginx-config``) and every page also declares it in a ``<meta>`` element
for servers that send nothing (and for pages opened from disk). Even a
``<script>`` that slipped past escaping into a page would be refused.

``frame-ancestors`` only works as a header (browsers ignore it in ``<meta>``),
so it is added to the header policy only.
"""

from __future__ import annotations

import re

_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)([^>]*)>(.*?)</script\s*>", re.S | re.I)
_DATA_TYPE = re.compile(r"""\btype\s*=\s*["']?application/(?:ld\+)?json""", re.I)
_CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.I)

POLICY: dict[str, list[str]] = {
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

# Only honoured as an HTTP header: no page of the site may be shown inside another site's frame.
HEADER_ONLY: dict[str, list[str]] = {"frame-ancestors": ["'none'"]}


def _render(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def meta_policy() -> str:
    """The policy a page declares in its ``<meta http-equiv>`` element."""
    return _render(POLICY)


def header_policy() -> str:
    """The policy a web server sends as the ``Content-Security-Policy`` header (adds frame-ancestors)."""
    return _render({**POLICY, **HEADER_ONLY})


def inline_scripts(html: str) -> list[str]:
    """The code of every inline script in ``html`` that a browser would run (JSON data blocks are not code)."""
    return [code for attrs, code in _INLINE_SCRIPT.findall(html) if code.strip() and not _DATA_TYPE.search(attrs)]


def content_security_policy(html: str) -> str:
    """Insert the policy as the first thing after the charset declaration."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{meta_policy()}">'
    match = _CHARSET.search(html)
    if match:
        return html[: match.end()] + meta + html[match.end():]
    return html.replace("<head>", "<head>" + meta, 1)
