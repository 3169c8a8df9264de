"""View decorators shared by the apps' staff pages."""

from functools import wraps

from django.contrib.auth.decorators import login_required

from .permissions import ensure_perm


def staff_permission_required(perm):
    """Log in first, then refuse (403 with a clear message) a user without ``perm``.

    Unlike Django's ``permission_required``, a logged-in user without the
    permission gets the portal's 403 page instead of a loop back to the login.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            ensure_perm(request.user, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
