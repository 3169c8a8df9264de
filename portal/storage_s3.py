"""The S3-compatible backend of ``portal/storage.py``, in a module of its own.

Importing django-storages' S3 backend loads boto3 and botocore, about 17 MB in
every web worker (issue 10). Kept apart, they are loaded only when
``STORAGE_S3_BUCKET`` names a bucket and Django instantiates this backend.
"""

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """django-storages' S3 backend that can never make an object public.

    Whatever the options say, no ACL is sent with an upload (the bucket's
    private default applies), every URL is signed and short-lived, and an
    existing object is never overwritten by an upload of the same name.
    """

    is_object_store = True

    def __init__(self, **options):
        options.update(default_acl=None, querystring_auth=True, file_overwrite=False)
        options.setdefault("querystring_expire", 300)
        options.setdefault("custom_domain", None)
        super().__init__(**options)

    def check(self):
        self.connection.meta.client.head_bucket(Bucket=self.bucket_name)
