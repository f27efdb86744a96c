#pragma once

#include <string>
#include <string_view>

#include "strongroom/base/result.hpp"

namespace strongroom::identity {

// A QR code (libqrencode, error correction level M) of `text` as a standalone SVG document, for
// showing an otpauth:// URI to an authenticator app.
base::Result<std::string> QrCodeSvg(std::string_view text);

// The same QR code drawn with Unicode half blocks for a terminal (two modules per character
// row), with the quiet zone the standard asks for.
base::Result<std::string> QrCodeText(std::string_view text);

}  // namespace strongroom::identity
