"""OpenAPI links: which answer's fields feed which next call (an upload session → append, offset, finish…).

They document the protocol's flows in the served document and let a stateful tester (schemathesis)
walk them: create a session, append to it, finish it, download the blob; submit, read, review, withdraw.
"""

from __future__ import annotations

# (operationId of the answering call, statuses) → {link name: (operationId to call next, parameters)}
_LINKS: dict[tuple[str, tuple[str, ...]], dict[str, tuple[str, dict[str, str]]]] = {
    ("upload_create_api_v1_uploads_post", ("200", "201")): {
        "GetUpload": ("upload_get_api_v1_uploads__upload_id__get", {"upload_id": "$response.body#/upload_id"}),
        "UploadOffset": ("upload_head_api_v1_uploads__upload_id__head", {"upload_id": "$response.body#/upload_id"}),
        "AppendChunk": ("upload_append_api_v1_uploads__upload_id__patch",
                        {"upload_id": "$response.body#/upload_id", "header.Upload-Offset": "$response.header.Upload-Offset"}),
        "FinishUpload": ("upload_finish_api_v1_uploads__upload_id__put",
                         {"upload_id": "$response.body#/upload_id", "digest": "$response.body#/digest"}),
        "CancelUpload": ("upload_cancel_api_v1_uploads__upload_id__delete", {"upload_id": "$response.body#/upload_id"}),
    },
    ("upload_append_api_v1_uploads__upload_id__patch", ("204",)): {
        "NextChunk": ("upload_append_api_v1_uploads__upload_id__patch",
                      {"upload_id": "$request.path.upload_id", "header.Upload-Offset": "$response.header.Upload-Offset"}),
        "UploadOffset": ("upload_head_api_v1_uploads__upload_id__head", {"upload_id": "$request.path.upload_id"}),
        "FinishUpload": ("upload_finish_api_v1_uploads__upload_id__put", {"upload_id": "$request.path.upload_id"}),
    },
    # the office sets a listed column's type and limit (issue 15 §3)
    ("columns_api_v1_columns_get", ("200",)): {
        "SetColumn": ("column_set_api_v1_columns__column_id__patch", {"column_id": "$response.body#/columns/0/id"}),
    },
    ("upload_finish_api_v1_uploads__upload_id__put", ("201",)): {
        "DownloadBlob": ("blob_download_api_v1_blobs__digest__get", {"digest": "$response.body#/digest"}),
    },
    ("submit_api_v1_submissions_post", ("200", "201")): {
        "GetSubmission": ("submission_get_api_v1_submissions__submission_id__get",
                          {"submission_id": "$response.body#/submission_id"}),
        "WithdrawSubmission": ("submission_withdraw_api_v1_submissions__submission_id__withdraw_post",
                               {"submission_id": "$response.body#/submission_id"}),
        "ReviewSubmission": ("submission_review_api_v1_submissions__submission_id__review_post",
                             {"submission_id": "$response.body#/submission_id"}),
        # approver mode (issue 15 §2): the unit's approver accepts or returns the item
        "ApproveSubmission": ("submission_approval_api_v1_submissions__submission_id__approval_post",
                              {"submission_id": "$response.body#/submission_id"}),
        "ReviewView": ("submission_review_view_api_v1_submissions__submission_id__review_get",
                       {"submission_id": "$response.body#/submission_id"}),
        # what the server found when it checked the item on arrival (issue 14)
        "GetFindings": ("submission_findings_api_v1_submissions__submission_id__findings_get",
                        {"submission_id": "$response.body#/submission_id"}),
    },
    ("token_issue_api_v1_tokens_post", ("201",)): {
        "RevokeToken": ("token_revoke_api_v1_tokens__token_id__delete", {"token_id": "$response.body#/info/token_id"}),
    },
    ("unit_add_api_v1_units_post", ("201",)): {
        "DisableUnit": ("unit_disable_api_v1_units__code__disable_post", {"code": "$response.body#/code"}),
        "EnableUnit": ("unit_enable_api_v1_units__code__enable_post", {"code": "$response.body#/code"}),
        "SetUnitColumns": ("unit_columns_api_v1_units__code__columns_put", {"code": "$response.body#/code"}),
    },
}


def add_links(schema: dict) -> dict:
    """Add the links to a generated OpenAPI document (in place); an operation renamed away is an error."""
    operations = {op.get("operationId"): op for ops in schema.get("paths", {}).values() for op in ops.values()}
    for (source, statuses), links in _LINKS.items():
        for name, (target, _params) in links.items():
            if target not in operations:
                raise KeyError(f"OpenAPI link {name}: no operation {target}")
        for status in statuses:
            response = operations[source]["responses"][status]
            response["links"] = {name: {"operationId": target, "parameters": dict(params)}
                                 for name, (target, params) in links.items()}
    return schema
