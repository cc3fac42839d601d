#!/usr/bin/env python3
"""Walks an OParl list from its first page along links.next and prints the
pages, the objects and the wall time: the "walk every paper list page"
figure of BENCHMARKS.md.

    python3 crates/bench/scripts/oparl_walk.py http://127.0.0.1:PORT/oparl/v1.1/body/papers
"""
import json
import sys
import time
import urllib.request

url = sys.argv[1]
start = time.time()
pages = objects = 0
while url:
    with urllib.request.urlopen(url) as answer:
        page = json.load(answer)
    pages += 1
    objects += len(page["data"])
    url = page["links"].get("next")
print(f"{pages} pages, {objects} objects, {time.time() - start:.1f} s")
