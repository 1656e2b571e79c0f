# A Starlette app to serve with your server: `wire start asgi-server starlette_app:app`.
import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, StreamingResponse
from starlette.routing import Route


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[dict[str, str]]:
    # Runs at lifespan.startup; what it yields is the lifespan state, copied into each request.
    yield {"greeting": "Hello from Starlette"}
    # Runs at lifespan.shutdown.


async def hello(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f"{request.state.greeting}, {request.query_params.get('name', 'world')}!\n")


async def count(request: Request) -> StreamingResponse:
    async def numbers() -> AsyncIterator[str]:
        for i in range(1, 4):
            yield f"{i}\n"
            await asyncio.sleep(0.5)

    return StreamingResponse(numbers(), media_type="text/plain")


app = Starlette(routes=[Route("/", hello), Route("/count", count)], lifespan=lifespan)
