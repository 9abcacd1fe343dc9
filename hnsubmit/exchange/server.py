"""Run the app on uvicorn from Python: bind first (port 0 picks a free port), then report the bound address."""

from __future__ import annotations

import socket
from typing import Callable

import uvicorn

# Access lines carry the method, path and status only: never a header, so never a token
# (tokens are not allowed in URLs either: protocol §1).
LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "default": {"()": "uvicorn.logging.DefaultFormatter", "fmt": "%(asctime)s %(levelprefix)s %(message)s", "use_colors": False},
        "access": {"()": "uvicorn.logging.AccessFormatter", "use_colors": False,
                   "fmt": '%(asctime)s %(levelprefix)s %(client_addr)s "%(request_line)s" %(status_code)s'},
    },
    "handlers": {
        "default": {"formatter": "default", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"},
        "access": {"formatter": "access", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"},
    },
    "loggers": {
        "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "hnsubmit": {"handlers": ["default"], "level": "INFO", "propagate": False},
    },
}


def bind(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.set_inheritable(True)
    return sock


def serve(app, host: str = "127.0.0.1", port: int = 8765, on_ready: Callable[[str, int], None] | None = None,
          access_log: bool = True) -> None:
    """Serve until interrupted; `on_ready(host, port)` is called once the server accepts connections."""
    sock = bind(host, port)
    bound = sock.getsockname()[1]

    class _Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets=sockets)
            if self.started and on_ready is not None:
                on_ready(host, bound)

    config = uvicorn.Config(app, log_config=LOG_CONFIG, access_log=access_log, timeout_keep_alive=15,
                            server_header=False, proxy_headers=False)
    _Server(config).run(sockets=[sock])
