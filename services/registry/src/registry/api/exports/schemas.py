"""Query arguments of ``/exports``: the enterprise list's own filters."""

from __future__ import annotations

from registry.api.enterprises.schemas import EnterpriseListArgs


class ExportArgs(EnterpriseListArgs):
    """The enterprise list's filters; paging does not apply (the whole list is exported)."""

    class Meta(EnterpriseListArgs.Meta):
        exclude = ("cursor", "limit")
