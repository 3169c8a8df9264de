"""Load the fictitious demo county, app by app.

Every installed app may have a ``demo`` module with ``load(stdout)``; they run
in INSTALLED_APPS order so later apps build on earlier ones. Each loader is
idempotent, so ``make run`` can run this every time.
"""
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = "Load (or refresh) the demo county 示范县 and print the demo logins."

    def handle(self, *args, **options):
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
