#!/usr/bin/env python3
"""Open opsim's /docs in headless Chromium, check every route renders, try one call, screenshot it.

Usage: python3 Scripts/docs_check.py --base http://127.0.0.1:8000 --key DEMO_KEY \
           [--operation getChain] [--param index=NIFTY --param strikes=2] [--screenshot docs/docs-try-chain.png]

Drives Chromium over the DevTools protocol (needs `chromium` on PATH and the `websockets`
package): loads /docs#OPERATION, types the key, fills the parameters, clicks Send, waits for the
answer, and saves a screenshot. Prints PASS/FAIL lines; exits 0 only when every check passed.
"""
import argparse
import base64
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from websockets.sync.client import connect


class DevTools:
    def __init__(self, socket):
        self.socket = socket
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        return result["result"].get("value")

    def wait_for(self, expression, seconds=15):
        deadline = time.time() + seconds
        while time.time() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.2)
        return None


def check_page(tools, args, check):
    """Loads /docs, checks the cards, sends one call and saves the screenshot."""
    tools.call("Page.enable")
    tools.call("Page.navigate", url=f"{args.base}/docs#{args.operation}")
    spec = json.load(urllib.request.urlopen(f"{args.base}/openapi.json"))
    expected = sum(len(methods) for methods in spec["paths"].values())
    rendered = tools.wait_for("document.querySelectorAll('details').length > 1 && document.querySelectorAll('details').length")
    check(rendered == expected + 1, f"/docs renders {rendered} cards: {expected} OpenAPI operations + the stream")
    opened = tools.evaluate(f"document.getElementById({json.dumps(args.operation)})?.open === true")
    check(opened, f"/docs#{args.operation} opens that operation")
    fill = [f"document.getElementById('apikey').value = {json.dumps(args.key)};"]
    for pair in args.param:
        name, value = pair.split("=", 1)
        fill.append(
            f"for (const row of document.getElementById({json.dumps(args.operation)}).querySelectorAll('tr')) {{"
            f" if (row.firstChild.textContent.replace(' *', '') === {json.dumps(name)})"
            f" row.querySelector('input,select').value = {json.dumps(value)}; }}")
    tools.evaluate("\n".join(fill))
    tools.evaluate(f"document.getElementById({json.dumps(args.operation)}).querySelector('button').click()")
    status = tools.wait_for(
        f"(s => /^\\d{{3}} /.test(s) && s)(document.getElementById({json.dumps(args.operation)}).querySelector('.status').textContent)")
    check(bool(status) and status.startswith("200 "), f"Send answered: {status}")
    output = tools.evaluate(f"document.getElementById({json.dumps(args.operation)}).querySelector('pre').textContent")
    try:
        body = json.loads(output or "")
    except ValueError:
        body = {}
    check("contracts" in body or "indices" in body or "index" in body, "the response is shown as JSON")
    tools.evaluate(f"document.getElementById({json.dumps(args.operation)}).scrollIntoView()")
    shot = tools.call("Page.captureScreenshot", format="png")
    with open(args.screenshot, "wb") as file:
        file.write(base64.b64decode(shot["data"]))
    print(f"screenshot: {args.screenshot}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True, help="the API's base URL, e.g. http://127.0.0.1:8000")
    parser.add_argument("--key", required=True, help="an API key with the read scope")
    parser.add_argument("--operation", default="getChain")
    parser.add_argument("--param", action="append", help="NAME=VALUE for the call (repeatable; default index=NIFTY, strikes=2)")
    parser.add_argument("--screenshot", default="docs-try.png")
    parser.add_argument("--port", type=int, default=9333, help="Chromium's DevTools port")
    args = parser.parse_args()
    args.param = args.param or ["index=NIFTY", "strikes=2"]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        print("FAIL chromium is not installed")
        return 1
    profile = tempfile.mkdtemp(prefix="opsim-docs-")
    browser = subprocess.Popen(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--user-data-dir={profile}",
         f"--remote-debugging-port={args.port}", "--window-size=1280,1400", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    failures = 0

    def check(ok, what):
        nonlocal failures
        print(("PASS " if ok else "FAIL ") + what)
        failures += 0 if ok else 1

    try:
        targets = None
        for _ in range(100):
            try:
                targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{args.port}/json"))
                break
            except OSError:
                time.sleep(0.1)
        page = next(t for t in targets if t["type"] == "page")
        with connect(page["webSocketDebuggerUrl"], max_size=64 << 20) as socket:
            check_page(DevTools(socket), args, check)
    finally:
        browser.terminate()
        browser.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)
    print(f"{'PASS' if failures == 0 else 'FAIL'}: docs check with {failures} failure(s)")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
