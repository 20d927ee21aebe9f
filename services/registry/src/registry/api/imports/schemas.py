"""HTTP schemas of ``/imports``: the upload, its options and the job it becomes."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import fields

from registry.api.fields import MESSAGES
from registry.api.fields import BaseSchema


class UploadSchema(BaseSchema):
    file = Upload(required=True, error_messages=MESSAGES,
                  metadata={"description": "XLSX 或 CSV（模板格式） / XLSX or CSV in the template"})


class UploadArgs(BaseSchema):
    dry_run = fields.Boolean(load_default=False, error_messages=MESSAGES,
                             metadata={"description": "只校验不写入 / validate only"})


class RowErrorSchema(BaseSchema):
    row = fields.Integer()
    column = fields.String()
    message = fields.String()


class ImportJobSchema(BaseSchema):
    id = fields.UUID()
    status = fields.String(metadata={
        "description": "queued, validating, writing, succeeded, validated (dry run), failed"})
    dry_run = fields.Boolean()
    file_name = fields.String(allow_none=True)
    file_kind = fields.String()
    file_bytes = fields.Integer()
    actor = fields.String()
    total_rows = fields.Integer(allow_none=True)
    processed_rows = fields.Integer()
    enterprises = fields.Integer()
    financial_rows = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    error_count = fields.Integer()
    errors = fields.List(fields.Nested(RowErrorSchema),
                         metadata={"description": "前 1000 处错误 / the first 1,000 errors"})
    message = fields.String(allow_none=True)
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
