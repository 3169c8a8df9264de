"""``STORAGES`` from the environment: local directories, or prefixes of one S3-compatible bucket.

Imported by the settings module, so it imports nothing from Django. The
storage classes themselves are in :mod:`portal.storage`.
"""

ATTACHMENTS = "attachments"
PRIVATE = "private"
DEFAULT = "default"
ALIASES = (ATTACHMENTS, PRIVATE, DEFAULT)

# The prefix of each alias inside the bucket (under STORAGE_S3_PREFIX, if set).
S3_FOLDERS = {ATTACHMENTS: "attachments", PRIVATE: "private", DEFAULT: "media"}


def s3_options(
    alias, *, bucket, endpoint_url="", access_key="", secret_key="", region="", prefix="", addressing_style=""
):
    """The OPTIONS of one alias in the bucket: its own prefix, private objects, signed URLs."""
    folder = "/".join(part.strip("/") for part in (prefix, S3_FOLDERS[alias]) if part.strip("/"))
    options = {
        "bucket_name": bucket,
        "location": folder,
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        "signature_version": "s3v4",
        # Downloads larger than this spool to a temporary file instead of memory.
        "max_memory_size": 8 * 1024 * 1024,
    }
    if endpoint_url:
        options["endpoint_url"] = endpoint_url
    if access_key:
        options["access_key"] = access_key
    if secret_key:
        options["secret_key"] = secret_key
    if region:
        options["region_name"] = region
    if addressing_style:
        options["addressing_style"] = addressing_style
    return options


def storages_setting(environ, base=None):
    """The ``STORAGES`` entries of the three aliases, from ``STORAGE_S3_*`` in ``environ``.

    Called by the settings module; ``base`` (the staticfiles entry) is kept.
    """
    result = dict(base or {})
    bucket = environ.get("STORAGE_S3_BUCKET", "").strip()
    if not bucket:
        result[DEFAULT] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
        result[ATTACHMENTS] = {"BACKEND": "portal.storage.LocalAttachmentStorage"}
        result[PRIVATE] = {"BACKEND": "portal.storage.LocalPrivateStorage"}
        return result
    common = {
        "bucket": bucket,
        "endpoint_url": environ.get("STORAGE_S3_ENDPOINT_URL", "").strip(),
        "access_key": environ.get("STORAGE_S3_ACCESS_KEY_ID", "").strip(),
        "secret_key": environ.get("STORAGE_S3_SECRET_ACCESS_KEY", "").strip(),
        "region": environ.get("STORAGE_S3_REGION", "").strip(),
        "prefix": environ.get("STORAGE_S3_PREFIX", "").strip(),
        "addressing_style": environ.get("STORAGE_S3_ADDRESSING_STYLE", "").strip(),
    }
    for alias in ALIASES:
        result[alias] = {"BACKEND": "portal.storage_s3.PrivateS3Storage", "OPTIONS": s3_options(alias, **common)}
    return result
