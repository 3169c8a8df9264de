"""Public pages under /hdjl/yjzj/ (意见征集)."""

from django.urls import path

from . import feeds, views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("file/<int:pk>/", views.attachment, name="attachment"),
    path("feed/rss/", feeds.ConsultationFeed(), name="feed_rss"),
    path("feed/atom/", feeds.ConsultationAtomFeed(), name="feed_atom"),
]
