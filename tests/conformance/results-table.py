#!/usr/bin/env python3
"""Prints the case table of docs/conformance.md from the JUnit XML files that the two wrapper scripts write when
PDESK_CONFORMANCE_RESULTS is set:  results-table.py <dir>   (reads proxy-{plain,auth}.xml, pulsar-{plain,auth}.xml)

A case counts as skipped on a run where it does not apply (auth cases on the plain run and the reverse), so each
server's result is the one non-skipped outcome of its two runs. An expected failure (QEXPECT_FAIL, marked
"Dn: ..." in the suite) is shown as "fail (Dn)", since the check did fail against that server."""
import os
import re
import sys
import xml.etree.ElementTree as ET


def outcomes(path):
    result = {}
    if not os.path.exists(path):
        return result
    for case in ET.parse(path).getroot().iter("testcase"):
        name = case.get("name")
        status = "pass"
        for child in case:
            if child.tag in ("failure", "error"):
                status = "FAIL"
            elif child.tag == "skipped":
                status = "skip"
            elif child.tag == "system-out" and status == "pass":
                mark = re.search(r"\b(D\d+):", child.text or "")
                if mark:
                    status = "fail (%s)" % mark.group(1)
        result[name] = status
    return result


def merged(directory, server):
    plain = outcomes(os.path.join(directory, server + "-plain.xml"))
    auth = outcomes(os.path.join(directory, server + "-auth.xml"))
    names = list(plain) + [n for n in auth if n not in plain]
    return names, {n: (plain.get(n, "skip") if plain.get(n, "skip") != "skip" else auth.get(n, "skip")) for n in names}


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else "."
    names, proxy = merged(directory, "proxy")
    pulsar_names, pulsar = merged(directory, "pulsar")
    for n in pulsar_names:
        if n not in proxy:
            names.append(n)
    print("| Case | Apache Pulsar | pulsar-desk-proxy |")
    print("|---|---|---|")
    for n in names:
        if n in ("initTestCase", "cleanupTestCase"):
            continue
        print("| `%s` | %s | %s |" % (n, pulsar.get(n, "not run"), proxy.get(n, "not run")))


if __name__ == "__main__":
    main()
