"""The shared half of every role-against-endpoint test.

Each app writes its own matrix out (URL -> roles allowed), independently of its rules
module, so that a wrong rule fails a test; these helpers only log in and compare.
"""

from __future__ import annotations

from django.test import Client

from qualitycity.core.models import Role

ANONYMOUS = "anonymous"
ROLES_AND_ANONYMOUS = sorted(Role) + [ANONYMOUS]


def client_for(world, role) -> Client:
    """A client logged in as ``world["users"][role]`` (not logged in for ``ANONYMOUS``)."""
    client = Client()
    if role != ANONYMOUS:
        client.force_login(world["users"][role])
    return client


def assert_matrix(client: Client, role, matrix: dict, *, api: bool, **url_args) -> None:
    """GET every URL of ``matrix``: 200 where ``role`` is allowed, otherwise 403, or for
    an anonymous visitor 401 from the API and a redirect to the login page from a page."""
    refused_anonymous = 401 if api else 302
    for url, allowed in matrix.items():
        url = url.format(**url_args) if url_args else url
        status = client.get(url).status_code
        expected = 200 if role in allowed else (refused_anonymous if role == ANONYMOUS else 403)
        assert status == expected, f"{role} GET {url}: {status} != {expected}"
