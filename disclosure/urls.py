from django.urls import path

from portal.pagecache import public_page

from . import feeds, views

app_name = "disclosure"

urlpatterns = [
    path("", views.item_list, name="list"),
    path("domain/<int:pk>/", views.domain_list, name="domain"),
    path("entry/<int:pk>/", views.entry_list, name="entry"),
    path("org/", views.organizations, name="organizations"),
    path("org/<int:pk>/", views.organization_list, name="organization"),
    path("year/<int:year>/", views.year_list, name="year"),
    path("item/<int:pk>/", views.item_detail, name="item"),
    path("item/<int:pk>/print/", views.item_print, name="item_print"),
    path("item/<int:pk>/v/<int:number>/", views.version_detail, name="version"),
    path("file/<int:pk>/", views.attachment_download, name="attachment"),
    path("search/", views.search, name="search"),
    path("feed/rss/", public_page(feeds.LatestItemsFeed()), name="feed_rss"),
    path("feed/atom/", public_page(feeds.LatestItemsAtomFeed()), name="feed_atom"),
    path("feed/domain/<int:pk>/rss/", public_page(feeds.DomainFeed()), name="domain_feed_rss"),
    path("feed/domain/<int:pk>/atom/", public_page(feeds.DomainAtomFeed()), name="domain_feed_atom"),
    path("feed/org/<int:pk>/rss/", public_page(feeds.OrganizationFeed()), name="org_feed_rss"),
    path("feed/org/<int:pk>/atom/", public_page(feeds.OrganizationAtomFeed()), name="org_feed_atom"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.subscription_confirm, name="subscription_confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
