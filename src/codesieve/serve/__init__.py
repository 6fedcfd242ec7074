"""`codesieve serve`: S* (or any strategy) behind an OpenAI-compatible chat completions endpoint.

Any client of `/v1/chat/completions` gets a selected program: each request becomes a problem (its
tests from the request's `codesieve` field, else from the examples in its prompt, else none), is
solved as a stored run on the server's one model and shared sandbox, and is answered with the
pick in a fenced block, the run's token usage, and a `codesieve` field saying how it was picked.
See docs/serve.md.

    from codesieve.serve import ServeSettings, create_app
    app = create_app(ServeSettings(n=8))        # an ASGI app: uvicorn.run(app, port=8008)
"""

from codesieve.serve.app import create_app
from codesieve.serve.settings import ServeSettings

__all__ = ["ServeSettings", "create_app"]
