"""Public pages of the letters mailbox under /hdjl/xx/ (互动交流 — 信箱)."""

from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("write/", views.write, name="write"),
    path("lookup/", views.lookup, name="lookup"),
    path("leave/", views.leave, name="leave"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics.csv", views.statistics_csv, name="statistics_csv"),
    path("statistics/chart/<slug:name>.svg", views.statistics_chart, name="statistics_chart"),
    path("<int:pk>/", views.public_detail, name="detail"),
    path("status/<str:number>/", views.status, name="status"),
    path("status/<str:number>/rate/", views.rate, name="rate"),
    path("status/<str:number>/files/<int:pk>/", views.file_download, name="file"),
]
