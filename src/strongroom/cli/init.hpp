#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "strongroom/audit/event.hpp"
#include "strongroom/audit/sink.hpp"
#include "strongroom/base/clock.hpp"
#include "strongroom/base/result.hpp"
#include "strongroom/base/secret.hpp"
#include "strongroom/identity/ids.hpp"
#include "strongroom/identity/two_factor.hpp"

namespace strongroom::cli {

struct InitOptions {
  std::filesystem::path data_dir;
  std::string admin = "admin";
  std::optional<std::filesystem::path> password_file;  // Otherwise a passphrase is generated.
  std::optional<std::filesystem::path> tls_cert;       // With tls_key: the operator's own.
  std::optional<std::filesystem::path> tls_key;
};

struct InitReport {
  std::filesystem::path data_dir;
  std::filesystem::path root_key_file;
  std::filesystem::path store_file;
  int schema_version = 0;
  std::filesystem::path tls_cert_file;
  std::filesystem::path tls_key_file;
  bool tls_self_signed = true;
  std::string tls_sha256_fingerprint;
  base::Time tls_not_after;
  std::string instance_id;
  std::string admin_username;
  identity::UserId admin_id;
  std::optional<base::SecretString> generated_password;  // Shown once, never stored.
  identity::Enrollment admin_two_factor;                 // Shown once.
};

// Creates a data directory: a 256-bit root key (mode 0600), the SQLite store with every
// migration, a TLS certificate and key (self-signed for localhost unless the operator's are
// given), the key ring's first keys and the first admin with a TOTP enrolment. It is built in a
// temporary directory beside `data_dir` and renamed into place at the end, so on any error nothing
// is left behind. Errors: kAlreadyExists when `data_dir` exists and is not empty (nothing is
// changed); kInvalidArgument for a bad admin name, passphrase, certificate or key; kNotFound when
// the parent directory does not exist; I/O errors as they come. Every change is audited through
// `audit` as done by `actor`.
base::Result<InitReport> InitDataDir(const InitOptions& options, const base::Clock& clock,
                                     const audit::Actor& actor, audit::Sink* observer = nullptr);

// A random passphrase of 24 characters from a 31-letter alphabet without look-alikes (about 119
// bits), grouped in fours with dashes.
base::SecretString GeneratePassphrase();

}  // namespace strongroom::cli
