#!/usr/bin/env python3
"""Acceptance check: the official `kiteconnect` client (unpatched) against a running `opsim serve`.

Usage:
    opsim serve --broker-port 8001 --speed 60 &
    python3 Scripts/kiteconnect_check.py --base-url http://127.0.0.1:8001 \
        --ticker-url ws://127.0.0.1:8001/ws --api-key opsim_key --api-secret opsim_secret

Steps (each prints PASS or FAIL): login redirect, generate_session, profile, a bad token giving
TokenException, instruments (all and NFO), quote/ltp/ohlc for 500 option symbols, historical
minute candles with OI, and full-mode ticks for 50 tokens over the WebSocket ticker.
Exit status: 0 if every step passed, 1 otherwise, 2 if kiteconnect is not installed.
"""
import argparse
import datetime
import os
import sys
import threading
import time
import urllib.parse

try:
    import requests
    from kiteconnect import KiteConnect, KiteTicker
    from kiteconnect import exceptions as kex
except ImportError as error:  # pragma: no cover
    print(f"SKIP: kiteconnect is not importable ({error}); pip install kiteconnect")
    sys.exit(2)

RESULTS = []


def step(name):
    """Runs the decorated function as one step and records PASS/FAIL with a detail line."""
    def wrap(function):
        def run(*args, **kwargs):
            started = time.monotonic()
            try:
                detail, value = function(*args, **kwargs)
                RESULTS.append((name, True))
                print(f"PASS {name}: {detail} ({time.monotonic() - started:.2f}s)", flush=True)
                return value
            except Exception as error:  # noqa: BLE001 - every failure is reported, not raised
                RESULTS.append((name, False))
                print(f"FAIL {name}: {type(error).__name__}: {error}", flush=True)
                return None
        return run
    return wrap


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def rate_limited(call, attempts=40):
    """Calls `call`, waiting out the broker's 429s (quote routes allow 1 request per virtual second)."""
    for _ in range(attempts):
        try:
            return call()
        except kex.NetworkException as error:
            if getattr(error, "code", None) != 429:
                raise
            time.sleep(0.25)
    return call()


@step("login redirect")
def login(base, api_key):
    url = f"{base}/connect/login?api_key={urllib.parse.quote(api_key)}&v=3"
    response = requests.get(url, allow_redirects=False, timeout=10)
    check(response.status_code == 302, f"expected 302, got {response.status_code}")
    query = urllib.parse.parse_qs(urllib.parse.urlparse(response.headers["Location"]).query)
    check(query.get("status") == ["success"] and query.get("action") == ["login"], f"bad redirect query {query}")
    token = query["request_token"][0]
    return f"request_token {token[:8]}…", token


@step("generate_session")
def session(kite, request_token, api_secret):
    data = kite.generate_session(request_token, api_secret=api_secret)
    check(isinstance(data.get("login_time"), datetime.datetime), f"login_time not a datetime: {data.get('login_time')!r}")
    check(data.get("access_token"), "no access_token")
    kite.set_access_token(data["access_token"])
    return f"user {data.get('user_id')}, login_time {data['login_time']}", data["access_token"]


@step("profile")
def profile(kite):
    data = kite.profile()
    check(data.get("user_id"), "profile without user_id")
    return f"user_id {data['user_id']}", data


@step("bad access token gives TokenException")
def bad_token(base, api_key):
    bad = KiteConnect(api_key=api_key, root=base)
    bad.reqsession.trust_env = False
    bad.set_access_token("not-a-token")
    try:
        bad.profile()
    except kex.TokenException as error:
        check(error.code == 403, f"TokenException with code {error.code}, expected 403")
        return "TokenException 403", None
    raise AssertionError("profile() with a bad token succeeded")


@step("instruments (all and NFO)")
def instruments(kite):
    everything = kite.instruments()
    nfo = kite.instruments("NFO")
    check(len(everything) >= len(nfo) > 0, f"{len(everything)} instruments in all, {len(nfo)} in NFO")
    options = [row for row in nfo if row["instrument_type"] in ("CE", "PE")]
    check(len(options) >= 500, f"only {len(options)} NFO options")
    sample = options[0]
    check(isinstance(sample["expiry"], datetime.date), f"expiry not a date: {sample['expiry']!r}")
    check(isinstance(sample["strike"], float) and sample["strike"] > 0, f"bad strike {sample['strike']!r}")
    check(sample["instrument_token"] & 0xFF == 2, f"NFO token {sample['instrument_token']} without segment 2")
    # The nearest expiry first, then by strike: the liquid part of the chain.
    options.sort(key=lambda row: (row["expiry"], row["name"], row["strike"], row["instrument_type"]))
    indices = [row["instrument_token"] for row in everything if row["segment"] == "INDICES"]
    check(all(token & 0xFF == 9 for token in indices), "an index token without segment 9")
    return f"{len(everything)} instruments, {len(nfo)} NFO, {len(options)} options", (options, indices)


@step("quote for 500 option symbols")
def quote(kite, keys):
    data = rate_limited(lambda: kite.quote(keys))
    check(len(keys) == 500, f"{len(keys)} keys")
    check(len(data) == 500, f"{len(data)} of 500 quotes returned")
    entry = data[keys[0]]
    check(isinstance(entry["timestamp"], datetime.datetime), f"timestamp not parsed: {entry['timestamp']!r}")
    check(len(entry["depth"]["buy"]) == 5 and len(entry["depth"]["sell"]) == 5, "depth is not 5+5 levels")
    for field in ("last_price", "volume", "oi", "ohlc", "instrument_token"):
        check(field in entry, f"quote without {field}")
    return f"500 quotes, {keys[0]} last {entry['last_price']} at {entry['timestamp']}", entry


@step("ltp for 500 option symbols")
def ltp(kite, keys):
    data = rate_limited(lambda: kite.ltp(keys))
    check(len(data) == 500, f"{len(data)} of 500 returned")
    check(all("last_price" in value for value in data.values()), "entry without last_price")
    return "500 ltp entries", data


@step("ohlc for 500 option symbols")
def ohlc(kite, keys):
    data = rate_limited(lambda: kite.ohlc(keys))
    check(len(data) == 500, f"{len(data)} of 500 returned")
    check(all(set(value["ohlc"]) == {"open", "high", "low", "close"} for value in data.values()), "bad ohlc shape")
    return "500 ohlc entries", data


@step("historical minute candles with oi")
def historical(kite, token, now):
    # The last hour up to the quote's timestamp (longer ranges work; a debug build is slow at them).
    start = (now - datetime.timedelta(hours=1)).replace(second=0, microsecond=0)
    candles = rate_limited(lambda: kite.historical_data(token, start, now, "minute", oi=True))
    check(len(candles) > 0, f"no candles between {start} and {now}")
    first = candles[0]
    check(set(first) == {"date", "open", "high", "low", "close", "volume", "oi"}, f"candle keys {sorted(first)}")
    check(first["low"] <= min(first["open"], first["close"]) and first["high"] >= max(first["open"], first["close"]),
          f"inconsistent candle {first}")
    return f"{len(candles)} candles for {token} from {first['date']}", candles


@step("full-mode ticks for 50 tokens (and the index)")
def ticks(api_key, access_token, ticker_url, tokens, index_token, timeout):
    seen = {}
    index_ticks = []
    done = threading.Event()
    errors = []
    ticker = KiteTicker(api_key, access_token, root=ticker_url, reconnect=False)

    everything = tokens + ([index_token] if index_token else [])

    def on_connect(ws, response):
        ws.subscribe(everything)
        ws.set_mode(ws.MODE_FULL, everything)

    def on_ticks(ws, batch):
        for tick in batch:
            if tick["instrument_token"] == index_token:
                if tick.get("mode") == "full" and tick.get("tradable") is False:
                    index_ticks.append(tick)
            elif tick.get("mode") == "full" and len(tick.get("depth", {}).get("buy", [])) == 5:
                seen[tick["instrument_token"]] = tick
        if len(seen) == len(tokens) and (index_ticks or not index_token):
            done.set()

    def on_error(ws, code, reason):
        errors.append(f"{code}: {reason}")

    def on_close(ws, code, reason):
        if not done.is_set():
            errors.append(f"closed {code}: {reason}")
            done.set()

    ticker.on_connect = on_connect
    ticker.on_ticks = on_ticks
    ticker.on_error = on_error
    ticker.on_close = on_close
    ticker.connect(threaded=True)
    done.wait(timeout)
    try:
        ticker.close()
    except Exception:  # noqa: BLE001
        pass
    check(len(seen) == len(tokens), f"full ticks for {len(seen)} of {len(tokens)} tokens; errors {errors}")
    sample = seen[tokens[0]]
    check(isinstance(sample["exchange_timestamp"], datetime.datetime), "exchange_timestamp not a datetime")
    check(not index_token or index_ticks, f"no full-mode index tick for {index_token}")
    index_text = f", index {index_token} last {index_ticks[0]['last_price']}" if index_ticks else ""
    return f"{len(seen)} tokens in full mode, e.g. {tokens[0]} last {sample['last_price']}{index_text}", seen


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8001")
    parser.add_argument("--ticker-url", default=None, help="default: the base URL's ws:// twin + /ws")
    parser.add_argument("--api-key", default="opsim_key")
    parser.add_argument("--api-secret", default="opsim_secret")
    parser.add_argument("--tick-timeout", type=float, default=30.0, help="seconds to wait for ticks")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    ticker_url = args.ticker_url or base.replace("http://", "ws://", 1) + "/ws"

    kite = KiteConnect(api_key=args.api_key, root=base)
    kite.reqsession.trust_env = False  # ignore proxy settings from the environment (loopback only)
    request_token = login(base, args.api_key)
    access_token = session(kite, request_token, args.api_secret) if request_token else None
    if access_token:
        profile(kite)
        bad_token(base, args.api_key)
        listed = instruments(kite)
        if listed:
            options, indices = listed
            keys = [f"NFO:{row['tradingsymbol']}" for row in options[:500]]
            entry = quote(kite, keys)
            ltp(kite, keys)
            ohlc(kite, keys)
            now = entry["timestamp"] if entry else datetime.datetime(2026, 11, 25, 15, 30)
            historical(kite, options[0]["instrument_token"], now)
            ticks(args.api_key, access_token, ticker_url, [row["instrument_token"] for row in options[:50]],
                  indices[0] if indices else None, args.tick_timeout)
    failed = [name for name, ok in RESULTS if not ok]
    print(f"{'FAIL' if failed else 'PASS'}: {len(RESULTS) - len(failed)}/{len(RESULTS)} steps passed"
          + (f"; failed: {', '.join(failed)}" if failed else ""), flush=True)
    sys.stdout.flush()
    os._exit(1 if failed or len(RESULTS) < 10 else 0)  # the ticker's reactor thread must not keep us alive


if __name__ == "__main__":
    main()
