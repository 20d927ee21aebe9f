"""Registry ORM models; importing this package registers every table on ``Base.metadata``."""

from registry.models.audit import AuditEntry
from registry.models.certification import Certification
from registry.models.certification import ExpiryReminder
from registry.models.enterprise import Enterprise
from registry.models.financials import AnnualFinancials
from registry.models.import_job import ImportJob  # noqa: F401 - bulk-import jobs
from registry.models.import_job import ImportUpload  # noqa: F401 - uploads waiting for a worker
from registry.models.ip import IpAsset
from registry.models.pool import PoolMembership
from registry.models.pool import StageMove
from registry.models.recognition import Award
from registry.models.recognition import RdInstitution
from registry.models.recognition import StandardLed

__all__ = [
    "AnnualFinancials",
    "AuditEntry",
    "Award",
    "Certification",
    "Enterprise",
    "ExpiryReminder",
    "IpAsset",
    "PoolMembership",
    "RdInstitution",
    "StageMove",
    "StandardLed",
]
