#!/usr/bin/env python3
"""bench-boot.py - times real boots through cloudd's compute API, stage by stage (bench-boot.sh runs it).

Usage: bench-boot.py KEYSTONE_URL NOVA_URL USER PASSWORD PROJECT IMAGE_ID INSTANCES_PATH COUNT [LABEL]

Creates COUNT m1.tiny servers in one request (min_count = max_count = COUNT) and follows each until its
guest prints `TINYVM: READY`, reading the API for the server's status and the guest's serial log
(INSTANCES_PATH/instance-XXXXXXXX/console.log, readable by root) for its markers. Prints one JSON object:
seconds from the API call to each stage, per server, and the slowest server's times. Deletes the servers.
"""
import glob
import json
import os
import sys
import time
import urllib.request

MARKERS = [("booted", "TINYVM: BOOTED"), ("dhcp", "TINYVM: dhcp bound"), ("metadata", "TINYVM: meta instance-id="),
           ("ready", "TINYVM: READY")]


def call(method, url, token=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("X-Auth-Token", token)
    with urllib.request.urlopen(request, timeout=60) as response:
        text = response.read()
        return response, (json.loads(text) if text else None)


def token_for(keystone, user, password, project):
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": user, "domain": {"name": "Default"}, "password": password}}},
        "scope": {"project": {"name": project, "domain": {"name": "Default"}}}}}
    response, _ = call("POST", f"{keystone}/v3/auth/tokens", body=body)
    return response.headers["X-Subject-Token"]


def main():
    keystone, nova, user, password, project, image, instances_path, count = sys.argv[1:9]
    label = sys.argv[9] if len(sys.argv) > 9 else f"{count} instance(s)"
    count = int(count)
    token = token_for(keystone, user, password, project)
    t0 = time.monotonic()
    _, created = call("POST", f"{nova}/v2.1/servers", token, {"server": {
        "name": "bench", "imageRef": image, "flavorRef": "1", "min_count": count, "max_count": count}})
    api_seconds = time.monotonic() - t0
    reservation = created["server"].get("reservation_id") or created.get("reservation_id")
    servers = {}
    while True:
        _, detail = call("GET", f"{nova}/v2.1/servers/detail", token)
        servers = {s["id"]: s for s in detail["servers"] if s["name"].startswith("bench")}
        if len(servers) >= count:
            break
        time.sleep(0.05)
    stages = {sid: {"api": api_seconds} for sid in servers}
    names = {}
    deadline = t0 + 600
    while time.monotonic() < deadline and not all("ready" in s or "error" in s for s in stages.values()):
        _, detail = call("GET", f"{nova}/v2.1/servers/detail", token)
        now = time.monotonic() - t0
        for s in detail["servers"]:
            if s["id"] not in stages:
                continue
            st = stages[s["id"]]
            names[s["id"]] = s.get("OS-EXT-SRV-ATTR:instance_name") or names.get(s["id"])
            if s["status"] == "ACTIVE" and "active" not in st:
                st["active"] = now
            if s["status"] == "ERROR":
                st["error"] = s.get("fault", {}).get("message", "ERROR")
        for sid, st in stages.items():
            name = names.get(sid)
            logs = glob.glob(os.path.join(instances_path, name, "console.log")) if name else []
            if not logs:
                continue
            try:
                with open(logs[0], errors="replace") as f:
                    text = f.read()
            except OSError:
                continue
            for key, marker in MARKERS:
                if key not in st and marker in text:
                    st[key] = time.monotonic() - t0
        time.sleep(0.1)
    for sid in servers:
        try:
            call("DELETE", f"{nova}/v2.1/servers/{sid}", token)
        except Exception:  # noqa: BLE001 - a failed delete is reported, the figures still stand
            print(f"could not delete {sid}", file=sys.stderr)
    keys = ["api", "active", "booted", "dhcp", "metadata", "ready"]
    slowest = {k: max((st.get(k, float("nan")) for st in stages.values()), default=None) for k in keys}
    print(json.dumps({"label": label, "count": count, "reservation": reservation, "slowest": slowest,
                      "servers": {names.get(sid) or sid: st for sid, st in stages.items()}}, indent=1))


if __name__ == "__main__":
    main()
