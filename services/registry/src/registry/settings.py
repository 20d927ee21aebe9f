"""registry's settings (env prefix ``REGISTRY_``): database, broker, reminder schedule, evidence.

Defaults run on one laptop (a SQLite file, the local RabbitMQ). The reminder offsets (90/30/7
days) are not configuration: they are part of the ``registry.certification.expiring`` contract.
"""

from __future__ import annotations

from pydantic import Field
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from yumiao_common.settings import CommonSettings


class Settings(CommonSettings):
    """Everything a registry process reads from the environment."""

    model_config = SettingsConfigDict(env_prefix="REGISTRY_", extra="ignore")

    service_name: str = "registry"
    database_url: str = "sqlite:///registry.db"

    # Bulk import bounds. An upload is untrusted: these keep one file from holding a web
    # worker's CPU or memory (the request checks them before any XML is parsed; see
    # ``registry.adapters.files.upload_limits``). The defaults sit far above a district's real files
    # (about 3,000 firms × 3 fiscal years).
    #: Data rows one file may hold (the header row not counted).
    import_max_rows: int = Field(default=50_000, ge=1, le=1_000_000)
    #: Columns read; the template has 33, the rest is room for blank spacer columns.
    import_max_columns: int = Field(default=64, ge=1, le=16_384)
    #: Import jobs validating or writing at the same time (the whole service, from the database).
    import_max_concurrent_jobs: int = Field(default=2, ge=1, le=64)
    #: XLSX is a ZIP: at most this many parts ...
    import_max_zip_members: int = Field(default=200, ge=8, le=10_000)
    #: ... this many bytes unpacked, all parts together ...
    import_max_unpacked_bytes: int = Field(default=256 * 2**20, ge=2**20)
    #: ... per worksheet part ...
    import_max_sheet_bytes: int = Field(default=160 * 2**20, ge=2**16)
    #: ... for xl/sharedStrings.xml (built whole, about 7 µs a string, when the file opens) ...
    import_max_shared_strings_bytes: int = Field(default=4 * 2**20, ge=2**12)
    import_max_shared_strings: int = Field(default=80_000, ge=100)
    #: ... for the other parts parsed when the file opens (styles, workbook, properties),
    #: together (images and themes are not parsed) ...
    import_max_part_bytes: int = Field(default=2**20, ge=2**12)
    #: ... and at most this ratio of unpacked to packed size for a part over 1 MiB.
    import_max_compression_ratio: int = Field(default=100, ge=2)

    # The jobs worker (``python -m registry.jobs``, yumiao_common.jobs).
    #: Seconds a jobs worker's lease on an import lasts unless renewed (every third of it);
    #: an import whose worker stopped renewing is resumed or failed this long after it died.
    job_lease_seconds: int = Field(default=30, ge=1, le=3600)
    #: Seconds a stopping jobs worker (SIGTERM) lets its running import finish before it hands
    #: it back to the queue; k8s' terminationGracePeriodSeconds for the worker exceeds it.
    job_grace_seconds: int = Field(default=150, ge=0, le=3600)

    # Reserve rounds (issue 12 item 4).
    #: Months an admission to a reserve pool lasts when the round does not say; the daily
    #: ``run-pipeline-lifecycle`` command ends it (退库, reason lapsed or certified) after that.
    reserve_valid_months: int = Field(default=24, ge=1, le=120)

    # Evidence files of firms' yearly reports (issue 15; adapters/files/evidence_store.py).
    #: Directory of the local evidence store (a volume in production), used unless an S3
    #: bucket is set; relative paths are from the working directory, like the default SQLite
    #: file ``registry.db`` beside it.
    evidence_dir: str = "registry-evidence"
    #: Largest evidence file accepted, in bytes (counted while reading: 413 beyond it).
    evidence_max_bytes: int = Field(default=10 * 2**20, ge=1024, le=2**30)
    #: A command that gets each uploaded file on stdin before it is accepted (a virus scanner,
    #: e.g. ``clamdscan --no-summary -``): exit 0 accepts, 1 rejects (422 rejected_by_scan),
    #: any other status or no answer in time refuses the upload for now (503). Unset: no scan.
    evidence_scan_command: str | None = None
    #: Seconds the scan command may take; then it and its children are killed (503). Below the
    #: gateway's read timeout (15 s), so the firm hears the registry's answer, not a 504.
    evidence_scan_timeout_seconds: float = Field(default=10.0, gt=0, le=600)
    #: S3-compatible object storage instead of the local directory, when a bucket is named.
    evidence_s3_bucket: str | None = None
    #: The store's URL (MinIO, Ceph …); unset = AWS S3 itself.
    evidence_s3_endpoint: str | None = None
    #: The store's region (most S3-compatible stores accept the default).
    evidence_s3_region: str = "us-east-1"
    #: Key prefix inside the bucket.
    evidence_s3_prefix: str = "evidence/"
    #: Credentials; unset = boto3's usual chain (environment, instance or pod role).
    evidence_s3_access_key_id: str | None = None
    #: The secret of ``evidence_s3_access_key_id``.
    evidence_s3_secret_access_key: SecretStr | None = None
