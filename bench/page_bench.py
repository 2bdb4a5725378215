"""Benchmark of the dashboard's first load at phone size (390×844) over loopback: bytes transferred and
time until the page is interactive, cold (a fresh browser profile: nothing cached) and warm (reloaded:
files revalidated, 304 when unchanged).

    .venv/bin/python bench/page_bench.py [--runs 10]

Starts its own `jibsa serve` (the sample home, 31 devices) and Debian's chromium (headless, Playwright),
logs in once and opens the page `--runs` times in fresh browser contexts. "Transferred" is what the
network carried for the page (Chrome's encodedDataLength: headers and bodies, the API's JSON included,
the WebSocket excluded). "Interactive" is the page's own `jibsa-ready` mark: the home drawn, every
control live, the event stream opened — measured from the start of navigation.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "web"))
from tests_web_support import CHROMIUM, CHROMIUM_ARGS, PHONE, start_server, stop_server


def one_load(browser: Any, base: str, cookies: list[dict[str, Any]]) -> dict[str, float]:
    """Opens the page in a fresh context (cold), then reloads it (warm); bytes and times of each."""
    context = browser.new_context(viewport=PHONE)
    context.add_cookies(cookies)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes: list[float] = []
    cdp.on("Network.loadingFinished", lambda event: sizes.append(event["encodedDataLength"]))
    result: dict[str, float] = {}
    for name in ("cold", "warm"):
        sizes.clear()
        page.goto(base + "/") if name == "cold" else page.reload()
        page.wait_for_selector("body[data-ready]", state="attached")
        result[f"{name}_ms"] = page.evaluate("performance.getEntriesByName('jibsa-ready')[0].startTime")
        page.wait_for_load_state("networkidle")
        result[f"{name}_bytes"] = sum(sizes)
        result[f"{name}_requests"] = len(sizes)
    context.close()
    return result


def report(runs: list[dict[str, float]]) -> None:
    for name in ("cold", "warm"):
        ms = [r[f"{name}_ms"] for r in runs]
        kb = [r[f"{name}_bytes"] / 1024 for r in runs]
        requests = [r[f"{name}_requests"] for r in runs]
        print(
            f"{name}: interactive p50 {statistics.median(ms):.0f} ms (min {min(ms):.0f}, max {max(ms):.0f}); "
            f"transferred {statistics.median(kb):.1f} KB in {statistics.median(requests):.0f} requests "
            f"(min {min(kb):.1f}, max {max(kb):.1f} KB)"
        )


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        process, server = start_server(Path(data))
        try:
            login = httpx.post(server.base + "/api/login", json={"name": "admin", "password": server.password})
            cookies = [{"name": k, "value": v, "url": server.base} for k, v in login.cookies.items()]
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                one_load(browser, server.base, cookies)  # the server's first answers warm its caches
                runs = [one_load(browser, server.base, cookies) for _ in range(args.runs)]
                browser.close()
        finally:
            stop_server(process)
    report(runs)


if __name__ == "__main__":
    main()
