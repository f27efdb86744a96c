#include "strongroom/identity/qr_code.hpp"

#include <gtest/gtest.h>

namespace strongroom::identity {
namespace {

TEST(QrCode, RendersAnSvgWithTheQuietZone) {
  const auto svg = QrCodeSvg("otpauth://totp/Strongroom:alice?secret=JBSWY3DPEHPK3PXP");
  ASSERT_TRUE(svg.ok());
  EXPECT_TRUE(svg->starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
  EXPECT_NE(svg->find("h1v1h-1z"), std::string::npos);
  // Version 4 (33 modules) plus 4 modules of quiet zone on each side for this length.
  EXPECT_NE(svg->find("viewBox=\"0 0 41 41\""), std::string::npos) << svg->substr(0, 120);
  EXPECT_EQ(svg->find("M0 0h1"), std::string::npos);  // The corner is quiet zone.
}

TEST(QrCode, TextRenderingHasOneLinePerTwoModuleRows) {
  const auto text = QrCodeText("hello");
  ASSERT_TRUE(text.ok());
  std::size_t lines = 0;
  for (char c : *text) lines += c == '\n';
  EXPECT_EQ(lines, (21u + 8u + 1u) / 2u);  // Version 1 is 21 modules, plus the quiet zone.
}

TEST(QrCode, RefusesTextTooLongForAnyVersion) {
  EXPECT_FALSE(QrCodeSvg(std::string(8000, 'x')).ok());
}

}  // namespace
}  // namespace strongroom::identity
