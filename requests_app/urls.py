"""Public pages under /ysqgk/ (依申请公开)."""

from django.urls import path

from . import views

app_name = "requests_app"

urlpatterns = [
    path("", views.apply, name="apply"),
    path("submitted/", views.submitted, name="submitted"),
    path("status/", views.lookup, name="lookup"),
    path("status/leave/", views.leave, name="leave"),
    path("status/<str:number>/", views.status, name="status"),
    path("status/<str:number>/supplement/", views.supplement, name="supplement"),
    path("status/<str:number>/withdraw/", views.withdraw, name="withdraw"),
    path("status/<str:number>/notices/<int:pk>/", views.notice, name="notice"),
    path("status/<str:number>/notices/<int:pk>/pdf/", views.notice_pdf, name="notice_pdf"),
    path("status/<str:number>/files/<int:pk>/", views.file_download, name="file"),
]
