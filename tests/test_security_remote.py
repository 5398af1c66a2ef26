"""Resources given as URLs: fetched only from allowed, public hosts, checked after redirects.

A real HTTP server runs on 127.0.0.1. Fetching from it directly must be refused as
loopback; to test a successful download, the resolver seam maps a public-looking name to
a public address and the connect seam carries that connection to the local server.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import re
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyarrow.parquet as pq
import pytest

from opendata import fetch
from tests.conftest import run

DATASET = "datasets/dinas-uji/jumlah-sekolah"
CSV = f"{DATASET}/data/sekolah.csv"
PUBLIC = "93.184.216.34"
HOST = "data.example.go.id"


class Handler(http.server.BaseHTTPRequestHandler):
    """Serve the test's routes: a file, redirects, and a file larger than it says."""

    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {}
    hosts: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hosts.append(self.headers.get("Host", ""))
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Connection" not in headers:  # else the body runs until the connection closes
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)  # the client may stop reading: an oversize download

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[int, dict]]:
    """Run an HTTP server on 127.0.0.1; yield its port and its routes."""
    Handler.routes = {}
    Handler.hosts = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], Handler.routes
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def public_name(monkeypatch: pytest.MonkeyPatch, server) -> tuple[int, dict]:
    """Make data.example.go.id resolve to a public address that leads to the test server."""
    port, routes = server
    looked_up: list[str] = []

    def resolve(host: str, _port: int) -> list[str]:
        looked_up.append(host)
        if host == HOST:
            return [PUBLIC]
        raise socket.gaierror(f"unknown host {host}")

    def connect(address: str, _port: int, timeout: float) -> socket.socket:
        assert address == PUBLIC, address  # only the checked address is ever contacted
        return socket.create_connection(("127.0.0.1", port), timeout=timeout)

    monkeypatch.setattr(fetch, "resolve", resolve)
    monkeypatch.setattr(fetch, "connect", connect)
    return port, routes


def point_at(root: Path, url: str) -> None:
    """Make the dataset's resource a URL instead of its local file."""
    path = root / DATASET / "datapackage.yaml"
    path.write_text(path.read_text().replace("path: data/sekolah.csv", f"path: {url}"))


def test_url_without_allow_remote_is_refused_with_the_fix(catalogue, tmp_path: Path) -> None:
    root = catalogue("minimal")
    point_at(root, f"https://{HOST}/sekolah.csv")
    result = run("validate", root)
    assert result.exit_code == 2
    assert (
        f'{DATASET}/datapackage.yaml, line 23: path "https://{HOST}/sekolah.csv": '
        f"the host {HOST} is not allowed. Run with --allow-remote {HOST} if you trust this host."
    ) in result.output
    site = tmp_path / "site"
    result = run("build", root, "--out", site)
    assert result.exit_code == 2
    assert f"--allow-remote {HOST}" in result.output
    assert not site.exists()


def test_host_not_in_the_list_is_refused(catalogue, server) -> None:
    port, _ = server
    root = catalogue("minimal")
    point_at(root, f"http://127.0.0.1:{port}/sekolah.csv")
    result = run("validate", root, "--allow-remote", "other.example.org")
    assert result.exit_code == 2
    assert "the host 127.0.0.1 is not allowed." in result.output
    assert Handler.hosts == []


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost"])
def test_loopback_is_refused_even_when_allowed(catalogue, tmp_path: Path, server, name) -> None:
    port, routes = server
    root = catalogue("minimal")
    routes["/sekolah.csv"] = (200, {}, (root / CSV).read_bytes())
    point_at(root, f"http://{name}:{port}/sekolah.csv")
    site = tmp_path / "site"
    result = run("build", root, "--out", site, "--allow-remote", name)
    assert result.exit_code == 2
    assert "127.0.0.1 is a loopback address." in result.output
    assert Handler.hosts == []  # refused before any connection
    assert not site.exists()


def test_allowed_public_host_is_fetched_validated_and_published(
    catalogue, tmp_path: Path, public_name
) -> None:
    _, routes = public_name
    root = catalogue("minimal")
    raw = (root / CSV).read_bytes()
    routes["/sekolah.csv"] = (200, {"Last-Modified": "Sat, 01 Jun 2024 00:00:00 GMT"}, raw)
    url = f"http://{HOST}/sekolah.csv"
    point_at(root, url)
    (root / CSV).unlink()  # the data can only come from the server
    site = tmp_path / "site"
    result = run("publish", root, "--to", site, "--allow-remote", f"https://{HOST.upper()}/")
    assert result.exit_code == 0, result.output  # a pasted URL allows its host
    assert Handler.hosts == [HOST]  # the Host header names the host, not the address
    table = pq.read_table(site / "dinas-uji/jumlah-sekolah/2024.1/sekolah.parquet")
    lines = raw.decode().splitlines()
    assert table.num_rows == len(lines) - 1
    assert table.column("jumlah").to_pylist() == [int(x.split(",")[3]) for x in lines[1:]]
    package = json.loads((site / "dinas-uji/jumlah-sekolah/datapackage.json").read_text())
    assert package["resources"][0]["sources"] == [{"title": url, "path": url}]
    assert package["resources"][0]["path"].endswith("sekolah.csv")
    assert run("verify", site).exit_code == 0


def test_a_changed_download_under_the_same_version_is_refused(
    catalogue, tmp_path: Path, public_name
) -> None:
    _, routes = public_name
    root = catalogue("minimal")
    raw = (root / CSV).read_bytes()
    routes["/sekolah.csv"] = (200, {}, raw)
    point_at(root, f"http://{HOST}/sekolah.csv")
    site = tmp_path / "site"
    assert run("publish", root, "--to", site, "--allow-remote", HOST).exit_code == 0
    routes["/sekolah.csv"] = (200, {}, raw.replace(b"412", b"999"))
    result = run("publish", root, "--to", site, "--allow-remote", HOST)
    assert result.exit_code == 2
    assert 'version "2024.1" is already published, but the raw files changed' in result.output


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("http://127.0.0.1:{port}/sekolah.csv", "the host 127.0.0.1 is not allowed"),
        ("http://10.0.0.5/sekolah.csv", "the host 10.0.0.5 is not allowed"),
        ("http://elsewhere.example.org/sekolah.csv", "the host elsewhere.example.org is not"),
        ("file:///etc/passwd", "only http:// and https:// URLs can be fetched"),
    ],
)
def test_redirect_to_a_host_not_allowed_is_refused(
    catalogue, tmp_path: Path, public_name, target: str, says: str
) -> None:
    port, routes = public_name
    routes["/sekolah.csv"] = (302, {"Location": target.format(port=port)}, b"")
    root = catalogue("minimal")
    point_at(root, f"http://{HOST}/sekolah.csv")
    site = tmp_path / "site"
    result = run("build", root, "--out", site, "--allow-remote", HOST)
    assert result.exit_code == 2
    assert says in result.output
    assert Handler.hosts == [HOST]  # the redirect target was never contacted
    assert not site.exists()


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("http://127.0.0.1:{port}/sekolah.csv", "127.0.0.1 is a loopback address"),
        ("http://10.0.0.5/sekolah.csv", "10.0.0.5 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ],
)
def test_redirect_to_a_private_address_is_refused_even_when_allowed(
    catalogue, tmp_path: Path, public_name, target: str, says: str
) -> None:
    port, routes = public_name
    routes["/sekolah.csv"] = (302, {"Location": target.format(port=port)}, b"")
    root = catalogue("minimal")
    point_at(root, f"http://{HOST}/sekolah.csv")
    allowed = target.split("/")[2].split(":")[0]
    result = run("validate", root, "--allow-remote", HOST, "--allow-remote", allowed)
    assert result.exit_code == 2
    assert says in result.output
    assert Handler.hosts == [HOST]


def test_too_many_redirects_are_refused(catalogue, public_name) -> None:
    _, routes = public_name
    for n in range(10):
        routes[f"/{n}.csv"] = (302, {"Location": f"/{n + 1}.csv"}, b"")
    root = catalogue("minimal")
    point_at(root, f"http://{HOST}/0.csv")
    result = run("validate", root, "--allow-remote", HOST)
    assert result.exit_code == 2
    assert "more than 5 redirects" in result.output
    assert len(Handler.hosts) == 6


@pytest.mark.parametrize(
    ("host", "says"),
    [
        ("2130706433", "127.0.0.1 is a loopback address"),
        ("0x7f.1", "127.0.0.1 is a loopback address"),
        ("0177.0.0.1", "127.0.0.1 is a loopback address"),
        ("[::1]", "::1 is a loopback address"),
        ("[::ffff:127.0.0.1]", "127.0.0.1 is a loopback address (written as ::ffff:7f00:1)"),
        ("[::ffff:a9fe:a9fe]", "169.254.169.254 is a link-local address"),
        ("[2002:a00:5::]", "10.0.0.5 is a private address (written as 2002:a00:5::)"),
        ("0.0.0.0", "0.0.0.0 is the unspecified address"),
        ("100.64.0.1", "100.64.0.1 is not a public address"),
    ],
)
def test_literal_address_forms_are_refused(catalogue, server, host: str, says: str) -> None:
    port, _ = server
    root = catalogue("minimal")
    point_at(root, f"http://{host}:{port}/sekolah.csv")
    result = run("validate", root, "--allow-remote", host)
    assert result.exit_code == 2
    assert says in result.output
    assert Handler.hosts == []


def test_a_name_with_any_private_address_is_refused(
    catalogue, monkeypatch: pytest.MonkeyPatch, public_name
) -> None:
    monkeypatch.setattr(fetch, "resolve", lambda host, port: [PUBLIC, "10.1.2.3"])
    root = catalogue("minimal")
    point_at(root, f"http://{HOST}/sekolah.csv")
    result = run("validate", root, "--allow-remote", HOST)
    assert result.exit_code == 2
    assert f"{HOST} is refused: 10.1.2.3 is a private address." in result.output
    assert Handler.hosts == []


@pytest.mark.parametrize("declared", [True, False])
def test_an_oversize_download_is_refused(
    catalogue, tmp_path: Path, public_name, declared: bool
) -> None:
    """Refused from a declared Content-Length, or by counting when the length is unknown."""
    _, routes = public_name
    big = b"kode_wilayah,tahun,jenjang,jumlah\n" + b"5201,2023,SD,412\n" * 70_000  # > 1 MB
    routes["/big.csv"] = (200, {} if declared else {"Connection": "close"}, big)
    root = catalogue("minimal")
    point_at(root, f"http://{HOST}/big.csv")
    site = tmp_path / "site"
    args = ("--allow-remote", HOST, "--max-download", "1")
    result = run("build", root, "--out", site, *args)
    assert result.exit_code == 2
    assert f"http://{HOST}/big.csv is larger than 1,048,576 bytes." in result.output
    assert not site.exists()
    assert not list(fetch._downloads().rglob("big.csv"))  # nothing left behind


def test_an_error_page_is_refused(catalogue, public_name) -> None:
    root = catalogue("minimal")
    point_at(root, f"http://{HOST}/missing.csv")
    result = run("validate", root, "--allow-remote", HOST)
    assert result.exit_code == 2
    assert f"http://{HOST}/missing.csv answered 404 Not Found." in result.output


def test_the_cache_keys_on_the_downloaded_bytes_not_the_url(
    catalogue, tmp_path: Path, public_name
) -> None:
    _, routes = public_name
    root = catalogue("minimal")
    raw = (root / CSV).read_bytes()
    routes["/sekolah.csv"] = (200, {}, raw)
    point_at(root, f"http://{HOST}/sekolah.csv")
    site = tmp_path / "site"
    parquet = site / "dinas-uji/jumlah-sekolah/2024.1/sekolah.parquet"
    assert run("build", root, "--out", site, "--allow-remote", HOST).exit_code == 0
    result = run("build", root, "--out", site, "--allow-remote", HOST)
    assert result.exit_code == 0, result.output
    assert re.search(r"datasets unchanged \(cache\)\W+1\b", result.output)
    routes["/sekolah.csv"] = (200, {}, raw.replace(b",412\n", b",413\n"))
    result = run("build", root, "--out", site, "--allow-remote", HOST)
    assert result.exit_code == 0, result.output
    assert re.search(r"datasets unchanged \(cache\)\W+0\b", result.output)
    assert 413 in pq.read_table(parquet).column("jumlah").to_pylist()


def test_https_checks_the_certificate_against_the_host_name(
    catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TLS goes to the checked address, with SNI and verification for the host's name."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", f"/CN={HOST}"),
        ],
        check=True,
        capture_output=True,
    )
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]
    monkeypatch.setattr(fetch, "resolve", lambda host, _port: [PUBLIC])
    monkeypatch.setattr(
        fetch, "connect", lambda a, p, t: socket.create_connection(("127.0.0.1", port), t)
    )
    try:
        root = catalogue("minimal")
        point_at(root, f"https://{HOST}/sekolah.csv")
        result = run("validate", root, "--allow-remote", HOST)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert result.exit_code == 2
    assert f"https://{HOST}/sekolah.csv could not be downloaded" in result.output
    assert "CERTIFICATE_VERIFY_FAILED" in result.output  # a self-signed certificate
