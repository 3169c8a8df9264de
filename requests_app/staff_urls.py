"""The officials' pages under /staff/requests/."""

from django.urls import path

from . import staff_views as views

app_name = "requests_staff"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("mine/", views.my_requests, name="mine"),
    path("new/", views.intake, name="intake"),
    path("export/", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/note/", views.add_note, name="note"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("<int:pk>/act/<slug:verb>/", views.act, name="act"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("notices/<int:pk>/pdf/", views.notice_pdf, name="notice_pdf"),
    path("notices/<int:pk>/deliver/", views.deliver, name="deliver"),
    path("files/<int:pk>/", views.file_download, name="file"),
]
