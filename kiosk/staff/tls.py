"""HTTPS for the console with a certificate it makes itself (`kiosk staff serve --https`).

Browsers give the microphone (the "Giọng đọc" page) only to a secure origin. On the kiosk itself
http://localhost is one; a staff PC on the LAN needs HTTPS. There is no public name to get a
certificate for, so the console makes one with the ``cryptography`` package (the well-kept
Python crypto library): a self-signed certificate for localhost, this machine's name and its
LAN addresses, kept in DATA/staff-tls/ and reused. The browser warns once ("not private"): the
staff member checks that the SHA-256 fingerprint it shows is the one `kiosk staff serve --https`
printed, and accepts it (or installs cert.pem as trusted on that PC).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
from pathlib import Path

VALID_DAYS = 825  # the longest validity browsers accept for a server certificate


def local_names() -> tuple[list[str], list[str]]:
    """(DNS names, IP addresses) this machine answers to on the LAN."""
    names = {"localhost", socket.gethostname()}
    ips = {"127.0.0.1", "::1"}
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None):
            ips.add(info[4][0].split("%")[0])
    except OSError:
        pass
    try:  # the address used to reach the LAN (no packet is sent by a UDP connect)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            ips.add(s.getsockname()[0])
    except OSError:
        pass
    return sorted(n for n in names if n), sorted(ips)


def ensure_certificate(folder: Path, extra_hosts: list[str] = ()) -> tuple[Path, Path]:
    """(cert.pem, key.pem) in ``folder``, made now if missing or expiring within 30 days."""
    folder = Path(folder)
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    if cert_path.is_file() and key_path.is_file() and _valid_for(cert_path, days=30):
        return cert_path, key_path
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    names, ips = local_names()
    for h in extra_hosts:
        try:
            ips.append(str(ipaddress.ip_address(h)))
        except ValueError:
            names.append(h)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Kiosk HCC staff console"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kiosk HCC")])
    now = dt.datetime.now(dt.timezone.utc)
    alt = [x509.DNSName(n) for n in dict.fromkeys(names)] + \
          [x509.IPAddress(ipaddress.ip_address(i)) for i in dict.fromkeys(ips)]
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=VALID_DAYS))
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # the key: owner only
    with os.fdopen(fd, "wb") as fh:
        fh.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def _valid_for(cert_path: Path, days: int) -> bool:
    from cryptography import x509
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    except (OSError, ValueError):
        return False
    left = cert.not_valid_after_utc - dt.datetime.now(dt.timezone.utc)
    return left > dt.timedelta(days=days)


def fingerprint(cert_path: Path) -> str:
    """SHA-256 fingerprint as browsers show it (AB:CD:…)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    cert = x509.load_pem_x509_certificate(Path(cert_path).read_bytes())
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))
