"""Where the CPU of a survey page view goes, from `perf script` output on standard input.

Each sample is charged to the innermost frame of its stack that names a part of the system (the
categories below, tried from the leaf up); runtime, library and kernel frames in between are charged
to the part that called them. OpenSSL's frames carry no caller (libcrypto has no frame pointers); the
host's only use of it on these pages is Data Protection, so they are charged there. The web host's samples and PostgreSQL's are reported apart, each as a
share of its own samples and of all samples taken (the whole machine while the page was saturated).
"""
import collections
import re
import sys

# (category, substring of a frame), tried in this order for each frame from the leaf up.
HOST = [
    ("Npgsql: parsing EF Core's SQL for its @parameters", "SqlQueryParser"),
    ("Npgsql: the rest (protocol, reading rows)", "[Npgsql]"),
    ("EF Core: command, shaper, materialisation", "EntityFrameworkCore"),
    ("Data Protection (cookies, anti-forgery tokens)", "DataProtection"),
    ("Data Protection (cookies, anti-forgery tokens)", "Antiforgery"),
    ("Data Protection (cookies, anti-forgery tokens)", "libcrypto"),
    ("JSON columns (System.Text.Json)", "System.Text.Json"),
    ("the survey's Razor views", "Pages_Survey"),
    ("Razor, tag helpers, view buffers", "TagHelpers"),
    ("Razor, tag helpers, view buffers", "Razor"),
    ("Razor, tag helpers, view buffers", "ViewFeatures"),
    ("localisation (resources)", "Localization"),
    ("localisation (resources)", "System.Resources"),
    ("dependency injection", "DependencyInjection"),
    ("metrics (OpenTelemetry)", "OpenTelemetry"),
    ("RecoveryStudy's own code", "RecoveryStudy"),
    ("the harness's HTTP clients", "System.Net.Http"),
    ("MVC, routing, middleware", "Mvc"),
    ("MVC, routing, middleware", "Routing"),
    ("Kestrel and sockets", "Kestrel"),
    ("Kestrel and sockets", "System.Net.Sockets"),
    ("MVC, routing, middleware", "AspNetCore"),
    ("garbage collector", "gc_heap"),
    ("garbage collector", "GCHeap"),
]
POSTGRES = [
    ("executor start (opening relations and indexes, building the plan's state)", "standard_ExecutorStart"),
    ("executor run (scans, joins, sorts)", "standard_ExecutorRun"),
    ("executor end and portal clean-up", "standard_ExecutorEnd"),
    ("executor end and portal clean-up", "PortalDrop"),
    ("cached plan check (locks on every relation)", "GetCachedPlan"),
    ("transaction start and commit", "CommitTransactionCommand"),
    ("transaction start and commit", "StartTransactionCommand"),
    ("sending rows", "printtup"),
    ("protocol and socket (reading, writing, waiting)", "pq_"),
    ("protocol and socket (reading, writing, waiting)", "secure_"),
    ("protocol and socket (reading, writing, waiting)", "WaitEventSet"),
    ("protocol and socket (reading, writing, waiting)", "__send"),
    ("protocol and socket (reading, writing, waiting)", "recv"),
    ("bind (a prepared statement's parameters, its portal)", "FetchPreparedStatement"),
    ("bind (a prepared statement's parameters, its portal)", "CreatePortal"),
    ("bind (a prepared statement's parameters, its portal)", "getTypeBinaryInputInfo"),
    ("bind (a prepared statement's parameters, its portal)", "ReceiveFunctionCall"),
]


def samples(lines):
    sample = None
    for line in lines:
        if not line.strip():
            if sample:
                yield sample
            sample = None
        elif not line.startswith("\t"):
            sample = {"comm": line.split()[0] if line.split() else "", "stack": []}
        elif sample is not None:
            sample["stack"].append(line.strip())
    if sample:
        yield sample


def category(stack, table):
    for frame in stack:
        for name, pattern in table:
            if pattern in frame:
                return name
    return "other (thread pool, runtime, kernel with no caller above)"


def main():
    host, postgres = collections.Counter(), collections.Counter()
    for sample in samples(sys.stdin):
        if sample["comm"].startswith("postgres"):
            postgres[category(sample["stack"], POSTGRES)] += 1
        elif re.match(r"^\.NET|^dotnet|^RecoveryStudy", sample["comm"]):
            host[category(sample["stack"], HOST)] += 1
    total = sum(host.values()) + sum(postgres.values())
    if total == 0:
        sys.exit("no samples of the host or PostgreSQL in the input")
    for title, counter in (("web host (and the harness's clients)", host), ("PostgreSQL", postgres)):
        part = sum(counter.values())
        print(f"{title}: {part} samples, {100 * part / total:.0f} % of the two")
        for name, count in counter.most_common():
            print(f"  {100 * count / part:5.1f} %  {name}")


if __name__ == "__main__":
    main()
