#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/base/secret.hpp"

// OpenSSL's SSL_CTX, forward-declared so this header includes no third-party header.
struct ssl_ctx_st;

namespace strongroom::crypto {

// A certificate chain (leaf first) and its private key, both PEM.
struct TlsCredentials {
  std::string cert_chain_pem;
  base::SecretString private_key_pem;
};

struct CertificateInfo {
  std::string subject;
  std::vector<std::string> subject_alt_names;  // "DNS:localhost", "IP:127.0.0.1"
  base::Time not_before;
  base::Time not_after;
  std::string sha256_fingerprint;  // Hex of the SHA-256 of the leaf's DER encoding.
};

// Makes an ECDSA P-256 key and a self-signed leaf certificate for TLS servers: SHA-256 signature,
// a random 128-bit serial, basicConstraints CA:FALSE, keyUsage digitalSignature, extendedKeyUsage
// serverAuth, and subjectAltName entries for `dns_names` and `ip_addresses`.
base::Result<TlsCredentials> GenerateSelfSignedCertificate(
    const std::vector<std::string>& dns_names, const std::vector<std::string>& ip_addresses,
    base::Time not_before, std::chrono::days validity);

// Parses a PEM chain and key and checks that the key belongs to the leaf. Errors
// (kInvalidArgument) say which part could not be used and why.
base::Result<CertificateInfo> CheckCertificateAndKey(const std::string& cert_chain_pem,
                                                     const base::SecretString& private_key_pem);

// Hardens a server SSL_CTX and loads the credentials into it: TLS 1.2 and 1.3 only; AEAD cipher
// suites only (ECDHE with AES-GCM or ChaCha20-Poly1305 for TLS 1.2, and TLS 1.3's suites, which
// are all AEAD); no compression; no renegotiation; server cipher preference; X25519, P-256 and
// P-384 for key exchange.
base::Status ConfigureServerTls(ssl_ctx_st* ctx, const TlsCredentials& credentials);

// Hardens a client SSL_CTX the same way (TLS 1.2 and 1.3, AEAD suites only, no compression or
// renegotiation) and makes it verify the server: against the PEM CA bundle `ca_file` when given,
// otherwise the system's trust store. Errors (kInvalidArgument) say why the CA file is unusable.
base::Status ConfigureClientTls(ssl_ctx_st* ctx, const std::string& ca_file);

// The TLS 1.2 cipher list ConfigureServerTls sets (OpenSSL syntax), for tests and benchmarks that
// configure a reference server the same way.
inline constexpr const char* kTls12CipherList =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";

}  // namespace strongroom::crypto
