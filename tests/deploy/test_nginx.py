"""kb nginx-config with a real Debian nginx on 127.0.0.1 serving a `kb publish`ed folder, checked by real requests."""

from __future__ import annotations

import base64
import contextlib
import gzip
import http.client
import itertools
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest

from browser import Page
from click.testing import CliRunner

from conftest import make_project, run_kb
from kb.cli import main
from kb.deploy.nginx import MIME_TYPES

pytestmark = pytest.mark.slow

NGINX = os.environ.get("KB_NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
PASSWORD = "Kb-s3cret 口令"
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options")
_counter = itertools.count()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        data = gzip.decompress(self.body) if self.headers.get("content-encoding") == "gzip" else self.body
        return data.decode("utf-8", errors="replace")


def get(port: int, path: str, *, auth: str | None = None, headers: dict | None = None, method: str = "GET") -> Response:
    """One request with the path sent exactly as given (no client-side normalisation of `..`)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        sent = dict(headers or {})
        if auth:
            sent["Authorization"] = "Basic " + base64.b64encode(auth.encode("utf-8")).decode()
        connection.request(method, path, headers=sent)
        response = connection.getresponse()
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


@dataclass
class Deployment:
    project: Path
    www: Path
    htpasswd: Path
    base: Path  # world-readable: nginx's workers run as nobody when the tests run as root


@dataclass
class Server:
    public: int
    internal: int
    prefix: Path
    config: str


def publish(deployment: Deployment) -> None:
    result = run_kb("publish", "--to", str(deployment.www), cwd=deployment.project)
    assert result.returncode == 0, result.stderr


def make_deployment(tmp_path_factory, name: str, site_path: str | None = None) -> Deployment:
    project = make_project(tmp_path_factory.mktemp(name) / "project")
    base = Path(tempfile.mkdtemp(prefix=f"kb-{name}-"))
    base.chmod(0o755)
    htpasswd = base / "htpasswd"
    hashed = subprocess.run(["openssl", "passwd", "-apr1", PASSWORD], capture_output=True, text=True, check=True)
    htpasswd.write_text(f"staff:{hashed.stdout.strip()}\n", encoding="utf-8")
    return Deployment(project, base / "www", htpasswd, base)


@contextlib.contextmanager
def nginx(deployment: Deployment, *options: str, ports: tuple[int, int] | None = None):
    """Render a config with kb nginx-config, start nginx in the foreground, stop it afterwards."""
    public, internal = ports or (free_port(), free_port())
    prefix = deployment.base / f"nginx-{next(_counter)}"
    prefix.mkdir()
    args = ["nginx-config", "--root", str(deployment.www), "--listen", f"127.0.0.1:{public}",
            "--internal-listen", f"127.0.0.1:{internal}", "--prefix", str(prefix), *options]
    if "--allow" not in options and "--htpasswd" not in options:
        args += ["--htpasswd", str(deployment.htpasswd)]  # the usual protection of the internal edition
    result = run_kb(*args)
    assert result.returncode == 0, result.stderr
    config = prefix / "nginx.conf"
    config.write_text(result.stdout, encoding="utf-8")
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(config), "-e", str(prefix / "error.log"),
                                "-g", "daemon off;"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", internal), timeout=0.2):
                    with socket.create_connection(("127.0.0.1", public), timeout=0.2):
                        break
            except OSError:
                assert process.poll() is None, process.communicate()[0]
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)
        yield Server(public, internal, prefix, result.stdout)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    deployment = make_deployment(tmp_path_factory, "nginx")
    publish(deployment)
    yield deployment
    shutil.rmtree(deployment.base)


@pytest.fixture(scope="module")
def served(deployment):
    with nginx(deployment) as server:
        yield deployment, server


def login(password: str = PASSWORD) -> str:
    return f"staff:{password}"


def test_the_config_is_complete_and_keeps_everything_under_the_prefix(served):
    deployment, server = served
    config = server.config
    assert "daemon" not in re.sub(r"(?m)#.*$", "", config)
    for name in ("nginx.pid", "error.log", "access.log", "client_body_temp", "proxy_temp"):
        assert f'"{server.prefix / name}"' in config
    check = subprocess.run([NGINX, "-t", "-p", str(server.prefix), "-c", str(server.prefix / "nginx.conf"),
                            "-e", str(server.prefix / "error.log")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert (server.prefix / "nginx.pid").is_file() and (server.prefix / "access.log").is_file()


def test_security_headers_on_every_response_of_both_editions(served):
    _, server = served
    responses = {
        "public page": get(server.public, "/"),
        "public asset": get(server.public, "/assets/kb/kb.css"),
        "public 404": get(server.public, "/no-such-page/"),
        "public 304": get(server.public, "/", headers={"If-None-Match": get(server.public, "/").headers["etag"]}),
        "internal 401": get(server.internal, "/"),
        "internal page": get(server.internal, "/", auth=login()),
        "internal 404": get(server.internal, "/no-such-page/", auth=login()),
    }
    assert responses["public 304"].status == 304
    for name, response in responses.items():
        for header in SECURITY_HEADERS:
            assert header in response.headers, f"{name} lacks {header}"
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self';" in policy and "sha256" not in policy, name
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "same-origin"
        assert "nginx/" not in response.headers.get("server", "")  # no version
    # the header policy is the meta policy plus frame-ancestors (which only works as a header)
    meta = re.search(r'Content-Security-Policy" content="([^"]+)"', responses["public page"].text).group(1)
    assert responses["public page"].headers["content-security-policy"] == meta + "; frame-ancestors 'none'"


def test_text_is_gzip_compressed_when_asked(served):
    deployment, server = served
    site = deployment.www / "current" / "public"
    manifest = get(server.public, "/search/search_index.json").text
    shard_dir = re.search(r'"base":\s*"([^"]+)"', manifest).group(1)
    shard = max((site / shard_dir).iterdir(), key=lambda p: p.stat().st_size).name  # JSON of the search index
    for path in ("/", "/guides/sample-home-visit/", "/assets/kb/kb.css", "/assets/kb/search-worker.js",
                 f"/{shard_dir}{shard}", "/assets/kb/md-base.js"):
        plain = get(server.public, path)
        packed = get(server.public, path, headers={"Accept-Encoding": "gzip"})
        assert plain.status == packed.status == 200, path
        assert "content-encoding" not in plain.headers, path
        assert packed.headers.get("content-encoding") == "gzip", path
        assert "accept-encoding" in packed.headers.get("vary", "").lower(), path
        assert gzip.decompress(packed.body) == plain.body and len(packed.body) < len(plain.body), path
    # below 256 bytes compression costs more than it saves
    tiny = get(server.public, "/search/search_index.json", headers={"Accept-Encoding": "gzip"})
    assert len(tiny.body) < 256 and "content-encoding" not in tiny.headers


def test_every_file_the_site_ships_has_its_content_type(served):
    deployment, server = served
    types = {ext: mime for mime, exts in MIME_TYPES for ext in exts}
    seen = {}
    for edition in ("public", "internal"):
        for path in (deployment.www / "current" / edition).rglob("*.*"):
            seen.setdefault(path.suffix.lstrip("."), (edition, path))
    assert {"html", "css", "js", "json", "xml", "gz", "png", "map"} <= set(seen)
    for ext, (edition, path) in seen.items():
        assert ext in types, f"no content type for .{ext}"
        if edition == "public":
            response = get(server.public, "/" + str(path.relative_to(deployment.www / "current" / "public")), method="HEAD")
            assert response.status == 200 and response.headers["content-type"].split(";")[0] == types[ext], path


def test_internal_edition_only_with_the_right_password(served):
    deployment, server = served
    anonymous = get(server.internal, "/guides/sample-draft/")
    assert anonymous.status == 401 and anonymous.headers["www-authenticate"].startswith("Basic ")
    assert "样例草稿" not in anonymous.text
    assert get(server.internal, "/guides/sample-draft/", auth=login("wrong")).status == 401
    assert get(server.internal, "/guides/sample-draft/", auth="nobody:" + PASSWORD).status == 401
    assert get(server.internal, "/assets/kb/kb.css").status == 401  # every file, not only pages
    allowed = get(server.internal, "/guides/sample-draft/", auth=login())
    assert allowed.status == 200 and "样例草稿" in allowed.text
    assert "内线协调专席" in get(server.internal, "/guides/sample-home-visit/", auth=login()).text
    # the public address has neither the draft, nor the internal sections, nor the internal notes
    for path in ("/guides/sample-draft/", "/review/", "/training/"):
        assert get(server.public, path).status == 404, path
    assert "内线协调专席" not in get(server.public, "/guides/sample-home-visit/").text


def test_cache_lifetimes_by_kind_of_file(served):
    deployment, server = served
    site = deployment.www / "current" / "public"
    bundle = next((site / "assets" / "javascripts").glob("bundle.*.min.js")).name
    css = next((site / "assets" / "stylesheets").glob("main.*.min.css")).name
    worker = next((site / "assets" / "javascripts" / "workers").glob("search.*.min.js")).name
    shard_dir = next((site / "search" / "kb").iterdir())
    shard = next(shard_dir.iterdir()).name
    immutable = [f"/assets/javascripts/{bundle}", f"/assets/stylesheets/{css}", f"/assets/javascripts/workers/{worker}",
                 f"/search/kb/{shard_dir.name}/{shard}"]
    revalidate = ["/", "/guides/sample-home-visit/", "/guides/sample-home-visit/index.html", "/assets/kb/kb.css",
                  "/assets/kb/md-base.js", "/assets/kb/search-worker.js", "/search/search_index.json", "/sitemap.xml",
                  "/no-such-page/"]
    for path in immutable:
        response = get(server.public, path)
        assert response.status == 200, path
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable", path
    for path in revalidate:
        response = get(server.public, path)
        assert response.headers["cache-control"] == "no-cache", path
        assert response.status == 404 or "etag" in response.headers, path
    # an error at a fingerprinted address is not cached for a year
    assert get(server.public, "/assets/javascripts/bundle.00000000.min.js").headers["cache-control"] == "no-cache"
    assert get(server.internal, f"/assets/javascripts/{bundle}").headers["cache-control"] == "no-cache"  # 401


def test_missing_pages_get_the_sites_own_404_page_and_folders_are_not_listed(served):
    _, server = served
    for path in ("/no-such-page/", "/guides/no-such-guide/", "/assets/", "/assets/kb/", "/guides/", "/a.html"):
        response = get(server.public, path)
        assert response.status == 404, path
        assert "找不到这个页面" in response.text and "工作提示知识库" in response.text, path
        assert "Index of" not in response.text and "autoindex" not in response.text, path
    inside = get(server.internal, "/no-such-page/", auth=login())
    assert inside.status == 404 and "找不到这个页面" in inside.text and "内部版" in inside.text


def test_nothing_outside_the_site_folder_is_served(served):
    deployment, server = served
    secret = deployment.base / "outside-secret.txt"
    secret.write_text("OUTSIDE-SECRET-9431", encoding="utf-8")
    secret.chmod(0o644)
    (deployment.base / "outside-dir").mkdir(exist_ok=True)
    (deployment.base / "outside-dir" / "index.html").write_text("OUTSIDE-SECRET-9431", encoding="utf-8")
    release = deployment.www / "current" / "public"
    (release / "leak.txt").symlink_to(secret)
    (release / "leakdir").symlink_to(deployment.base / "outside-dir")
    (release / "guides" / "leak.html").symlink_to(secret)
    try:
        escapes = [
            "/leak.txt", "/leakdir/", "/leakdir/index.html", "/guides/leak.html",
            "/../outside-secret.txt", "/../../outside-secret.txt", "/guides/../../outside-secret.txt",
            "/%2e%2e/outside-secret.txt", "/%2e%2e/%2e%2e/outside-secret.txt", "/guides/..%2f..%2foutside-secret.txt",
            "/../../../../../../etc/passwd", "/..%2f..%2f..%2f..%2fetc/passwd",
        ]
        for path in escapes:
            for port, auth in ((server.public, None), (server.internal, login())):
                response = get(port, path, auth=auth)
                assert response.status in (400, 404), (path, response.status)
                assert "OUTSIDE-SECRET" not in response.text and "root:x:" not in response.text, path
        # the release itself is reached through the `current` symlink and stays served
        assert get(server.public, "/guides/sample-home-visit/").status == 200
    finally:
        for link in (release / "leak.txt", release / "leakdir", release / "guides" / "leak.html"):
            link.unlink()


def test_a_new_publish_and_a_rollback_are_served_without_reload(served):
    deployment, server = served
    home = deployment.project / "docs" / "index.md"
    saved = home.read_text(encoding="utf-8")
    pid = (server.prefix / "nginx.pid").read_text().strip()
    before = get(server.public, "/").text
    assert "第二次发布-7731" not in before
    home.write_text(saved + "\n\n第二次发布-7731\n", encoding="utf-8")
    try:
        time.sleep(1.1)
        publish(deployment)
    finally:
        home.write_text(saved, encoding="utf-8")
    assert "第二次发布-7731" in get(server.public, "/").text
    assert "第二次发布-7731" in get(server.internal, "/", auth=login()).text
    result = run_kb("rollback", "--to", str(deployment.www))
    assert result.returncode == 0, result.stderr
    assert "第二次发布-7731" not in get(server.public, "/").text
    assert (server.prefix / "nginx.pid").read_text().strip() == pid  # the same nginx, never reloaded


def test_an_ip_allow_list_instead_of_or_with_the_password(deployment):
    with nginx(deployment, "--allow", "127.0.0.1") as server:  # instead of a password
        assert get(server.internal, "/").status == 200
    with nginx(deployment, "--allow", "10.9.9.0/24") as server:  # 127.0.0.1 is not on the list
        denied = get(server.internal, "/")
        assert denied.status == 403 and "样例" not in denied.text
        for header in SECURITY_HEADERS:
            assert header in denied.headers
        assert get(server.public, "/").status == 200  # the public edition stays open
    both = ("--allow", "127.0.0.1", "--htpasswd", str(deployment.htpasswd))
    with nginx(deployment, *both) as server:  # satisfy all: the address and the password
        assert get(server.internal, "/").status == 401
        assert get(server.internal, "/", auth=login()).status == 200
    with nginx(deployment, *both, "--satisfy", "any") as server:  # either is enough
        assert get(server.internal, "/").status == 200
    with nginx(deployment, "--allow", "10.9.9.0/24", "--htpasswd", str(deployment.htpasswd), "--satisfy", "any") as server:
        assert get(server.internal, "/").status == 401
        assert get(server.internal, "/", auth=login()).status == 200


def config_error(deployment: Deployment, *args: str | None):
    """Run kb nginx-config in-process with the usual arguments, some replaced (None: left out); it must fail."""
    prefix = deployment.base / "prefix-errors"
    prefix.mkdir(exist_ok=True)
    defaults = {"--root": str(deployment.www), "--listen": f"127.0.0.1:{free_port()}",
                "--internal-listen": f"127.0.0.1:{free_port()}", "--prefix": str(prefix),
                "--htpasswd": str(deployment.htpasswd)}
    given = dict(zip(args[::2], args[1::2]))
    merged = [item for key, value in {**defaults, **given}.items() if value is not None for item in (key, value)]
    result = CliRunner().invoke(main, ["nginx-config", *merged])
    assert result.exit_code == 1, (merged, result.output)
    assert result.stdout == "", "nothing may be printed on stdout (it is redirected into nginx.conf)"
    assert result.stderr.startswith("错误：") and isinstance(result.exception, SystemExit)  # no traceback
    return result


def test_bad_input_gets_a_chinese_error_and_no_config(deployment, tmp_path):
    missing = config_error(deployment, "--htpasswd", str(tmp_path / "no-such.htpasswd"))
    assert f"--htpasswd 文件不存在：{tmp_path / 'no-such.htpasswd'}" in missing.stderr
    assert "openssl passwd -apr1" in missing.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        for option in ("--listen", "--internal-listen"):
            taken = config_error(deployment, option, f"127.0.0.1:{port}")
            assert f"端口 {port} 已被占用" in taken.stderr and option in taken.stderr
        # regenerating the config of a running nginx: the check can be skipped on purpose
        prefix = deployment.base / "prefix-errors"
        ok = CliRunner().invoke(main, [
            "nginx-config", "--root", str(deployment.www), "--listen", f"127.0.0.1:{port}",
            "--internal-listen", f"127.0.0.1:{free_port()}", "--htpasswd", str(deployment.htpasswd),
            "--prefix", str(prefix), "--no-port-check"])
        assert ok.exit_code == 0 and f"listen 127.0.0.1:{port} default_server;" in ok.stdout
    plain = tmp_path / "plain.htpasswd"
    plain.write_text("staff:{PLAIN}secret\n", encoding="utf-8")
    assert "明文" in config_error(deployment, "--htpasswd", str(plain)).stderr
    garbage = tmp_path / "garbage.htpasswd"
    garbage.write_text("# users\njust-a-name\n", encoding="utf-8")
    assert f"{garbage}:2: 应为“用户名:密码哈希”" in config_error(deployment, "--htpasswd", str(garbage)).stderr
    assert "内部版必须受保护" in config_error(deployment, "--htpasswd", None).stderr
    assert "应写成“地址:端口”" in config_error(deployment, "--listen", "8080").stderr
    assert "端口应在 1–65535 之间" in config_error(deployment, "--listen", "127.0.0.1:70000").stderr
    assert "应为 IP 地址" in config_error(deployment, "--internal-listen", "intranet:8080").stderr
    assert "不是本机的地址" in config_error(deployment, "--listen", "192.0.2.77:8080").stderr
    same = f"127.0.0.1:{free_port()}"
    assert "不能是同一个地址" in config_error(deployment, "--listen", same, "--internal-listen", same).stderr
    assert "--allow 应为 IP 地址或网段" in config_error(deployment, "--allow", "10.1.0.0/33").stderr
    assert "--prefix 目录不存在" in config_error(deployment, "--prefix", str(tmp_path / "none")).stderr
    assert "--base-path 应为" in config_error(deployment, "--base-path", "/a/../b/").stderr
    assert "nginx 配置里不能用的字符" in config_error(deployment, "--root", str(tmp_path / 'a";b')).stderr
    assert "--root 指向的是一个文件" in config_error(deployment, "--root", str(deployment.htpasswd)).stderr


def test_a_sub_path_may_be_written_in_chinese_or_percent_encoded(deployment):
    from kb.deploy import nginx as kb_nginx

    assert kb_nginx.base_path("/政务/kb") == ("/政务/kb/", "/%E6%94%BF%E5%8A%A1/kb/")
    assert kb_nginx.base_path("/%E6%94%BF%E5%8A%A1/kb/") == ("/政务/kb/", "/%E6%94%BF%E5%8A%A1/kb/")
    for bad in ("/政务/../kb/", "/政 务/", "/政务;/", "/%FF/", "政务/", "/a//b/", "/%2E%2E/"):
        assert "--base-path 应为" in config_error(deployment, "--base-path", bad).stderr, bad


def _links(html: str) -> list[str]:
    return re.findall(r'<(?:link|script)\b[^>]*?\b(?:href|src)="([^"]+)"', html)


def test_a_chinese_sub_path_is_served_and_its_sitemap_is_percent_encoded(tmp_path_factory):
    """site_url https://…/政务/kb/: sitemap.xml holds percent-encoded addresses, and the real nginx, which
    matches decoded paths, serves them, redirects / to the encoded sub-path and shows its own 404 page."""
    deployment = make_deployment(tmp_path_factory, "chinese-subpath")
    public, internal = free_port(), free_port()
    for name, port in (("mkdocs.yml", public), ("mkdocs.internal.yml", internal)):
        config = deployment.project / name
        config.write_text(config.read_text(encoding="utf-8") + f"\nsite_url: http://127.0.0.1:{port}/政务/kb/\n",
                          encoding="utf-8")
    result = run_kb("publish", "--to", str(deployment.www), cwd=deployment.project)
    assert result.returncode == 0, result.stderr
    encoded = "/%E6%94%BF%E5%8A%A1/kb/"
    try:
        with nginx(deployment, "--base-path", "/政务/kb/", ports=(public, internal)) as server:
            root = get(server.public, "/")
            assert root.status == 302 and root.headers["location"] == encoded
            assert get(server.public, encoded).status == 200
            assert get(server.public, encoded.lower()).status == 200  # %e6 is %E6
            missing = get(server.public, encoded + "no/such/page/")
            assert missing.status == 404 and "找不到这个页面" in missing.text
            for link in _links(missing.text):
                assert link.startswith(encoded), link
                assert get(server.public, link).status == 200, link
            for port, auth in ((server.public, None), (server.internal, login())):
                body = get(port, encoded + "sitemap.xml", auth=auth).body
                assert body.isascii()
                sitemap = ElementTree.fromstring(body)
                urls = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
                prefix = f"http://127.0.0.1:{port}{encoded}"
                assert len(urls) > 20 and all(url.startswith(prefix) for url in urls), urls[:3]
                assert prefix + "guides/sample-home-visit/" in urls
                for url in urls[:: max(1, len(urls) // 10)]:
                    assert get(port, url[len(f"http://127.0.0.1:{port}"):], auth=auth).status == 200, url
            # the printed card gives the address as people read it
            card = get(server.public, encoded + "cards/sample-home-visit/").text
            assert f"完整指南：http://127.0.0.1:{public}/政务/kb/guides/sample-home-visit/" in card
    finally:
        shutil.rmtree(deployment.base)


@pytest.mark.browser
def test_the_site_works_under_a_sub_path(tmp_path_factory):
    """site_url set, nginx serving /zwfw/kb/: the 404 page at any depth has its styles and search; sitemap too."""
    from browser import browser

    deployment = make_deployment(tmp_path_factory, "subpath")
    public, internal = free_port(), free_port()
    for name, port in (("mkdocs.yml", public), ("mkdocs.internal.yml", internal)):
        config = deployment.project / name
        config.write_text(config.read_text(encoding="utf-8") + f"\nsite_url: http://127.0.0.1:{port}/zwfw/kb/\n",
                          encoding="utf-8")
    result = run_kb("publish", "--to", str(deployment.www), cwd=deployment.project)
    assert result.returncode == 0, result.stderr
    assert "site_url" not in result.stderr  # set: no warning
    try:
        with nginx(deployment, "--base-path", "/zwfw/kb/", ports=(public, internal)) as server:
            root = get(server.public, "/")
            assert root.status == 302 and root.headers["location"] == "/zwfw/kb/"
            assert get(server.public, "/zwfw/kb/").status == 200
            outside = get(server.public, "/elsewhere/")
            assert outside.status == 404 and "找不到这个页面" in outside.text
            for path in ("/zwfw/kb../", "/zwfw/kb../public/index.html", "/zwfw/kb/../../etc/passwd"):
                response = get(server.public, path)  # alias traversal: nothing outside the release
                assert response.status in (400, 404) and "root:x:" not in response.text, path
            # the 404 page, deep below the sub-path: every stylesheet and script it names is there
            for port, auth in ((server.public, None), (server.internal, login())):
                missing = get(port, "/zwfw/kb/no/such/deep/page/", auth=auth)
                assert missing.status == 404 and "找不到这个页面" in missing.text
                links = _links(missing.text)
                assert any(".min.css" in link for link in links) and any("md-base.js" in link for link in links)
                for link in links:
                    assert link.startswith("/zwfw/kb/"), link
                    assert get(port, link, auth=auth).status == 200, link
            # sitemap.xml lists every page at its full address under the sub-path
            for port, auth, extra in ((server.public, None, None), (server.internal, login(), "training/")):
                sitemap = ElementTree.fromstring(get(port, "/zwfw/kb/sitemap.xml", auth=auth).body)
                urls = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
                assert len(urls) > 20
                prefix = f"http://127.0.0.1:{port}/zwfw/kb/"
                assert all(url.startswith(prefix) for url in urls), urls[:3]
                assert (prefix + "guides/sample-home-visit/") in urls
                if extra:
                    assert prefix + extra in urls
                else:
                    assert not any("training/" in url or "sample-draft" in url for url in urls)
                for url in urls[:: max(1, len(urls) // 15)]:
                    assert get(port, url[len(f"http://127.0.0.1:{port}"):], auth=auth).status == 200, url
            # in a real browser: the deep 404 page is styled, its search works, nothing is blocked or fetched elsewhere
            with browser() as chromium:
                page = Page(chromium, f"http://127.0.0.1:{public}/zwfw/kb/")
                try:
                    errors = []
                    page.page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                    page.open("no/such/deep/page/")
                    assert page.page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
                    assert page.page.evaluate("__md_scope.pathname") == "/zwfw/kb/"
                    results = page.search("身份证")
                    assert results and results[0]["href"].endswith("/zwfw/kb/guides/sample-home-visit/"), results
                    assert page.foreign_requests() == []
                    assert [e for e in errors if "404" not in e] == []  # the page itself answers 404, nothing else fails
                finally:
                    page.close()
    finally:
        shutil.rmtree(deployment.base)
