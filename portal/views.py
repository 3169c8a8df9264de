from django.shortcuts import render


def home(request):
    """The portal's front page; domain apps fill it through their template tags."""
    return render(request, "portal/home.html")
