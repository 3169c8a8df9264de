"""PDF rendering (WeasyPrint), once for every app: notices (告知书) and annual reports.

Nothing is fetched while rendering: the HTML and the stylesheet are passed in whole, so a
PDF depends only on them and can be stored under their digest. Fonts come from Debian
(fonts-noto-cjk); without them a PDF of Chinese text would print boxes, so rendering is
refused with a message naming the package to install.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.translation import gettext as _

FONT_PACKAGE = "fonts-noto-cjk"


@lru_cache(maxsize=1)
def unavailable_reason() -> str:
    """Why a PDF cannot be made here, naming the Debian package to install, or ''.

    Checked once per process: installing fonts needs a restart anyway.
    """
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        return _(
            "无法生成PDF：WeasyPrint 或其依赖的 pango 库不可用（%(error)s），请安装 Debian 软件包 libpango-1.0-0。"
        ) % {"error": exc}
    import shutil
    import subprocess

    if shutil.which("fc-list"):
        fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout
        if "Noto" not in fonts or "CJK" not in fonts:
            return _("无法生成PDF：缺少中文字体，请安装 Debian 软件包 %(package)s。") % {"package": FONT_PACKAGE}
    return ""


def render(html: str, stylesheet: str) -> bytes:
    """The PDF of ``html`` styled by ``stylesheet``; raises RuntimeError naming what is missing."""
    reason = unavailable_reason()
    if reason:
        raise RuntimeError(reason)
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf(stylesheets=[weasyprint.CSS(string=stylesheet)])
