"""notify's tables: policies (+ audit), preferences (+ audit), notices, deliveries, parked messages,
contact lists and SMS usage, policy windows, tier standings and the window-reminder ledger.

Importing this package registers every model (and the shared outbox/inbox tables) on
``Base.metadata``, which is what Alembic and the tests migrate against.
"""

from notify.models.contact import ContactList
from notify.models.contact import SmsUsage
from notify.models.delivery import Delivery
from notify.models.messaging import inbox_table
from notify.models.messaging import outbox_table
from notify.models.notice import Notice
from notify.models.parked import ParkedMessage
from notify.models.policy import Policy
from notify.models.policy import PolicyAudit
from notify.models.preference import Preference
from notify.models.preference import PreferenceAudit
from notify.models.window import PolicyWindow
from notify.models.window import TierStanding
from notify.models.window import WindowReminder

__all__ = [
    "ContactList",
    "Delivery",
    "Notice",
    "ParkedMessage",
    "Policy",
    "PolicyAudit",
    "PolicyWindow",
    "Preference",
    "PreferenceAudit",
    "SmsUsage",
    "TierStanding",
    "WindowReminder",
    "inbox_table",
    "outbox_table",
]
