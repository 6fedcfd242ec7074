"""The ASGI app: `POST /v1/chat/completions` and `GET /v1/models`, OpenAI's shapes, on Starlette.

At start-up (the app's lifespan) it opens what every request shares: the sandbox executor, the
run store and the model (started once, or connected to once, behind the completion store). A
request is checked in this order: its bearer token (with an API key set), its size, its JSON,
its fields and tests; then it waits for admission and runs within the time limit. Whatever goes
wrong becomes an OpenAI-style error (`codesieve.serve.errors`), and the server goes on serving.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from codesieve.execution import ExecutionCache, Executor
from codesieve.serve.admission import Admission
from codesieve.serve.completion import completion, stream_chunks
from codesieve.serve.errors import APIError, as_api_error
from codesieve.serve.problem import served_problem
from codesieve.serve.request import chat_call, parse_body
from codesieve.serve.settings import ServeSettings
from codesieve.serve.solve import Solver
from codesieve.store import RunStore

log = logging.getLogger("codesieve.serve")


@dataclass(frozen=True)
class Service:
    """What the routes share: the settings, the solver and the admission queue."""

    settings: ServeSettings
    solver: Solver
    admission: Admission

    @property
    def models(self) -> tuple[str, ...]:
        return (self.settings.model.name,)


def create_app(settings: ServeSettings) -> Starlette:
    """The app serving `settings`; its model, executor and store open when the server starts."""
    settings.run_config()  # an unknown default strategy fails before the model loads

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        files = settings.files
        async with AsyncExitStack() as stack:
            executor = stack.enter_context(Executor(settings.workers, cache=ExecutionCache(files.exec_cache),
                                                    backend=settings.executor))
            store = stack.enter_context(RunStore(files.store))
            llm = await stack.enter_async_context(settings.model.open(files.completions))
            app.state.service = Service(settings, Solver(settings, llm, executor, store),
                                        Admission(settings.concurrency, settings.queue))
            yield

    return Starlette(routes=[Route("/v1/chat/completions", chat_completions, methods=["POST"]),
                             Route("/v1/models", models, methods=["GET"])],
                     exception_handlers={HTTPException: _http_error}, lifespan=lifespan)


async def models(request: Request) -> Response:
    service: Service = request.app.state.service
    try:
        _authorize(request, service.settings)
    except APIError as exc:
        return exc.response()
    data = [{"id": name, "object": "model", "created": 0, "owned_by": "codesieve"} for name in service.models]
    return JSONResponse({"object": "list", "data": data})


async def chat_completions(request: Request) -> Response:
    service: Service = request.app.state.service
    settings = service.settings
    started = time.monotonic()
    try:
        _authorize(request, settings)
        call = chat_call(parse_body(await _body(request, settings.max_body_bytes)), service.models)
        served = served_problem(call)
        async with service.admission.slot():
            answer = await asyncio.wait_for(
                service.solver.solve(served, call.extension.n, call.extension.strategy), settings.timeout_s)
    except asyncio.TimeoutError:
        return APIError(504, f"the request took longer than {settings.timeout_s:g} s (the server's --timeout); "
                             "its run was stopped unfinished", type="timeout_error", code="timeout").response()
    except Exception as exc:  # every failure answers in OpenAI's shape; the server serves on
        error = as_api_error(exc)
        log.warning("request failed (%d): %s", error.status, error.message)
        return error.response()
    log.info("%s: %s picked %s in %.1f s", answer.key, answer.pick.strategy, answer.pick.winner,
             time.monotonic() - started)
    store = str(settings.store.resolve())
    if call.stream:
        return StreamingResponse(stream_chunks(answer, call.model, store, call.include_usage),
                                 media_type="text/event-stream")
    return JSONResponse(completion(answer, call.model, store))


async def _http_error(request: Request, exc: HTTPException) -> Response:
    """A path or method this server does not serve, in the same error shape as everything else."""
    return APIError(exc.status_code, f"{request.method} {request.url.path}: {exc.detail} (this server serves "
                                     "POST /v1/chat/completions and GET /v1/models)").response()


def _authorize(request: Request, settings: ServeSettings) -> None:
    if settings.api_key is None:
        return
    given = request.headers.get("authorization", "")
    scheme, _, token = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), settings.api_key.encode()):
        raise APIError(401, "missing or wrong API key: send 'Authorization: Bearer <key>' with the server's "
                            "--api-key", type="invalid_request_error", code="invalid_api_key")


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 once it passes `limit` bytes (declared or streamed)."""
    too_big = APIError(413, f"the request body is larger than the server's limit of {limit} bytes",
                       code="request_too_large")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_big
    body = bytearray()
    async for part in request.stream():
        body += part
        if len(body) > limit:
            raise too_big
    return bytes(body)
