"""The officials' pages under /staff/consultations/."""

from django.urls import path

from . import staff_views as views

app_name = "consultations_staff"

urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/act/<slug:verb>/", views.act, name="act"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("<int:pk>/link/", views.link, name="link"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("comments/<int:pk>/<slug:verb>/", views.moderate, name="moderate"),
]
