"""Download a resource given as a URL, only from hosts the officer named and only public ones.

Fetching a URL from a catalogue is a way into the machine that builds it (SSRF): a
descriptor could point at a cloud metadata service, a router or an intranet page, and
the build would publish what it got. So a URL is fetched only when `--allow-remote`
names its host, every address the name resolves to must be public, the connection goes
to the address that was checked (a second DNS answer cannot swap it: no rebinding),
and redirects are followed by hand, each target checked again. The download goes to a
temporary file outside the site and is then read exactly like a local file.
"""

from __future__ import annotations

import atexit
import email.utils
import http.client
import ipaddress
import os
import shutil
import socket
import ssl
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

from opendata.i18n import N_, _

SCHEMES = {"http": 80, "https": 443}
MAX_REDIRECTS = 5
MAX_BYTES = 2 << 30  # 2 GiB
TIMEOUT = 30.0  # seconds for connecting and for each read
DEADLINE = 3600.0  # seconds for a whole download, so a trickling server cannot hold a build
CHUNK = 1 << 20
REDIRECTS = (301, 302, 303, 307, 308)
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Remote:
    """Which hosts resources may be fetched from, and how much a download may weigh."""

    hosts: frozenset[str] = field(default_factory=frozenset)  # lower case, no trailing dot
    max_bytes: int = MAX_BYTES

    @classmethod
    def allowing(cls, hosts: Iterable[str], max_bytes: int = MAX_BYTES) -> Remote:
        """Return a policy from the --allow-remote values as typed (a pasted URL gives its host)."""
        names = (urlsplit(h.strip()).hostname or "" if "://" in h else h for h in hosts)
        return cls(frozenset(_host(name) for name in names if name.strip()), max_bytes)


class Refused(Exception):
    """A URL that may not or could not be fetched; the message says why, the hint what to do."""

    def __init__(self, message: str, hint: str = "", *, allowed: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.allowed = allowed  # False: the host is not in the allow list at all


def is_url(path: str) -> bool:
    """Say whether a descriptor's path is a URL rather than a file in the dataset folder."""
    scheme = path.split("://", 1)[0] if "://" in path else ""
    return path.startswith("//") or (scheme.isascii() and scheme.isalpha() and len(scheme) > 1)


def url_suffix(url: str) -> str:
    """Return the file extension of the URL's path (".csv"), ignoring query and fragment."""
    return PurePosixPath(urlsplit(url).path).suffix.lower()


def check_url(url: str, remote: Remote) -> tuple[str, int]:
    """Return the URL's host and port, or raise Refused when its form or host is not allowed."""
    try:
        parts = urlsplit(url)
        port = parts.port or SCHEMES.get(parts.scheme, 0)
    except ValueError as exc:
        raise Refused(_("the URL cannot be read ({error}).", error=exc)) from None
    if parts.scheme not in SCHEMES:
        raise Refused(_("only http:// and https:// URLs can be fetched."), allowed=False)
    if parts.username is not None or parts.password is not None:
        hint = _("Remove the user name and password from the URL.")
        raise Refused(_("a URL with a user name or password is not fetched."), hint)
    host = _host(parts.hostname or "")
    if not host:
        raise Refused(_("the URL has no host name."))
    if host not in remote.hosts:
        hint = _("Run with --allow-remote {host} if you trust this host.", host=host)
        raise Refused(_("the host {host} is not allowed.", host=host), hint, allowed=False)
    return host, port


def unsafe_address(address: Address) -> str:
    """Say why an address must not be contacted, or return "" for a public one."""
    inner = _embedded(address)
    if inner is not None and (reason := unsafe_address(inner)):
        return _("{reason} (written as {address})", reason=reason, address=address)
    checks = (
        (N_("{address} is a loopback address"), address.is_loopback),
        (N_("{address} is the unspecified address"), address.is_unspecified),
        (N_("{address} is a link-local address"), address.is_link_local),
        (N_("{address} is a multicast address"), address.is_multicast),
        (N_("{address} is a private address"), address.is_private),
        (N_("{address} is a reserved address"), address.is_reserved),
        (N_("{address} is not a public address"), not address.is_global),
    )
    return next((_(name, address=address) for name, hit in checks if hit), "")


def literal_address(host: str) -> Address | None:
    """Return the address a host names literally, in any form the C library reads.

    `2130706433`, `0x7f.1` and `0177.0.0.1` are all 127.0.0.1 to inet_aton, and so to
    the resolver; they are caught here without asking it.
    """
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, UnicodeError, ValueError):
        return None


def resolve(host: str, port: int) -> list[str]:
    """Return every address the name resolves to (a seam the tests replace)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def connect(address: str, port: int, timeout: float) -> socket.socket:
    """Open a TCP connection to a checked address (a seam the tests replace)."""
    return socket.create_connection((address, port), timeout=timeout)


def vetted(host: str, port: int) -> str:
    """Return one address of `host` to connect to, or raise Refused if any address is unsafe.

    All addresses are checked, not just the one used: a name that also points inside
    the network is not trusted at all.
    """
    literal = literal_address(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolve(host, port)]
        except (OSError, UnicodeError, ValueError) as exc:
            raise Refused(
                _("the host name {host} cannot be resolved ({error}).", host=host, error=exc),
                _("Check the host name in the URL, and that this machine is online."),
            ) from None
    if not addresses:
        raise Refused(_("the host name {host} has no address.", host=host))
    for address in addresses:
        reason = unsafe_address(address)
        if reason:
            hint = _(
                "Only public internet hosts are fetched; copy the file into the dataset folder."
            )
            raise Refused(_("{host} is refused: {reason}.", host=host, reason=reason), hint)
    return str(addresses[0])


def fetch(url: str, remote: Remote, *, folder: Path | None = None, name: str = "download") -> Path:
    """Download `url` into a new file under `folder` (a temporary folder by default).

    Raises Refused with the reason when the URL, a redirect or the download is refused;
    nothing is left behind then. The file's modification time is the server's
    Last-Modified, or 0, so the download itself never changes a build's date.
    """
    target = _new_file(folder, name)
    try:
        modified = _download(url, remote, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    os.utime(target, (modified, modified))
    return target


def _download(url: str, remote: Remote, target: Path) -> float:
    deadline = time.monotonic() + DEADLINE
    for _hop in range(MAX_REDIRECTS + 1):
        host, port = check_url(url, remote)
        address = vetted(host, port)
        connection = _connection(urlsplit(url).scheme, host, port, address)
        try:
            response = _get(connection, url)
            if response.status in REDIRECTS:
                location = response.getheader("Location") or ""
                if not location:
                    raise Refused(_("{url} redirects without saying where to.", url=url))
                url = urljoin(url, location)
                continue
            if response.status != 200:
                hint = _("Check the URL in a browser; the server must answer 200 OK.")
                answer = f"{response.status} {response.reason}"
                raise Refused(_("{url} answered {answer}.", url=url, answer=answer), hint)
            _save(response, target, remote.max_bytes, deadline, url)
            return _last_modified(response)
        except (OSError, http.client.HTTPException) as exc:
            error = exc or type(exc).__name__
            raise Refused(
                _("{url} could not be downloaded ({error}).", url=url, error=error)
            ) from None
        finally:
            connection.close()
    message = _("more than {n} redirects; the last one pointed at {url}.", n=MAX_REDIRECTS, url=url)
    raise Refused(message)


def _get(connection: http.client.HTTPConnection, url: str) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"User-Agent": "opendata", "Accept-Encoding": "identity"}
    connection.request("GET", path, headers=headers)
    return connection.getresponse()


def _save(
    response: http.client.HTTPResponse, target: Path, limit: int, deadline: float, url: str
) -> None:
    encoding = (response.getheader("Content-Encoding") or "identity").lower()
    if encoding != "identity":
        message = _(
            "{url} was sent compressed ({encoding}), which is not unpacked.",
            url=url,
            encoding=encoding,
        )
        raise Refused(message)
    declared = response.getheader("Content-Length") or ""
    if declared.isdigit() and int(declared) > limit:
        raise _too_big(url, limit)
    size = 0
    with target.open("wb") as file:
        while chunk := response.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise _too_big(url, limit)
            if time.monotonic() > deadline:
                message = _(
                    "{url} took longer than {n} seconds to download.", url=url, n=int(DEADLINE)
                )
                raise Refused(message)
            file.write(chunk)


def _too_big(url: str, limit: int) -> Refused:
    hint = _("Raise the limit with --max-download (in MB) if the file is really this large.")
    return Refused(_("{url} is larger than {size} bytes.", url=url, size=f"{limit:,}"), hint)


def _last_modified(response: http.client.HTTPResponse) -> float:
    try:
        when = email.utils.parsedate_to_datetime(response.getheader("Last-Modified") or "")
        return max(when.timestamp(), 0.0)
    except (TypeError, ValueError, IndexError):
        return 0.0


def _connection(scheme: str, host: str, port: int, address: str) -> http.client.HTTPConnection:
    if scheme == "https":
        return _Https(host, port, address)
    return _Http(host, port, address)


class _Http(http.client.HTTPConnection):
    """A connection to the checked address; the Host header still names the host."""

    def __init__(self, host: str, port: int, address: str) -> None:
        super().__init__(host, port, timeout=TIMEOUT)
        self.address = address

    def connect(self) -> None:
        self.sock = connect(self.address, self.port, self.timeout)


class _Https(http.client.HTTPSConnection):
    """A TLS connection to the checked address, verified against the host's name (SNI)."""

    def __init__(self, host: str, port: int, address: str) -> None:
        super().__init__(host, port, timeout=TIMEOUT, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = connect(self.address, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _host(text: str) -> str:
    return text.strip().strip("[]").rstrip(".").lower()


def _new_file(folder: Path | None, name: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="res-", dir=folder or _downloads()))
    return folder / name


_FOLDER: list[Path] = []


def _downloads() -> Path:
    """Return this process's download folder, removed when the process ends."""
    if not _FOLDER:
        _FOLDER.append(Path(tempfile.mkdtemp(prefix="opendata-remote-")))
        atexit.register(shutil.rmtree, _FOLDER[0], True)
    return _FOLDER[0]


def _embedded(address: Address) -> Address | None:
    """Return the IPv4 address an IPv6 form carries (mapped, 6to4, Teredo, NAT64), if any."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    compat = address in _COMPAT and int(address) > 0xFFFF  # not :: or ::1
    if address in _NAT64 or compat:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_COMPAT = ipaddress.ip_network("::/96")  # deprecated IPv4-compatible addresses (::127.0.0.1)
