"""Where uploaded files are shown from, for the Content-Security-Policy's ``img-src``.

Photos and logos are on our own origin while uploads stay on local disk (``MEDIA_URL`` is a
path). They come from another origin when ``MEDIA_URL`` is absolute (a media host) or when the
uploads live in an S3-compatible bucket (``config.engines.storages``): its public address
(``S3_PUBLIC_URL``) or, without one, the address the S3 client builds from the endpoint, the
region, the bucket and the addressing style. A private photo (a draft activity's) is an
``<img>`` of ``config.files``, which redirects to a signed address of the private bucket, and a
redirected image must be allowed too: both storages count.

Read at settings time, before Django is set up, so this imports nothing of Django's settings.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def origin(url: str) -> str | None:
    """``scheme://host[:port]`` of an absolute address; None for a path."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def _s3_origin(options: dict) -> str | None:
    if options.get("custom_domain"):
        protocol = options.get("url_protocol") or "https:"
        return origin(f"{protocol}//{options['custom_domain']}")
    # The storage asks boto3 for each file's address; ask it the same way, unsigned, so that no
    # credentials are looked up (or fetched from an instance's metadata) while settings load.
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    client = boto3.session.Session().client(
        "s3",
        endpoint_url=options.get("endpoint_url"),
        region_name=options.get("region_name"),
        config=Config(
            signature_version=UNSIGNED,
            s3={"addressing_style": options.get("addressing_style") or "auto"},
        ),
    )
    probe = client.generate_presigned_url(
        "get_object", Params={"Bucket": options["bucket_name"], "Key": "probe"}
    )
    return origin(probe)


def media_origins(media_url: str, storages: dict) -> list[str]:
    """The origins other than our own that photos, logos and private files are shown from."""
    found = [origin(media_url)]
    for alias in ("default", "private"):
        storage = storages.get(alias, {})
        if storage.get("BACKEND", "").startswith("storages.backends.s3"):
            found.append(_s3_origin(storage.get("OPTIONS", {})))
    return list(dict.fromkeys(o for o in found if o))
