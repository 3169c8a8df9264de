"""Load the fictitious demo county, app by app.

Every installed app may have a ``demo`` module with ``load(stdout)``; they run
in INSTALLED_APPS order so later apps build on earlier ones. Each loader is
idempotent, so ``make run`` can run this every time.

It refuses to run when ``DEBUG`` is off: the demo logins and their passwords are printed
here and written in the README, so demo data on a production server is an open door.
``--without-debug`` is for the test suite and a training server that is not public.
"""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = "Load (or refresh) the demo county 示范县 and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-debug",
            action="store_true",
            help="即使 DEBUG 关闭也载入演示数据（仅用于测试或不对外的培训环境：演示账号的密码是公开的）。",
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
            self.stdout.write("\n演示账号 Demo logins (development only):")
            for username, password, description in logins:
                self.stdout.write(f"  {username:<16} {password:<20} {description}")
            self.stdout.write("  管理后台 Admin: http://127.0.0.1:8000/admin/")
            self.stdout.write(
                "  双因素认证 2FA: 生产环境中超级管理员、管理员、审核员须绑定验证器（/account/2fa/setup/）；\n"
                "  make run 以 OTP_REQUIRED_ROLES= 启动，演示账号只用密码即可登录。\n"
            )
