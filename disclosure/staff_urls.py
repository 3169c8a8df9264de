from django.urls import path

from . import staff

app_name = "disclosure_staff"

urlpatterns = [
    path("", staff.dashboard, name="dashboard"),
    path("new/", staff.item_create, name="create"),
    path("queue/", staff.queue, name="queue"),
    path("reassessment/", staff.reassessment, name="reassessment"),
    path("coverage/", staff.coverage, name="coverage"),
    path("item/<int:pk>/", staff.item_detail, name="item"),
    path("item/<int:pk>/edit/", staff.item_edit, name="edit"),
    path("item/<int:pk>/preview/", staff.item_preview, name="preview"),
    path("item/<int:pk>/attachments/", staff.attachment_upload, name="upload"),
    path("item/<int:pk>/attachments/<int:attachment_pk>/delete/", staff.attachment_delete, name="attachment_delete"),
    path("item/<int:pk>/<slug:action>/", staff.item_action, name="action"),
    path("file/<int:attachment_pk>/", staff.attachment_download, name="attachment"),
]
