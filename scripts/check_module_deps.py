#!/usr/bin/env python3
"""Checks that modules include each other only in the architecture's direction.

Order (STYLE.md): base -> crypto -> storage -> audit -> identity -> access ->
{vault, isms, detect} -> backup -> checks -> {http, cli} -> server.
A module may include its own headers and those of modules strictly earlier in the order; modules
on the same level (vault and isms, http and cli) may not include each other.

Usage: check_module_deps.py SRC_DIR [--quiet]    exit 0 when clean, 1 on a violation.
"""
import pathlib
import re
import sys

LEVELS = [
    ["base"], ["crypto"], ["storage"], ["audit"], ["identity"], ["access"],
    ["vault", "isms", "detect"], ["backup"], ["checks"], ["http", "cli"], ["server"],
]
LEVEL_OF = {m: i for i, level in enumerate(LEVELS) for m in level}
INCLUDE = re.compile(r'^\s*#\s*include\s+"strongroom/([a-z_]+)/')


def check(src: pathlib.Path) -> list[str]:
    problems = []
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".hpp", ".cpp", ".h", ".cc"):
            continue
        module = path.relative_to(src).parts[0]
        if module not in LEVEL_OF:
            problems.append(f"{path}: '{module}' is not a known module; add it to LEVELS")
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = m.group(1)
            if target == module:
                continue
            if target not in LEVEL_OF:
                problems.append(f"{path}:{lineno}: includes unknown module '{target}'")
            elif LEVEL_OF[target] >= LEVEL_OF[module]:
                problems.append(
                    f"{path}:{lineno}: module '{module}' may not include '{target}' "
                    f"(allowed: modules before it in {' -> '.join('/'.join(l) for l in LEVELS)})")
    return problems


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    src = pathlib.Path(sys.argv[1])
    if not src.is_dir():
        print(f"check_module_deps: {src} is not a directory", file=sys.stderr)
        return 2
    problems = check(src)
    for p in problems:
        print(p, file=sys.stderr)
    if not problems and "--quiet" not in sys.argv:
        print(f"check_module_deps: module dependency order holds in {src}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
