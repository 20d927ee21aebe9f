"""Query arguments of ``/exports``: the enterprise list's own filters and a fiscal year."""

from __future__ import annotations

from marshmallow import fields
from marshmallow import validate

from registry.api.enterprises.schemas import EnterpriseListArgs
from registry.api.fields import MESSAGES

YEAR_HELP = ("只导出该会计年度的数据（名单中的数据列也取该年度） / Only this fiscal year's "
             "figures (the list's figure columns show that year too)")


class ExportArgs(EnterpriseListArgs):
    """The enterprise list's filters; paging does not apply (the whole list is exported)."""

    class Meta(EnterpriseListArgs.Meta):
        exclude = ("cursor", "limit")

    year = fields.Integer(validate=validate.Range(1990, 2100), error_messages=MESSAGES,
                          metadata={"description": YEAR_HELP})
