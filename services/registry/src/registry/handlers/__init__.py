"""Use cases (keyword-only, taking a Session): they write the change, its audit row and its
events, and never commit; the caller (route, CLI, importer) owns the transaction."""

from registry.handlers.common import check_version
from registry.handlers.common import get_enterprise
from registry.handlers.common import profile_changed
from registry.handlers.enterprises import create_enterprise
from registry.handlers.enterprises import refresh_size_class
from registry.handlers.enterprises import update_enterprise
from registry.handlers.pipeline import get_membership
from registry.handlers.pipeline import move
from registry.handlers.pipeline import nominate
from registry.handlers.records import create_record
from registry.handlers.records import delete_financials
from registry.handlers.records import delete_record
from registry.handlers.records import get_financials
from registry.handlers.records import get_record
from registry.handlers.records import put_financials
from registry.handlers.records import update_record
from registry.handlers.reminders import emit_expiry_reminders

__all__ = [
    "check_version", "create_enterprise", "create_record", "delete_financials", "delete_record",
    "emit_expiry_reminders", "get_enterprise", "get_financials", "get_membership",
    "get_record", "move", "nominate", "profile_changed", "put_financials",
    "refresh_size_class", "update_enterprise", "update_record",
]
