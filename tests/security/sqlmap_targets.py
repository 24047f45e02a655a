#!/usr/bin/env python3
"""The routes sqlmap attacks, one per line (tab-separated):

    name  method  url  data  api

Every route of every module binary (from --routes) that the signed-in
user may reach, with its :parts replaced by ids of records the user owns
and marked as an injection point (sqlmap's "*"), and with the parameters
its handler reads: the query and form names in the handler's source file
(crm_ctx_query/crm_ctx_form), plus the fields of every form that the
pages point at the route (what a browser would send). POST data carries
the session's form token, so the request reaches the handler.

usage: sqlmap_targets.py TOP BASE COOKIE PERMS IDS_JSON > targets.tsv
  PERMS: the role's permissions, comma-separated
  IDS_JSON: [["regex on the pattern", "id"], ...], first match wins
"""
import html.parser
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

TOP, BASE, COOKIE, PERMS, IDS = sys.argv[1:6]
PERMS = set(PERMS.split(","))
IDS = [(re.compile(p), v) for p, v in json.loads(IDS)]

# Never attacked, and why (the summary lists them):
SKIP = {
    # ends the session the run depends on
    ("POST", "/logout"): "ends the run's session",
    # nginx and the module throttle sign-ins per address: sqlmap would
    # measure the throttle; the lookup is one prepared statement by e-mail
    ("POST", "/login"): "sign-in is rate-limited per address (nginx.conf)",
    ("POST", "/account/password"): "would change the run's password",
    ("POST", "/account/2fa"): "would turn on two-factor sign-in for the run's user",
    ("POST", "/account/2fa/disable"): "asks for the password; would change the user",
    ("GET", "/login/2fa"): "only before the second factor",
    ("POST", "/login/2fa"): "only before the second factor",
}
ROUTE_RE = re.compile(r'\{\s*"(\w+)",\s*"([^"]+)",\s*([\w."-]+),\s*(\w+),')
NAME_RE = re.compile(r'crm_ctx_(query|form)(?:_str)?\(c, "([a-z_0-9]+)"\)')


def allowed(perm):
    if perm in ("public", "signed-in", "cross-site"):
        return True
    if perm in ("second-factor",):
        return False
    return "*" in PERMS or perm in PERMS


def id_for(pattern):
    for rx, v in IDS:
        if rx.search(pattern):
            return v
    return "1"


def handler_names(module):
    """handler -> (query names, form names) read in the file defining it."""
    mdir = os.path.join(TOP, "modules", module)
    out = {}
    for f in sorted(os.listdir(mdir)):
        if not f.endswith(".c") or f == "main.c":
            continue
        text = open(os.path.join(mdir, f), encoding="utf-8").read()
        q = sorted({n for k, n in NAME_RE.findall(text) if k == "query"})
        fm = sorted({n for k, n in NAME_RE.findall(text) if k == "form"})
        for h in re.findall(r"^(\w+)\(struct crm_ctx \*c\)", text, re.M):
            out[h] = (q, fm)
    return out


def route_handlers(module):
    text = open(os.path.join(TOP, "modules", module, "main.c"), encoding="utf-8").read()
    return {(m, p): h for m, p, _perm, h in ROUTE_RE.findall(text)}


class Forms(html.parser.HTMLParser):
    """Every form of a page: method, action and its fields' names with a value."""

    def __init__(self):
        super().__init__()
        self.forms, self.cur, self.select = [], None, None
        self.links = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self.cur = {"method": (a.get("method") or "get").upper(),
                        "action": a.get("action") or "", "fields": {}}
            self.forms.append(self.cur)
        elif self.cur is not None and a.get("name"):
            name = a["name"]
            if tag == "input":
                if a.get("type") in ("submit", "button", "file", "image", "reset"):
                    return
                if a.get("type") in ("checkbox", "radio") and name in self.cur["fields"]:
                    return
                self.cur["fields"].setdefault(name, a.get("value") or "")
            elif tag == "textarea":
                self.cur["fields"].setdefault(name, "")
            elif tag == "select":
                self.select = name
                self.cur["fields"].setdefault(name, "")
        if tag == "option" and self.cur is not None and self.select:
            if not self.cur["fields"].get(self.select) and a.get("value"):
                self.cur["fields"][self.select] = a["value"]

    def handle_endtag(self, tag):
        if tag == "form":
            self.cur = None
        elif tag == "select":
            self.select = None


def fetch(path):
    req = urllib.request.Request(BASE + path, headers={"Cookie": COOKIE})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except Exception:  # a page that cannot be read adds no fields
        return 0, ""


def main():
    routes = []
    for b in sorted(os.listdir(os.path.join(TOP, "cgi-bin"))):
        if not b.startswith("crm-") or b == "crm-dav":
            continue    # crm-dav: XML over Basic authentication, not forms
        module = b[4:]
        hn, rh = handler_names(module), route_handlers(module)
        out = subprocess.run([os.path.join(TOP, "cgi-bin", b), "--routes"],
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            method, pattern, perm = line.split()[:3]
            h = rh.get((method, pattern))
            q, fm = hn.get(h, ([], []))
            routes.append((module, method, pattern, perm, q, fm))

    # The forms of every page the user may open, by (method, action).
    forms, token = {}, ""
    for module, method, pattern, perm, q, fm in routes:
        if method != "GET" or not allowed(perm) or (method, pattern) in SKIP:
            continue
        path = re.sub(r":[a-z_]+", lambda m: id_for(pattern), pattern)
        status, page = fetch(path)
        if status != 200 or "<form" not in page:
            continue
        p = Forms()
        p.feed(page)
        for f in p.forms:
            action = urllib.parse.urlsplit(f["action"] or path).path
            fields = f["fields"]
            if "csrf_token" in fields and fields["csrf_token"]:
                token = fields["csrf_token"]
            forms.setdefault((f["method"], action), {}).update(fields)
        for href in p.links:
            u = urllib.parse.urlsplit(href)
            if u.query and not u.netloc:
                for k, v in urllib.parse.parse_qsl(u.query):
                    forms.setdefault(("GET", u.path), {}).setdefault(k, v)

    for module, method, pattern, perm, q, fm in routes:
        if method not in ("GET", "POST"):
            continue
        if (method, pattern) in SKIP:
            print("\t".join(["skip", method, pattern, SKIP[(method, pattern)], "-"]))
            continue
        if not allowed(perm):
            continue
        ident = id_for(pattern)
        path = re.sub(r":[a-z_]+", ident, pattern)
        # The path parts are injection points too: "*" after each id.
        marked = re.sub(r":[a-z_]+", ident + "*", pattern)
        seen = dict(forms.get((method, path), {}))
        for n in (q if method == "GET" else fm):
            seen.setdefault(n, "1")
        if method == "GET":
            for n in q:
                seen.setdefault(n, "1")
        seen.pop("csrf_token", None)
        has_params = bool(seen) or marked != pattern
        if not has_params:
            continue
        name = f"{module} {method} {pattern}"
        qs = urllib.parse.urlencode(sorted(seen.items()))
        if method == "GET":
            if marked != pattern and qs:
                # With a "*" in the path sqlmap tests only the marked
                # places: mark every query value as well.
                qs = "&".join(p + "*" for p in qs.split("&"))
            url = BASE + marked + ("?" + qs if qs else "")
            print("\t".join([name, "GET", url, "-", "page"]))
            if perm not in ("public", "cross-site") and qs:
                # The same handler as JSON, with the API token.
                print("\t".join([name + " (API)", "GET", BASE + "/api/v1" + marked + "?" + qs,
                                 "-", "api"]))
        else:
            data = "csrf_token=" + token + ("&" + qs if qs else "")
            print("\t".join([name, "POST", BASE + marked, data, "page"]))


main()
