#include "strongroom/backup/config.hpp"

#include <nlohmann/json.hpp>
#include <set>

#include "strongroom/base/file.hpp"
#include "strongroom/base/status_macros.hpp"

namespace strongroom::backup {
namespace {

using nlohmann::json;

base::Result<std::int64_t> IntIn(const json& doc, const char* key, std::int64_t lo, std::int64_t hi,
                                 std::int64_t fallback) {
  if (!doc.contains(key)) return fallback;
  const json& v = doc[key];
  if (!v.is_number_integer() || v.get<std::int64_t>() < lo || v.get<std::int64_t>() > hi) {
    return base::InvalidArgumentError(std::string(key) + " must be a whole number from " +
                                      std::to_string(lo) + " to " + std::to_string(hi));
  }
  return v.get<std::int64_t>();
}

base::Status OnlyKeys(const json& doc, const std::set<std::string>& allowed, const char* where) {
  for (const auto& [k, v] : doc.items()) {
    if (!allowed.contains(k)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return base::InvalidArgumentError("unknown key '" + k + "' in " + where +
                                        " (accepted: " + list + ")");
    }
  }
  return base::OkStatus();
}

}  // namespace

base::Result<BackupConfig> ParseBackupConfig(std::string_view text) {
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return base::InvalidArgumentError("the backup configuration must be a JSON object");
  }
  SR_RETURN_IF_ERROR(OnlyKeys(
      doc,
      {"destinations", "create_every_hours", "verify_every_hours", "verify_sample", "retention"},
      "the backup configuration"));
  BackupConfig c;
  if (doc.contains("destinations")) {
    if (!doc["destinations"].is_array()) {
      return base::InvalidArgumentError("destinations must be a list of absolute directories");
    }
    for (const json& d : doc["destinations"]) {
      if (!d.is_string() || d.get<std::string>().empty() || d.get<std::string>()[0] != '/') {
        return base::InvalidArgumentError(
            "each destination must be an absolute directory path, e.g. \"/srv/backups\"");
      }
      c.destinations.emplace_back(d.get<std::string>());
    }
  }
  SR_ASSIGN_OR_RETURN(const auto create, IntIn(doc, "create_every_hours", 1, 744, 24));
  SR_ASSIGN_OR_RETURN(const auto verify, IntIn(doc, "verify_every_hours", 1, 8760, 168));
  SR_ASSIGN_OR_RETURN(const auto sample, IntIn(doc, "verify_sample", 1, 10000, 20));
  c.create_every = std::chrono::hours(create);
  c.verify_every = std::chrono::hours(verify);
  c.verify_sample = static_cast<std::size_t>(sample);
  if (doc.contains("retention")) {
    const json& r = doc["retention"];
    if (!r.is_object()) return base::InvalidArgumentError("retention must be an object");
    SR_RETURN_IF_ERROR(OnlyKeys(r, {"daily_days", "monthly_months", "yearly_years"}, "retention"));
    SR_ASSIGN_OR_RETURN(const auto daily, IntIn(r, "daily_days", 1, 3650, 35));
    SR_ASSIGN_OR_RETURN(const auto monthly, IntIn(r, "monthly_months", 0, 1200, 12));
    SR_ASSIGN_OR_RETURN(const auto yearly, IntIn(r, "yearly_years", 0, 100, 7));
    c.retention = {static_cast<int>(daily), static_cast<int>(monthly), static_cast<int>(yearly)};
  }
  SR_RETURN_IF_ERROR(ValidateRetention(c.retention));
  return c;
}

base::Result<BackupConfig> LoadBackupConfig(const std::filesystem::path& file) {
  auto text = base::ReadSmallFile(file, 1 << 20);
  if (!text.ok()) {
    if (text.status().code() == base::ErrorCode::kNotFound) return BackupConfig{};
    return text.status();
  }
  auto parsed = ParseBackupConfig(*text);
  if (!parsed.ok()) return parsed.status().WithContext(file.string());
  return parsed;
}

base::Status CheckDestinationOutside(const std::filesystem::path& destination,
                                     const std::filesystem::path& data_dir) {
  std::error_code ec;
  const auto d = std::filesystem::weakly_canonical(std::filesystem::absolute(destination), ec);
  const auto root = std::filesystem::weakly_canonical(std::filesystem::absolute(data_dir), ec);
  auto [r, p] = std::mismatch(root.begin(), root.end(), d.begin(), d.end());
  if (r == root.end()) {
    return base::InvalidArgumentError("the backup destination " + destination.string() +
                                      " is inside the data directory " + data_dir.string() +
                                      ": a backup must not be lost with the data it protects");
  }
  return base::OkStatus();
}

}  // namespace strongroom::backup
