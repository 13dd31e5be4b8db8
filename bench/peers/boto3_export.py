#!/usr/bin/env python3
"""boto3 peer: export a table to NDJSON with a paginated scan (table.scan + LastEvaluatedKey).

    python3 bench/peers/boto3_export.py ENDPOINT TABLE OUT.ndjson

Decimals are written as JSON numbers. Prints one JSON line: {"items": n, "seconds": s}.
"""
import json
import sys
import time
from decimal import Decimal

import boto3


def number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


endpoint, table_name, path = sys.argv[1:4]
if not endpoint.startswith("http://127.0.0.1:"):
    sys.exit("boto3_export.py: the endpoint must be http://127.0.0.1:PORT")
table = boto3.resource("dynamodb", endpoint_url=endpoint, region_name="us-east-1").Table(table_name)
count = 0
pages = 0
started = time.monotonic()
kwargs = {}
with open(path, "w", encoding="utf-8") as out:
    while pages < 1_000_000:
        page = table.scan(**kwargs)
        pages += 1
        for item in page["Items"]:
            out.write(json.dumps(item, default=number, separators=(",", ":")))
            out.write("\n")
            count += 1
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
print(json.dumps({"items": count, "seconds": time.monotonic() - started, "pages": pages}))
