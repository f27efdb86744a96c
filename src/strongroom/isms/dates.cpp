#include "strongroom/isms/dates.hpp"

#include <string>

namespace strongroom::isms {

base::Status ValidateDate(std::string_view field, std::string_view date) {
  const bool shape = date.size() == 10 && date[4] == '-' && date[7] == '-';
  if (!shape || !base::ParseRfc3339(std::string(date) + "T00:00:00Z").ok()) {
    return base::InvalidArgumentError(std::string(field) + " must be a date such as 2027-01-31");
  }
  return base::OkStatus();
}

base::Result<base::Time> ParseAsOf(std::string_view field, std::string_view text) {
  std::string t(text);
  if (t.size() == 10) t += "T23:59:59.999Z";
  auto time = base::ParseRfc3339(t);
  if (!time.ok()) {
    return base::InvalidArgumentError(std::string(field) +
                                      " must be a date such as 2026-06-30 (the end of that day, "
                                      "UTC) or an RFC 3339 time");
  }
  return *time;
}

}  // namespace strongroom::isms
