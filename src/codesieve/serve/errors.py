"""Failures as OpenAI's clients expect them: a status and `{"error": {"message", "type", "param", "code"}}`.

Every failure of a request ends here, so a client always gets JSON it can read and the server keeps
serving. A codesieve error becomes its status by kind (bad input 400, the model's server 502);
anything else is a 500 whose details go to the server's log, not to the client.
"""

from __future__ import annotations

import logging

from starlette.responses import JSONResponse

from codesieve.errors import BackendError, CodesieveError, ConfigError, ProblemError

log = logging.getLogger("codesieve.serve")

# The official openai client retries 408, 409, 429 and 5xx unless told not to. Retrying cannot mend
# these failures: codesieve already retried its model server, and a pick is deterministic.
NO_RETRY = {"x-should-retry": "false"}


class APIError(Exception):
    """A request that cannot be answered with a completion; `headers` go on the error response."""

    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error", code: str | None = None,
                 param: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.type, self.code, self.param = status, message, type, code, param
        self.headers = NO_RETRY if headers is None else headers

    def response(self) -> JSONResponse:
        body = {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}
        return JSONResponse(body, status_code=self.status, headers=self.headers)


def bad_request(message: str, *, param: str | None = None, code: str | None = None) -> APIError:
    return APIError(400, message, param=param, code=code)


def as_api_error(exc: BaseException) -> APIError:
    """The error response for anything a request raised."""
    if isinstance(exc, APIError):
        return exc
    if isinstance(exc, (ConfigError, ProblemError)):
        return bad_request(str(exc))
    if isinstance(exc, BackendError):
        return APIError(502, f"the model server failed: {exc}", type="upstream_error", code="upstream_failed")
    if isinstance(exc, CodesieveError):
        return APIError(500, f"{type(exc).__name__}: {exc}", type="server_error")
    log.exception("request failed", exc_info=exc)
    return APIError(500, "internal error (the server log has the details)", type="server_error")
