#!/usr/bin/python3
"""diffharness.py - the differential harness: the same scripted requests (cases.json) sent to a real OpenStack
(Debian's Keystone/Glance/Nova, the "peer") and to cloudd, compared schema-style.

Usage:
  diffharness.py --target peer=http://127.0.0.1:5000 --target cloudd=http://127.0.0.1:PORT
                 [--cases cases.json] [--must-match must-match.txt] [--only REGEX] [--out result.json]
                 [--trx FILE.trx] [--verbose]

The first target is the reference. Each target is a Keystone URL (without /v3); the image and compute endpoints come
from its token's catalog (public interface). Both must have the users admin/admin (admin of project admin) and
demo/demo (member of project demo), domain Default, and flavor "1".

Per case it compares: the status code; for two JSON answers, their shapes (every key path and its JSON type, list
elements merged, ids/times/values ignored, null matching any type); for two error answers, the message a client
shows (from Nova's {"xxx": {"message"}}, Keystone's {"error": {"message"}}, or Glance's HTML/text body), with uuids,
hex ids, times and the run's suffix normalised. Prints each mismatch, then "N cases, M mismatches" and the count per
area. Mismatches are reported, not failures: the exit status is 1 only when a case listed in --must-match mismatches
(or a target cannot be reached), and --trx writes those must-match cases as test results for CI's summary line.
"""
import argparse, concurrent.futures, html, json, os, re, sys, time, uuid
import xml.etree.ElementTree as ET
import requests

HERE = os.path.dirname(os.path.abspath(__file__))
UUID_RE = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")
HEX_RE = re.compile(r"\b[0-9a-f]{20,64}\b")
TIME_RE = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?")
VAR_RE = re.compile(r"\$\{([A-Za-z0-9_]+)\}")
SERVICE_TYPES = {"identity": "identity", "image": "image", "compute": "compute"}
LATEST = "2.93"  # Nova 26 (Zed), the peer, and cloudd's NovaVersions both top out here


class Target:
    """One cloud: its endpoints, tokens per user, and the variables its cases saved."""

    def __init__(self, name, keystone):
        self.name = name
        self.keystone = keystone.rstrip("/")
        self.http = requests.Session()
        self.endpoints = {"identity": self.keystone}
        self.tokens = {}
        self.vars = {"run": RUN}
        self.results = {}

    def login(self, user, password, project):
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": user, "domain": {"name": "Default"}, "password": password}}},
            "scope": {"project": {"name": project, "domain": {"name": "Default"}}}}}
        r = self.http.post(self.keystone + "/v3/auth/tokens", json=body, timeout=60)
        if r.status_code != 201:
            raise SystemExit(f"{self.name}: cannot log in as {user}: HTTP {r.status_code} {r.text[:300]}")
        token = r.json()["token"]
        self.tokens[user] = self.vars[f"{user}_token"] = r.headers["X-Subject-Token"]
        self.vars[f"{user}_user_id"] = token["user"]["id"]
        self.vars[f"{user}_project_id"] = token["project"]["id"]
        for entry in token.get("catalog", []):
            for kind, key in SERVICE_TYPES.items():
                if entry["type"] == key and kind != "identity":
                    for ep in entry["endpoints"]:
                        if ep["interface"] == "public":
                            self.endpoints[kind] = ep["url"].rstrip("/").replace("%(tenant_id)s", token["project"]["id"])

    def url(self, service, path):
        if service == "compute_root":  # the version document above /v2.1
            return re.sub(r"/v2(\.1)?$", "", self.endpoints["compute"]) + path
        base = self.endpoints[service]
        if service == "image":
            base = re.sub(r"/v2(\.\d+)?$", "", base)
        return base + path


def subst(value, variables):
    """${name} replaced by the target's variable (whole-string references keep the variable's JSON type)."""
    if isinstance(value, str):
        whole = VAR_RE.fullmatch(value)
        if whole and whole.group(1) in variables:
            return variables[whole.group(1)]
        return VAR_RE.sub(lambda m: str(variables.get(m.group(1), m.group(0))), value)
    if isinstance(value, list):
        return [subst(v, variables) for v in value]
    if isinstance(value, dict):
        return {subst(k, variables): subst(v, variables) for k, v in value.items()}
    return value


def pick(doc, path):
    """A value by dotted path ('server.id', 'servers.0.id', 'images[name=x].id')."""
    cur = doc
    for part in path.split("."):
        m = re.fullmatch(r"(\w[\w:-]*)\[(\w+)=(.*)\]", part)
        if m:
            cur = next((e for e in (cur or {}).get(m.group(1), []) if str(e.get(m.group(2))) == m.group(3)), None)
        elif isinstance(cur, list):
            cur = cur[int(part)] if part.isdigit() and int(part) < len(cur) else None
        elif isinstance(cur, dict):
            cur = cur.get(part)
        else:
            return None
    return cur


def send(target, case, request):
    """One request as the case describes it; returns (status, headers, body text, json or None)."""
    v = target.vars
    method = request.get("method", "GET")
    url = target.url(request.get("service", "compute"), subst(request["path"], v))
    headers = {"Accept": "application/json"}
    auth = request.get("auth", "admin")
    if auth != "none":
        headers["X-Auth-Token"] = target.tokens[auth] if auth in target.tokens else subst(auth, v)
    mv = request.get("microversion")
    if mv:
        mv = LATEST if mv == "2.latest" else mv
        headers["X-OpenStack-Nova-API-Version"] = mv
        headers["OpenStack-API-Version"] = f"compute {mv}"
    headers.update(subst(request.get("headers", {}), v))
    data = None
    if "body" in request:
        data = json.dumps(subst(request["body"], v))
        headers.setdefault("Content-Type", "application/json")
    elif "raw_body" in request:
        data = subst(request["raw_body"], v).encode()
        headers.setdefault("Content-Type", "application/json")
    r = target.http.request(method, url, data=data, headers=headers, timeout=120, allow_redirects=False)
    try:
        doc = r.json() if r.content else None
    except ValueError:
        doc = None
    return r.status_code, r.headers, r.text, doc


def run_case(target, case, previous):
    """Runs the case (polling while it says so) and keeps what it saves; returns its answer."""
    unset = sorted(set(VAR_RE.findall(json.dumps(case))) - set(target.vars))
    if unset:
        return {"status": "not sent", "text": "unset: " + ", ".join(unset), "json": None, "headers": {}}
    until = case.get("until")
    if until and previous is not None and not (isinstance(previous["status"], int) and previous["status"] < 400):
        until = None  # the request it waits for failed here: nothing will change
    deadline = time.monotonic() + case.get("timeout", 60)
    while True:
        status, headers, text, doc = send(target, case, case)
        if not until or satisfied(until, status, doc) or time.monotonic() > deadline:
            break
        time.sleep(1)
    for name, path in case.get("save", {}).items():
        if path.startswith("header-tail:"):  # the last segment of a URL header (Location: .../images/<id>)
            value = (headers.get(path.split(":", 1)[1]) or "").rstrip("/").rsplit("/", 1)[-1] or None
        elif path.startswith("header:"):
            value = headers.get(path.split(":", 1)[1])
        else:
            value = pick(doc, path)
        if value is not None:
            target.vars[name] = value
    return {"status": status, "text": text, "json": doc,
            "headers": {k.lower(): headers.get(k) for k in case.get("headers_present", [])}}


def satisfied(until, status, doc):
    if "status" in until:
        return status == until["status"]
    value = pick(doc, until["field"]) if doc is not None else None
    return value in until["in"] or (until.get("gone") and status == 404)


def run_target(target, cases, verbose):
    previous = None
    for case in cases:
        try:
            target.results[case["id"]] = previous = run_case(target, case, previous)
        except requests.RequestException as e:
            target.results[case["id"]] = {"status": f"no answer ({type(e).__name__})", "text": str(e), "json": None, "headers": {}}
        if verbose:
            print(f"  [{target.name}] {case['id']}: {target.results[case['id']]['status']}", file=sys.stderr)


def jtype(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(value)]


def shape(doc, opaque, prefix="", out=None, lists=None):
    """{key path: JSON type}; list elements merged under 'path[]'; 'lists' = paths of non-empty lists."""
    out = {} if out is None else out
    lists = set() if lists is None else lists
    out[prefix or "."] = jtype(doc)
    key = prefix.rsplit(".", 1)[-1].rstrip("[]")
    if isinstance(doc, dict) and key not in opaque and prefix not in opaque:
        for k, val in doc.items():
            shape(val, opaque, f"{prefix}.{k}" if prefix else k, out, lists)
    elif isinstance(doc, list) and doc and key not in opaque:
        lists.add(prefix)
        for e in doc:
            shape(e, opaque, prefix + "[]", out, lists)
    return out, lists


def compare_shapes(ref, other, opaque, ignore):
    a, alists = shape(ref, opaque)
    b, blists = shape(other, opaque)

    def comparable(path):
        if any(path == i or path.startswith(i + ".") or path.startswith(i + "[") for i in ignore):
            return False
        # inside a list that one side has empty: nothing to compare element-wise
        parts = [m.start() for m in re.finditer(r"\[\]", path)]
        return all(path[:p] in alists and path[:p] in blists for p in parts)

    diffs = []
    for p in sorted(set(a) | set(b)):
        if not comparable(p):
            continue
        parent = p.rsplit(".", 1)[0] if "." in p else "."
        if p not in b:
            if parent in b or parent == "." or p.endswith("[]"):
                diffs.append(f"missing {p} ({a[p]})")
        elif p not in a:
            if parent in a or parent == "." or p.endswith("[]"):
                diffs.append(f"extra {p} ({b[p]})")
        elif a[p] != b[p] and "null" not in (a[p], b[p]):
            diffs.append(f"type of {p}: {a[p]} vs {b[p]}")
    return diffs


def message(answer):
    """The error text a client shows."""
    doc = answer["json"]
    text = answer["text"] or ""
    if isinstance(doc, dict):
        inner = [v["message"] for v in doc.values() if isinstance(v, dict) and "message" in v]
        text = str(inner[0] if inner else doc.get("message", text))
    text = re.sub(r"(?is)<head>.*?</head>", "", text)
    text = re.sub(r"(?is)<h1>.*?</h1>", "", text)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return text


def normalise(text):
    text = TIME_RE.sub("<time>", text or "")
    text = UUID_RE.sub("<id>", text)
    text = HEX_RE.sub("<id>", text)
    text = text.replace(RUN, "<run>")
    return " ".join(text.split()).strip()


def compare(case, ref, other, globals_):
    opaque = set(globals_.get("opaque", [])) | set(case.get("opaque", []))
    ignore = list(globals_.get("ignore", [])) + list(case.get("ignore", []))
    diffs = []
    for name, answer in (("the reference", ref), ("this target", other)):
        if answer["status"] == "not sent":
            return [f"not sent to {name}: {answer['text']} (an earlier case failed there)"]
    if ref["status"] != other["status"]:
        diffs.append(f"status {ref['status']} vs {other['status']}")
    for h, val in ref["headers"].items():
        if (val is None) != (other["headers"].get(h) is None):
            diffs.append(f"header {h}: {'present' if val is not None else 'absent'} vs {'present' if other['headers'].get(h) is not None else 'absent'}")
    ok = lambda a: isinstance(a["status"], int) and a["status"] < 400
    if ok(ref) and ok(other) and not case.get("status_only"):
        if (ref["json"] is None) != (other["json"] is None):
            diffs.append("body: " + ("JSON" if ref["json"] is not None else "not JSON") + " vs "
                         + ("JSON" if other["json"] is not None else "not JSON"))
        elif ref["json"] is not None:
            diffs += compare_shapes(ref["json"], other["json"], opaque, ignore)
        for path in case.get("values", []):
            a, b = pick(ref["json"], path), pick(other["json"], path)
            if normalise(json.dumps(a)) != normalise(json.dumps(b)):
                diffs.append(f"value of {path}: {json.dumps(a)[:120]} vs {json.dumps(b)[:120]}")
    elif not ok(ref) and not ok(other) and not case.get("status_only"):
        ma, mb = normalise(message(ref)), normalise(message(other))
        if ma != mb:
            diffs.append(f"message {ma[:240]!r} vs {mb[:240]!r}")
    return diffs


def write_trx(path, results, suite="diffharness"):
    """The must-match cases as test results named <suite>.<case id>, for scripts/test-all.sh's summary line."""
    ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"
    run = ET.Element("TestRun", xmlns=ns, name=suite)
    res = ET.SubElement(run, "Results")
    for name, diffs in results:
        r = ET.SubElement(res, "UnitTestResult", testName=f"{suite}.{name}", outcome="Failed" if diffs else "Passed")
        if diffs:
            ET.SubElement(ET.SubElement(ET.SubElement(r, "Output"), "ErrorInfo"), "Message").text = "\n".join(diffs)
    failed = sum(1 for _, d in results if d)
    summary = ET.SubElement(run, "ResultSummary", outcome="Failed" if failed else "Completed")
    ET.SubElement(summary, "Counters", total=str(len(results)), passed=str(len(results) - failed), failed=str(failed),
                  error="0", timeout="0", notExecuted="0", inconclusive="0")
    ET.ElementTree(run).write(path, xml_declaration=True, encoding="utf-8")


RUN = uuid.uuid4().hex[:8]


def harness_arguments(doc, here, target_help):
    """The command line both harnesses share: --target (repeated), --cases and --must-match (default: beside the
    script), --only, --out, --trx, --trx-failure."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--target", action="append", required=True, help=target_help)
    ap.add_argument("--trx", help="write the must-match cases as a .trx (for scripts/test-all.sh's summary)")
    ap.add_argument("--trx-failure", nargs=2, metavar=("FILE.trx", "MESSAGE"),
                    help="only write a .trx with one failed test saying MESSAGE (the harness could not run)")
    ap.add_argument("--cases", default=os.path.join(here, "cases.json"))
    ap.add_argument("--must-match", default=os.path.join(here, "must-match.txt"))
    ap.add_argument("--only", help="run only the cases whose id matches this regex (plus the setup and cleanup cases)")
    ap.add_argument("--out", help="write every case's result and diffs as JSON")
    return ap


def load_cases(cases_path, must_match_path, only):
    """The case file, its cases (those matching the regex only, plus setup and cleanup ones) and the must-match ids;
    refuses duplicate ids and must-match ids without a case. Shared with scripts/swiftdiff/swiftdiff.py."""
    data = json.load(open(cases_path))
    cases = data["cases"]
    if only:
        cases = [c for c in cases if c.get("setup") or c.get("cleanup") or re.search(only, c["id"])]
    must = set()
    if os.path.exists(must_match_path):
        must = {l.split("#")[0].strip() for l in open(must_match_path)} - {""}
    ids = [c["id"] for c in data["cases"]]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup or must - set(ids):
        raise SystemExit(f"{cases_path}: duplicate ids {sorted(dup)}; must-match ids without a case {sorted(must - set(ids))}")
    return data, cases, must


def main():
    ap = harness_arguments(__doc__, HERE, "NAME=KEYSTONE_URL (the first is the reference)")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if args.trx_failure:
        write_trx(args.trx_failure[0], [("run", [args.trx_failure[1]])])
        return 1

    data, cases, must = load_cases(args.cases, args.must_match, args.only)

    targets = [Target(*t.split("=", 1)) for t in args.target]
    for t in targets:
        for user in ("admin", "demo"):
            t.login(user, user, user)
        print(f"[diffharness] {t.name}: keystone {t.keystone}, image {t.endpoints.get('image')}, compute {t.endpoints.get('compute')}",
              file=sys.stderr)
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(len(targets)) as pool:
        list(pool.map(lambda t: run_target(t, cases, args.verbose), targets))

    ref = targets[0]
    compared = [c for c in cases if not c.get("setup") and not c.get("cleanup")]
    report, per_area, must_results = [], {}, []
    for case in compared:
        for other in targets[1:]:
            diffs = compare(case, ref.results[case["id"]], other.results[case["id"]], data.get("globals", {}))
            area = case.get("area", "base")
            per_area.setdefault(area, [0, 0])
            per_area[area][0] += 1
            if diffs:
                per_area[area][1] += 1
                must_flag = " MUST-MATCH" if case["id"] in must else ""
                print(f"MISMATCH {case['id']} [{area}]{must_flag} {case.get('method', 'GET')} {case['path']}")
                for d in diffs:
                    print(f"    {d}")
            report.append({"id": case["id"], "area": area, "diffs": diffs,
                           "status": [ref.results[case["id"]]["status"], other.results[case["id"]]["status"]]})
            if case["id"] in must:
                must_results.append((case["id"], diffs))
    mismatches = sum(1 for r in report if r["diffs"])
    print("per area: " + ", ".join(f"{a} {m}/{n}" for a, (n, m) in sorted(per_area.items())))
    must_bad = sum(1 for _, d in must_results if d)
    print(f"must-match: {len(must_results)} cases, {must_bad} mismatches")
    print(f"{len(report)} cases, {mismatches} mismatches ({time.monotonic() - started:.0f} s)")
    if args.out:
        json.dump({"run": RUN, "cases": report, "per_area": per_area}, open(args.out, "w"), indent=1)
    if args.trx:
        write_trx(args.trx, must_results)
    return 1 if must_bad else 0


if __name__ == "__main__":
    sys.exit(main())
