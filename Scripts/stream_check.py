#!/usr/bin/env python3
"""Checks opsim's WS /v1/stream: auth at the upgrade, subscribe, sequence numbers and gap detection.

Usage: stream_check.py --url ws://127.0.0.1:PORT/v1/stream --key KEY
Prints PASS/FAIL per step; exits non-zero on any failure.
"""
import argparse, asyncio, json, sys

import websockets


async def run(url, key):
    failures = 0

    def check(name, ok, detail=""):
        nonlocal failures
        print(("PASS " if ok else "FAIL ") + name + (": " + detail if detail else ""))
        failures += 0 if ok else 1

    try:
        async with websockets.connect(url + "?api_key=wrong-key"):
            check("a wrong key is refused at the upgrade", False, "accepted")
    except websockets.exceptions.InvalidStatus as error:
        check("a wrong key is refused at the upgrade", error.response.status_code == 401, str(error))
    async with websockets.connect(url + "?api_key=" + key) as ws:
        hello = json.loads(await asyncio.wait_for(ws.recv(), 10))
        check("hello carries last_sequence", hello.get("type") == "hello" and "last_sequence" in hello)
        await ws.send(json.dumps({"action": "subscribe", "indices": ["NIFTY"], "channels": ["chain"]}))
        ack = json.loads(await asyncio.wait_for(ws.recv(), 10))
        check("subscribe is acknowledged", ack.get("type") == "subscribed", json.dumps(ack)[:100])
        updates = []
        while len(updates) < 3:
            message = json.loads(await asyncio.wait_for(ws.recv(), 20))
            if message.get("type") == "chain":
                updates.append(message)
        sequences = [m["sequence"] for m in updates]
        check("sequence numbers increase", sequences == sorted(sequences) and len(set(sequences)) == 3, str(sequences))
        chained = all(b["previous_sequence"] == a["sequence"] for a, b in zip(updates, updates[1:]))
        check("previous_sequence links consecutive updates (no gap)", chained)
        check("updates carry chain contracts with IV", all("contracts" in m["data"] for m in updates))
        await ws.send(json.dumps({"action": "resume", "from_sequence": updates[0]["sequence"]}))
        await ws.send(json.dumps({"action": "ping"}))
        pong = None
        while pong is None:
            message = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if message.get("type") == "pong":
                pong = message
        check("ping answers pong", pong is not None)
    print(("PASS" if failures == 0 else "FAIL") + ": stream check")
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    args = parser.parse_args()
    sys.exit(1 if asyncio.run(run(args.url, args.key)) else 0)


if __name__ == "__main__":
    main()
