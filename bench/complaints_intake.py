"""Part 2 of ``make bench-complaints``: Open311 intake under gunicorn (see bench/complaints.py).

The platform runs under gunicorn with ``WORKERS`` sync worker processes on loopback;
client threads POST Open311 ``requests`` for a given time; afterwards the Demand rows are
counted to prove none was lost, and the CPU the workers, the PostgreSQL backends and the
load generator spent per request is reported with the load average, then the Python CPU,
SQL statements and round trips of one Open311 POST in this process.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from inspection import percentile  # the helpers of bench/inspection.py

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "QCITY_HOME": str(ROOT), "DEBUG": "0", "SECURE_SSL_REDIRECT": "0",
           "ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SETTINGS_MODULE": "qualitycity.settings"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "qualitycity.wsgi:application", "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"], env=env, cwd=ROOT)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/open311/v2/services.json")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("gunicorn did not answer within 120 s")


def _post_bodies(api_key: str, n: int, seed: int) -> list[bytes]:
    from qualitycity.complaints.demo_text import ITEMS, LANDMARKS, TEMPLATES
    from qualitycity.core.models import Area

    rng = random.Random(seed)
    districts = list(Area.objects.exclude(kind=Area.Kind.CITY).values_list("name", flat=True))
    bodies = []
    for _ in range(n):
        code = rng.choice(list(TEMPLATES))
        district = rng.choice(districts)
        place = rng.choice(LANDMARKS.get(district, [district]))
        title, text = rng.choice(TEMPLATES[code])
        text = text.format(place=place, firm="某商户", item=rng.choice(ITEMS), money=rng.choice([98, 680, 3600]))
        bodies.append(urllib.parse.urlencode({
            "api_key": api_key, "service_code": code, "description": f"{district}{text}，请相关部门处理。",
            "attribute[district]": district, "address_string": f"{district}{place}", "first_name": "先生",
            "last_name": rng.choice("王李张刘陈"), "phone": f"139{rng.randrange(10**8):08d}",
        }).encode())
    return bodies


def _client(port: int, bodies: list[bytes], stop, out: list, errors: list) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    i = 0
    while not stop():
        body = bodies[i % len(bodies)]
        i += 1
        t = time.perf_counter()
        try:  # gunicorn's sync workers close every connection: one connection per request
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("POST", "/open311/v2/requests.json", body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            conn.close()
        except OSError as exc:
            errors.append(repr(exc))
            continue
        if response.status == 200 and b"service_request_id" in payload:
            out.append(time.perf_counter() - t)
        else:
            errors.append(f"{response.status} {payload[:200]!r}")


def _cpu_seconds(pids) -> float:
    """User + system CPU of these processes so far (Linux /proc; 0 for a process gone)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _server_pids(server: subprocess.Popen) -> tuple[list[int], list[int]]:
    """The gunicorn worker processes and the PostgreSQL backends serving this database."""
    from django.db import connection

    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    workers = [int(x) for x in children.read_text().split()] if children.exists() else []
    with connection.cursor() as c:
        c.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        backends = [row[0] for row in c.fetchall()]
    return workers, backends


def _loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# statements sent together in one execute (the intake batches its writes on PostgreSQL)
NEXT_STATEMENT = re.compile(r'; (?=(?:INSERT INTO|UPDATE|SELECT|DELETE FROM) ")')


def intake_cpu_in_process(api_key: str, bodies: list[bytes], n: int, counted: int = 50) -> dict:
    """Python CPU (``time.process_time``) of an Open311 POST through Django's test client in
    this process, after a warm-up (classifier and copies loaded), and its SQL: statements
    and round trips (``execute`` calls) per POST, averaged over ``counted`` POSTs (the
    number of officers told of a new demand varies), with the statements of the last one."""
    from django.db import connection
    from django.test import Client

    client = Client()
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    def post(i):
        response = client.generic("POST", "/open311/v2/requests.json", bodies[i % len(bodies)],
                                  content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200 and b"service_request_id" in response.content, response.status_code

    for i in range(20):
        post(i)
    with connection.execute_wrapper(count):
        for i in range(counted):
            before = len(executed)
            post(20 + i)
    one_post = [" ".join(part.split()[:4]) for sql in executed[before:] for part in NEXT_STATEMENT.split(sql)]
    started = time.process_time()
    for i in range(n):
        post(20 + counted + i)
    statements = sum(1 + len(NEXT_STATEMENT.findall(sql)) for sql in executed)
    return {"requests": n, "cpu_ms_per_request": round(1000 * (time.process_time() - started) / n, 2),
            "queries_per_request": round(statements / counted, 1),
            "round_trips_per_request": round(len(executed) / counted, 1),
            "statements_of_one_post": one_post, "load_average": _loadavg(),
            "how": "django.test.Client in the bench process, time.process_time over the requests; SQL counted "
                   "with connection.execute_wrapper: statements, and execute calls as round trips (each "
                   "transaction adds BEGIN and COMMIT)"}


def intake_throughput(url: str, seconds: float, clients: int) -> dict:
    from qualitycity.complaints.models import Demand
    from qualitycity.complaints.services.keys import create_key
    from qualitycity.core.services.audit import Actor

    api_key = create_key(by=Actor.system("bench"), name=f"bench-{time.time_ns()}")
    bodies = _post_bodies(api_key, 500, seed=7)
    before = Demand.objects.filter(channel="api").count()
    port = _free_port()
    server = _start_server(url, port)
    try:
        # each worker loads jieba and the classifier on its first request: warm up until
        # every worker has surely served several (or 60 s have passed)
        warm, warm_errors = [], []
        give_up = time.perf_counter() + 60
        warm_stop = lambda: len(warm) >= 6 * WORKERS or time.perf_counter() > give_up  # noqa: E731
        threads = [threading.Thread(target=_client, args=(port, bodies, warm_stop, warm, warm_errors))
                   for _ in range(WORKERS * 2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        workers, backends = _server_pids(server)
        load_before = _loadavg()
        cpu_before = _cpu_seconds(workers), _cpu_seconds(backends), time.process_time()
        latencies, errors = [], []
        started = time.perf_counter()
        stop_at = started + seconds
        threads = [threading.Thread(target=_client, args=(port, bodies, lambda: time.perf_counter() >= stop_at,
                                                          latencies, errors)) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        cpu_after = _cpu_seconds(workers), _cpu_seconds(backends), time.process_time()
        load_after = _loadavg()
    finally:
        server.terminate()
        server.wait(timeout=30)
    created = Demand.objects.filter(channel="api").count() - before
    sent_ok = len(warm) + len(latencies)
    in_process = intake_cpu_in_process(api_key, bodies, 200)
    rate = len(latencies) / elapsed
    per_request = lambda i: round(1000 * (cpu_after[i] - cpu_before[i]) / max(len(latencies), 1), 2)  # noqa: E731
    return {
        "server": f"gunicorn, {WORKERS} sync worker processes, 127.0.0.1", "clients": clients,
        "seconds": round(elapsed, 1), "requests_ok": len(latencies), "errors": len(errors) + len(warm_errors),
        "error_samples": (errors + warm_errors)[:5], "requests_per_second": round(rate, 1),
        "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(1000 * percentile(latencies, 95), 1) if latencies else None,
        "warmup_requests_ok": len(warm), "sent_ok_total": sent_ok, "demands_created": created,
        "none_lost": created == sent_ok, "target_rps": 200, "meets_target": rate >= 200,
        "cpu_ms_per_request": {"gunicorn_workers": per_request(0), "postgresql_backends": per_request(1),
                               "load_generator": per_request(2)},
        "load_average": {"before": load_before, "after": load_after, "cpu_count": os.cpu_count()},
        "throttle": "none on Open311 writes (api_key clients); the per-IP throttle applies to the web form only",
        "settings": {"SECURE_SSL_REDIRECT": "0 (no TLS proxy on loopback)", "DEBUG": "0"},
        "in_process": in_process,
    }
