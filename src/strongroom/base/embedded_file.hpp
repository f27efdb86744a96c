#pragma once

#include <string_view>

namespace strongroom::base {

// A file embedded in the binary at build time by scripts/embed_files.py: its name (a base name,
// or a '/'-separated path relative to the embedded directory) and its bytes, which live for the
// whole program.
struct EmbeddedFile {
  std::string_view name;
  std::string_view data;
};

}  // namespace strongroom::base
