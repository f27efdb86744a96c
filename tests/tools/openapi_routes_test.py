#!/usr/bin/env python3
"""docs/openapi.yaml documents exactly the routes the server registers (method and path)."""
import pathlib
import re
import unittest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def registered_routes():
    routes = set()
    for path in (ROOT / "src/strongroom/http/handlers").glob("*.cpp"):
        text = path.read_text()
        for method, route in re.findall(r'router\.Add\(\s*"([A-Z]+)",\s*"([^"]+)"', text):
            routes.add((method, route))
    return routes


def documented_routes():
    routes = set()
    current = None
    for line in (ROOT / "docs/openapi.yaml").read_text().splitlines():
        m = re.match(r"^  (/\S*):\s*$", line)
        if m:
            current = m.group(1)
            continue
        if re.match(r"^\S", line):
            current = None
        m = re.match(r"^    (get|post|put|patch|delete):\s*$", line)
        if m and current:
            routes.add((m.group(1).upper(), current))
    return routes


class OpenApiRoutes(unittest.TestCase):
    def test_every_registered_route_is_documented_and_nothing_else(self):
        registered, documented = registered_routes(), documented_routes()
        self.assertGreater(len(registered), 20)
        self.assertEqual(sorted(registered - documented), [], "registered but not documented")
        self.assertEqual(sorted(documented - registered), [], "documented but not registered")


if __name__ == "__main__":
    unittest.main()
