"""Registry ORM models; importing this package registers every table on ``Base.metadata``."""

from registry.models.audit import AuditEntry
from registry.models.certification import Certification
from registry.models.certification import ExpiryReminder
from registry.models.contact import Contact
from registry.models.cultivation import Curatorship
from registry.models.cultivation import Problem
from registry.models.cultivation import ServiceRecord
from registry.models.enterprise import Enterprise
from registry.models.financials import AnnualFinancials
from registry.models.import_job import ImportJob  # noqa: F401 - bulk-import jobs
from registry.models.import_job import ImportUpload  # noqa: F401 - uploads waiting for a worker
from registry.models.ip import IpAsset
from registry.models.parked import ParkedMessage
from registry.models.plan import MonitoringAuditEntry
from registry.models.plan import Plan
from registry.models.plan import PlanIndicator
from registry.models.pool import PoolMembership
from registry.models.pool import StageMove
from registry.models.readiness import Readiness
from registry.models.recognition import Award
from registry.models.recognition import RdInstitution
from registry.models.recognition import StandardLed
from registry.models.reserve_round import ReserveRound
from registry.models.snapshot import SnapshotCorrection
from registry.models.snapshot import YearSnapshot
from registry.models.submission import Submission
from registry.models.submission import SubmissionEvidence

__all__ = [
    "ParkedMessage",
    "AnnualFinancials",
    "AuditEntry",
    "Award",
    "Certification",
    "Contact",
    "Curatorship",
    "Enterprise",
    "ExpiryReminder",
    "IpAsset",
    "MonitoringAuditEntry",
    "Plan",
    "PlanIndicator",
    "PoolMembership",
    "Problem",
    "RdInstitution",
    "Readiness",
    "ReserveRound",
    "ServiceRecord",
    "SnapshotCorrection",
    "StageMove",
    "StandardLed",
    "Submission",
    "SubmissionEvidence",
    "YearSnapshot",
]
