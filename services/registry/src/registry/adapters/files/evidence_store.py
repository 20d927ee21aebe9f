"""Where evidence files live: one ``EvidenceStore`` interface, a local volume by default and an
S3-compatible object store when ``REGISTRY_EVIDENCE_S3_BUCKET`` is set.

Keys are made by the registry (``<uscc>/<submission>/<random>``), never from a client's file
name, so a stored name cannot climb out of the volume or collide. The registry keeps each
file's SHA-256 beside its row and checks it on every read (``read_verified``): a file changed
or damaged in the store is refused, not served.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any
from typing import Protocol


class EvidenceMissing(Exception):
    """The store holds nothing under the key."""


class EvidenceDamaged(Exception):
    """The bytes read back do not have the SHA-256 recorded when the file was accepted."""


class EvidenceStore(Protocol):
    """Bytes by key; ``put`` replaces nothing (keys are fresh), ``delete`` forgets quietly."""

    def put(self, key: str, data: bytes, *, media_type: str) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


def new_key(uscc: str, submission_id: int) -> str:
    """A fresh storage key; nothing of it comes from the client."""
    return f"{uscc}/{submission_id}/{secrets.token_hex(16)}"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_verified(store: EvidenceStore, key: str, sha256: str) -> bytes:
    """The stored bytes, only if they still have the recorded checksum."""
    data = store.get(key)
    if sha256_of(data) != sha256:
        raise EvidenceDamaged(key)
    return data


class LocalEvidenceStore:
    """Files under one directory (a volume); written to a temporary name, then renamed."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise EvidenceMissing(key)
        return path

    def put(self, key: str, data: bytes, *, media_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise EvidenceMissing(key) from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class S3EvidenceStore:
    """Objects in one bucket of an S3-compatible store (AWS S3, MinIO, Ceph …), via boto3."""

    def __init__(self, *, bucket: str, prefix: str = "", endpoint_url: str | None = None,
                 region: str | None = None, access_key_id: str | None = None,
                 secret_access_key: str | None = None, client: Any = None) -> None:
        import boto3  # imported here: only a deployment that configures S3 needs it loaded
        from botocore.config import Config

        self.bucket, self.prefix = bucket, prefix
        self.client = client or boto3.client(
            "s3", endpoint_url=endpoint_url, region_name=region,
            aws_access_key_id=access_key_id, aws_secret_access_key=secret_access_key,
            config=Config(retries={"max_attempts": 3, "mode": "standard"},
                          connect_timeout=5, read_timeout=30))

    def put(self, key: str, data: bytes, *, media_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=data,
                               ContentType=media_type,
                               ChecksumAlgorithm="SHA256")

    def get(self, key: str) -> bytes:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)
        except self.client.exceptions.NoSuchKey:
            raise EvidenceMissing(key) from None
        return answer["Body"].read()  # type: ignore[no-any-return]

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)


def store_from_settings(settings: Any) -> EvidenceStore:
    """S3 when a bucket is configured, else the local directory ``evidence_dir``."""
    if settings.evidence_s3_bucket:
        # An empty key (compose passes ``${VAR:-}``) means "not given": boto3's usual chain.
        secret = settings.evidence_s3_secret_access_key
        return S3EvidenceStore(
            bucket=settings.evidence_s3_bucket, prefix=settings.evidence_s3_prefix,
            endpoint_url=settings.evidence_s3_endpoint or None,
            region=settings.evidence_s3_region,
            access_key_id=settings.evidence_s3_access_key_id or None,
            secret_access_key=(secret.get_secret_value() or None) if secret else None)
    return LocalEvidenceStore(settings.evidence_dir)
