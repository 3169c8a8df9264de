"""Admin pages of third-party apps and of the exports: a hostile or stale URL is a 404 or a
message, never a server error (found by tests/security/test_hostile_inputs.py)."""

import pytest

from portal.models import User


@pytest.fixture
def superuser(make_org):
    org = make_org()
    return User.objects.create_superuser("root_t", password="pw-for-tests-Aa1", organization=org)


@pytest.mark.parametrize("view", ["config", "qrcode"])
def test_an_unknown_two_factor_device_is_a_404(client, superuser, view):
    client.force_login(superuser)
    assert client.get(f"/admin/otp_totp/totpdevice/999999/{view}/").status_code == 404


def test_the_device_pages_still_work_for_a_real_device(client, superuser):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=superuser, name="手机", confirmed=True)
    client.force_login(superuser)
    response = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"


def test_an_export_with_a_filter_the_list_does_not_have_clears_it_with_a_message(client, superuser):
    client.force_login(superuser)
    response = client.get("/admin/disclosure/disclosureitem/export/?page=%C2%B2&nosuchfield=1")
    assert response.status_code == 302 and response["Location"] == "/admin/disclosure/disclosureitem/export/"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "导出的筛选条件无效，已清除筛选条件。" in page.content.decode()
