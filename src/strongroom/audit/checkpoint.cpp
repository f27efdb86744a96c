#include "strongroom/audit/checkpoint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "strongroom/base/bytes.hpp"
#include "strongroom/base/file.hpp"
#include "strongroom/base/status_macros.hpp"
#include "strongroom/crypto/hash.hpp"

namespace strongroom::audit {

std::string CheckpointNote(std::uint64_t tree_size, const Hash& root, const std::string& time) {
  return "strongroom audit checkpoint v1\n" + std::to_string(tree_size) + "\n" +
         base::HexEncode(root) + "\n" + time + "\n";
}

std::string KeyIdOf(const crypto::Ed25519PublicKey& public_key) {
  const auto digest = crypto::Sha256(public_key);
  return base::HexEncode(base::ByteView(digest.data(), 8));
}

SignedCheckpoint SignCheckpoint(std::uint64_t tree_size, const Hash& root, std::string time,
                                const crypto::Ed25519KeyPair& key) {
  SignedCheckpoint c;
  c.tree_size = tree_size;
  c.root = root;
  c.time = std::move(time);
  c.key_id = KeyIdOf(key.public_key());
  c.signature = key.Sign(base::AsBytes(CheckpointNote(c.tree_size, c.root, c.time)));
  return c;
}

bool VerifyCheckpointSignature(const SignedCheckpoint& c,
                               const std::map<std::string, crypto::Ed25519PublicKey>& keys) {
  const auto key = keys.find(c.key_id);
  if (key == keys.end()) return false;
  return crypto::Ed25519Verify(
      key->second, base::AsBytes(CheckpointNote(c.tree_size, c.root, c.time)), c.signature);
}

std::string CheckpointToJson(const SignedCheckpoint& c) {
  return nlohmann::json{{"tree_size", c.tree_size},
                        {"root_hash", base::HexEncode(c.root)},
                        {"time", c.time},
                        {"key_id", c.key_id},
                        {"signature", base::Base64UrlEncode(c.signature)}}
      .dump();
}

base::Result<SignedCheckpoint> CheckpointFromJson(std::string_view text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("tree_size") || !j["tree_size"].is_number_unsigned() ||
      !j.contains("root_hash") || !j["root_hash"].is_string() || !j.contains("time") ||
      !j["time"].is_string() || !j.contains("key_id") || !j["key_id"].is_string() ||
      !j.contains("signature") || !j["signature"].is_string()) {
    return base::DataLossError(
        "not a checkpoint: expected tree_size, root_hash, time, key_id and signature");
  }
  SignedCheckpoint c;
  c.tree_size = j["tree_size"].get<std::uint64_t>();
  c.time = j["time"].get<std::string>();
  c.key_id = j["key_id"].get<std::string>();
  const auto root = base::HexDecode(j["root_hash"].get<std::string>());
  if (!root.ok() || root->size() != c.root.size()) {
    return base::DataLossError("checkpoint root_hash is not 32 bytes of hex");
  }
  std::copy(root->begin(), root->end(), c.root.begin());
  const auto signature = base::Base64UrlDecode(j["signature"].get<std::string>());
  if (!signature.ok() || signature->size() != c.signature.size()) {
    return base::DataLossError("checkpoint signature is not 64 bytes of base64url");
  }
  std::copy(signature->begin(), signature->end(), c.signature.begin());
  return c;
}

base::Result<CheckpointFile> CheckpointFile::Open(const std::filesystem::path& path) {
  const bool existed = std::filesystem::exists(path);
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return base::UnavailableError("cannot open the audit checkpoint file " + path.string() + ": " +
                                  std::strerror(errno));
  }
  CheckpointFile file(fd);
  if (!existed) SR_RETURN_IF_ERROR(base::SyncDirectory(path.parent_path()));
  return file;
}

CheckpointFile::CheckpointFile(CheckpointFile&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

CheckpointFile& CheckpointFile::operator=(CheckpointFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

CheckpointFile::~CheckpointFile() {
  if (fd_ >= 0) ::close(fd_);
}

base::Status CheckpointFile::Append(const SignedCheckpoint& checkpoint) {
  const std::string line = CheckpointToJson(checkpoint) + "\n";
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return base::UnavailableError(std::string("cannot append to the audit checkpoint file: ") +
                                    std::strerror(errno));
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fdatasync(fd_) != 0) {
    return base::UnavailableError(std::string("cannot sync the audit checkpoint file: ") +
                                  std::strerror(errno));
  }
  return base::OkStatus();
}

base::Result<std::vector<SignedCheckpoint>> CheckpointFile::ReadAll(
    const std::filesystem::path& path) {
  std::vector<SignedCheckpoint> out;
  if (!std::filesystem::exists(path)) return out;
  std::ifstream in(path, std::ios::binary);
  if (!in) return base::UnavailableError("cannot read " + path.string());
  std::size_t line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (in.eof()) {
      return base::DataLossError(path.string() + " line " + std::to_string(line_number) +
                                 " is incomplete (no newline): the file was cut short");
    }
    auto checkpoint = CheckpointFromJson(line);
    if (!checkpoint.ok()) {
      return base::DataLossError(path.string() + " line " + std::to_string(line_number) + ": " +
                                 checkpoint.error().message());
    }
    out.push_back(std::move(*checkpoint));
  }
  if (in.bad()) return base::UnavailableError("cannot read " + path.string());
  return out;
}

base::Result<std::optional<SignedCheckpoint>> CheckpointFile::ReadLast(
    const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) return std::optional<SignedCheckpoint>();
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return base::UnavailableError("cannot read " + path.string());
  const std::streamoff size = in.tellg();
  if (size == 0) return std::optional<SignedCheckpoint>();
  const std::streamoff tail = std::min<std::streamoff>(size, 4096);
  std::string text(static_cast<std::size_t>(tail), '\0');
  in.seekg(size - tail);
  if (!in.read(text.data(), tail)) return base::UnavailableError("cannot read " + path.string());
  if (text.back() != '\n') {
    return base::DataLossError(path.string() +
                               " ends with an incomplete line: the file was cut short");
  }
  text.pop_back();
  const std::size_t start = text.rfind('\n');
  if (start == std::string::npos && tail < size) {
    return base::DataLossError(path.string() + " ends with a line too long to be a checkpoint");
  }
  auto checkpoint = CheckpointFromJson(start == std::string::npos ? text : text.substr(start + 1));
  if (!checkpoint.ok()) {
    return base::DataLossError(path.string() + " last line: " + checkpoint.error().message());
  }
  return std::optional<SignedCheckpoint>(std::move(*checkpoint));
}

}  // namespace strongroom::audit
