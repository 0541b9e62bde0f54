"""Test-only guard: any connection that leaves this machine raises instead of going out.

The test run puts this folder on PYTHONPATH, so every Python process it starts
(notebook kernels too) imports this file at startup. Loopback and Unix sockets,
which Jupyter kernels use, still work.
"""

import ipaddress
import socket

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


class NetworkBlocked(OSError):
    """Raised for a connection the course must never make (it works offline)."""


def _is_local(host):
    if host in ("localhost", "", None) or str(host).endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _check(sock, address):
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
        raise NetworkBlocked(f"dlstudy tests run offline: blocked a connection to {address!r}")


def guarded_connect(self, address):
    _check(self, address)
    return _real_connect(self, address)


def guarded_connect_ex(self, address):
    _check(self, address)
    return _real_connect_ex(self, address)


def guarded_getaddrinfo(host, *args, **kwargs):
    if not _is_local(host if isinstance(host, str) else (host.decode() if host else host)):
        raise NetworkBlocked(f"dlstudy tests run offline: blocked a name lookup of {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


socket.socket.connect = guarded_connect
socket.socket.connect_ex = guarded_connect_ex
socket.getaddrinfo = guarded_getaddrinfo
