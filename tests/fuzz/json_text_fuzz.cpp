// The pre-parse check agrees with a real JSON parser: it refuses every text holding a raw NUL, and
// of the valid JSON texts it accepts exactly those nested within the limit.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_check.hpp"
#include "strongroom/base/json_text.hpp"

namespace {

// Tracks the deepest nesting of arrays and objects while nlohmann parses (its SAX parser keeps its
// own stack, so deep input cannot exhaust ours).
struct DepthSax : nlohmann::json_sax<nlohmann::json> {
  std::size_t depth = 0;
  std::size_t max_depth = 0;
  bool Open() {
    max_depth = std::max(max_depth, ++depth);
    return true;
  }
  bool Close() {
    --depth;
    return true;
  }
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return Open(); }
  bool key(string_t&) override { return true; }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  DepthSax sax;
  const bool valid = nlohmann::json::sax_parse(text, &sax, nlohmann::json::input_format_t::json,
                                               /*strict=*/true, /*ignore_comments=*/false);
  const bool has_nul = text.find('\0') != std::string::npos;
  for (std::size_t limit : {std::size_t{1}, std::size_t{4}, std::size_t{32}}) {
    const bool ok = strongroom::base::CheckJsonText(text, limit).ok();
    if (has_nul) FUZZ_CHECK(!ok);
    // nlohmann stops at a NUL byte and ignores the rest, so it is an oracle only without one.
    if (valid && !has_nul) FUZZ_CHECK(ok == (sax.max_depth <= limit));
  }
  return 0;
}
