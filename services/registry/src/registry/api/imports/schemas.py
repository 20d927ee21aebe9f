"""HTTP schemas of ``/imports``: the upload, its options and the job it becomes."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import fields
from marshmallow import validate

from registry.api.fields import MESSAGES
from registry.api.fields import BaseSchema
from registry.handlers.imports import SHEET_KINDS
from yumiao_common.web.pagination import page_schema


class UploadSchema(BaseSchema):
    file = Upload(required=True, error_messages=MESSAGES,
                  metadata={"description": "XLSX 或 CSV（模板格式） / XLSX or CSV in the template"})


class UploadArgs(BaseSchema):
    dry_run = fields.Boolean(load_default=False, error_messages=MESSAGES,
                             metadata={"description": "只校验不写入 / validate only"})
    sheet = fields.String(
        load_default="enterprises", validate=validate.OneOf(
            SHEET_KINDS, error="可选值 / allowed: " + ", ".join(SHEET_KINDS)),
        error_messages=MESSAGES, metadata={"description": (
            "文件内容 / what the file holds: enterprises（企业及年度数据 / firms and yearly "
            "figures）, certifications（认定证书）, ip（知识产权 / IP items）, pools（培育库名单 / "
            "pool memberships）; each has its template under /imports/…")})


class RowErrorSchema(BaseSchema):
    """A row the import refused (``errors``) or skipped / remarked on (``notices``): its line
    in the file (header = 1), the column header and why, with what is allowed."""

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
    sheet = fields.String(metadata={"description": "enterprises, certifications, ip or pools"})
    skipped = fields.Integer(metadata={"description": (
        "跳过的行（企业不在登记库、重复行、已登记） / rows skipped (firm not registered, "
        "repeated row, already on file)")})
    notices = fields.List(fields.Nested(RowErrorSchema), attribute="notice_list", metadata={
        "description": "跳过或需注意的行（前 1000 条） / rows skipped or worth a look "
                       "(the first 1,000)"})
    message = fields.String(allow_none=True)
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)


class ImportSummarySchema(BaseSchema):
    """One line of the import history: who imported which file when, and what came of it."""

    id = fields.UUID()
    file_name = fields.String(allow_none=True)
    file_kind = fields.String(metadata={"description": "xlsx or csv"})
    dry_run = fields.Boolean(metadata={"description": "只校验不写入 / a check, nothing written"})
    actor = fields.String(metadata={"description": "上传人 / who uploaded it"})
    status = fields.String(metadata={
        "description": "queued, validating, writing, succeeded, validated (dry run), failed"})
    total_rows = fields.Integer(allow_none=True)
    created = fields.Integer(metadata={"description": "新建企业数 / enterprises created"})
    updated = fields.Integer(metadata={"description": "更新企业数 / enterprises updated"})
    error_count = fields.Integer(metadata={"description": "出错行数 / rows that failed"})
    sheet = fields.String(metadata={"description": "enterprises, certifications, ip or pools"})
    skipped = fields.Integer(metadata={"description": "跳过的行 / rows skipped"})
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)


ImportPageSchema = page_schema(ImportSummarySchema, name="ImportJobPage")
