#include "strongroom/crypto/testing/vectors.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace strongroom::crypto::testing {
namespace {

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::vector<VectorCase> ReadVectorFile(const std::filesystem::path& path,
                                       const std::string& first_key) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::vector<VectorCase> cases;
  std::map<std::string, std::string> section;
  std::string line;
  while (std::getline(in, line)) {
    line = Trim(line);
    if (line.empty() || line[0] == '#') continue;
    if (line.front() == '[' && line.back() == ']') {
      const auto eq = line.find('=');
      if (eq != std::string::npos) {
        section[Trim(line.substr(1, eq - 1))] = Trim(line.substr(eq + 1, line.size() - eq - 2));
      }
      continue;
    }
    if (line == "FAIL") {
      if (!cases.empty()) cases.back().fail = true;
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = Trim(line.substr(0, eq));
    const std::string value = Trim(line.substr(eq + 1));
    if (key == first_key || cases.empty()) {
      cases.emplace_back();
      cases.back().section = section;
    }
    cases.back().fields[key] = value;
  }
  return cases;
}

}  // namespace strongroom::crypto::testing
