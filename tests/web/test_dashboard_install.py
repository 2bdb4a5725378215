"""Install to the home screen: a web app manifest, a service worker for the whole dashboard, the shell
working offline, and the cache headers and Content-Security-Policy the static files are served with."""

from __future__ import annotations

import re
from typing import Any

import httpx
from tests_web_support import PHONE, OpenDashboard, Server, needs_chromium

pytestmark = needs_chromium


def test_manifest_is_linked_and_complete(server: Server, dashboard: OpenDashboard) -> None:
    page = dashboard(PHONE)
    href = page.get_attribute('link[rel="manifest"]', "href")
    assert href
    manifest = httpx.get(server.base + href).json()
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone" and manifest["short_name"] == "집사"
    for icon in manifest["icons"]:
        assert httpx.get(server.base + icon["src"]).status_code == 200


def test_service_worker_registered_for_the_whole_dashboard(server: Server, dashboard: OpenDashboard) -> None:
    page = dashboard(PHONE)
    scope = page.evaluate("navigator.serviceWorker.ready.then((registration) => registration.scope)")
    assert scope == server.base + "/"


def test_chromium_finds_the_page_installable(dashboard: OpenDashboard) -> None:
    """Chromium's own installability check (manifest, icons, service worker); test browsers are incognito
    profiles, which Chromium never installs to, so that one reason is set aside."""
    page = dashboard(PHONE)
    page.evaluate("navigator.serviceWorker.ready")
    cdp = page.context.new_cdp_session(page)
    assert cdp.send("Page.getAppManifest")["errors"] == []
    errors = [e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    assert [e for e in errors if e != "in-incognito"] == []


def test_shell_opens_offline_and_says_it_cannot_reach_jibsa(dashboard: OpenDashboard) -> None:
    from playwright.sync_api import expect

    page = dashboard(PHONE)
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()  # now under the service worker's control, which keeps the shell
    page.wait_for_selector("body[data-ready]", state="attached")
    assert page.evaluate("Boolean(navigator.serviceWorker.controller)")
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#unreachable")).to_be_visible()
    expect(page.locator("#unreachable")).to_contain_text("연결할 수 없어요")
    expect(page.locator("#login")).to_be_hidden()


def test_static_files_revalidate_and_keep_the_csp(server: Server) -> None:
    for path in ("/", "/sw.js", "/static/app.js", "/words/ko.json", "/static/vendor/icons.svg"):
        response = httpx.get(server.base + path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-cache", path
        assert "script-src" not in response.headers["content-security-policy"]  # default-src 'self' only
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    etag = httpx.get(server.base + "/static/app.js").headers["etag"]
    assert httpx.get(server.base + "/static/app.js", headers={"If-None-Match": etag}).status_code == 304


def test_page_has_no_inline_scripts_or_styles(server: Server) -> None:
    html = httpx.get(server.base + "/").text
    assert "<script>" not in html and "<style" not in html and " style=" not in html and " onclick=" not in html


def test_service_worker_keeps_every_part_of_the_shell() -> None:
    """Each module, word file and style of the page is in the worker's SHELL list, so it opens offline."""
    from jibsa.api.app import web_root

    root = web_root()
    worker = (root / "sw.js").read_text(encoding="utf-8")
    modules = set(re.findall(r'"([\w-]+)"', worker.split("...[", 1)[1].split("]", 1)[0]))
    assert {p.stem for p in root.glob("*.js")} - {"sw"} == modules
    for path in ("/static/style.css", "/words/ko.json", "/words/en.json", "/static/vendor/icons.svg"):
        assert f'"{path}"' in worker


# The worker's own script run in the page against a stand-in (a fake: a service worker's CacheStorage cannot
# be watched from outside) that counts the files being fetched at once. `addAll` fetches all of its list at
# once, as a browser's does; `add` one file; `match` finds what an earlier worker kept (`kept`).
INSTALL_WITH_A_COUNTING_CACHE = """async ({ source, kept }) => {
  const handlers = {};
  const worker = { addEventListener: (type, handler) => { handlers[type] = handler; }, skipWaiting: async () => {},
    location: self.location };
  const seen = { now: 0, most: 0, fetched: [] };
  const fetching = async (urls) => {
    seen.now += urls.length;
    seen.most = Math.max(seen.most, seen.now);
    seen.fetched.push(...urls);
    await new Promise((resolve) => setTimeout(resolve, 5));
    seen.now -= urls.length;
  };
  const cache = { addAll: fetching, add: (url) => fetching([url]), put: async () => {},
    match: async (url) => (kept.includes(url) ? new Response("kept") : undefined) };
  const storage = { open: async () => cache, keys: async () => [], delete: async () => true,
    match: async () => undefined };
  new Function("self", "caches", source)(worker, storage);
  let installed;
  handlers.install({ waitUntil: (promise) => { installed = promise; } });
  await installed;
  return seen;
}"""


def test_the_worker_fetches_the_shell_a_few_files_at_a_time(server: Server, browser: Any) -> None:
    """Installed just after the page is ready, the worker keeps the shell without ~30 requests at once, and
    fetches only what its cache lacks. (A blank page runs it: the dashboard's CSP rightly allows no eval.)"""
    worker = httpx.get(server.base + "/sw.js").text
    page = browser.new_page()
    modules = re.findall(r'"([\w-]+)"', worker.split("...[", 1)[1].split("]", 1)[0])
    shell = {f"/static/{name}.js" for name in modules} | {"/", "/words/ko.json", "/static/style.css"}
    try:
        seen = page.evaluate(INSTALL_WITH_A_COUNTING_CACHE, {"source": worker, "kept": []})
        again = page.evaluate(INSTALL_WITH_A_COUNTING_CACHE, {"source": worker, "kept": ["/", "/static/app.js"]})
    finally:
        page.close()
    assert shell <= set(seen["fetched"]) and len(seen["fetched"]) == len(set(seen["fetched"]))
    assert 1 <= seen["most"] <= 4, seen["most"]
    assert set(seen["fetched"]) - set(again["fetched"]) == {"/", "/static/app.js"}
