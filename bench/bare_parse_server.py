"""The baseline of `http_bench.py`: a bare FastAPI endpoint that only parses the sentence it is sent
(the sample home's parser, no authentication, no hub, no storage), on uvicorn as `jibsa serve` runs.

    .venv/bin/python bench/bare_parse_server.py PORT
"""

from __future__ import annotations

import sys
from typing import Any

import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel

from jibsa.home_file import load_home
from jibsa.nlu import Parser
from jibsa.words.replies import understood_json


class Said(BaseModel):
    text: str
    room: str | None = None
    session: str | None = None


def bare_app() -> FastAPI:
    home = load_home(None).home
    parser = Parser(home, home.language)
    app = FastAPI()

    @app.post("/api/conversation")
    async def conversation(said: Said) -> dict[str, Any]:
        return understood_json(parser.parse(said.text, room=said.room, session=said.session))

    return app


def main() -> None:
    port = int(sys.argv[1])
    config = uvicorn.Config(
        bare_app(),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
        server_header=False,
        proxy_headers=False,
    )
    server = uvicorn.Server(config)
    print(f"bare: http://127.0.0.1:{port}/", flush=True)
    server.run()


if __name__ == "__main__":
    main()
