"""Commands for operators: publish, rollback, nginx-config, bundle."""

from __future__ import annotations

from pathlib import Path

import click

from ..site.edition import EDITIONS, PUBLIC
from .common import EXIT_PROBLEMS, fail, load, require_clean

@click.command()
@click.option("--edition", type=click.Choice(EDITIONS), default=PUBLIC, show_default=True,
              help="public 公开版；internal 内部版（含草稿和内部信息，只能交给工作人员）。")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="要写出的 zip 文件，如 kb-offline.zip。")
@click.pass_context
def bundle(ctx: click.Context, edition: str, out: Path) -> None:
    """生成离线包：一个 zip，解压后直接打开其中的 index.html 即可查阅和检索（file://，不联网）。

    \b
    用于没有网络的村（社区）便民服务站、培训用的 U 盘。离线包按文件式网址构建
    （use_directory_urls: false），检索在页面里运行，不向任何地方发出请求；
    首页注明是哪个版本、何时生成。知识库有问题时不生成，旧文件保持不变。

    例：kb bundle --edition public --out kb-offline.zip
    """
    from ..deploy.bundle import BundleError, make_bundle

    loaded = load(ctx)
    require_clean(loaded)
    try:
        make_bundle(ctx.obj["root"], edition, out, log=lambda text: click.echo(text, err=True))
    except BundleError as exc:
        fail(str(exc))


def _deploy_failed(exc) -> None:
    from ..deploy.publish import Interrupted

    if exc.details:
        click.echo(exc.details, err=True)
    fail(str(exc), 130 if isinstance(exc, Interrupted) else EXIT_PROBLEMS)


@click.command()
@click.option("--to", "to", required=True, type=click.Path(path_type=Path), metavar="DIR",
              help="发布目录：版本放在 DIR/releases/<时间>/，网站读 DIR/current（符号链接）。")
@click.option("--keep", type=click.IntRange(1, 1000), default=5, show_default=True,
              help="保留最近几个版本（切换成功后才删除更早的；current 指向的版本永远保留）。")
@click.pass_context
def publish(ctx: click.Context, to: Path, keep: int) -> None:
    """检查知识库，把公开版和内部版构建成一个新版本，再一次切换 DIR/current。

    \b
    1. 检查知识库（同 kb check）；有问题就不发布；
    2. mkdocs build 和 mkdocs build -f mkdocs.internal.yml 构建到隐藏的临时目录
       DIR/releases/.partial-<时间>/，两个都成功才改名为 DIR/releases/<时间>/{public,internal}；
    3. 新建一个符号链接并改名覆盖 DIR/current（一次改名，网站看到的要么是旧版本、要么是新版本）；
    4. 删除最近 --keep 个以外的旧版本。

    任何一步失败或被中断（Ctrl-C、kill），current 和已有版本都保持原样，不留下半成品。
    """
    from ..deploy.publish import DeployError, publish as run

    try:
        result = run(ctx.obj["root"], to, keep, say=lambda line: click.echo(line, err=True))
    except DeployError as exc:
        _deploy_failed(exc)
    except OSError as exc:  # a full disk, a permission changed under our feet: nothing was switched
        fail(f"发布失败（{exc.strerror or exc}：{exc.filename or to}）；current 没有改动。")
    click.echo(f"已发布：{result.release}（current 已指向它）")
    if result.previous:
        click.echo(f"上一个版本：{result.previous}（回退：kb rollback --to {to}）")
    if result.removed:
        click.echo(f"删除了较早的版本：{'、'.join(result.removed)}")


@click.command()
@click.option("--to", "to", required=True, type=click.Path(path_type=Path), metavar="DIR",
              help="kb publish 用过的发布目录。")
def rollback(to: Path) -> None:
    """把 DIR/current 指回上一个版本（一次改名）；再次运行就继续往前退。"""
    from ..deploy.publish import DeployError, rollback as run

    try:
        was, now = run(to)
    except DeployError as exc:
        _deploy_failed(exc)
    except OSError as exc:
        fail(f"回退失败（{exc.strerror or exc}：{exc.filename or to}）；current 没有改动。")
    click.echo(f"已回退：current 从 {was} 改为指向 {now}")


@click.command("nginx-config")
@click.option("--root", "root", required=True, type=click.Path(path_type=Path), metavar="DIR",
              help="kb publish --to 用的发布目录；公开版从 DIR/current/public、内部版从 DIR/current/internal 读取。")
@click.option("--listen", required=True, metavar="HOST:PORT", help="公开版的监听地址，如 0.0.0.0:80。")
@click.option("--internal-listen", required=True, metavar="HOST:PORT",
              help="内部版的监听地址（只给工作人员），如 10.1.2.3:8443。")
@click.option("--htpasswd", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="内部版的账号密码文件（HTTP 基本认证），用 openssl passwd -apr1 或 htpasswd 生成。")
@click.option("--allow", multiple=True, metavar="CIDR",
              help="内部版只许这些地址访问（可多次给出），如 10.1.0.0/16；可代替或配合 --htpasswd。")
@click.option("--satisfy", type=click.Choice(["all", "any"]), default="all", show_default=True,
              help="同时给了 --allow 和 --htpasswd 时：all 地址和密码都要对；any 其一即可。")
@click.option("--base-path", default="/", show_default=True, metavar="PATH",
              help="站点在网址里的路径，如 /zwfw/kb/（须与 mkdocs 配置里 site_url 的路径一致）。")
@click.option("--user", default=None, metavar="NAME",
              help="nginx 以 root 启动时工作进程的用户，如 www-data（须能读发布目录和 htpasswd）。")
@click.option("--prefix", required=True, type=click.Path(path_type=Path), metavar="DIR",
              help="nginx 的 pid、日志和临时文件目录（须已存在），即 nginx -p DIR。")
@click.option("--no-port-check", is_flag=True,
              help="不检查端口是否被占用（例如给正在这些端口上运行的 nginx 换配置）。")
def nginx_config(root: Path, listen: str, internal_listen: str, htpasswd: Path | None, allow: tuple[str, ...],
                 satisfy: str, base_path: str, user: str | None, prefix: Path, no_port_check: bool) -> None:
    """打印一份完整的 nginx.conf（Debian 的 nginx），服务 kb publish 发布的站点。

    \b
    公开版对所有人开放；内部版在另一个地址上，只有输入 htpasswd 里的账号密码
    （和/或来自 --allow 的地址）才能看。每个响应带安全响应头（Content-Security-Policy、
    X-Content-Type-Options、Referrer-Policy、X-Frame-Options），文本 gzip 压缩，
    带指纹的文件长期缓存、页面每次确认，不列目录，用站点自己的 404 页面，
    站点目录之外（.. 和指向外面的符号链接）一概不给。kb publish 切换后不需要 reload。

    例：kb nginx-config --root /srv/kb --listen 0.0.0.0:80 --internal-listen 10.1.2.3:8080
    --htpasswd /etc/nginx/kb.htpasswd --prefix /var/lib/kb-nginx > /etc/kb/nginx.conf
    """
    from ..deploy.nginx import ConfigError, Options, render

    options = Options(root=root, listen=listen, internal_listen=internal_listen, prefix=prefix, htpasswd=htpasswd,
                      allow=list(allow), satisfy=satisfy, base_path=base_path, user=user,
                      check_ports=not no_port_check)
    try:
        text = render(options)
    except ConfigError as exc:
        fail(str(exc))
    if not (Path(root) / "current").exists():
        click.echo(f"提示：{Path(root) / 'current'} 还不存在；先运行 kb publish --to {root}。", err=True)
    click.echo(text.rstrip("\n"))
