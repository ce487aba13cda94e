"""Signing keys: a demo certificate authority and one key per lab.

Production keys are configured, not generated: point ``QCITY_SIGNING_DIR`` at a directory
holding ``lab-<id>.key.pem`` / ``lab-<id>.cert.pem`` issued by your CA and ``ca.cert.pem``
(the trust root used for verification). ``qcity inspection_keys --demo`` creates a demo CA
and per-lab keys there (default ``var/keys``, which git ignores).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings


def signing_dir() -> Path:
    return Path(os.environ.get("QCITY_SIGNING_DIR") or Path(settings.VAR_DIR) / "keys")


def ca_paths() -> tuple[Path, Path]:
    d = signing_dir()
    return d / "ca.key.pem", d / "ca.cert.pem"


def lab_paths(lab_id: int) -> tuple[Path, Path]:
    d = signing_dir()
    return d / f"lab-{lab_id}.key.pem", d / f"lab-{lab_id}.cert.pem"


def _name(cn: str, org: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _write_key(path: Path, key) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)


def ensure_demo_ca() -> Path:
    key_path, cert_path = ca_paths()
    if cert_path.exists() and key_path.exists():
        return cert_path
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name("QualityCity Demo Root CA (NOT FOR PRODUCTION)", "QualityCity Demo")
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_key(key_path, key)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path


def ensure_lab_key(lab) -> tuple[Path, Path]:
    """The lab's key and certificate, issued by the demo CA when missing."""
    key_path, cert_path = lab_paths(lab.pk)
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    ca_cert_path = ensure_demo_ca()
    ca_key = serialization.load_pem_private_key(ca_paths()[0].read_bytes(), None)
    ca_cert = x509.load_pem_x509_certificate(ca_cert_path.read_bytes())
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(_name(f"{lab.name} 报告签发", lab.name)).issuer_name(ca_cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    _write_key(key_path, key)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path
