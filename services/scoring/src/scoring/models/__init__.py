"""scoring's tables; importing this package registers every table on ``Base.metadata``."""

from scoring.models.base import Base
from scoring.models.evaluation import Evaluation
from scoring.models.messaging import inbox
from scoring.models.messaging import outbox
from scoring.models.parameter import ParameterAudit
from scoring.models.parameter import ParameterOverride
from scoring.models.parked import ParkedMessage
from scoring.models.profile import EnterprisePool
from scoring.models.profile import EnterpriseProfile
from scoring.models.reevaluation import Reevaluation
from scoring.models.reevaluation import ReevaluationImpact

__all__ = [
    "Base",
    "EnterprisePool",
    "EnterpriseProfile",
    "ParkedMessage",
    "Evaluation",
    "ParameterAudit",
    "ParameterOverride",
    "Reevaluation",
    "ReevaluationImpact",
    "inbox",
    "outbox",
]
