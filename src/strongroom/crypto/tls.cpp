#include "strongroom/crypto/tls.hpp"

#include <arpa/inet.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

#include "strongroom/base/bytes.hpp"
#include "strongroom/crypto/random.hpp"

namespace strongroom::crypto {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using NamePtr = std::unique_ptr<X509_NAME, Deleter<X509_NAME, X509_NAME_free>>;

// The most recent OpenSSL error as text, and the error queue cleared.
std::string OpenSslError() {
  const unsigned long code = ERR_peek_last_error();
  std::string out = "unknown OpenSSL error";
  if (code != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    out = buf;
  }
  ERR_clear_error();
  return out;
}

base::Status Failed(std::string what) { return base::InternalError(what + ": " + OpenSslError()); }

base::Time AsnTimeToTime(const ASN1_TIME* t) {
  struct tm tm {};
  ASN1_TIME_to_tm(t, &tm);
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

base::Status AddExtension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) return Failed("cannot build certificate extension " + value);
  const int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  return ok == 1 ? base::OkStatus() : Failed("cannot add certificate extension");
}

std::string PemOf(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

base::SecretString PemOf(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_secmem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return base::SecretString(std::string(data, static_cast<std::size_t>(len)));
}

std::vector<X509Ptr> ReadChain(const std::string& pem) {
  std::vector<X509Ptr> chain;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  for (;;) {
    X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (cert == nullptr) break;
    chain.emplace_back(cert);
  }
  ERR_clear_error();  // The loop ends on a "no start line" error, which is expected.
  return chain;
}

PkeyPtr ReadKey(const base::SecretString& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.Reveal().data(), static_cast<int>(pem.size())));
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  return key;
}

}  // namespace

base::Result<TlsCredentials> GenerateSelfSignedCertificate(
    const std::vector<std::string>& dns_names, const std::vector<std::string>& ip_addresses,
    base::Time not_before, std::chrono::days validity) {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return Failed("cannot generate a P-256 key");
  X509Ptr cert(X509_new());
  if (!cert) return Failed("cannot allocate a certificate");
  X509_set_version(cert.get(), X509_VERSION_3);

  // A positive 128-bit serial from the CSPRNG (RFC 5280 allows up to 20 octets).
  auto serial_bytes = RandomArray<16>();
  serial_bytes[0] &= 0x7F;
  serial_bytes[0] |= 0x01;
  BnPtr serial(BN_bin2bn(serial_bytes.data(), serial_bytes.size(), nullptr));
  if (!serial || BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    return Failed("cannot set the certificate serial");
  }
  const time_t start = std::chrono::system_clock::to_time_t(not_before);
  const time_t end = std::chrono::system_clock::to_time_t(not_before + validity);
  if (ASN1_TIME_set(X509_getm_notBefore(cert.get()), start) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert.get()), end) == nullptr) {
    return Failed("cannot set the certificate validity");
  }
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string cn = dns_names.empty() ? "strongroom" : dns_names.front();
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("Strongroom"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509_set_pubkey(cert.get(), key.get());

  std::string san;
  for (const auto& d : dns_names) san += (san.empty() ? "DNS:" : ",DNS:") + d;
  for (const auto& ip : ip_addresses) san += (san.empty() ? "IP:" : ",IP:") + ip;
  if (base::Status s = AddExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE");
      !s.ok()) {
    return s;
  }
  if (base::Status s = AddExtension(cert.get(), NID_key_usage, "critical,digitalSignature");
      !s.ok()) {
    return s;
  }
  if (base::Status s = AddExtension(cert.get(), NID_ext_key_usage, "serverAuth"); !s.ok()) {
    return s;
  }
  if (!san.empty()) {
    if (base::Status s = AddExtension(cert.get(), NID_subject_alt_name, san); !s.ok()) return s;
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    return Failed("cannot sign the certificate");
  }
  return TlsCredentials{PemOf(cert.get()), PemOf(key.get())};
}

base::Result<CertificateInfo> CheckCertificateAndKey(const std::string& cert_chain_pem,
                                                     const base::SecretString& private_key_pem) {
  const std::vector<X509Ptr> chain = ReadChain(cert_chain_pem);
  if (chain.empty()) {
    return base::InvalidArgumentError(
        "the certificate file holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)");
  }
  const PkeyPtr key = ReadKey(private_key_pem);
  if (!key) {
    return base::InvalidArgumentError(
        "the key file holds no unencrypted PEM private key (expected -----BEGIN PRIVATE KEY-----)");
  }
  X509* leaf = chain.front().get();
  if (X509_check_private_key(leaf, key.get()) != 1) {
    ERR_clear_error();
    return base::InvalidArgumentError(
        "the private key does not belong to the first certificate in the certificate file");
  }
  CertificateInfo info;
  char subject[512];
  X509_NAME_oneline(X509_get_subject_name(leaf), subject, sizeof subject);
  info.subject = subject;
  info.not_before = AsnTimeToTime(X509_get0_notBefore(leaf));
  info.not_after = AsnTimeToTime(X509_get0_notAfter(leaf));
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  X509_digest(leaf, EVP_sha256(), md, &md_len);
  info.sha256_fingerprint = base::HexEncode({md, md_len});
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(leaf, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; sans != nullptr && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(sans, i);
    if (gn->type == GEN_DNS) {
      const auto* s = gn->d.dNSName;
      info.subject_alt_names.push_back(
          "DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                               static_cast<std::size_t>(ASN1_STRING_length(s))));
    } else if (gn->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* ip = gn->d.iPAddress;
      const int len = ASN1_STRING_length(ip);
      char text[INET6_ADDRSTRLEN] = {};
      if ((len == 4 || len == 16) &&
          inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(ip), text, sizeof text) !=
              nullptr) {
        info.subject_alt_names.push_back(std::string("IP:") + text);
      }
    }
  }
  GENERAL_NAMES_free(sans);
  return info;
}

base::Status ConfigureClientTls(ssl_ctx_st* ctx, const std::string& ca_file) {
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1) {
    return Failed("cannot restrict TLS versions to 1.2 and 1.3");
  }
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_SSLv2 |
                               SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1);
  if (SSL_CTX_set_cipher_list(ctx, kTls12CipherList) != 1) {
    return Failed("cannot set the AEAD-only cipher suites");
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  if (!ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(ctx, ca_file.c_str(), nullptr) != 1) {
      ERR_clear_error();
      return base::InvalidArgumentError("cannot use " + ca_file +
                                        " as a CA bundle: it must be readable PEM certificates");
    }
  } else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
    return Failed("cannot load the system's trusted CA certificates");
  }
  return base::OkStatus();
}

base::Status ConfigureServerTls(ssl_ctx_st* ctx, const TlsCredentials& credentials) {
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1) {
    return Failed("cannot restrict TLS versions to 1.2 and 1.3");
  }
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                               SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_SSLv2 | SSL_OP_NO_SSLv3 |
                               SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1);
  SSL_CTX_clear_options(ctx, SSL_OP_ALLOW_CLIENT_RENEGOTIATION | SSL_OP_LEGACY_SERVER_CONNECT);
  if (SSL_CTX_set_cipher_list(ctx, kTls12CipherList) != 1 ||
      SSL_CTX_set_ciphersuites(
          ctx, "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256") != 1) {
    return Failed("cannot set the AEAD-only cipher suites");
  }
  if (SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384") != 1) {
    return Failed("cannot set the key exchange groups");
  }
  // The server offers no session IDs to resume; TLS 1.3 tickets (PSK with (EC)DHE) remain.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);

  const std::vector<X509Ptr> chain = ReadChain(credentials.cert_chain_pem);
  if (chain.empty()) return base::InvalidArgumentError("the certificate chain is empty");
  const PkeyPtr key = ReadKey(credentials.private_key_pem);
  if (!key) return base::InvalidArgumentError("the private key is not a PEM private key");
  if (SSL_CTX_use_certificate(ctx, chain.front().get()) != 1) {
    return Failed("cannot use the certificate");
  }
  for (std::size_t i = 1; i < chain.size(); ++i) {
    if (SSL_CTX_add1_chain_cert(ctx, chain[i].get()) != 1) {
      return Failed("cannot add an intermediate certificate");
    }
  }
  if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    return base::InvalidArgumentError("the private key does not match the certificate: " +
                                      OpenSslError());
  }
  return base::OkStatus();
}

}  // namespace strongroom::crypto
