#include "strongroom/identity/two_factor.hpp"

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/crypto/hash.hpp"
#include "strongroom/crypto/random.hpp"
#include "strongroom/crypto/totp.hpp"
#include "strongroom/identity/qr_code.hpp"

namespace strongroom::identity {
namespace {

using storage::Blob;
using storage::Int;
using storage::Null;
using storage::Text;

constexpr std::size_t kSecretBytes = 20;  // 160 bits, RFC 4226 §4's recommendation.

base::Bytes SecretAad(const UserId& user) {
  return base::ToBytes("strongroom/v1/totp-secret|" + user.value());
}

base::Bytes CodeHash(std::string_view normalized) {
  const auto digest = crypto::Sha256(base::AsBytes(normalized));
  return base::Bytes(digest.begin(), digest.end());
}

// Percent-encodes everything outside RFC 3986's unreserved set.
std::string UriEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

base::SecretString NewRecoveryCode() {
  base::SecretBytes raw(crypto::RandomBytes(10));  // 80 bits.
  base::SecretString encoded(base::Base32Encode(raw.Reveal()));
  base::SecretString code{std::string()};
  for (std::size_t i = 0; i < encoded.Reveal().size(); ++i) {
    if (i > 0 && i % 4 == 0) code.mutable_value().push_back('-');
    code.mutable_value().push_back(
        static_cast<char>(std::tolower(static_cast<unsigned char>(encoded.Reveal()[i]))));
  }
  return code;
}

}  // namespace

std::string NormalizeRecoveryCode(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

base::Result<Enrollment> TwoFactor::Enroll(storage::Transaction& tx, const UserId& user,
                                           std::string_view username) const {
  const base::SecretBytes secret(crypto::RandomBytes(kSecretBytes));
  SR_ASSIGN_OR_RETURN(const base::Bytes sealed,
                      ring_.Seal(key_id_, SecretAad(user), secret.Reveal()));
  SR_ASSIGN_OR_RETURN(
      const std::int64_t changed,
      tx.Execute("UPDATE users SET totp_secret = ?, totp_last_step = 0 WHERE id = ?",
                 {Blob(sealed), Text(user.value())}));
  if (changed != 1) return base::NotFoundError("no user " + user.value());
  SR_RETURN_IF_ERROR(
      tx.Execute("DELETE FROM recovery_codes WHERE user_id = ?", {Text(user.value())}));

  Enrollment e;
  e.secret_base32 = base::SecretString(base::Base32Encode(secret.Reveal()));
  const std::string label = "Strongroom:" + std::string(username);
  e.otpauth_uri = base::SecretString("otpauth://totp/" + UriEncode(label) +
                                     "?secret=" + e.secret_base32.Reveal() +
                                     "&issuer=Strongroom&algorithm=SHA1&digits=6&period=30");
  SR_ASSIGN_OR_RETURN(std::string svg, QrCodeSvg(e.otpauth_uri.Reveal()));
  e.qr_svg = base::SecretString(std::move(svg));
  for (int i = 0; i < kRecoveryCodeCount; ++i) {
    base::SecretString code = NewRecoveryCode();
    SR_RETURN_IF_ERROR(
        tx.Execute("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)",
                   {Text(user.value()), Blob(CodeHash(NormalizeRecoveryCode(code.Reveal())))}));
    e.recovery_codes.push_back(std::move(code));
  }
  return e;
}

base::Status TwoFactor::Clear(storage::Transaction& tx, const UserId& user) const {
  SR_RETURN_IF_ERROR(
      tx.Execute("UPDATE users SET totp_secret = NULL, totp_last_step = 0 WHERE id = ?",
                 {Text(user.value())}));
  return tx.Execute("DELETE FROM recovery_codes WHERE user_id = ?", {Text(user.value())}).status();
}

base::Result<base::Bytes> TwoFactor::Unseal(const UserId& user, const base::Bytes& sealed) const {
  auto secret = ring_.Open(SecretAad(user), sealed);
  if (!secret.ok()) {
    return base::DataLossError("the TOTP secret of user " + user.value() +
                               " does not decrypt: " + secret.error().message());
  }
  return secret;
}

base::Result<SecondFactor> TwoFactor::Verify(storage::Transaction& tx, const UserId& user,
                                             const base::SecretString& code) const {
  SR_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query("SELECT totp_secret, totp_last_step FROM users WHERE id = ?", {Text(user.value())}));
  if (rows.empty()) return base::NotFoundError("no user " + user.value());
  if (rows[0].IsNull(0)) return base::UnauthenticatedError("not_enrolled");
  const std::string& text = code.Reveal();
  const bool looks_like_totp =
      text.size() == 6 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (looks_like_totp) {
    SR_ASSIGN_OR_RETURN(const base::Bytes sealed, rows[0].GetBlob(0));
    SR_ASSIGN_OR_RETURN(const std::int64_t last_step, rows[0].GetInt(1));
    SR_ASSIGN_OR_RETURN(base::Bytes plain, Unseal(user, sealed));
    const base::SecretBytes secret(std::move(plain));
    const auto step = crypto::VerifyTotp(secret.Reveal(), text, clock_.Now());
    if (!step) return base::UnauthenticatedError("wrong_code");
    if (static_cast<std::int64_t>(*step) <= last_step) {
      return base::UnauthenticatedError("code_reused");
    }
    SR_RETURN_IF_ERROR(tx.Execute("UPDATE users SET totp_last_step = ? WHERE id = ?",
                                  {Int(static_cast<std::int64_t>(*step)), Text(user.value())}));
    return SecondFactor::kTotp;
  }
  const std::string normalized = NormalizeRecoveryCode(text);
  if (normalized.size() != 16) return base::UnauthenticatedError("wrong_code");
  SR_ASSIGN_OR_RETURN(
      const std::int64_t used,
      tx.Execute("UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND "
                 "used_at IS NULL",
                 {Text(base::FormatRfc3339(clock_.Now())), Text(user.value()),
                  Blob(CodeHash(normalized))}));
  if (used != 1) return base::UnauthenticatedError("wrong_code");
  return SecondFactor::kRecoveryCode;
}

base::Result<int> TwoFactor::RemainingRecoveryCodes(storage::Transaction& tx,
                                                    const UserId& user) const {
  SR_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? "
                                          "AND used_at IS NULL",
                                          {Text(user.value())}));
  SR_ASSIGN_OR_RETURN(const std::int64_t n, rows.at(0).GetInt(0));
  return static_cast<int>(n);
}

}  // namespace strongroom::identity
