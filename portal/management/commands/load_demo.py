"""Load the fictitious demo county, app by app.

Every installed app may have a ``demo`` module with ``load(stdout)``; they run
in INSTALLED_APPS order so later apps build on earlier ones. Each loader is
idempotent, so ``make run`` can run this every time.

It refuses to run when ``DEBUG`` is off: the demo logins and their passwords are printed
here and written in the README, so demo data on a production server is an open door.
``--without-debug`` is for the test suite and a training server that is not public.
"""

import os
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = "载入（或补齐）虚构的演示县“示范县”并列出演示账号（仅用于开发和培训）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-debug",
            action="store_true",
            help="即使 DEBUG 关闭也载入演示数据（仅用于测试或不对外的培训环境：演示账号的密码是公开的）。",
        )
        parser.add_argument(
            "--host",
            default=None,
            help="开发服务器的地址和端口（同 make run 的 HOST，默认取环境变量 HOST，否则 127.0.0.1:8000），"
            "用于显示登录地址。",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["without_debug"]:
            raise CommandError(
                "拒绝载入演示数据：DEBUG 未开启，这像是生产服务器。演示账号的密码是公开的，"
                "载入后任何人都能登录管理后台。开发环境请设置 DEBUG=1（make run 已设置）；"
                "测试或不对外的培训环境可加 --without-debug。"
            )
        logins = []
        with transaction.atomic():
            for config in apps.get_app_configs():
                if module_has_submodule(config.module, "demo"):
                    result = import_module(f"{config.name}.demo").load(self.stdout)
                    logins.extend(result or [])
        if logins:
            self.stdout.write("\n演示账号（仅用于开发环境）：")
            for username, password, description in logins:
                self.stdout.write(f"  {username:<16} {password:<20} {description}")
            base = server_address(options["host"] or os.environ.get("HOST", ""))
            self.stdout.write(f"  门户首页：{base}/")
            self.stdout.write(f"  工作人员登录：{base}/admin/login/")
            self.stdout.write(
                "  双因素认证 2FA: 生产环境中超级管理员、管理员、审核员须绑定验证器（/account/2fa/setup/）；\n"
                "  make run 以 OTP_REQUIRED_ROLES= 启动，演示账号只用密码即可登录。\n"
            )


def server_address(host):
    """``http://HOST:PORT`` of the development server as ``runserver HOST`` reads its argument.

    ``runserver`` takes ``PORT``, ``ADDR:PORT``, ``[IPv6]:PORT`` or nothing (127.0.0.1:8000);
    a server listening on every address (0.0.0.0, ::) is reached through 127.0.0.1 here.
    """
    host = (host or "").strip()
    address, port = "127.0.0.1", "8000"
    if host.isdigit():
        port = host
    elif host.startswith("["):
        inside, _sep, rest = host[1:].partition("]")
        address = f"[{inside}]" if inside not in ("", "::") else "127.0.0.1"
        port = rest.lstrip(":") or port
    elif host:
        address, _sep, given = host.rpartition(":") if ":" in host else (host, "", "")
        port = given or port
    if address in ("0.0.0.0", "0", ""):
        address = "127.0.0.1"
    return f"http://{address}:{port}"
