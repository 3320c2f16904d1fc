"""mTLS: client certificates verified against tls_client_ca_file; health stays
reachable on the plaintext health_port for probes."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
from aisec.validator.v1 import validator_pb2_grpc
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from services.client.client import AisecClient, TlsConfig
from services.common.server import serve
from tests.integration.common.support import (
    SERVING,
    ScriptedValidator,
    health_status,
    make_settings,
    validate_request,
    validator_definition,
)


@dataclass
class Pki:
    ca_cert: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    rogue_cert: Path  # signed by another CA
    rogue_key: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> Path:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return path


def _write_cert(path: Path, cert: x509.Certificate) -> Path:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def _ca(common_name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _leaf(
    ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate, common_name: str, server: bool
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
    )
    if server:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
    return key, builder.sign(ca_key, hashes.SHA256())


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    folder = tmp_path_factory.mktemp("pki")
    ca_key, ca_cert = _ca("aisec test CA")
    server_key, server_cert = _leaf(ca_key, ca_cert, "localhost", server=True)
    client_key, client_cert = _leaf(ca_key, ca_cert, "aisec-client", server=False)
    rogue_ca_key, rogue_ca_cert = _ca("rogue CA")
    rogue_key, rogue_cert = _leaf(rogue_ca_key, rogue_ca_cert, "aisec-client", server=False)
    return Pki(
        ca_cert=_write_cert(folder / "ca.pem", ca_cert),
        server_cert=_write_cert(folder / "server.pem", server_cert),
        server_key=_write_key(folder / "server.key", server_key),
        client_cert=_write_cert(folder / "client.pem", client_cert),
        client_key=_write_key(folder / "client.key", client_key),
        rogue_cert=_write_cert(folder / "rogue.pem", rogue_cert),
        rogue_key=_write_key(folder / "rogue.key", rogue_key),
    )


async def validate_over(target: str, credentials: grpc.ChannelCredentials) -> grpc.StatusCode:
    async with grpc.aio.secure_channel(target, credentials) as channel:
        try:
            await validator_pb2_grpc.ValidatorServiceStub(channel).Validate(validate_request(), timeout=5)
        except grpc.aio.AioRpcError as exc:
            return exc.code()
        return grpc.StatusCode.OK


async def test_mtls_requires_a_client_certificate(pki: Pki) -> None:
    settings = make_settings(
        tls_cert_file=pki.server_cert,
        tls_key_file=pki.server_key,
        tls_client_ca_file=pki.ca_cert,
        health_port=0,
    )
    ca = pki.ca_cert.read_bytes()
    with_cert = grpc.ssl_channel_credentials(
        root_certificates=ca,
        private_key=pki.client_key.read_bytes(),
        certificate_chain=pki.client_cert.read_bytes(),
    )
    without_cert = grpc.ssl_channel_credentials(root_certificates=ca)
    rogue_cert = grpc.ssl_channel_credentials(
        root_certificates=ca,
        private_key=pki.rogue_key.read_bytes(),
        certificate_chain=pki.rogue_cert.read_bytes(),
    )
    async with serve(settings, validator_definition(ScriptedValidator())) as running:
        assert running.health_port
        assert await validate_over(running.target, with_cert) is grpc.StatusCode.OK
        assert await validate_over(running.target, without_cert) is grpc.StatusCode.UNAVAILABLE
        assert await validate_over(running.target, rogue_cert) is grpc.StatusCode.UNAVAILABLE
        # Plaintext to the TLS port fails too.
        async with grpc.aio.insecure_channel(running.target) as channel:
            with pytest.raises(grpc.aio.AioRpcError):
                await validator_pb2_grpc.ValidatorServiceStub(channel).Validate(validate_request(), timeout=5)
        # Probes: plaintext health on the separate port, no certificate.
        assert await health_status(f"127.0.0.1:{running.health_port}") == SERVING
        # The health port serves nothing but health.
        async with grpc.aio.insecure_channel(f"127.0.0.1:{running.health_port}") as channel:
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await validator_pb2_grpc.ValidatorServiceStub(channel).Validate(validate_request(), timeout=5)
            assert raised.value.code() is grpc.StatusCode.UNIMPLEMENTED
        # The sync client with a TlsConfig (run off the loop).
        tls = TlsConfig(ca_file=pki.ca_cert, cert_file=pki.client_cert, key_file=pki.client_key)

        def sync_call() -> bool:
            with AisecClient(f"localhost:{running.port}", tls=tls, timeout_s=5, retries=0) as client:
                return client.validate("hello").decision.allowed

        assert await asyncio.to_thread(sync_call)


async def test_tls_without_client_ca_accepts_any_client(pki: Pki) -> None:
    settings = make_settings(tls_cert_file=pki.server_cert, tls_key_file=pki.server_key)
    credentials = grpc.ssl_channel_credentials(root_certificates=pki.ca_cert.read_bytes())
    async with serve(settings, validator_definition(ScriptedValidator())) as running:
        assert await validate_over(running.target, credentials) is grpc.StatusCode.OK
        # The server's certificate is checked by the client: another CA fails.
        wrong_ca = grpc.ssl_channel_credentials(root_certificates=pki.rogue_cert.read_bytes())
        assert await validate_over(running.target, wrong_ca) is grpc.StatusCode.UNAVAILABLE
