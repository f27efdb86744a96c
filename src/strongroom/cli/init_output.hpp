#pragma once

#include <iosfwd>

#include "strongroom/cli/init.hpp"

namespace strongroom::cli {

// What `init` prints: for people, or (json) one JSON object. The generated admin password is
// shown here once and nowhere else.
void PrintInitReport(const InitReport& report, bool json, std::ostream& out);

}  // namespace strongroom::cli
