#!/usr/bin/env python3
"""Script the district (docs/api.md, docs/openapi.yaml) with the standard
library only: create a campaign for every school, import each school's
rosters from a folder, produce every letter as one job, download the ZIP and
export the reach report.

    J=https://jiashu.example.edu.cn TOKEN=jst_... python3 district.py 2027年春季反诈家书 rosters/ out/

rosters/<school name>/<any name>.xlsx (or .xls, .ods, .csv): every file in a
school's folder is imported into that school, dry run first; a file with
errors stops the script before anything of it is written.
"""
import hashlib
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid


class APIError(Exception):
    pass


def api(method, path, body=None, headers=None, raw=False):
    """Calls the API; answers the decoded JSON (or the bytes when raw)."""
    req = urllib.request.Request(os.environ["J"] + "/api/v1" + path, method=method)
    req.add_header("Authorization", "Bearer " + os.environ["TOKEN"])
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    if isinstance(body, dict):
        body = json.dumps(body, ensure_ascii=False).encode()
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, data=body) as res:
            data = res.read()
    except urllib.error.HTTPError as e:
        raise APIError(f"{method} {path}: {e.code} {e.read().decode(errors='replace')}") from None
    return data if raw else json.loads(data or b"null")


def multipart(fields, filename, content):
    """A multipart/form-data body: the fields and the file under "file"."""
    boundary = uuid.uuid4().hex
    parts = []
    for k, v in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    quoted = urllib.parse.quote(filename)
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{quoted}"\r\n'
                 'Content-Type: application/octet-stream\r\n\r\n'.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), {"Content-Type": "multipart/form-data; boundary=" + boundary}


def import_school(school, folder):
    """Imports every file of folder into school: a dry run, then the import."""
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if not entry.is_file():
            continue
        with open(entry.path, "rb") as f:
            content = f.read()
        body, headers = multipart({"dry_run": "true"}, entry.name, content)
        try:
            api("POST", f"/schools/{school['id']}/imports", body, headers)
        except APIError as e:
            sys.exit(f"{entry.path}: not imported: {e}")
        body, headers = multipart({}, entry.name, content)
        report = api("POST", f"/schools/{school['id']}/imports", body, headers)
        print(f"imported {school['name']}: {entry.name}, {report['students']} students")


def main(name, rosters, out):
    os.makedirs(out, exist_ok=True)
    schools = {s["name"]: s for s in api("GET", "/schools")["schools"]}

    # 1. The campaign, for every school. The key makes a retry after a lost
    # answer safe: the service answers the first campaign again.
    key = "campaign-" + hashlib.sha256(name.encode()).hexdigest()[:16]
    campaign = api("POST", "/campaigns", {"name": name, "quiz_enabled": True,
                                          "school_ids": [s["id"] for s in schools.values()]},
                   {"Idempotency-Key": key})
    print(f"campaign {campaign['id']}: {name}")

    # 2. Every school's rosters.
    for entry in sorted(os.scandir(rosters), key=lambda e: e.name):
        if entry.is_dir():
            if entry.name not in schools:
                sys.exit(f"{entry.name}: no such school")
            import_school(schools[entry.name], entry.path)

    # 3. Every letter of the campaign as one job, then its ZIP.
    job = api("POST", f"/campaigns/{campaign['id']}/letters", headers={"Idempotency-Key": "letters-" + key})
    while job["status"] not in ("done", "failed", "cancelled"):
        time.sleep(2)
        job = api("GET", f"/jobs/{job['id']}")
    if job["status"] != "done":
        sys.exit(f"letters job {job['id']} {job['status']}: {job.get('error', '')}")
    with open(os.path.join(out, "letters.zip"), "wb") as f:
        f.write(api("GET", f"/jobs/{job['id']}/result", raw=True))
    print(f"letters: {os.path.join(out, 'letters.zip')} ({job['letters']['letters']} letters)")

    # 4. The reach report (aggregates only).
    with open(os.path.join(out, "report.xlsx"), "wb") as f:
        f.write(api("GET", f"/overview/report.xlsx?campaign={campaign['id']}", raw=True))
    print(f"report: {os.path.join(out, 'report.xlsx')}")


if __name__ == "__main__":
    if len(sys.argv) != 4 or "J" not in os.environ or "TOKEN" not in os.environ:
        sys.exit("usage: J=URL TOKEN=jst_... district.py CAMPAIGN ROSTERS_DIR OUT_DIR")
    try:
        main(*sys.argv[1:])
    except APIError as e:
        sys.exit(str(e))
