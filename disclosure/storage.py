"""Where attachment files live: the core's "attachments" store (portal/storage.py).

Outside MEDIA_ROOT (or under their own bucket prefix, never public), so only
the download view serves them: a withdrawn item's files must stop being
served, which a file under a public URL could not do. The field's
``storage=`` names this callable so that migrations never name a class.
"""

from portal import storage


def attachment_storage():
    return storage.attachments
