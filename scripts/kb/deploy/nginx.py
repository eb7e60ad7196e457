"""``kb nginx-config``: a complete nginx.conf for Debian's nginx serving a ``kb publish`` target.

The public edition (``DIR/current/public``) is served openly on one address,
the internal edition (``DIR/current/internal``) on another, only behind HTTP
basic auth (an htpasswd file), an IP allow-list, or both. Every response carries
the security headers (the Content-Security-Policy of kb/security.py plus
``frame-ancestors``); text is gzip-compressed; fingerprinted files are cached
for a year, everything else is revalidated; no directory listing; the site's
own 404 page; nothing outside the site folder is served (``..`` is normalised
away by nginx, symlinks below the document root are refused with
``disable_symlinks ... from=$document_root``, which still lets the path reach
the release through the ``current`` symlink). nginx opens files per request
(no ``open_file_cache``), so a switch of ``current`` is served without a reload.

The text comes from the Jinja template ``templates/nginx.conf.j2``; this module
validates the options and hands the template plain values. Errors are
:class:`ConfigError` with a Chinese message naming the option.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import re
import shlex
import socket
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from ..render import Renderer
from ..site.security import header_policy

# Extensions a MkDocs site of this project ships (and a few an author may add to docs/).
MIME_TYPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("text/html", ("html", "htm")),
    ("text/css", ("css",)),
    ("application/javascript", ("js", "mjs")),
    ("application/json", ("json", "map")),
    ("application/xml", ("xml",)),
    ("application/gzip", ("gz",)),
    ("application/manifest+json", ("webmanifest",)),
    ("text/plain", ("txt",)),
    ("image/svg+xml", ("svg",)),
    ("image/png", ("png",)),
    ("image/jpeg", ("jpg", "jpeg")),
    ("image/gif", ("gif",)),
    ("image/webp", ("webp",)),
    ("image/x-icon", ("ico",)),
    ("font/woff2", ("woff2",)),
    ("font/woff", ("woff",)),
    ("application/pdf", ("pdf",)),
    ("application/zip", ("zip",)),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
)
# text/html is always compressed by nginx; these are the other text types.
GZIP_TYPES = ("text/css", "text/plain", "application/javascript", "application/json", "application/xml",
              "application/manifest+json", "image/svg+xml")

_UNSAFE = re.compile(r'["\\$;{}\x00-\x1f\x7f]')


def base_path(value: str) -> tuple[str, str]:
    """``--base-path`` as nginx matches it and as a browser sends it: (decoded, percent-encoded).

    nginx decodes a request's %XX escapes before it compares the path with a ``location`` (and an
    ``error_page`` URI is such a decoded path), so a sub-path like ``/政务/kb/`` is written in the config
    as UTF-8 text; a redirect's ``Location`` header is sent percent-encoded. Accepts either spelling.
    Segments: letters and digits of any script, and . _ ~ -; no ``.`` or ``..`` segment."""
    path = value if value.endswith("/") else value + "/"
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        decoded = ""
    segments = decoded[1:-1].split("/") if decoded != "/" else []
    if not decoded.startswith("/") or not all(
            segment not in ("", ".", "..") and all(ch.isalnum() or ch in "._~-" for ch in segment)
            for segment in segments):
        raise ConfigError(f"--base-path 应为以 / 开头和结尾的网址路径，如 /zwfw/kb/ 或 /政务/kb/，每一段只含字母（可以是汉字）、"
                          f"数字和 . _ ~ -，收到“{value}”")
    return decoded, quote(decoded, safe="/._~-")
_USER = re.compile(r"^[a-z_][a-z0-9_-]*$")


class ConfigError(Exception):
    """An option nginx-config cannot turn into a working configuration."""


@dataclass(frozen=True)
class Listen:
    host: str  # an IP address, or "*" for every address
    port: int

    def __str__(self) -> str:
        if self.host == "*":
            return str(self.port)
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


@dataclass
class Options:
    """What ``kb nginx-config`` was given; see :func:`render`."""

    root: Path
    listen: str
    internal_listen: str
    prefix: Path
    htpasswd: Path | None = None
    allow: list[str] = field(default_factory=list)
    satisfy: str = "all"
    base_path: str = "/"
    user: str | None = None
    check_ports: bool = True


def parse_listen(value: str, option: str) -> Listen:
    """``HOST:PORT`` (``127.0.0.1:8080``, ``0.0.0.0:80``, ``[::1]:8080``, ``*:80``) -> :class:`Listen`."""
    match = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\]:(\d+)|([^:\[\]]+):(\d+)", value.strip())
    if not match:
        raise ConfigError(f"{option} 应写成“地址:端口”，如 127.0.0.1:8080、0.0.0.0:80 或 [::1]:8080，收到“{value}”")
    host = match.group(1) or match.group(3)
    port = int(match.group(2) or match.group(4))
    if not 1 <= port <= 65535:
        raise ConfigError(f"{option} 的端口应在 1–65535 之间，收到 {port}")
    if host != "*":
        try:
            host = str(ipaddress.ip_address(host))
        except ValueError:
            raise ConfigError(f"{option} 的地址应为 IP 地址（或 * 表示所有地址），收到“{host}”") from None
    return Listen(host, port)


def check_port_free(listen: Listen, option: str) -> None:
    """Raise if something already listens there (what nginx would fail on: bind, with SO_REUSEADDR like nginx)."""
    family = socket.AF_INET6 if ":" in listen.host else socket.AF_INET
    host = "" if listen.host == "*" else listen.host
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, listen.port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ConfigError(
                    f"{option} {listen}：端口 {listen.port} 已被占用（另一个程序在监听）；请换一个端口，"
                    f"或先停掉占用它的程序（ss -ltnp 'sport = :{listen.port}' 可以查看是谁）。"
                    f"如果占用它的正是要换配置的这个 nginx，加 --no-port-check。"
                ) from None
            if exc.errno == errno.EADDRNOTAVAIL:
                raise ConfigError(f"{option} {listen}：{listen.host} 不是本机的地址") from None
            if exc.errno == errno.EACCES:
                return  # a port below 1024 as an ordinary user: nginx, started as root, may bind it
            raise ConfigError(f"{option} {listen}：无法监听（{exc.strerror}）") from None


def check_htpasswd(path: Path) -> Path:
    """An existing, readable htpasswd file with at least one ``name:hash`` line; returns its absolute path."""
    path = Path(os.path.abspath(path))
    if not path.exists():
        raise ConfigError(
            f"--htpasswd 文件不存在：{path}。用 openssl passwd -apr1 或 htpasswd（apache2-utils）生成，"
            f"见站点“运维指南”。"
        )
    if not path.is_file():
        raise ConfigError(f"--htpasswd 不是文件：{path}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"--htpasswd 文件读不了：{path}（{getattr(exc, 'strerror', None) or exc}）") from None
    users = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, secret = line.partition(":")
        if not sep or not name.strip() or not secret.strip():
            raise ConfigError(f"{path}:{number}: 应为“用户名:密码哈希”，如 staff:$apr1$…（openssl passwd -apr1 生成）")
        if secret.startswith("{PLAIN}"):
            raise ConfigError(f"{path}:{number}: 用户 {name} 的密码是明文（{{PLAIN}}）；请用 openssl passwd -apr1 生成哈希")
        users += 1
    if not users:
        raise ConfigError(f"--htpasswd 文件里没有任何用户：{path}")
    return path


def _safe_path(path: Path, option: str) -> Path:
    absolute = Path(os.path.abspath(path))
    if _UNSAFE.search(str(absolute)):
        raise ConfigError(f"{option} 的路径含有 nginx 配置里不能用的字符（\" \\ $ ; {{ }} 或控制字符）：{absolute!s}")
    return absolute


def _network(value: str) -> str:
    try:
        return str(ipaddress.ip_network(value.strip(), strict=False))
    except ValueError:
        raise ConfigError(f"--allow 应为 IP 地址或网段，如 10.1.0.0/16、192.168.3.7，收到“{value}”") from None


def render(options: Options) -> str:
    """Validate ``options`` and return the text of nginx.conf. Raises :class:`ConfigError`; touches nothing."""
    root = _safe_path(options.root, "--root")
    if root.exists() and not root.is_dir():
        raise ConfigError(f"--root 指向的是一个文件，不是 kb publish 的发布目录：{root}")
    prefix = _safe_path(options.prefix, "--prefix")
    if not prefix.is_dir():
        raise ConfigError(f"--prefix 目录不存在：{prefix}（nginx 的 pid、日志和临时文件放在这里；先 mkdir -p {prefix}）")
    public = parse_listen(options.listen, "--listen")
    internal = parse_listen(options.internal_listen, "--internal-listen")
    if public == internal:
        raise ConfigError(f"--listen 和 --internal-listen 不能是同一个地址（{public}）：内部版要有自己的地址")
    if options.check_ports:
        check_port_free(public, "--listen")
        check_port_free(internal, "--internal-listen")
    htpasswd = None
    if options.htpasswd is not None:
        htpasswd = check_htpasswd(_safe_path(options.htpasswd, "--htpasswd"))
    allow = [_network(value) for value in options.allow]
    if htpasswd is None and not allow:
        raise ConfigError("内部版必须受保护：给出 --htpasswd FILE（账号密码）、--allow CIDR（只许这些地址），或两者都给")
    if options.satisfy not in ("all", "any"):
        raise ConfigError(f"--satisfy 应为 all（地址和密码都要对）或 any（其一即可），收到“{options.satisfy}”")
    base, base_url = base_path(options.base_path)
    if options.user is not None and not _USER.fullmatch(options.user):
        raise ConfigError(f"--user 应为系统用户名（如 www-data），收到“{options.user}”")

    if htpasswd and allow:
        protection = ("来自 " + "、".join(allow) + (" 的地址，并且" if options.satisfy == "all" else " 的地址，或者")
                      + "输入 htpasswd 里的账号密码")
    elif htpasswd:
        protection = "输入 htpasswd 里的账号密码（HTTP 基本认证）"
    else:
        protection = "只许来自 " + "、".join(allow) + " 的地址"
    servers = [
        {"label": "公开版", "description": "对所有人开放", "listen": str(public), "site": root / "current" / "public",
         "protected": False},
        {"label": "内部版", "description": "只给工作人员", "listen": str(internal),
         "site": root / "current" / "internal", "protected": True, "protection": protection,
         "realm": "kb-internal"},
    ]
    command = ["kb", "nginx-config", "--root", str(root), "--listen", str(public), "--internal-listen", str(internal)]
    if htpasswd:
        command += ["--htpasswd", str(htpasswd)]
    for network in allow:
        command += ["--allow", network]
    if htpasswd and allow:
        command += ["--satisfy", options.satisfy]
    if base != "/":
        command += ["--base-path", base]
    if options.user:
        command += ["--user", options.user]
    command += ["--prefix", str(prefix)]
    names = ("nginx.pid", "error.log", "access.log", "client_body_temp", "proxy_temp", "fastcgi_temp", "uwsgi_temp",
             "scgi_temp")
    return Renderer().render(
        "nginx.conf.j2",
        command=shlex.join(command),
        prefix_raw=shlex.quote(str(prefix)),
        root_raw=str(root),
        paths={name: prefix / name for name in names},
        user=options.user,
        mime_types=MIME_TYPES,
        gzip_types=GZIP_TYPES,
        csp=header_policy(),
        servers=servers,
        htpasswd=htpasswd,
        allow=allow,
        satisfy=options.satisfy,
        base_path=base,
        base_url=base_url,
    )
