from django.urls import path

from . import account_views

app_name = "portal"

urlpatterns = [
    path("", account_views.workbench, name="workbench"),
    path("2fa/setup/", account_views.otp_setup, name="otp_setup"),
    path("2fa/verify/", account_views.otp_verify, name="otp_verify"),
    path("password/", account_views.password_change, name="password_change"),
]
