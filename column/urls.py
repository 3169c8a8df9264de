"""The column under /zwgk/ (namespace ``column``): its landing and its sub-column pages.

The 年报 sub-column (``annual:``) and the item lists (``disclosure:``, /zwgk/xxgk/) are their
apps' own; the 政策文件库 is ours (it sits in the column's navigation) at the address it always had.
"""

from django.urls import path

from . import views

app_name = "column"

urlpatterns = [
    path("", views.index, name="index"),
    path("guide/", views.guide, name="guide"),
    path("rules/", views.rules, name="rules"),
    path("fdzdgknr/", views.statutory, name="statutory"),
    path("fdzdgknr/domain/<int:pk>/", views.domain, name="domain"),
    path("fdzdgknr/entry/<int:pk>/", views.entry, name="entry"),
    path("fdzdgknr/org/<int:pk>/", views.organization_catalog, name="organization"),
    path("search/", views.search, name="search"),
    path("xxgk/policies/", views.policies, name="policies"),
]
