#!/usr/bin/env python3
"""Install check: `./dev install --bin $COCOCONVERT PREFIX` into a scratch prefix, then the installed files
are used the way a shell and man would use them:
- the binary, man page and bash/zsh/fish completions exist where ./dev install says;
- `man -l` renders the page (else groff, else the check says it skipped), without troff warnings, and
  the rendered page names every route and the --labels presets;
- bash: `source` the completion, `complete -p cococonvert` is registered, and completing `coco2` gives the
  routes from coco, `coco2tfrecord IN --sch` gives --schema, `--schema ` its values, `coco2png --sch` nothing;
- zsh and fish scripts pass `zsh -n` / `fish -n` when those shells are installed.
Reads COCOCONVERT and WORK; prints 'N passed, M failed'.
"""
import json
import os
import shutil
import subprocess
import tempfile

from interop_support import ROOT, binary, check, finish

WORK = os.environ.get("WORK") or tempfile.mkdtemp(prefix="install-")


def completions(script, words):
    """What the bash completion offers for `words` (the last word is the one being completed)."""
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
    program = f"source '{script}'; COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; _cococonvert; printf '%s\\n' \"${{COMPREPLY[@]}}\""
    r = subprocess.run(["bash", "-c", program], capture_output=True, text=True, cwd=WORK)
    check(r.returncode == 0, f"bash completion of {words} failed: {r.stderr}")
    return [line for line in r.stdout.splitlines() if line]


def main():
    prefix = os.path.join(WORK, "prefix")
    r = subprocess.run([os.path.join(ROOT, "dev"), "install", "--bin", binary(), prefix], capture_output=True, text=True)
    if not check(r.returncode == 0, f"./dev install exited {r.returncode}: {r.stdout}{r.stderr}"):
        finish()
    files = {
        "binary": "bin/cococonvert",
        "man": "share/man/man1/cococonvert.1",
        "bash": "share/bash-completion/completions/cococonvert",
        "zsh": "share/zsh/site-functions/_cococonvert",
        "fish": "share/fish/vendor_completions.d/cococonvert.fish",
    }
    paths = {k: os.path.join(prefix, v) for k, v in files.items()}
    for kind, path in paths.items():
        check(os.path.isfile(path) and os.path.getsize(path) > 0, f"{kind}: {path} missing or empty")
    check(os.access(paths["binary"], os.X_OK), "installed binary is not executable")
    version = subprocess.run([paths["binary"], "--version"], capture_output=True, text=True)
    check(version.returncode == 0 and version.stdout.strip(), f"installed binary --version: {version.stderr}")
    routes = subprocess.run([paths["binary"], "formats"], capture_output=True, text=True)
    check(routes.returncode == 0, "installed binary runs 'formats'")

    # The man page renders and says what the help says.
    if shutil.which("man"):
        page = subprocess.run(["man", "-l", paths["man"]], capture_output=True, text=True,
                              env=dict(os.environ, MANPAGER="cat", PAGER="cat", MANWIDTH="100"))
        renderer = "man -l"
    elif shutil.which("groff"):
        page = subprocess.run(["groff", "-man", "-Tutf8", "-ww", paths["man"]], capture_output=True, text=True)
        renderer = "groff"
    else:
        page = None
        print("man and groff are not installed: the page was not rendered")
    if page is not None:
        check(page.returncode == 0, f"{renderer} failed: {page.stderr}")
        check("warning" not in page.stderr, f"{renderer} warnings: {page.stderr}")
        text = page.stdout.replace("\u2010", "-").replace("\u2011", "-")
        text = " ".join(text.replace("-\n", "-").split())
        for needle in ("NAME", "SYNOPSIS", "EXIT STATUS", "coco2png", "yolo2tfrecord", "--labels", "cocostuff182", "--allow-collisions"):
            check(needle in text, f"{renderer}: rendered page lacks {needle!r}")

    # bash completion: registered, routes, the route's options and option values.
    registered = subprocess.run(["bash", "-c", f"source '{paths['bash']}'; complete -p cococonvert"], capture_output=True, text=True)
    check(registered.returncode == 0 and "_cococonvert" in registered.stdout, f"complete -p cococonvert: {registered.stdout}{registered.stderr}")
    # The routes from coco, from the binary's own format list (`formats --json`: the writable formats).
    listing = json.loads(subprocess.run([paths["binary"], "formats", "--json"], capture_output=True, text=True).stdout)
    from_coco = ["coco2" + f["name"] for f in listing["formats"] if f["writes"]]
    check("coco2png" in from_coco and "coco2yolo" in from_coco, f"formats --json lists {from_coco}")
    coco = completions(paths["bash"], ["cococonvert", "coco2"])
    check(coco == from_coco, f"coco2 completes to {coco}, not {from_coco}")
    check("inspect" in completions(paths["bash"], ["cococonvert", "ins"]), "ins does not complete to inspect")
    check(completions(paths["bash"], ["cococonvert", "coco2tfrecord", "in.json", "--sch"]) == ["--schema"], "coco2tfrecord --sch")
    check(completions(paths["bash"], ["cococonvert", "coco2tfrecord", "in.json", "--schema", ""]) == ["deeplab", "od"], "--schema values")
    check(completions(paths["bash"], ["cococonvert", "coco2png", "--sch"]) == [], "coco2png offers --schema, which is tfrecord's")
    check("--allow-collisions" in completions(paths["bash"], ["cococonvert", "convert", "--from", "coco", "--to", "png", "--al"]),
          "convert --from coco --to png does not complete its options")
    open(os.path.join(WORK, "instances_x.json"), "w").close()
    check(completions(paths["bash"], ["cococonvert", "coco2png", "instances_"]) == ["instances_x.json"], "paths are not completed")

    if shutil.which("fish"):
        program = f"source '{paths['fish']}'; complete -C'cococonvert coco2'; echo ==; complete -C'cococonvert coco2tfrecord x --schema '"
        r = subprocess.run(["fish", "-c", program], capture_output=True, text=True)
        routes, _, values = r.stdout.partition("==\n")
        offered = sorted(line.split("\t")[0] for line in routes.splitlines())
        check(offered == sorted(from_coco), f"fish: coco2 completes to {offered} {r.stderr}")
        check(sorted(line.split("\t")[0] for line in values.splitlines()) == ["deeplab", "od"], f"fish: --schema values {values!r}")
    for shell, key in (("zsh", "zsh"), ("fish", "fish")):
        if shutil.which(shell):
            r = subprocess.run([shell, "-n", paths[key]], capture_output=True, text=True)
            check(r.returncode == 0, f"{shell} -n {paths[key]}: {r.stderr}")
        else:
            print(f"{shell} is not installed: its completion was not syntax-checked")
    finish()


if __name__ == "__main__":
    main()
