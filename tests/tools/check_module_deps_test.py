#!/usr/bin/env python3
"""The module-order checker accepts the real tree's pattern and rejects each kind of violation."""
import pathlib
import subprocess
import sys
import tempfile
import unittest

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "check_module_deps.py"


def run(files: dict[str, str]) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as d:
        root = pathlib.Path(d)
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        return subprocess.run([sys.executable, str(SCRIPT), str(root)], capture_output=True,
                              text=True)


class CheckModuleDeps(unittest.TestCase):
    def test_accepts_includes_of_earlier_modules(self):
        r = run({"crypto/a.cpp": '#include "strongroom/base/status.hpp"\n'
                                 '#include "strongroom/crypto/a.hpp"\n',
                 "server/app.cpp": '#include "strongroom/http/server.hpp"\n'
                                   '#include "strongroom/cli/cli.hpp"\n'})
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_rejects_an_include_against_the_order(self):
        r = run({"crypto/a.cpp": '#include "strongroom/storage/store.hpp"\n'})
        self.assertEqual(r.returncode, 1)
        self.assertIn("module 'crypto' may not include 'storage'", r.stderr)

    def test_rejects_an_include_between_siblings(self):
        r = run({"cli/a.cpp": '#include "strongroom/http/server.hpp"\n'})
        self.assertEqual(r.returncode, 1)
        self.assertIn("'cli' may not include 'http'", r.stderr)

    def test_rejects_unknown_modules(self):
        self.assertEqual(run({"misc/a.cpp": "int x;\n"}).returncode, 1)
        self.assertEqual(run({"base/a.cpp": '#include "strongroom/util/x.hpp"\n'}).returncode, 1)


if __name__ == "__main__":
    unittest.main()
