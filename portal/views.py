from django.shortcuts import render

from .pagecache import public_page


@public_page
def home(request):
    """The portal's front page; domain apps fill it through their template tags."""
    return render(request, "portal/home.html")
