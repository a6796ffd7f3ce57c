#!/usr/bin/python3
"""swiftdiff.py - the object store's differential harness: the same scripted requests (cases.json) sent to Debian's
Swift 2.30 (the "peer", the reference) and to cloudd's object store, compared.

Usage:
  swiftdiff.py --target peer=http://127.0.0.1:8080 --target cloudd=http://127.0.0.1:PORT
               [--cases cases.json] [--must-match must-match.txt] [--only REGEX] [--out result.json] [--verbose]

Each target is a proxy's root URL; both have the tempauth users of scripts/swift-diff-harness.sh. Requests go out on
raw http.client, so a case can send what a client library would refuse (invalid UTF-8 or NUL in a path, UTF-8 header
values, Transfer-Encoding: gzip). Per case it compares: the status; the presence of the headers every Swift response
carries (globals.present) and of the case's headers_present; the values of content-type and the case's
compare_headers (timestamps, HTTP dates, trans-ids and the run's suffix normalised); and the body: two JSON bodies
structurally (equal after normalisation, last_modified values ignored), anything else exactly after normalisation
(plain listings, error pages, object data). Prints each mismatch, the count per area and "N cases, M mismatches";
the exit status is 1 only when a case of --must-match mismatches (or a target cannot be reached).
"""
import base64, concurrent.futures, gzip, hashlib, hmac, http.client, io, json, os, re, sys, tarfile, time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "diffharness"))
from diffharness import RUN, harness_arguments, load_cases, pick, subst as variables_in, write_trx  # noqa: E402  (one run suffix, case file and path syntax for both)

USERS = {"root": ("system:root", "testpass"), "tester": ("test:tester", "testing"),
         "tester3": ("test:tester3", "testing3"), "tester2": ("test2:tester2", "testing2")}
TRANS_RE = re.compile(r"tx[0-9a-f]{21}-[0-9a-f]{10}|tx[0-9a-zA-Z_-]{8,}")
TS_RE = re.compile(r"\b1\d{9}(\.\d{5})?\b")
HTTPDATE_RE = re.compile(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT")
# ISO times, also with a space for the T (staticweb's listing pages)
ISO_RE = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?")
TOKEN_RE = re.compile(r"AUTH_tk[0-9a-f]+")
REP_RE = re.compile(r"\$\{rep:(.):(\d+)\}")
WRITES = {"PUT", "POST", "DELETE", "COPY"}
UNORDERED = {"allow", "access-control-allow-methods", "access-control-expose-headers"}  # Swift builds these from sets
http.client._MAXHEADERS = 10000  # an account or container may answer with every one of its metadata items


class RawConnection(http.client.HTTPConnection):
    """http.client that sends the request line as Latin-1 bytes unchecked: paths may hold raw UTF-8, invalid UTF-8, NUL."""

    def _validate_path(self, url):
        pass

    def _encode_request(self, request):
        return request.encode("latin-1")

    def _validate_host(self, host):
        pass


class Target:
    """One proxy: its tokens and storage URLs per user, and the variables its cases saved."""

    def __init__(self, name, root):
        self.name = name
        self.root = urllib.parse.urlsplit(root.rstrip("/"))
        self.vars = {"run": RUN}
        self.results = {}

    def login(self, alias, user, key):
        status, headers, _ = self.request("GET", "/auth/v1.0", {"X-Auth-User": user, "X-Auth-Key": key})
        if status != 200:
            raise SystemExit(f"{self.name}: cannot log in as {user}: HTTP {status}")
        self.vars[f"{alias}_token"] = headers["x-auth-token"]
        self.vars[f"{alias}_account"] = urllib.parse.urlsplit(headers["x-storage-url"]).path.rsplit("/", 1)[-1]

    def request(self, method, path, headers, body=None):
        conn = RawConnection(self.root.hostname, self.root.port, timeout=60)
        try:
            conn.putrequest(method, path, skip_host="Host" in headers, skip_accept_encoding=True)
            for k, v in headers.items():
                conn.putheader(k, v.encode("utf-8") if isinstance(v, str) else v)
            if body is not None and not any(k.lower() in ("content-length", "transfer-encoding") for k in headers):
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            r = conn.getresponse()
            data = r.read()
            got = {}
            for k, v in r.getheaders():
                got.setdefault(k.lower(), v.encode("latin-1").decode("utf-8", "replace"))
            return r.status, got, data
        finally:
            conn.close()


def subst(value, variables):
    """${name} replaced by the target's variable (diffharness's rule); ${rep:c:N} by N times the character c, first."""
    expanded = json.loads(REP_RE.sub(lambda m: m.group(1) * int(m.group(2)), json.dumps(value)))
    return variables_in(expanded, variables)


def signed_query(spec, variables, fields=""):
    """tempurl/formpost signature: HMAC(key, method\\nexpires\\npath) or formpost's path\\nredirect\\n... ."""
    expires = int(time.time()) + int(spec.get("expires_in", 600))
    path = subst(spec["path"], variables)
    digest = spec.get("digest", "sha1")
    msg = fields.replace("{expires}", str(expires)) if fields else f"{spec.get('method', 'GET')}\n{expires}\n{path}"
    if spec.get("ip_range"):
        msg = f"ip={spec['ip_range']}\n{msg}"
    sig = hmac.new(subst(spec["key"], variables).encode(), msg.encode(), getattr(hashlib, digest)).hexdigest()
    if digest != "sha1" and spec.get("prefixed"):
        sig = digest + ":" + base64.urlsafe_b64encode(bytes.fromhex(sig)).decode().rstrip("=")
    return expires, sig


def build_body(case, variables, headers):
    """The request body: body (text), body_json, body_tar {name: text} (tar_compression gz|bz2), or formpost."""
    if "body" in case:
        return subst(case["body"], variables).encode("utf-8")
    if "body_json" in case:
        return json.dumps(subst(case["body_json"], variables)).encode()
    if "body_tar" in case:
        buf = io.BytesIO()
        mode = "w:" + case.get("tar_compression", "")
        with tarfile.open(fileobj=buf, mode=mode) as tar:
            for name, text in subst(case["body_tar"], variables).items():
                data = text.encode()
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        return buf.getvalue()
    if "gzip_body" in case:
        return gzip.compress(subst(case["gzip_body"], variables).encode())
    if "formpost" in case:
        spec = case["formpost"]
        redirect, max_size, max_count = spec.get("redirect", ""), str(spec.get("max_file_size", 1024)), str(spec.get("max_file_count", 5))
        expires, sig = signed_query(spec, variables, f"{subst(spec['path'], variables)}\n{redirect}\n{max_size}\n{max_count}\n{{expires}}")
        boundary = "swiftdiffboundary"
        parts = [("redirect", redirect), ("max_file_size", max_size), ("max_file_count", max_count),
                 ("expires", str(expires)), ("signature", sig)]
        out = "".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n" for k, v in parts)
        for name, text in spec.get("files", {}).items():
            out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                    f"Content-Type: text/plain\r\n\r\n{text}\r\n")
        out += f"--{boundary}--\r\n"
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        return out.encode()
    return None


def send(target, case):
    v = target.vars
    path = subst(case["path"], v)
    if "tempurl" in case:
        expires, sig = signed_query(case["tempurl"], v)
        path += ("&" if "?" in path else "?") + f"temp_url_sig={sig}&temp_url_expires={expires}"
        if case["tempurl"].get("ip_range"):
            path += "&temp_url_ip_range=" + urllib.parse.quote(case["tempurl"]["ip_range"], safe="")
    if not case.get("raw_path"):
        path = urllib.parse.quote(path, safe="/?&=%:;,+@*'()!$~")
    else:
        path = path.encode("utf-8", "surrogateescape").decode("latin-1")
    headers = {}
    auth = case.get("auth", "tester")
    if auth != "none":
        headers["X-Auth-Token"] = v.get(f"{auth}_token", auth)
    headers.update(subst(case.get("headers", {}), v))
    gen = case.get("headers_gen")
    if gen:
        for i in range(gen["count"]):
            headers[f"{gen['prefix']}{i}"] = subst(gen.get("value", "v"), v)
    body = build_body(case, v, headers)
    return target.request(case.get("method", "GET"), path, headers, body)


def run_target(target, cases, verbose):
    for case in cases:
        if case.get("sleep"):
            time.sleep(case["sleep"])
        try:
            status, headers, body = send(target, case)
        except (OSError, http.client.HTTPException) as e:
            status, headers, body = f"no answer ({type(e).__name__})", {}, str(e).encode()
        for name, where in case.get("save", {}).items():
            if where.startswith("header:"):
                value = headers.get(where.split(":", 1)[1].lower())
            else:
                try:
                    value = pick(json.loads(body), where)
                except ValueError:
                    value = None
            if value is not None:
                target.vars[name] = value
        target.results[case["id"]] = {"status": status, "headers": headers, "body": body}
        if verbose:
            print(f"  [{target.name}] {case['id']}: {status}", file=sys.stderr)


def normalise(text, target):
    text = text.replace(RUN, "<run>")
    if getattr(target, "boundary", None):
        text = text.replace(target.boundary, "<boundary>")
    for alias in USERS:
        token = target.vars.get(f"{alias}_token")
        if token:
            text = text.replace(token, "<token>")
    text = TOKEN_RE.sub("<token>", text)
    text = TRANS_RE.sub("<txid>", text)
    text = HTTPDATE_RE.sub("<date>", text)
    text = ISO_RE.sub("<time>", text)
    return TS_RE.sub("<ts>", text)


def canonical_json(doc, target):
    """The JSON with last_modified values dropped and every string normalised."""
    if isinstance(doc, dict):
        return {k: ("<time>" if k == "last_modified" else canonical_json(val, target)) for k, val in doc.items()}
    if isinstance(doc, list):
        return [canonical_json(e, target) for e in doc]
    if isinstance(doc, str):
        return normalise(doc, target)
    return doc


def boundaries(answer, target):
    """A multipart answer's random boundary, as a variable of the target so normalise() replaces it."""
    m = re.search(r"boundary=([0-9A-Za-z'()+_,./:=?-]+)", answer["headers"].get("content-type", ""))
    if m:
        target.boundary = m.group(1)


def body_text(answer):
    return answer["body"].decode("utf-8", "replace")


def compare(case, ref, rt, other, ot, globals_):
    diffs = []
    boundaries(ref, rt), boundaries(other, ot)
    if ref["status"] != other["status"]:
        diffs.append(f"status {ref['status']} vs {other['status']}")
    present = list(globals_.get("present", [])) + list(case.get("headers_present", []))
    for h in present:
        a, b = h.lower() in ref["headers"], h.lower() in other["headers"]
        if a != b:
            diffs.append(f"header {h}: {'present' if a else 'absent'} vs {'present' if b else 'absent'}")
    # A write's success answer (201/202/204) says nothing in its body or its Content-Type unless it is a JSON report
    # (bulk, SLO); neither does a 204's Content-Type.
    quiet = (isinstance(ref["status"], int) and (ref["status"] == 204 or (case.get("method") in WRITES and 200 <= ref["status"] < 300))
             and not ref["headers"].get("content-type", "").startswith("application/json") and not case.get("compare_body"))
    compared = [] if case.get("status_only") else list(globals_.get("compare", [])) * (not quiet) + list(case.get("compare_headers", []))
    for h in compared:
        a, b = ref["headers"].get(h.lower()), other["headers"].get(h.lower())
        a, b = (normalise(a, rt) if a is not None else None), (normalise(b, ot) if b is not None else None)
        if h.lower() in ("location", "content-location"):
            # A redirect to the proxy itself names each proxy's own address.
            a, b = (x.replace(f"//{t.root.netloc}/", "//<proxy>/") if x is not None else None for x, t in ((a, rt), (b, ot)))
        if h.lower() in UNORDERED:
            a, b = (", ".join(sorted(x.split(", "))) if x is not None else None for x in (a, b))
        if a != b:
            diffs.append(f"header {h}: {a!r} vs {b!r}")
    if case.get("status_only") or case.get("body_ignore") or case.get("method") == "HEAD" or (quiet and ref["status"] == other["status"]):
        return diffs
    try:
        ja, jb = json.loads(ref["body"]), json.loads(other["body"])
        if case.get("json_keys"):
            ja, jb = sorted(ja) if isinstance(ja, dict) else ja, sorted(jb) if isinstance(jb, dict) else jb
        for path in case.get("json_values", []):
            if canonical_json(pick(ja, path), rt) != canonical_json(pick(jb, path), ot):
                diffs.append(f"value of {path}: {json.dumps(pick(ja, path))[:200]} vs {json.dumps(pick(jb, path))[:200]}")
        if case.get("json_values"):
            return diffs
        if canonical_json(ja, rt) != canonical_json(jb, ot):
            diffs.append(f"json body {json.dumps(canonical_json(ja, rt))[:300]} vs {json.dumps(canonical_json(jb, ot))[:300]}")
        return diffs
    except ValueError:
        pass
    a, b = normalise(body_text(ref), rt), normalise(body_text(other), ot)
    if a != b:
        diffs.append(f"body {a[:300]!r} vs {b[:300]!r}")
    return diffs


def error_page_only(entry):
    """Whether a mismatch is only the error page's format: same 4xx/5xx status, only its Content-Type or body differ."""
    status = entry["status"][0]
    return (entry["status"][0] == entry["status"][1] and isinstance(status, int) and status >= 400
            and all(d.startswith(("header Content-Type:", "body ")) for d in entry["diffs"]))


def main():
    ap = harness_arguments(__doc__, HERE, "NAME=PROXY_ROOT_URL (the first is the reference)")
    ap.add_argument("--verbose", action="store_true", help="print each answer's status as it comes")
    args = ap.parse_args()
    if args.trx_failure:
        write_trx(args.trx_failure[0], [("run", [args.trx_failure[1]])], "swiftdiff")
        return 1

    data, cases, must = load_cases(args.cases, args.must_match, args.only)

    targets = [Target(*t.split("=", 1)) for t in args.target]
    for t in targets:
        for alias, (user, key) in USERS.items():
            t.login(alias, user, key)
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(len(targets)) as pool:
        list(pool.map(lambda t: run_target(t, cases, args.verbose), targets))

    ref = targets[0]
    report, per_area, must_bad = [], {}, 0
    for case in (c for c in cases if not c.get("setup") and not c.get("cleanup")):
        area = case.get("area", "core")
        for other in targets[1:]:
            diffs = compare(case, ref.results[case["id"]], ref, other.results[case["id"]], other, data.get("globals", {}))
            per_area.setdefault(area, [0, 0])
            per_area[area][0] += 1
            if diffs:
                per_area[area][1] += 1
                must_bad += case["id"] in must
                flag = " MUST-MATCH" if case["id"] in must else ""
                shown = case["path"].encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                print(f"MISMATCH {case['id']} [{area}]{flag} {case.get('method', 'GET')} {shown}")
                for d in diffs:
                    print(f"    {d}")
                if args.verbose:
                    for t in (ref, other):
                        ans = t.results[case["id"]]
                        print(f"      {t.name}: {ans['status']} {json.dumps(ans['headers'])[:600]}\n        {body_text(ans)[:400]!r}")
            report.append({"id": case["id"], "area": area, "diffs": diffs,
                           "status": [ref.results[case["id"]]["status"], other.results[case["id"]]["status"]]})
    mismatches = sum(1 for r in report if r["diffs"])
    print(f"error page only (same status, only the error's Content-Type or body differ) in "
          f"{sum(1 for r in report if r['diffs'] and error_page_only(r))} cases")
    print(f"status differs in {sum(1 for r in report if r['status'][0] != r['status'][1])} cases")
    print("per area: " + ", ".join(f"{a} {m}/{n}" for a, (n, m) in sorted(per_area.items())))
    print(f"must-match: {len([r for r in report if r['id'] in must])} cases, {must_bad} mismatches")
    print(f"{len(report)} cases, {mismatches} mismatches ({time.monotonic() - started:.0f} s)")
    if args.out:
        json.dump({"run": RUN, "cases": report, "per_area": per_area}, open(args.out, "w"), indent=1)
    if args.trx:
        write_trx(args.trx, [(r["id"], r["diffs"]) for r in report if r["id"] in must], "swiftdiff")
    return 1 if must_bad else 0


if __name__ == "__main__":
    sys.exit(main())
