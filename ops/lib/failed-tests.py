"""Prints each failed test of a .trx results file with the first lines of its message,
so a failure stays readable at the end of a long log."""
import sys
import xml.etree.ElementTree as ElementTree

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}

def main(path: str) -> None:
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError) as error:
        print(f"failed tests: cannot read {path}: {error}")
        return
    for result in root.iterfind(".//t:UnitTestResult", NS):
        if result.get("outcome") != "Failed":
            continue
        print(f"FAILED {result.get('testName')} ({result.get('duration')})")
        message = result.findtext(".//t:Message", default="", namespaces=NS)
        stack = result.findtext(".//t:StackTrace", default="", namespaces=NS)
        for line in (message.strip().splitlines()[:15] + stack.strip().splitlines()[:8]):
            print(f"    {line}")

if __name__ == "__main__":
    main(sys.argv[1])
