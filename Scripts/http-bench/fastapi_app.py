"""The anchor workload on FastAPI/uvicorn, rebuilt from ../shared/reference/http-anchors.md.

GET /health -> {"status":"ok"}; GET /chain -> the bytes of CHAIN_FILE; 401 {"error":"invalid api key"}
unless X-API-Key: test-key. The key check is a pure ASGI wrapper scanning raw scope["headers"], as in
the anchors. Run: CHAIN_FILE=chain.json uvicorn fastapi_app:app --loop uvloop --http httptools
--no-access-log --log-level warning --port 8001
"""
import os

from fastapi import FastAPI
from fastapi.responses import Response

CHAIN = open(os.environ.get("CHAIN_FILE", "chain.json"), "rb").read()
HEALTH = b'{"status":"ok"}'
UNAUTHORIZED = b'{"error":"invalid api key"}'

inner = FastAPI()


@inner.get("/health")
async def health():
    return Response(content=HEALTH, media_type="application/json")


@inner.get("/chain")
async def chain():
    return Response(content=CHAIN, media_type="application/json")


async def app(scope, receive, send):
    if scope["type"] == "http":
        for name, value in scope["headers"]:
            if name == b"x-api-key" and value == b"test-key":
                return await inner(scope, receive, send)
        await send({"type": "http.response.start", "status": 401,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(UNAUTHORIZED)).encode())]})
        await send({"type": "http.response.body", "body": UNAUTHORIZED})
        return
    await inner(scope, receive, send)
