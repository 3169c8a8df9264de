#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.conf import settings

        _apps = settings.INSTALLED_APPS  # read the settings now: a missing variable is a message, not a traceback
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"无法运行管理命令：配置不完整。\n{exc}\n")
        sys.exit(1)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
