"""The offices' pages under /staff/letters/."""

from django.urls import path

from . import staff_views as views

app_name = "letters_staff"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<slug:verb>/", views.act, name="act"),
    path("from-request/<int:pk>/", views.forward_request, name="forward_request"),
    path("files/<int:pk>/", views.file_download, name="file"),
]
