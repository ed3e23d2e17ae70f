#!/usr/bin/env python3
"""Release checks over the publishable crates of the workspace (docs/RELEASING.md).

The crates are discovered with `cargo metadata`: every workspace member whose `publish` is not
`false` counts, so a new crate under crates/ is covered without editing this file.

    packages.py crates            JSON list of publishable crates, in publish order
    packages.py msrv-matrix       JSON list of {"crate", "rust-version"} for the MSRV CI job
    packages.py check-lists       `cargo package --list` of each crate: licenses, README and
                                  CHANGELOG present; no benches, fixtures or large data
    packages.py check-manifests   versions, inter-crate version requirements, CHANGELOG format
    packages.py check-msrv-deps   no locked dependency needs a newer rustc than rust-version
    packages.py check-tag TAG     TAG is `<crate>-v<version>` matching Cargo.toml and CHANGELOG;
                                  prints the crate name
    packages.py published CRATE…  JSON list of those crates that have a version on crates.io
"""

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

# A file bigger than this in a package is test data or a mistake (the largest source today,
# a generated models.rs, is about 55 KiB).
MAX_FILE_BYTES = 200 * 1024
REQUIRED_FILES = ["Cargo.toml", "README.md", "CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE"]
# Path components that mark test data or benchmarks.
FORBIDDEN_DIRS = {"benches", "fixtures", "testdata", "test-data", "test_data"}
# Written by cargo itself, not taken from the crate directory.
GENERATED = {"Cargo.toml", "Cargo.toml.orig", "Cargo.lock", ".cargo_vcs_info.json"}
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$")


def metadata():
    res = subprocess.run(
        ["cargo", "metadata", "--no-deps", "--format-version", "1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    if res.returncode != 0:
        sys.exit("cargo metadata failed (its error is above)")
    return json.loads(res.stdout)


def publishable(meta):
    """Publishable workspace members, dependencies first (pos-client-core before its users)."""
    members = set(meta["workspace_members"])
    pkgs = {
        p["name"]: p
        for p in meta["packages"]
        if p["id"] in members and p.get("publish") != []
    }
    order, seen = [], set()

    def visit(name, stack=()):
        if name in seen:
            return
        if name in stack:
            sys.exit(f"dependency cycle between crates: {' -> '.join(stack + (name,))}")
        for dep in pkgs[name]["dependencies"]:
            # Dev-dependencies with a version are kept in the published manifest, so they
            # must be on the registry first too.
            if dep["name"] in pkgs and dep["name"] != name:
                visit(dep["name"], stack + (name,))
        seen.add(name)
        order.append(pkgs[name])

    for name in sorted(pkgs):
        visit(name)
    return order


def crate_dir(pkg):
    return os.path.dirname(pkg["manifest_path"])


def fail(errors):
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    sys.exit(1)


def cmd_crates(meta):
    print(json.dumps([p["name"] for p in publishable(meta)]))


def cmd_msrv_matrix(meta):
    rows = []
    for p in publishable(meta):
        if not p.get("rust_version"):
            fail([f"{p['name']}: no rust-version in Cargo.toml"])
        # `ring`: the crate offers the ring TLS provider, built without aws-lc-rs too.
        rows.append({"crate": p["name"], "rust-version": p["rust_version"],
                     "ring": "ring" in p["features"]})
    print(json.dumps(rows))


def cmd_check_lists(meta):
    errors = []
    for p in publishable(meta):
        name, root = p["name"], crate_dir(p)
        # --allow-dirty: the check is about what would be uploaded, also on a working tree.
        res = subprocess.run(
            ["cargo", "package", "--list", "--allow-dirty", "-p", name],
            capture_output=True,
            text=True,
        )
        if res.returncode != 0:
            errors.append(f"{name}: cargo package --list failed:\n{res.stderr}")
            continue
        files = [f for f in res.stdout.splitlines() if f]
        print(f"{name}: {len(files)} files")
        for req in REQUIRED_FILES:
            if req not in files:
                hint = " (a symlink to the root's file)" if req.startswith("LICENSE") else ""
                errors.append(f"{name}: the package lacks {req}{hint}")
        if p.get("readme") and os.path.basename(p["readme"]) not in files:
            errors.append(f"{name}: the package lacks its readme {p['readme']}")
        if not any(f.startswith("src/") for f in files):
            errors.append(f"{name}: the package has no src/")
        for f in files:
            parts = f.split("/")
            if FORBIDDEN_DIRS.intersection(parts[:-1]):
                errors.append(f"{name}: {f} is a benchmark or fixture: leave it out of the package "
                              "(`include` in [package], see crates/cloudma-client/Cargo.toml)")
            elif parts[0] == "tests" and not f.endswith(".rs"):
                errors.append(f"{name}: {f} is test data: leave it out of the package")
            if f in GENERATED:
                continue
            path = os.path.join(root, f)
            if os.path.exists(path) and os.path.getsize(path) > MAX_FILE_BYTES:
                errors.append(f"{name}: {f} is {os.path.getsize(path)} bytes "
                              f"(over {MAX_FILE_BYTES}): large data does not belong in the package")
        # Examples are documentation: they must ship.
        for t in p["targets"]:
            if "example" in t["kind"]:
                rel = os.path.relpath(t["src_path"], root)
                if rel not in files:
                    errors.append(f"{name}: example {rel} is not in the package")
    if errors:
        fail(errors)


def changelog_errors(p):
    path = os.path.join(crate_dir(p), "CHANGELOG.md")
    if not os.path.exists(path):
        return [f"{p['name']}: no CHANGELOG.md"]
    text = open(path, encoding="utf-8").read()
    if not re.search(r"^## \[Unreleased\]\s*$", text, re.M):
        return [f"{p['name']}: CHANGELOG.md has no `## [Unreleased]` section (Keep a Changelog)"]
    return []


def cmd_check_manifests(meta):
    errors = []
    pkgs = publishable(meta)
    versions = {p["name"]: p["version"] for p in pkgs}
    for p in pkgs:
        if not SEMVER.match(p["version"]):
            errors.append(f"{p['name']}: version {p['version']} is not semver")
        for field in ("description", "license", "repository", "rust_version"):
            if not p.get(field):
                errors.append(f"{p['name']}: no `{field.replace('_', '-')}` in [package]")
        for dep in p["dependencies"]:
            if dep["name"] not in versions:
                continue
            # A path dependency without a version cannot be published (and a dev-dependency
            # without one is silently dropped); use the [workspace.dependencies] entry.
            if dep["req"] == "*":
                errors.append(f"{p['name']}: dependency on {dep['name']} has no version "
                              f"requirement: use `{dep['name']}.workspace = true`")
        docs_rs = ((p.get("metadata") or {}).get("docs") or {}).get("rs") or {}
        if docs_rs.get("all-features") is not True:
            errors.append(f"{p['name']}: [package.metadata.docs.rs] must say all-features = true")
        errors += changelog_errors(p)
    if errors:
        fail(errors)
    print("manifests: " + ", ".join(f"{n} {v}" for n, v in versions.items()))


def version_key(v):
    return (tuple(int(x) for x in v.split(".")) + (0, 0))[:3]


def cmd_check_msrv_deps(meta):
    """No locked dependency of a crate asks for a newer rustc than the crate's rust-version.

    What the MSRV job in ci.yml would find after a long build, found from Cargo.lock alone.
    (Newer std APIs in our own code are clippy's `incompatible_msrv`, run by .ci/run.)"""
    res = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--all-features"],
        stdout=subprocess.PIPE,
        text=True,
    )
    if res.returncode != 0:
        sys.exit("cargo metadata failed (its error is above)")
    full = json.loads(res.stdout)
    by_id = {p["id"]: p for p in full["packages"]}
    nodes = {n["id"]: n for n in full["resolve"]["nodes"]}
    errors = []
    for crate in publishable(meta):
        msrv = version_key(crate["rust_version"])
        # The crate's own dependencies of every kind, then the normal and build dependencies
        # of those (dev-dependencies of a dependency are never built).
        root = next(i for i, p in by_id.items() if p["manifest_path"] == crate["manifest_path"])
        todo, seen = [d["pkg"] for d in nodes[root]["deps"]], set()
        while todo:
            pid = todo.pop()
            if pid in seen:
                continue
            seen.add(pid)
            dep = by_id[pid]
            if dep.get("rust_version") and version_key(dep["rust_version"]) > msrv:
                errors.append(f"{crate['name']} (rust-version {crate['rust_version']}) depends on "
                              f"{dep['name']} {dep['version']}, which needs rustc {dep['rust_version']}")
            todo += [d["pkg"] for d in nodes[pid]["deps"]
                     if any(k["kind"] in (None, "build") for k in d["dep_kinds"])]
    if errors:
        fail(errors)
    print("msrv: no locked dependency needs a newer rustc than its crate's rust-version")


def cmd_check_tag(meta, tag):
    m = re.match(r"^(?P<crate>[a-z0-9_-]+)-v(?P<version>\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$", tag)
    if not m:
        fail([f"tag {tag!r} is not `<crate>-v<version>` (e.g. noom-client-v0.1.0)"])
    crate, version = m["crate"], m["version"]
    pkgs = {p["name"]: p for p in publishable(meta)}
    if crate not in pkgs:
        fail([f"tag {tag}: {crate} is not a publishable crate of this workspace "
              f"({', '.join(pkgs)})"])
    p = pkgs[crate]
    errors = []
    if p["version"] != version:
        errors.append(f"tag {tag}: {crate}'s Cargo.toml says version {p['version']}")
    path = os.path.join(crate_dir(p), "CHANGELOG.md")
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    heading = re.compile(r"^## \[" + re.escape(version) + r"\] - \d{4}-\d{2}-\d{2}\s*$", re.M)
    if not heading.search(text):
        errors.append(f"tag {tag}: {crate}/CHANGELOG.md has no `## [{version}] - YYYY-MM-DD` "
                      "section (move the Unreleased entries there when releasing)")
    if errors:
        fail(errors)
    print(crate)


def on_crates_io(name):
    """True when crates.io's sparse index lists at least one version of `name`."""
    n = name.lower()
    prefix = {1: "1", 2: "2", 3: f"3/{n[0]}"}.get(len(n), f"{n[:2]}/{n[2:4]}")
    req = urllib.request.Request(
        f"https://index.crates.io/{prefix}/{n}",
        headers={"User-Agent": "pos-clients release checks"},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return any(line.strip() for line in resp.read().decode().splitlines())
    except urllib.error.HTTPError as e:
        if e.code in (403, 404, 410):
            return False
        raise


def cmd_published(names):
    print(json.dumps([n for n in names if on_crates_io(n)]))


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd, args = argv[1], argv[2:]
    if cmd == "published":
        return cmd_published(args)
    meta = metadata()
    if cmd == "crates":
        return cmd_crates(meta)
    if cmd == "msrv-matrix":
        return cmd_msrv_matrix(meta)
    if cmd == "check-lists":
        return cmd_check_lists(meta)
    if cmd == "check-manifests":
        return cmd_check_manifests(meta)
    if cmd == "check-msrv-deps":
        return cmd_check_msrv_deps(meta)
    if cmd == "check-tag" and len(args) == 1:
        return cmd_check_tag(meta, args[0])
    sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
