"""Liveness and readiness probes for the load balancer and `make run`."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from ..permissions import requires


@never_cache
@requires("public")
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@requires("public")
def readyz(request):
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # any database failure means "not ready"
        return JsonResponse({"status": "unavailable", "database": str(exc.__class__.__name__)}, status=503)
    if pending:
        return JsonResponse({"status": "unavailable", "pending_migrations": len(pending)}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})
