#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace strongroom::access::testing {

// tests/testdata/access/decisions.txt: for each block ("tenant A", "tenant B", "no tenant"),
// each action name and each subject column, whether access is expected. Not thread-safe.
struct PolicyTable {
  std::vector<std::string> subjects;  // Column names, in file order.
  // block -> action -> subject -> allowed
  std::map<std::string, std::map<std::string, std::map<std::string, bool>>> cells;

  bool Expected(const std::string& block, const std::string& action,
                const std::string& subject) const {
    return cells.at(block).at(action).at(subject);
  }
};

// Parses the file; fails the calling test on malformed rows.
PolicyTable LoadPolicyTable(const std::filesystem::path& path);
std::filesystem::path TestDataDir();

}  // namespace strongroom::access::testing
