"""Certificates for 127.0.0.1, made with the `openssl` command: a throwaway certificate
authority and a server certificate it signs, so that clients verify the server for real
(no `verify=False` anywhere in this module).

Run it:  python tlsfiles.py
Try:     openssl x509 -in cert.pem -noout -text   on the files `certificates()` writes.
"""

from __future__ import annotations

import contextlib
import ssl
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TLSFiles:
    """PEM files in one folder: the authority's certificate, the server's certificate and key."""

    ca: Path
    cert: Path
    key: Path


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


# --8<-- [start:make]
@contextlib.contextmanager
def certificates() -> Iterator[TLSFiles]:
    """A CA and a certificate for IP 127.0.0.1 signed by it, in a folder removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="onthewire-tls-") as tmp:
        d = Path(tmp)
        # P-256 keys: fast to make. genpkey writes PKCS#8, the only key format granian reads.
        for name in ("ca-key.pem", "key.pem"):
            _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name, cwd=d)
        _openssl("req", "-x509", "-new", "-key", "ca-key.pem", "-subj", "/CN=On the Wire test CA",
                 "-days", "2", "-out", "ca.pem", cwd=d)
        _openssl("req", "-new", "-key", "key.pem", "-subj", "/CN=127.0.0.1", "-out", "server.csr", cwd=d)
        # Clients match the address against subjectAltName, never against the CN (RFC 6125).
        (d / "ext.cnf").write_text("subjectAltName = IP:127.0.0.1, DNS:localhost\n")
        _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                 "-CAcreateserial", "-days", "2", "-extfile", "ext.cnf", "-out", "cert.pem", cwd=d)
        yield TLSFiles(ca=d / "ca.pem", cert=d / "cert.pem", key=d / "key.pem")
# --8<-- [end:make]


# --8<-- [start:client]
def client_context(files: TLSFiles, alpn: list[str] | None = None) -> ssl.SSLContext:
    """A client context that trusts only our CA and offers `alpn` (RFC 7301), if given."""
    context = ssl.create_default_context(cafile=str(files.ca))
    if alpn:
        context.set_alpn_protocols(alpn)
    return context
# --8<-- [end:client]


if __name__ == "__main__":
    with certificates() as files:
        out = subprocess.run(["openssl", "x509", "-in", str(files.cert), "-noout", "-subject", "-issuer", "-ext",
                              "subjectAltName"], capture_output=True, text=True, check=True).stdout
        print(out.strip())
        print("key:", files.key.read_text().splitlines()[0])
