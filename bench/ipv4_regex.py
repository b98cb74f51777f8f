#!/usr/bin/env python3
"""Build, test and install the IPv4 regexes of the host/hardcoded-ip rules.

    ipv4_regex.py            print both regexes after testing them
    ipv4_regex.py --write    also write them into semgrep/podready.yml and
                             ast-grep/rules/host-hardcoded-ip.yml

The regexes follow podready's address finder (analyzer/src/ip.rs): four
decimal octets 0-255 without leading zeros, not glued to a word or a longer
dotted number (`v1.2.3.4`, `1.2.3.4-SNAPSHOT`, `1.2.3.4.5`), not followed by a
CIDR suffix (`10.0.0.0/8`), and not in 0.0.0.0/8 (this network), 127.0.0.0/8
(loopback), 224.0.0.0/4 (multicast) or a netmask (255.x.y.z with every octet
a mask value). Semgrep gets a PCRE version with look-around that yields one
match per address; ast-grep gets a Rust-regex version (no look-around) that
only answers whether a literal contains such an address.
"""

from __future__ import annotations

import os
import re
import sys

OCT = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
MASK = "(0|128|192|224|240|248|252|254|255)"
NONMASK = ("(25[013]|24[1-79]|22[5-9]|23[0-9]|2[01][0-9]|22[0-3]|19[3-9]|19[01]"
           "|1[3-8][0-9]|129|12[0-7]|1[01][0-9]|[1-9][0-9]|[1-9])")
# First octet: not 0, 127, 224-239 or 255 (255 is handled separately).
FIRST = "(25[0-4]|24[0-9]|22[0-3]|2[01][0-9]|1[3-9][0-9]|12[0-689]|1[01][0-9]|[1-9][0-9]|[1-9])"
BODY = (f"({FIRST}\\.{OCT}\\.{OCT}\\.{OCT}"
        f"|255\\.({NONMASK}\\.{OCT}\\.{OCT}|{MASK}\\.{NONMASK}\\.{OCT}|{MASK}\\.{MASK}\\.{NONMASK}))")
IP_PCRE = (f"(?<![0-9A-Za-z._-]){BODY}"
           "(?![0-9A-Za-z_-])(?!\\.[0-9A-Za-z])(?!/[0-9]{1,3}(?![0-9A-Za-z]))")
IP_RUST = (f"(^|[^0-9A-Za-z._-]){BODY}"
           "([^0-9A-Za-z._/-]|\\.([^0-9A-Za-z]|$)|/([^0-9]|$)|/[0-9]{4}|/[0-9]{1,3}[A-Za-z]|$)")

CASES = {
    "jdbc:mysql://10.12.3.4:3306/x": ["10.12.3.4"],
    "http://192.168.1.20:8080/api": ["192.168.1.20"],
    "a,10.1.1.1,10.1.1.2": ["10.1.1.1", "10.1.1.2"],
    "at 10.9.1.1.": ["10.9.1.1"],
    "10.1.2.3/api": ["10.1.2.3"],
    "10.1.2.3/1234": ["10.1.2.3"],
    "240.1.1.1": ["240.1.1.1"],
    "255.1.2.3": ["255.1.2.3"],
    "255.255.255.1": ["255.255.255.1"],
    "255.255.255.0": [],
    "255.255.0.0": [],
    "255.255.255.255": [],
    "10.0.0.0/8": [],
    "127.0.0.1": [],
    "0.0.0.0": [],
    "224.0.0.251": [],
    "239.1.1.1": [],
    "v10.1.2.3": [],
    "10.1.2.3-SNAPSHOT": [],
    "1.2.3.4.5": [],
    "010.1.2.3": [],
    "10.1.2.03": [],
    "10.1.2.300": [],
}


def self_test() -> None:
    nonmask, octet, first = (re.compile(f"^{p}$") for p in (NONMASK, OCT, FIRST))
    for i in range(256):
        assert bool(nonmask.match(str(i))) == (i not in (0, 128, 192, 224, 240, 248, 252, 254, 255)), i
        assert octet.match(str(i)), i
        assert bool(first.match(str(i))) == (i not in (0, 127, 255) and not 224 <= i <= 239), i
    for s in ("01", "001", "256", "1000"):
        assert not octet.match(s) and not nonmask.match(s), s
    pcre, rust = re.compile(IP_PCRE), re.compile(IP_RUST)
    for text, expected in CASES.items():
        found = [m.group(0) for m in pcre.finditer(text)]
        assert found == expected, (text, found)
        # ast-grep matches the literal with its quotes
        assert bool(rust.search(f'"{text}"')) == bool(expected), text


def write() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    targets = [
        (os.path.join(here, "semgrep", "podready.yml"),
         r"(- pattern-regex: &ipv4 ')[^']*(')", IP_PCRE),
        (os.path.join(here, "ast-grep", "rules", "host-hardcoded-ip.yml"),
         r"(\n  regex: ')[^']*(')", IP_RUST),
    ]
    for path, pattern, regex in targets:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        new, n = re.subn(pattern, lambda m: m.group(1) + regex + m.group(2), text)
        if n != 1:
            raise SystemExit(f"{path}: expected one regex to replace, found {n}")
        with open(path, "w", encoding="utf-8") as f:
            f.write(new)
        print(f"updated {path}")


def main() -> int:
    self_test()
    print("semgrep (PCRE):", IP_PCRE)
    print("ast-grep (Rust regex):", IP_RUST)
    if "--write" in sys.argv[1:]:
        write()
    return 0


if __name__ == "__main__":
    sys.exit(main())
