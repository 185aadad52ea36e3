"""Password hashing parameters."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class InteractiveArgon2PasswordHasher(Argon2PasswordHasher):
    """argon2id with OWASP's minimum for interactive logins: 19 MiB of memory, 2 iterations, 1 lane.

    Django's default (100 MiB, 2 lanes) costs each login thread 100 MiB; this keeps a web worker's
    memory flat under concurrent logins at a strength OWASP still recommends. The algorithm name stays
    `argon2`, so existing hashes verify with their own parameters and `must_update` rehashes them at
    the next successful login.
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
