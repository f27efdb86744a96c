#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace strongroom::crypto::testing {

// One test case of a NIST/RFC "Key = value" vector file: its fields, the bracketed section
// parameters in force ("[Keylen = 256]"), and whether it was marked FAIL.
struct VectorCase {
  std::map<std::string, std::string> fields;
  std::map<std::string, std::string> section;
  bool fail = false;
};

// Parses a vector file. A case starts at `first_key` (e.g. "Count" or "COUNT" or "Len").
std::vector<VectorCase> ReadVectorFile(const std::filesystem::path& path,
                                       const std::string& first_key);

// The directory of Debian's python3-cryptography-vectors package. CMake refuses to configure
// without it: the vectors are a test dependency that scripts/install-deps.sh installs, never an
// optional extra.
inline std::filesystem::path VectorsDir() { return STRONGROOM_CRYPTOGRAPHY_VECTORS; }

// tests/vectors in the source tree (vectors kept with the project; see its SOURCES.md).
inline std::filesystem::path ProjectVectorsDir() { return STRONGROOM_TEST_VECTORS; }

}  // namespace strongroom::crypto::testing
