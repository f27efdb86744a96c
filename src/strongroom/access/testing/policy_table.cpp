#include "strongroom/access/testing/policy_table.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace strongroom::access::testing {

std::filesystem::path TestDataDir() { return STRONGROOM_TESTDATA; }

PolicyTable LoadPolicyTable(const std::filesystem::path& path) {
  PolicyTable table;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::string line, block;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.front() == '[') {
      block = line.substr(1, line.size() - 2);
      continue;
    }
    std::istringstream words(line);
    std::string first;
    words >> first;
    if (first == "action") {
      table.subjects.clear();
      for (std::string c; words >> c;) table.subjects.push_back(c);
      continue;
    }
    EXPECT_FALSE(table.cells[block].contains(first)) << first << " twice in " << block;
    for (const std::string& subject : table.subjects) {
      std::string cell;
      EXPECT_TRUE(static_cast<bool>(words >> cell)) << "row " << first << " in " << block;
      EXPECT_TRUE(cell == "Y" || cell == ".") << cell;
      table.cells[block][first][subject] = cell == "Y";
    }
  }
  return table;
}

}  // namespace strongroom::access::testing
