from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token


def home(request):
    """The portal's front page; domain apps fill it through their template tags."""
    return render(request, "portal/home.html")


@requires_csrf_token
def bad_request(request, exception=None):
    """The Chinese 400 page (Django's own renders without the request, so no header links)."""
    return render(request, "400.html", status=400)
