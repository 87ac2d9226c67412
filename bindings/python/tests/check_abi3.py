"""Checks that the built extension uses only Python's limited API (abi3, 3.8): every Py*
symbol it imports must be declared by Python.h when Py_LIMITED_API is 0x03080000 (with PY_SSIZE_T_CLEAN, as the extension is built), and the
module must say it was built that way. Usage: check_abi3.py EXTENSION PYTHON_INCLUDE_DIR"""

import os
import re
import subprocess
import sys
import sysconfig


def imported_python_symbols(extension):
    out = subprocess.run(["nm", "-D", "--undefined-only", extension], check=True,
                         capture_output=True, text=True).stdout
    names = {line.split()[-1].split("@")[0] for line in out.splitlines() if line.strip()}
    return sorted(n for n in names if re.match(r"_?Py", n))


def limited_api_names(include_dir):
    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    src = '#define Py_LIMITED_API 0x03080000\n#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n'
    out = subprocess.run(cc.split() + ["-E", "-I", include_dir, "-x", "c", "-"], input=src,
                         check=True, capture_output=True, text=True).stdout
    return set(re.findall(r"\b_?Py\w+", out))


def main():
    extension, include_dir = sys.argv[1], sys.argv[2]
    if not extension.endswith(".abi3.so"):
        print("FAIL: %s is not named with the abi3 suffix" % extension)
        return 1
    allowed = limited_api_names(include_dir)
    used = imported_python_symbols(extension)
    outside = [n for n in used if n not in allowed]
    print("%d Python symbols imported, %d outside the 3.8 limited API" % (len(used), len(outside)))
    for name in outside:
        print("  not limited API:", name)
    if not used:
        print("FAIL: no Python symbol imported (nm output not understood?)")
        return 1
    return 1 if outside else 0


if __name__ == "__main__":
    sys.exit(main())
