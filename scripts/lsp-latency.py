#!/usr/bin/env python3
"""Latency of `sopkit lsp` against `sopkit lint` on the same text, in the same run.

Starts `sopkit lsp` as an editor would (JSON-RPC over stdio, push diagnostics), opens an SOP,
then sends edits and times each edit → publishDiagnostics round trip (the server's debounce
is subtracted: it is the time the server waits on purpose for more typing), each followed by
`sopkit lint --format json` on the same text from a file (interleaved, so both see the same
load). Reports medians and the ratio. The folder of the file is the workspace folder.

Usage: scripts/lsp-latency.py [BIN] [--runs N]   (BIN defaults to target/debug/sopkit)
Sizes: a 2 KB SOP (examples/refund-approval.md trimmed or padded) and a 1 MB SOP (the same
procedure repeated under one front matter).
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

DEBOUNCE_S = 0.150  # the server's default debounce (src/lsp/mod.rs)


class Client:
    def __init__(self, argv, cwd):
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=cwd)
        self.next_id = 0

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def recv(self):
        length = None
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise EOFError("server closed its output")
            line = line.strip()
            if not line:
                break
            k, v = line.split(b":", 1)
            if k.lower() == b"content-length":
                length = int(v)
        return json.loads(self.p.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            m = self.recv()
            if m.get("id") == self.next_id and "method" not in m:
                return m

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_diagnostics(self, uri, version):
        while True:
            m = self.recv()
            if m.get("method") == "textDocument/publishDiagnostics":
                p = m["params"]
                if p["uri"] == uri and p.get("version") == version:
                    return p["diagnostics"]


def make_texts(root):
    base = open(os.path.join(root, "examples/refund-approval.md"), encoding="utf-8").read()
    fm_end = base.index("\n---\n", 4) + 5
    front, body = base[:fm_end], base[fm_end:]
    small = base
    while len(small.encode()) < 2048:
        small += "\nAnother paragraph of notes for the refund desk, kept short.\n"
    big = front
    while len(big.encode()) < 1024 * 1024:
        big += body
    return {"2 KB": small, "1 MB": big}


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    argv = sys.argv[1:]
    runs = 5
    if "--runs" in argv:
        i = argv.index("--runs")
        runs = int(argv[i + 1])
        del argv[i : i + 2]
    args = argv
    binary = os.path.abspath(args[0] if args else os.path.join(root, "target/debug/sopkit"))
    tmp = tempfile.mkdtemp()
    for label, text in make_texts(root).items():
        path = os.path.join(tmp, "sop.md")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        uri = "file://" + path
        c = Client([binary, "lsp"], tmp)
        c.request("initialize", {"processId": None, "rootUri": "file://" + tmp, "capabilities": {}})
        c.notify("initialized", {})
        c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}})
        c.wait_diagnostics(uri, 1)
        # Interleaved: one edit → diagnostics round trip, then one `sopkit lint` of the same
        # text, so that both see the same load on a shared machine.
        lsp_times = []
        lint_times = []
        end_line = text.count("\n")
        for i in range(runs):
            version = i + 2
            # Type an "x" on the last line, then delete it: the text alternates between the
            # file's and the file's plus one character.
            end_char = 1 if i % 2 else 0
            start = time.perf_counter()
            c.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": end_line, "character": 0}, "end": {"line": end_line, "character": end_char}}, "text": "" if i % 2 else "x"}],
            })
            c.wait_diagnostics(uri, version)
            lsp_times.append(time.perf_counter() - start - DEBOUNCE_S)
            start = time.perf_counter()
            subprocess.run([binary, "lint", "--format", "json", path], cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            lint_times.append(time.perf_counter() - start)
        c.request("shutdown", None)
        c.notify("exit", None)
        c.p.wait(timeout=10)
        lsp_ms = statistics.median(lsp_times) * 1000
        lint_ms = statistics.median(lint_times) * 1000
        print(f"{label}: lsp update {lsp_ms:.1f} ms (after the {DEBOUNCE_S * 1000:.0f} ms debounce), "
              f"sopkit lint {lint_ms:.1f} ms, ratio {lsp_ms / lint_ms:.2f}")


if __name__ == "__main__":
    main()
