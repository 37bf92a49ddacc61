"""Shared by the bench scripts: puts a benchmark's results into the README between its markers."""
import os

README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "README.md")


def replace_section(name, content):
    """Writes content (ending with a newline) between <!-- bench:NAME --> and <!-- /bench:NAME -->."""
    body = open(README).read()
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    i, j = body.index(start) + len(start), body.index(end)
    with open(README, "w") as f:
        f.write(body[:i] + "\n" + content + body[j:])
