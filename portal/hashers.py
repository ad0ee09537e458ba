"""How passwords are stored: Argon2id at OWASP's recommended minimum.

OWASP's Password Storage Cheat Sheet gives, as its first choice, Argon2id with 19 MiB of
memory, two passes and one degree of parallelism. Django's own Argon2 hasher asks for
100 MiB and eight lanes, and its PBKDF2 default (1,000,000 iterations) took about a
second of CPU per login on this project's two-core servers, so a morning of logins
queued behind each other. At these parameters one check takes a few tens of
milliseconds and still costs an attacker 19 MiB of memory per guess.

A password stored with an older hasher (PBKDF2, or Argon2 with other parameters) is
still accepted, and Django stores it again with this one at the person's next login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id, m=19 MiB, t=2, p=1 (the algorithm name stays "argon2")."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
