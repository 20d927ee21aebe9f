"""Where evidence lives and what checks it before it is kept (issue 15 item 2).

The local store and the S3 store keep bytes by key and the registry refuses bytes whose
SHA-256 changed. The S3 store is exercised against moto's ``ThreadedMotoServer``: a real HTTP
S3 endpoint on a local port that boto3 signs its requests to (moto's S3, not AWS or MinIO: the
wire protocol and boto3's own code paths are the real ones, the server behind them is moto's).
The scan hook runs a real command: a tiny scanner that rejects any file holding the EICAR test
string; a scanner that fails or hangs makes the upload a 503, and a hanging one is killed with
whatever it started.
"""

from __future__ import annotations

import io
import os
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from flask import Flask
from moto.server import ThreadedMotoServer
from registry_testkit import create_enterprise
from registry_testkit import new_uscc

from registry.adapters.files import evidence_checks as checks
from registry.adapters.files.evidence_store import EvidenceDamaged
from registry.adapters.files.evidence_store import EvidenceMissing
from registry.adapters.files.evidence_store import LocalEvidenceStore
from registry.adapters.files.evidence_store import S3EvidenceStore
from registry.adapters.files.evidence_store import read_verified
from registry.adapters.files.evidence_store import sha256_of
from registry.adapters.files.evidence_store import store_from_settings
from registry.app import create_app
from registry.settings import Settings

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
#: The EICAR anti-virus test string, put together here so this file itself is not flagged.
EICAR = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").encode()
BUCKET = "yumiao-evidence-test"
SCANNER = """\
import sys
data = sys.stdin.buffer.read()
sys.exit(1 if b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE" in data else 0)
"""
HANGING = """\
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
open(sys.argv[1], "w").write(f"{os.getpid()} {child.pid}")
time.sleep(60)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
    client.create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


def _s3(endpoint: str) -> S3EvidenceStore:
    return S3EvidenceStore(bucket=BUCKET, prefix="evidence/", endpoint_url=endpoint,
                           region="us-east-1", access_key_id="test", secret_access_key="test")


def _round_trip(store: Any) -> None:
    key = f"{new_uscc()}/1/abc"
    store.put(key, PDF, media_type=checks.PDF)
    assert store.get(key) == PDF
    assert read_verified(store, key, sha256_of(PDF)) == PDF
    store.put(key, PDF + b"tampered", media_type=checks.PDF)  # changed behind the registry
    with pytest.raises(EvidenceDamaged):
        read_verified(store, key, sha256_of(PDF))
    store.delete(key)
    with pytest.raises(EvidenceMissing):
        store.get(key)
    store.delete(key)  # forgetting twice is quiet


def test_the_local_store_keeps_bytes_by_key_and_checks_them(tmp_path: Path) -> None:
    _round_trip(LocalEvidenceStore(tmp_path))
    assert not [p for p in tmp_path.rglob(".incoming-*")]


def test_the_local_store_never_leaves_its_directory(tmp_path: Path) -> None:
    store = LocalEvidenceStore(tmp_path / "evidence")
    (tmp_path / "secret").write_bytes(b"x")
    with pytest.raises(EvidenceMissing):
        store.get("../secret")


def test_the_s3_store_keeps_bytes_by_key_and_checks_them(s3_endpoint: str) -> None:
    store = _s3(s3_endpoint)
    _round_trip(store)
    key = f"{new_uscc()}/2/def"
    store.put(key, PDF, media_type=checks.PDF)
    head = store.client.head_object(Bucket=BUCKET, Key=f"evidence/{key}")
    assert head["ContentType"] == checks.PDF and head["ContentLength"] == len(PDF)


def test_settings_choose_s3_when_a_bucket_is_named(s3_endpoint: str, tmp_path: Path) -> None:
    local = store_from_settings(Settings(evidence_dir=str(tmp_path)))
    assert isinstance(local, LocalEvidenceStore) and local.root == tmp_path.resolve()
    remote = store_from_settings(Settings(evidence_s3_bucket=BUCKET,
                                          evidence_s3_endpoint=s3_endpoint))
    assert isinstance(remote, S3EvidenceStore) and remote.bucket == BUCKET


def _app(database_url: str, **settings: Any) -> Flask:
    return create_app(Settings(database_url=database_url, log_json=False, log_level="WARNING",
                               **settings))


def _draft(app: Flask) -> tuple[Any, str, int]:
    client = app.test_client()
    uscc = new_uscc()
    create_enterprise(client, uscc)
    made = client.post(f"/api/v1/enterprises/{uscc}/submissions", json={"year": 2024},
                       headers={"X-Actor": f"firm:{uscc}"})
    assert made.status_code == 201, made.json
    return client, uscc, made.json["id"]


def _attach(client: Any, uscc: str, sub_id: int, data: bytes) -> Any:
    return client.post(f"/api/v1/enterprises/{uscc}/submissions/{sub_id}/evidence",
                       headers={"X-Actor": f"firm:{uscc}"}, content_type="multipart/form-data",
                       data={"item": "general", "kind": "audit_report",
                             "file": (io.BytesIO(data), "审计报告.pdf", "application/pdf")})


def test_uploads_go_to_s3_when_configured(database_url: str, s3_endpoint: str) -> None:
    app = _app(database_url, evidence_s3_bucket=BUCKET, evidence_s3_endpoint=s3_endpoint,
               evidence_s3_access_key_id="test",
               evidence_s3_secret_access_key="test")
    client, uscc, sub_id = _draft(app)
    made = _attach(client, uscc, sub_id, PDF)
    assert made.status_code == 201, made.json
    listed = _s3(s3_endpoint).client.list_objects_v2(Bucket=BUCKET,
                                                    Prefix=f"evidence/{uscc}/{sub_id}/")
    assert [o["Size"] for o in listed["Contents"]] == [len(PDF)]
    got = client.get(f"/api/v1/enterprises/{uscc}/submissions/{sub_id}/evidence/"
                     f"{made.json['id']}")
    assert got.status_code == 200 and got.data == PDF


def test_the_scan_hook_rejects_the_eicar_test_file(database_url: str, tmp_path: Path) -> None:
    scanner = tmp_path / "scan.py"
    scanner.write_text(SCANNER)
    store = tmp_path / "evidence"
    app = _app(database_url, evidence_dir=str(store),
               evidence_scan_command=f"{sys.executable} {scanner}")
    client, uscc, sub_id = _draft(app)
    clean = _attach(client, uscc, sub_id, PDF)
    assert clean.status_code == 201 and clean.json["scanned"] is True
    infected = _attach(client, uscc, sub_id, PDF + EICAR)
    assert infected.status_code == 422, infected.json
    assert infected.json["error"]["code"] == "rejected_by_scan"
    assert len([p for p in store.rglob("*") if p.is_file()]) == 1  # only the clean file


def test_a_failing_scanner_refuses_the_upload_for_now(database_url: str, tmp_path: Path) -> None:
    app = _app(database_url, evidence_dir=str(tmp_path),
               evidence_scan_command=f"{sys.executable} -c 'import sys; sys.exit(2)'")
    client, uscc, sub_id = _draft(app)
    answer = _attach(client, uscc, sub_id, PDF)
    assert answer.status_code == 503 and answer.json["error"]["code"] == "scan_unavailable"
    missing = _app(database_url, evidence_dir=str(tmp_path),
                   evidence_scan_command="/nonexistent/scanner --stdin")
    client, uscc, sub_id = _draft(missing)
    assert _attach(client, uscc, sub_id, PDF).status_code == 503


def test_a_hanging_scanner_is_killed_with_what_it_started(tmp_path: Path) -> None:
    script, pids = tmp_path / "hang.py", tmp_path / "pids"
    script.write_text(HANGING)
    started = time.monotonic()
    with pytest.raises(checks.ScanUnavailable):
        checks.scan(f"{sys.executable} {script} {pids}", PDF, timeout=1.5)
    assert time.monotonic() - started < 10
    for pid in map(int, pids.read_text().split()):
        for _ in range(50):  # the grandchild is reaped by init a moment later
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"process {pid} outlived the scan timeout")


def test_without_a_scanner_files_are_marked_not_scanned() -> None:
    assert checks.scan(None, PDF, 1.0) is False
