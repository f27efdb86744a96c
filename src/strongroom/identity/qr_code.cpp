#include "strongroom/identity/qr_code.hpp"

#include <qrencode.h>

#include <memory>
#include <vector>

namespace strongroom::identity {
namespace {

constexpr int kQuietZone = 4;

// The module matrix (true = dark) with its quiet zone.
base::Result<std::vector<std::vector<bool>>> Modules(std::string_view text) {
  const std::string input(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString8bit(input.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!code) return base::InvalidArgumentError("the text is too long for a QR code");
  const int n = code->width;
  const int size = n + 2 * kQuietZone;
  std::vector<std::vector<bool>> m(static_cast<std::size_t>(size),
                                   std::vector<bool>(static_cast<std::size_t>(size), false));
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      m[static_cast<std::size_t>(y + kQuietZone)][static_cast<std::size_t>(x + kQuietZone)] =
          (code->data[y * n + x] & 1) != 0;
    }
  }
  return m;
}

}  // namespace

base::Result<std::string> QrCodeSvg(std::string_view text) {
  auto modules = Modules(text);
  if (!modules.ok()) return modules.error();
  const std::size_t size = modules->size();
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    std::to_string(size) + " " + std::to_string(size) +
                    "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" "
                    "fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (std::size_t y = 0; y < size; ++y) {
    for (std::size_t x = 0; x < size; ++x) {
      if ((*modules)[y][x]) {
        svg += "M" + std::to_string(x) + " " + std::to_string(y) + "h1v1h-1z";
      }
    }
  }
  svg += "\"/></svg>";
  return svg;
}

base::Result<std::string> QrCodeText(std::string_view text) {
  auto modules = Modules(text);
  if (!modules.ok()) return modules.error();
  const auto& m = *modules;
  const std::size_t size = m.size();
  // Light text on a dark terminal would invert the code, so dark modules are drawn as spaces
  // and light ones as blocks: the result scans on dark and light terminals alike.
  std::string out;
  for (std::size_t y = 0; y < size; y += 2) {
    for (std::size_t x = 0; x < size; ++x) {
      const bool top = m[y][x];
      const bool bottom = y + 1 < size ? m[y + 1][x] : false;
      if (!top && !bottom) {
        out += "\u2588";  // Full block.
      } else if (!top && bottom) {
        out += "\u2580";  // Upper half block.
      } else if (top && !bottom) {
        out += "\u2584";  // Lower half block.
      } else {
        out += " ";
      }
    }
    out += "\n";
  }
  return out;
}

}  // namespace strongroom::identity
