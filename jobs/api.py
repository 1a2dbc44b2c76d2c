"""``GET /api/v1/jobs/{id}``: how a background job went (its creator and staff; others 404)."""

from __future__ import annotations

import orjson
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.request import Request

from factcheck.api.responses import json_bytes_response
from factcheck.api.schema import error_responses
from factcheck.errors import NotFound
from jobs.models import Job
from jobs.selectors import job_dict, jobs_visible_to

JobSerializer = inline_serializer(name="Job", fields={
    "id": serializers.IntegerField(),
    "kind": serializers.CharField(help_text="article_import, claimreview_pull, …"),
    "status": serializers.ChoiceField(choices=Job.Status.choices),
    "created_at": serializers.DateTimeField(),
    "started_at": serializers.DateTimeField(allow_null=True),
    "finished_at": serializers.DateTimeField(allow_null=True),
    "attempts": serializers.IntegerField(),
    "result": serializers.JSONField(allow_null=True, help_text="What the job did (when succeeded)."),
    "error": serializers.JSONField(
        allow_null=True,
        help_text="{code, message, fields}: why it failed, or why the last attempt failed while a "
                  "retry is queued."),
})


class JobDetailApi(generics.GenericAPIView):
    queryset = Job.objects.none()

    @extend_schema(summary="A background job: queued, running, succeeded (with its result) or failed",
                   responses={200: JobSerializer, **error_responses(401, 404, 429)}, tags=["jobs"])
    def get(self, request: Request, pk: int):
        job = jobs_visible_to(request.user).filter(pk=pk).first()
        if job is None:
            raise NotFound("No such job.")
        return json_bytes_response(orjson.dumps(job_dict(job)), headers={"Cache-Control": "no-store"})
